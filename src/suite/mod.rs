//! The run loops of the three suites and what they share.
//!
//! In: a [`RunConfig`], the toolchains found, an [`Executor`] (cpu and
//! concurrency) and an [`Observer`] for progress. Out: benchmarks appended to
//! the [`ResultsFile`], saved atomically as they go, so a crash or Ctrl-C
//! loses nothing already measured. Shared here, once: the plan-and-build
//! step ([`build_units`]: implementations found, "no implementation" skips
//! recorded, the shard's units taken, Ctrl-C checked around every build),
//! the interleaved rounds in a shuffled order ([`run_round`]), the policy a
//! suite applies to a run's exit status, and saving. Each suite is a file:
//! [`cpu`], [`io`], [`concurrency`].

pub mod concurrency;
pub mod cpu;
pub mod instructions;
pub mod io;

use anyhow::Result;

use crate::config::RunConfig;
use crate::fsutil;
use crate::kinds::Suite;
use crate::lang::build::{self, BuildError, BuildRecord, Prepared};
use crate::lang::{Impl, Toolchain};
use crate::results::{store, Benchmark, FailureRecord, ResultsFile, Run, ServerBenchmark, Skipped};
use crate::runner::verify::{verify, FailureKind};
use crate::runner::{interrupt, Executor, Job, Termination};
use crate::stats::steady::budgeted_iterations;
use crate::stats::SplitMix64;
use crate::workload::{ConcurrencyWorkload, Scenario, Workload};

/// The most stdout a run may print (a protocol line is far smaller).
pub const STDOUT_LIMIT: usize = 1 << 20;

/// The most iterations the budget gives a run: many more than the
/// classification of its steady state needs, few enough that a results file
/// (which keeps every iteration's time) stays small.
pub const MAX_ITERATIONS: u64 = 500;

/// What the run loops tell the user about, without knowing how it is shown.
/// Every method does nothing unless implemented, so an observer implements
/// only what it shows (a test, only what it records).
pub trait Observer {
    /// A workload has no implementation in a language.
    fn skipped(&self, _skip: &Skipped) {}
    /// Something the user should know that fails nothing (e.g. a source
    /// size that could not be measured).
    fn warning(&self, _message: &str) {}
    /// An implementation (`workload/lang`) was built, found up to date, or
    /// failed to build (`failure`: the message and the build's output tail).
    fn built(&self, _label: &str, _build: Option<&BuildRecord>, _failure: Option<(&str, &str)>) {}
    /// `n` more runs or load levels are planned (for a progress bar).
    fn planned(&self, _n: u64) {}
    /// One run finished (`failure` is its message if it failed).
    fn run_done(&self, _label: &str, _round: u32, _failure: Option<&str>) {}
    /// Every run of a workload finished; its benchmarks are summarised.
    fn workload_done(&self, _workload: &Workload, _benchmarks: &[Benchmark]) {}
    /// One concurrency level of a server finished (`failure` is its message if it failed).
    fn level_done(&self, _label: &str, _connections: usize, _failure: Option<&str>) {}
    /// Every implementation of a concurrency workload finished, at every level.
    fn concurrency_done(&self, _workload: &ConcurrencyWorkload, _benchmarks: &[Benchmark]) {}
    /// Every language of a scenario finished.
    fn scenario_done(&self, _scenario: &Scenario, _benchmarks: &[ServerBenchmark]) {}
    /// Every instruction count finished (the benchmarks that were counted).
    fn counts_done(&self, _benchmarks: &[Benchmark]) {}
}

/// How a suite runs a benchmark: the timeout, and what it makes of a run's
/// exit status beyond the protocol's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Kill a run that takes longer.
    pub timeout: std::time::Duration,
    /// Exit status 4 (the operating system refused a thread or a process)
    /// is the result of the level, recorded as a resource limit, not a
    /// failure of the workload (the concurrency suite).
    pub exit_4_is_a_limit: bool,
}

/// One implementation of a workload, built (or not) for a suite.
pub struct Unit {
    /// The implementation.
    pub imp: Impl,
    /// The program's command line, or why the build failed.
    pub prepared: Result<Prepared, BuildError>,
}

