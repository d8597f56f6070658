//! A deterministic stand-in for real processes, so the statistics, tables
//! and results files can be tested to the digit (like hyperfine's
//! `--debug-mode`). Each job gets times derived from a hash of its command
//! line and a call counter; a correct result is printed when the job says
//! what is expected.

use std::cell::Cell;

use super::{ExecError, Executor, Job, RawOutcome, Termination};

/// Returns fixed, plausible outcomes without starting anything.
#[derive(Debug, Default)]
pub struct MockExecutor {
    calls: Cell<u64>,
}

impl Executor for MockExecutor {
    fn execute(&self, job: &Job) -> Result<RawOutcome, ExecError> {
        let call = self.calls.get();
        self.calls.set(call + 1);
        // A per-command base time (1..=16 ms) and a small per-call wobble.
        let base_ns = (1 + fnv1a(&job.label) % 16) * 1_000_000;
        let kernel_ns = base_ns + (call % 5) * 10_000;
        let iterations: Vec<String> = (0..job.iterations)
            .map(|i| (kernel_ns + if i == 0 { base_ns / 2 } else { 0 }).to_string())
            .collect();
        let stdout = match &job.expected {
            Some(result) => format!(
                "{{\"result\":{},\"iterations_ns\":[{}]}}\n",
                serde_json::Value::String(result.clone()),
                iterations.join(",")
            ),
            None => String::new(),
        };
        let wall_ns = kernel_ns * job.iterations.max(1) + 20_000_000;
        Ok(RawOutcome {
            wall_ns,
            user_ns: wall_ns * 9 / 10,
            sys_ns: wall_ns / 20,
            max_rss_bytes: (10 + fnv1a(&job.label) % 90) * 1024 * 1024,
            termination: Termination::Exited(0),
            leftover_processes: 0,
            stdout: stdout.into_bytes(),
            stderr_tail: String::new(),
        })
    }
}

fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}
