//! The langbench workload protocol for Rust implementations.
//!
//! A workload binary calls [`main`] with its kernel. The helper reads
//! `--size N --iterations K`, runs the kernel K times, times each call with a
//! monotonic clock, checks that every call returned the same result and prints
//! one JSON line: `{"result":"...","iterations_ns":[...]}`. Bad arguments exit
//! with status 2; iterations that disagree exit with status 3.
//!
//! A kernel that splits its work across workers calls [`main_with_workers`]
//! instead: it also accepts `--workers W` (default 1) and passes W to the
//! kernel. [`main`] keeps rejecting `--workers`, so no other workload changes.

use std::process::exit;
use std::time::Instant;

/// The usage line of [`main`].
const USAGE: &str = "usage: --size N --iterations K";
/// The usage line of [`main_with_workers`].
const USAGE_WITH_WORKERS: &str = "usage: --size N --iterations K [--workers W]";

/// The parameters every workload takes on its command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// The workload-specific problem size (steps, n, depth, orders...).
    pub size: u64,
    /// How many times the kernel runs in this process.
    pub iterations: u64,
    /// How many workers the kernel splits its work across; 1 unless the
    /// workload takes `--workers` and it was given.
    pub workers: u64,
}

/// Parses `--size N --iterations K` (in any order) from `args` (without the program name).
pub fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<Params, String> {
    parse(args, false)
}

/// Parses `--size N --iterations K [--workers W]` (in any order) from `args`
/// (without the program name); `workers` is 1 when `--workers` is not given.
pub fn parse_args_with_workers<I: IntoIterator<Item = String>>(args: I) -> Result<Params, String> {
    parse(args, true)
}

/// Parses the arguments; `--workers` is an unknown argument unless `with_workers`.
fn parse<I: IntoIterator<Item = String>>(args: I, with_workers: bool) -> Result<Params, String> {
    let mut size = None;
    let mut iterations = None;
    let mut workers = None;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--size" => &mut size,
            "--iterations" => &mut iterations,
            "--workers" if with_workers => &mut workers,
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
        workers: workers.unwrap_or(1),
    })
}

/// Runs `kernel(size)` the requested number of times and prints the protocol line.
pub fn main<F: FnMut(u64) -> String>(mut kernel: F) {
    let params = params_or_exit(parse_args(std::env::args().skip(1)), USAGE);
    run(params.iterations, || kernel(params.size));
}

/// Runs `kernel(size, workers)` the requested number of times and prints the
/// protocol line; `--workers W` is optional and defaults to 1.
pub fn main_with_workers<F: FnMut(u64, u64) -> String>(mut kernel: F) {
    let params = params_or_exit(
        parse_args_with_workers(std::env::args().skip(1)),
        USAGE_WITH_WORKERS,
    );
    run(params.iterations, || kernel(params.size, params.workers));
}

/// Returns the parsed parameters, or prints the error and `usage` on stderr and exits with status 2.
fn params_or_exit(parsed: Result<Params, String>, usage: &str) -> Params {
    parsed.unwrap_or_else(|e| {
        eprintln!("error: {e}");
        eprintln!("{usage}");
        exit(2);
    })
}

/// Calls `kernel` `iterations` times, timing each call, and prints the protocol
/// line; exits with status 3 if a call returns a different result than the first.
fn run<F: FnMut() -> String>(iterations: u64, mut kernel: F) {
    let mut times = Vec::with_capacity(iterations as usize);
    let mut result: Option<String> = None;
    for i in 0..iterations {
        let start = Instant::now();
        let r = kernel();
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
            workers: 1,
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
    fn plain_parse_rejects_workers() {
        assert_eq!(
            parse_args(args("--size 10 --iterations 3 --workers 2")),
            Err("unknown argument '--workers'".to_string())
        );
    }

    #[test]
    fn accepts_workers_in_any_position() {
        let want = Params {
            size: 10,
            iterations: 3,
            workers: 4,
        };
        assert_eq!(
            parse_args_with_workers(args("--size 10 --iterations 3 --workers 4")),
            Ok(want)
        );
        assert_eq!(
            parse_args_with_workers(args("--workers 4 --iterations 3 --size 10")),
            Ok(want)
        );
    }

    #[test]
    fn workers_default_to_one() {
        let want = Params {
            size: 10,
            iterations: 3,
            workers: 1,
        };
        assert_eq!(
            parse_args_with_workers(args("--size 10 --iterations 3")),
            Ok(want)
        );
    }

    #[test]
    fn rejects_bad_workers() {
        assert_eq!(
            parse_args_with_workers(args("--size 10 --iterations 3 --workers 0")),
            Err("--workers must be at least 1".to_string())
        );
        assert_eq!(
            parse_args_with_workers(args("--size 10 --iterations 3 --workers")),
            Err("--workers needs a value".to_string())
        );
        assert_eq!(
            parse_args_with_workers(args("--size 10 --iterations 3 --workers -1")),
            Err("--workers wants a positive integer, got '-1'".to_string())
        );
        assert!(parse_args_with_workers(args("--workers 2 --iterations 3")).is_err());
        assert!(parse_args_with_workers(args("--size 1 --iterations 1 --fast")).is_err());
    }

    #[test]
    fn escapes_json() {
        assert_eq!(json_string("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
