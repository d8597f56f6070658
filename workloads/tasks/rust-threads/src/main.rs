//! tasks workload, Rust implementation with one OS thread per task: start
//! `size` threads that each sleep one second, join all of them, and report how
//! many completed as "<count> tasks".
//!
//! Threads come from `std::thread::Builder` at the default stack size, so a
//! refused thread is an error value rather than a panic: the program then
//! prints one line on stderr naming the thread that could not start and why,
//! and exits with status 4, so the largest number of threads this machine
//! allows is recorded as a result.
//!
//! The crate uses std only, so it cannot depend on the workspace's protocol
//! helper (it is not a workspace member). It writes out the same protocol
//! itself: `--size N --iterations K` in any order (status 2 otherwise), each
//! kernel call timed with `Instant`, status 3 if the calls disagree, and one
//! line `{"result":"...","iterations_ns":[...]}` on stdout.

use std::io::{self, Write};
use std::process::exit;
use std::thread;
use std::time::{Duration, Instant};

/// How long every thread sleeps.
const WAIT: Duration = Duration::from_secs(1);
/// Exit status when a thread cannot be started (see the crate docs).
const EXIT_THREAD_LIMIT: i32 = 4;

/// The workload kernel: `size` threads that sleep 1 s, spawned then joined.
/// A thread counts as completed only when its join returns `Ok`.
fn kernel(size: u64) -> String {
    let mut handles = Vec::with_capacity(size as usize);
    for i in 0..size {
        match thread::Builder::new().spawn(|| thread::sleep(WAIT)) {
            Ok(handle) => handles.push(handle),
            Err(e) => {
                // One write, so the line stays whole even when a thread that
                // did start panics in std at the same limit and prints too.
                let line = format!(
                    "error: could not start thread {} of {size} ({i} started before it): {e}\n",
                    i + 1
                );
                // Nothing is left to report to if stderr itself fails.
                let _ = io::stderr().write_all(line.as_bytes());
                // Exiting ends the running threads with the process; their
                // sleep has no effect worth waiting for.
                exit(EXIT_THREAD_LIMIT);
            }
        }
    }
    let completed = handles
        .into_iter()
        .filter_map(|handle| handle.join().ok())
        .count();
    format!("{completed} tasks")
}

/// The parameters of the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Params {
    size: u64,
    iterations: u64,
}

/// Parses `--size N --iterations K` (in any order), with the same checks and
/// messages as the workspace's protocol helper.
fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<Params, String> {
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

fn main() {
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
        times.push(start.elapsed().as_nanos().to_string());
        match &result {
            Some(first) if *first != r => {
                eprintln!("error: iteration {i} returned '{r}', iteration 0 returned '{first}'");
                exit(3);
            }
            Some(_) => {}
            None => result = Some(r),
        }
    }
    // The result is digits, a space and "tasks", so it needs no JSON escaping.
    println!(
        "{{\"result\":\"{}\",\"iterations_ns\":[{}]}}",
        result.unwrap_or_default(),
        times.join(",")
    );
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
    fn every_thread_completes() {
        assert_eq!(kernel(100), "100 tasks");
    }
}