/// The plan-and-build step every suite takes: each implementation of the
/// workload in `dir` for the toolchains found that this run (or its shard)
/// takes, built, with the observer told. A language without an
/// implementation is recorded as skipped. None when Ctrl-C stopped it; a
/// build killed by Ctrl-C is not recorded.
pub fn build_units(
    config: &RunConfig,
    toolchains: &[Toolchain],
    suite: Suite,
    workload: &str,
    dir: &std::path::Path,
    observer: &dyn Observer,
    results: &mut ResultsFile,
) -> Option<Vec<Unit>> {
    let mut units = Vec::new();
    for toolchain in toolchains {
        let impls = Impl::find_all(toolchain.lang, dir);
        let mut skip = |reason: String| {
            let skip = Skipped {
                lang: toolchain.lang,
                runtime: toolchain.runtime.clone(),
                workload: Some(workload.to_string()),
                reason,
            };
            observer.skipped(&skip);
            results.skipped.push(skip);
        };
        if impls.is_empty() {
            skip(format!("no {} implementation", toolchain.lang.entry_file()));
        }
        for imp in impls {
            let imp = imp.run_by(toolchain);
            if !config.takes(suite, workload, &imp) {
                continue;
            }
            if let Some(why) = toolchain.cannot_run(workload, &imp) {
                skip(format!("{} cannot be run: {why}", imp.folder()));
                continue;
            }
            if interrupt::requested() {
                return None;
            }
            let prepared = build::prepare(toolchain, &imp, dir, &config.paths);
            if interrupt::requested() {
                return None;
            }
            let label = format!("{workload}/{imp}");
            match &prepared {
                Ok(p) => observer.built(&label, p.build.as_ref(), None),
                Err(e) => observer.built(&label, None, Some((&e.message, &e.output_tail))),
            }
            units.push(Unit { imp, prepared });
        }
    }
    Some(units)
}

/// The indices of the benchmarks `pick` chooses, wherever they sit in the vector.
pub fn indices_of(benchmarks: &[Benchmark], pick: impl Fn(&Benchmark) -> bool) -> Vec<usize> {
    (0..benchmarks.len())
        .filter(|&i| pick(&benchmarks[i]))
        .collect()
}

/// Copies of the benchmarks at `indices`, for an observer's table.
pub fn at(benchmarks: &[Benchmark], indices: &[usize]) -> Vec<Benchmark> {
    indices.iter().map(|&i| benchmarks[i].clone()).collect()
}

/// Records a build (or its failure) in `bench`, whose size and iterations are
/// set: the command becomes the built program with `--size` and `--iterations`.
pub fn attach_build(bench: &mut Benchmark, prepared: &Result<Prepared, BuildError>) {
    match prepared {
        Ok(prepared) => {
            bench.command = prepared.argv.clone();
            bench.env = prepared.env.clone();
            bench.command.extend([
                "--size".to_string(),
                bench.size.to_string(),
                "--iterations".to_string(),
                bench.iterations.to_string(),
            ]);
            bench.build = prepared.build.clone();
        }
        Err(e) => bench.failures.push(FailureRecord {
            round: None,
            kind: FailureKind::Build,
            message: e.message.clone(),
            stderr_tail: e.output_tail.clone(),
            wall_ns: None,
        }),
    }
}

/// Sets the iteration count of each benchmark of `indices` from the
/// `budget` of kernel time per run, calibrated on its last warm-up run
/// ([`budgeted_iterations`]: the budget over the median iteration time, at
/// least the manifest's count, at most [`MAX_ITERATIONS`]); its command
/// follows. A benchmark with no warm-up run, or a manifest count of 1 (the
/// process as a whole is the measurement), keeps the manifest's count, as
/// every benchmark does under a zero budget.
pub fn calibrate(budget: std::time::Duration, benchmarks: &mut [Benchmark], indices: &[usize]) {
    if budget.is_zero() {
        return;
    }
    for &i in indices {
        let bench = &mut benchmarks[i];
        if bench.min_iterations <= 1 || !bench.failures.is_empty() {
            continue;
        }
        let Some(warm) = bench.runs.iter().rev().find(|r| r.warmup) else {
            continue;
        };
        let times: Vec<f64> = warm.iterations_ns.iter().map(|&v| v as f64).collect();
        let budget_ns = budget.as_nanos() as f64;
        let k = budgeted_iterations(&times, budget_ns, bench.min_iterations, MAX_ITERATIONS);
        set_iterations(bench, k);
    }
}

/// Makes `k` the iteration count of `bench`'s runs, in its command too.
fn set_iterations(bench: &mut Benchmark, k: u64) {
    bench.iterations = k;
    if let Some(at) = bench.command.iter().position(|a| a == "--iterations") {
        if let Some(value) = bench.command.get_mut(at + 1) {
            *value = k.to_string();
        }
    }
}

