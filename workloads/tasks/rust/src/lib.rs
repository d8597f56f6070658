//! tasks workload, Rust implementation with tokio tasks: start `size` tasks
//! that each wait one second on a tokio timer, await all of them, and report
//! how many completed as "<count> tasks".
//!
//! The kernel builds a multi-thread tokio runtime at its defaults (one worker
//! per CPU) on every call rather than once per process: every call then starts
//! from scratch, as the protocol asks, just as the Python kernel starts a new
//! event loop with `asyncio.run`; building and shutting down a runtime costs
//! well under a millisecond next to the one-second wait.

use std::time::Duration;

use tokio::runtime::Runtime;
use tokio::time::sleep;

/// How long every task waits.
pub const WAIT: Duration = Duration::from_secs(1);

/// Spawns `size` sleeping tasks on the current runtime and awaits every
/// handle; a task counts as completed only when its handle returns `Ok`.
async fn run_tasks(size: u64) -> u64 {
    let handles: Vec<_> = (0..size).map(|_| tokio::spawn(sleep(WAIT))).collect();
    let mut completed = 0;
    for handle in handles {
        // An Err means the task panicked or was cancelled: it did not complete.
        if handle.await.is_ok() {
            completed += 1;
        }
    }
    completed
}

/// The workload kernel: a fresh runtime running `size` one-second tasks.
pub fn kernel(size: u64) -> String {
    let runtime = Runtime::new().expect("cannot build the tokio runtime");
    let completed = runtime.block_on(run_tasks(size));
    format!("{completed} tasks")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_task_completes() {
        assert_eq!(kernel(1000), "1000 tasks");
    }
}
