//! The langbench workload protocol for Rust implementations.
//!
//! A workload binary calls [`main`] with its kernel. The helper reads
//! `--size N --iterations K`, runs the kernel K times, times each call with a
//! monotonic clock, checks that every call returned the same result and prints
//! one JSON line: `{"result":"...","iterations_ns":[...]}`. Bad arguments exit
//! with status 2; iterations that disagree exit with status 3.

use std::process::exit;
use std::time::Instant;

/// The parameters every workload takes on its command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// The workload-specific problem size (steps, n, depth, orders...).
    pub size: u64,
    /// How many times the kernel runs in this process.
    pub iterations: u64,
}

/// Parses `--size N --iterations K` (in any order) from `args` (without the program name).
pub fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<Params, String> {
    let mut size = None;
    let mut iterations = None;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--size" => &mut size,
            "--iterations" => &mut iterations,
            other => return Err(format!("unknown argument '{other}'")),
        };
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let n: u64 = value
            .parse()
            .map_err(|_| format!("{flag} wants a positive integer, got '{value}'"))?;
        if n == 0 {
            return Err(format!("{flag} must be at least 1"));
        }
        *slot = Some(n);
    }
    Ok(Params {
        size: size.ok_or("missing --size")?,
        iterations: iterations.ok_or("missing --iterations")?,
    })
}

/// Runs `kernel(size)` the requested number of times and prints the protocol line.
pub fn main<F: FnMut(u64) -> String>(mut kernel: F) {
    let params = match parse_args(std::env::args().skip(1)) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("usage: --size N --iterations K");
            exit(2);
        }
    };
    let mut times = Vec::with_capacity(params.iterations as usize);
    let mut result: Option<String> = None;
    for i in 0..params.iterations {
        let start = Instant::now();
        let r = kernel(params.size);
        times.push(start.elapsed().as_nanos() as u64);
        match &result {
            Some(first) if *first != r => {
                eprintln!("error: iteration {i} returned '{r}', iteration 0 returned '{first}'");
                exit(3);
            }
            Some(_) => {}
            None => result = Some(r),
        }
    }
    let times: Vec<String> = times.iter().map(u64::to_string).collect();
    println!(
        "{{\"result\":{},\"iterations_ns\":[{}]}}",
        json_string(&result.unwrap_or_default()),
        times.join(",")
    );
}

/// Encodes `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_both_orders() {
        let want = Params {
            size: 10,
            iterations: 3,
        };
        assert_eq!(parse_args(args("--size 10 --iterations 3")), Ok(want));
        assert_eq!(parse_args(args("--iterations 3 --size 10")), Ok(want));
    }

    #[test]
    fn rejects_bad_arguments() {
        assert!(parse_args(args("--size 10")).is_err());
        assert!(parse_args(args("--size x --iterations 1")).is_err());
        assert!(parse_args(args("--size 0 --iterations 1")).is_err());
        assert!(parse_args(args("--size 1 --iterations 1 --fast")).is_err());
    }

    #[test]
    fn escapes_json() {
        assert_eq!(json_string("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