/// Runs one round: one run of each benchmark of `indices` that has not
/// failed, in the order [`round_order`] gives for `seed` (a name and the
/// round). Returns false when Ctrl-C stopped it.
pub fn run_round(
    policy: Policy,
    warmup: bool,
    executor: &dyn Executor,
    observer: &dyn Observer,
    benchmarks: &mut [Benchmark],
    indices: &[usize],
    seed: (&str, u32),
) -> bool {
    let (name, round) = seed;
    for k in round_order(indices.len(), name, round) {
        let bench = &mut benchmarks[indices[k]];
        if interrupt::requested() {
            return false;
        }
        if !bench.failures.is_empty() {
            continue;
        }
        let label = bench.label();
        let failure = run_once(policy, warmup, executor, bench, round, &label);
        if interrupt::requested() {
            return false;
        }
        observer.run_done(&label, round, failure.as_deref());
    }
    true
}

/// The order languages run in one round: a shuffle seeded by the workload and
/// round, so no language always follows the same other one (after-effects such
/// as a GC thread or a warm cache do not always land on the same language)
/// and the same run repeats the same order.
pub fn round_order(n: usize, workload: &str, round: u32) -> Vec<usize> {
    let seed = workload.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    });
    let mut rng = SplitMix64::new(seed ^ u64::from(round));
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, rng.below(i + 1));
    }
    order
}

/// Runs one round of one benchmark; returns the failure message, if any.
/// Under a [`Policy`] that says so, exit status 4 is a resource limit.
fn run_once(
    policy: Policy,
    warmup: bool,
    executor: &dyn Executor,
    bench: &mut Benchmark,
    round: u32,
    label: &str,
) -> Option<String> {
    let job = Job {
        env: bench.env.clone(),
        clear_env: false,
        cwd: None,
        argv: bench.command.clone(),
        label: label.to_string(),
        timeout: policy.timeout,
        stdout_limit: STDOUT_LIMIT,
        expected: Some(bench.expected.clone()),
        iterations: bench.iterations,
    };
    let (kind, message, stderr_tail, wall_ns) = match executor.execute(&job) {
        Err(e) => (FailureKind::Spawn, e.to_string(), String::new(), None),
        Ok(out) => match verify(
            &out,
            &bench.expected,
            bench.iterations,
            policy.timeout.as_secs_f64(),
        ) {
            Ok(reported) => {
                bench.runs.push(Run {
                    wall_ns: out.wall_ns,
                    user_ns: out.user_ns,
                    sys_ns: out.sys_ns,
                    max_rss_bytes: out.max_rss_bytes,
                    others_cpu_ns: out.others_cpu_ns,
                    ..Run::new(round, warmup, reported.iterations_ns)
                });
                return None;
            }
            Err(f) if policy.exit_4_is_a_limit && out.termination == Termination::Exited(4) => {
                // The program's own "error: ..." line, else its last words.
                let lines = || out.stderr_tail.lines().map(str::trim);
                let why = lines()
                    .find(|l| l.starts_with("error:"))
                    .or_else(|| lines().rfind(|l| !l.is_empty()));
                let message = match why {
                    Some(line) => format!("stopped at a resource limit (exit 4): {}", line.trim()),
                    None => format!("stopped at a resource limit: {}", f.message),
                };
                (
                    FailureKind::ResourceLimit,
                    message,
                    out.stderr_tail,
                    Some(out.wall_ns),
                )
            }
            Err(f) => (f.kind, f.message, out.stderr_tail, Some(out.wall_ns)),
        },
    };
    // A run killed because the user pressed Ctrl-C is not a failure of the workload.
    if interrupt::requested() {
        return None;
    }
    bench.failures.push(FailureRecord {
        round: Some(round),
        kind,
        message: message.clone(),
        stderr_tail,
        wall_ns,
    });
    Some(message)
}

