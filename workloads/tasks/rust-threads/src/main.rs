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
//! It is not a member of the workspace (see Cargo.toml) but uses the same
//! protocol helper as every workload, by path.

use std::io::{self, Write};
use std::process::exit;
use std::thread;
use std::time::Duration;

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

fn main() {
    langbench_protocol::main(kernel);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_thread_completes() {
        assert_eq!(kernel(100), "100 tasks");
    }
}
