//! A deterministic stand-in for real processes, so the statistics, tables
//! and results files can be tested to the digit (like hyperfine's
//! `--debug-mode`). Each job gets times derived from a hash of its command
//! line and a call counter; a correct result is printed when the job says
//! what is expected. A job run under cachegrind (its argv names a
//! `--cachegrind-out-file=`) gets an out file with counts derived from its
//! label and iterations alone: the same each call, as a real count is.

use std::sync::atomic::{AtomicU64, Ordering};

use super::{ExecError, Executor, Job, RawOutcome, Termination};

/// Returns fixed, plausible outcomes without starting anything.
#[derive(Debug, Default)]
pub struct MockExecutor {
    calls: AtomicU64,
}

impl Executor for MockExecutor {
    fn execute(&self, job: &Job) -> Result<RawOutcome, ExecError> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        write_counts(job);
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
            others_cpu_ns: Some(0),
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

/// Writes the out file a cachegrind run of `job` would (`%p` read as 1):
/// 40M instructions of start-up plus 0.1M–100M an iteration, from the label.
fn write_counts(job: &Job) {
    let Some(path) = job
        .argv
        .iter()
        .find_map(|a| a.strip_prefix("--cachegrind-out-file="))
    else {
        return;
    };
    let per_iteration = 100_000 * (1 + fnv1a(&job.label) % 1000);
    let ir = 40_000_000 + per_iteration * job.iterations;
    let text = format!(
        "events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw\nsummary: {ir} 100 10 {} 1000 100 {} 500 50\n",
        ir / 4,
        ir / 8
    );
    let _ = std::fs::write(path.replace("%p", "1"), text);
}