/// Writes the results file (and the latest link). Raw runs are saved after
/// every round; summaries are filled in when a workload's rounds are done.
pub fn save(config: &RunConfig, results: &mut ResultsFile) -> Result<()> {
    results.updated_at = crate::machine::now_rfc3339();
    fsutil::write_atomic(&config.output.file, &store::to_bytes(results))?;
    if let Some(link) = &config.output.latest_link {
        fsutil::update_link(link, &config.output.file)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    use crate::kinds::Size;
    use crate::lang::Lang;
    use crate::runner::mock::MockExecutor;

    /// Records the runs it is told of, and nothing else.
    #[derive(Default)]
    struct Recorder(RefCell<Vec<String>>);

    impl Observer for Recorder {
        fn run_done(&self, label: &str, round: u32, failure: Option<&str>) {
            let outcome = failure.map_or("ok".to_string(), |f| format!("failed: {f}"));
            self.0
                .borrow_mut()
                .push(format!("{label} {round} {outcome}"));
        }
    }

    fn bench(workload: &str, lang: Lang) -> Benchmark {
        let imp = Impl {
            lang,
            variant: None,
            runtime: None,
        };
        let mut b = Benchmark::new(workload, &imp, Size::Quick);
        b.iterations = 2;
        b.expected = "42".into();
        b.command = vec![format!("{workload}-{lang}")];
        b
    }

    #[test]
    fn a_round_runs_the_chosen_benchmarks_in_the_shuffled_order_and_skips_failed_ones() {
        // Two workloads interleaved in the vector: a round takes only its indices.
        let mut benchmarks = vec![
            bench("a", Lang::Go),
            bench("b", Lang::Go),
            bench("a", Lang::Rust),
            bench("a", Lang::Node),
        ];
        benchmarks[3].failures.push(FailureRecord {
            round: None,
            kind: FailureKind::Build,
            message: "no".into(),
            stderr_tail: String::new(),
            wall_ns: None,
        });
        let indices = indices_of(&benchmarks, |b| b.workload == "a");
        assert_eq!(indices, [0, 2, 3]);
        let recorder = Recorder::default();
        let executor = MockExecutor::default();
        let policy = Policy {
            timeout: std::time::Duration::from_secs(1),
            exit_4_is_a_limit: false,
        };
        assert!(run_round(
            policy,
            false,
            &executor,
            &recorder,
            &mut benchmarks,
            &indices,
            ("a", 1)
        ));
        let order: Vec<String> = round_order(3, "a", 1)
            .into_iter()
            .map(|k| benchmarks[indices[k]].label())
            .filter(|l| l != "a/node")
            .map(|l| format!("{l} 1 ok"))
            .collect();
        assert_eq!(*recorder.0.borrow(), order);
        assert_eq!(benchmarks[0].runs.len(), 1);
        assert!(benchmarks[1].runs.is_empty() && benchmarks[3].runs.is_empty());
    }

    #[test]
    fn the_budget_calibrates_on_the_warm_up_run_and_rewrites_the_command() {
        let mut benchmarks = vec![
            bench("a", Lang::Go),
            bench("a", Lang::Rust),
            bench("t", Lang::Go),
        ];
        for b in &mut benchmarks {
            b.min_iterations = b.iterations;
            b.command
                .extend(["--iterations".into(), b.iterations.to_string()]);
        }
        // Go: a warm-up run at 10 ms an iteration (a slow first one aside).
        benchmarks[0]
            .runs
            .push(Run::new(0, true, vec![50_000_000, 10_000_000]));
        // Rust: no warm-up run, only a measured one: nothing to calibrate on.
        benchmarks[1]
            .runs
            .push(Run::new(0, false, vec![1_000, 1_000]));
        // One iteration per run is fixed: the process as a whole is measured.
        benchmarks[2].min_iterations = 1;
        benchmarks[2].iterations = 1;
        benchmarks[2].runs.push(Run::new(0, true, vec![1_000]));
        let second = std::time::Duration::from_secs(1);
        calibrate(second, &mut benchmarks, &[0, 1, 2]);
        // Median of 50 ms and 10 ms is 30 ms: 1 s / 30 ms, rounded up.
        assert_eq!(benchmarks[0].iterations, 34);
        assert_eq!(benchmarks[0].command, ["a-go", "--iterations", "34"]);
        assert_eq!(benchmarks[1].iterations, 2);
        assert_eq!(benchmarks[2].iterations, 1);
        // A fast kernel stops at the cap; a zero budget changes nothing.
        benchmarks[0].runs.push(Run::new(1, true, vec![100, 100]));
        calibrate(std::time::Duration::ZERO, &mut benchmarks, &[0]);
        assert_eq!(benchmarks[0].iterations, 34);
        calibrate(second, &mut benchmarks, &[0]);
        assert_eq!(benchmarks[0].iterations, MAX_ITERATIONS);
    }

    #[test]
    fn round_order_is_a_repeatable_permutation_that_varies() {
        let orders: Vec<Vec<usize>> = (0..8).map(|r| round_order(4, "nbody", r)).collect();
        for o in &orders {
            let mut sorted = o.clone();
            sorted.sort();
            assert_eq!(sorted, [0, 1, 2, 3]);
        }
        assert_eq!(orders[3], round_order(4, "nbody", 3));
        assert!(orders.iter().any(|o| o != &orders[0]), "{orders:?}");
        // Every language gets to run first at some point.
        for lang in 0..4 {
            assert!(orders.iter().any(|o| o[0] == lang), "{orders:?}");
        }
    }
}
