//! The run loop: plan -> builds -> interleaved rounds -> verified runs.
//!
//! In: a [`RunConfig`], the toolchains found, an [`Executor`] and a
//! [`Observer`] for progress. Out: the [`ResultsFile`], saved atomically after
//! every round, so a crash or Ctrl-C loses nothing already measured. Runs of
//! one workload are interleaved across languages, one run of each per round
//! in a shuffled order, so drift on a noisy machine hits every language alike. A benchmark stops at its first failure.

use anyhow::Result;

use crate::config::{RunConfig, UnitSuite};
use crate::lang::build;
use crate::lang::{Impl, Toolchain};
use crate::results::{store, summary, Benchmark, FailureRecord, ResultsFile, Run, Skipped};
use crate::runner::verify::{verify, FailureKind};
use crate::runner::{interrupt, Executor, Job, Termination};
use crate::stats::SplitMix64;
use crate::workload::Workload;

/// The most stdout a run may print (a protocol line is far smaller).
pub const STDOUT_LIMIT: usize = 1 << 20;

/// What the run loop tells the user about, without knowing how it is shown.
pub trait Observer {
    /// A workload has no implementation in a language.
    fn skipped(&self, skip: &Skipped);
    /// An implementation (`workload/lang`) was built, found up to date, or
    /// failed to build (`failure`: the message and the build's output tail).
    fn built(
        &self,
        label: &str,
        build: Option<&crate::lang::build::BuildRecord>,
        failure: Option<(&str, &str)>,
    );
    /// `n` more runs or load levels are planned (for a progress bar).
    fn planned(&self, n: u64);
    /// One run finished (`failure` is its message if it failed).
    fn run_done(&self, label: &str, round: u32, failure: Option<&str>);
    /// Every run of a workload finished; its benchmarks are summarised.
    fn workload_done(&self, workload: &Workload, benchmarks: &[Benchmark]);
    /// One concurrency level of a server finished (`failure` is its message if it failed).
    fn level_done(&self, label: &str, connections: usize, failure: Option<&str>);
    /// Every implementation of a concurrency workload finished, at every level.
    fn concurrency_done(
        &self,
        workload: &crate::workload::ConcurrencyWorkload,
        benchmarks: &[Benchmark],
    );
    /// Every language of a scenario finished.
    fn scenario_done(
        &self,
        scenario: &crate::workload::Scenario,
        benchmarks: &[crate::results::ServerBenchmark],
    );
}

/// Builds everything selected, then runs the rounds, saving as it goes.
pub fn run_suite(
    config: &RunConfig,
    toolchains: &[Toolchain],
    executor: &dyn Executor,
    observer: &dyn Observer,
    results: &mut ResultsFile,
) -> Result<()> {
    build_all(config, toolchains, observer, results);
    save(config, results)?;
    if interrupt::requested() {
        return Ok(());
    }

    let rounds = config.warmup + config.runs;
    let pending = results
        .benchmarks
        .iter()
        .filter(|b| b.failures.is_empty())
        .count();
    observer.planned(pending as u64 * rounds as u64);
    for workload in &config.selection.workloads {
        // A workload's benchmarks are contiguous: build_all pushes them together.
        let first = results
            .benchmarks
            .iter()
            .position(|b| b.workload == workload.name);
        let count = results
            .benchmarks
            .iter()
            .filter(|b| b.workload == workload.name)
            .count();
        let indices: Vec<usize> = first.map_or(Vec::new(), |f| (f..f + count).collect());
        for round in 0..rounds {
            let warmup = round < config.warmup;
            if !run_round(
                config.timeout,
                warmup,
                executor,
                observer,
                &mut results.benchmarks,
                &indices,
                (&workload.name, round),
            ) {
                return Ok(());
            }
            // The last round's save comes with the summaries, below.
            if round + 1 < rounds {
                save(config, results)?;
            }
        }
        summary::summarize_workload(&mut results.benchmarks, &workload.name);
        save(config, results)?;
        let done = first.map_or(&[][..], |f| &results.benchmarks[f..f + count]);
        observer.workload_done(workload, done);
    }
    Ok(())
}

/// Builds every selected implementation (or records why it is skipped).
/// Stops at Ctrl-C; a build killed by it is not recorded as a failure.
fn build_all(
    config: &RunConfig,
    toolchains: &[Toolchain],
    observer: &dyn Observer,
    results: &mut ResultsFile,
) {
    for workload in &config.selection.workloads {
        let spec = workload.size(&config.size_name).expect("validated size");
        for (tc, imp) in
            implementations(toolchains, &workload.name, &workload.dir, observer, results)
        {
            if !config.takes(UnitSuite::Cpu, &workload.name, &imp) {
                continue;
            }
            if interrupt::requested() {
                return;
            }
            let mut bench = new_benchmark(&workload.name, &imp, &config.size_name);
            bench.size = spec.size;
            bench.iterations = spec.iterations;
            bench.expected = spec.expected.clone();
            let prepared = build::prepare(tc, &imp, &workload.dir, &config.paths);
            if interrupt::requested() {
                return;
            }
            report_build(observer, &bench.label(), &prepared);
            attach_build(&mut bench, &prepared);
            results.benchmarks.push(bench);
        }
    }
}

/// Every implementation of a workload in the languages found; a language
/// with none is recorded as skipped.
pub(crate) fn implementations<'t>(
    toolchains: &'t [Toolchain],
    workload: &str,
    dir: &std::path::Path,
    observer: &dyn Observer,
    results: &mut ResultsFile,
) -> Vec<(&'t Toolchain, Impl)> {
    let mut found = Vec::new();
    for tc in toolchains {
        let impls = Impl::find_all(tc.lang, dir);
        if impls.is_empty() {
            let skip = Skipped {
                lang: tc.lang,
                workload: Some(workload.to_string()),
                reason: format!("no {} implementation", tc.lang.entry_file()),
            };
            observer.skipped(&skip);
            results.skipped.push(skip);
        }
        found.extend(impls.into_iter().map(|imp| (tc, imp)));
    }
    found
}

/// A benchmark not yet built nor run.
pub(crate) fn new_benchmark(workload: &str, imp: &Impl, size_name: &str) -> Benchmark {
    Benchmark {
        workload: workload.to_string(),
        lang: imp.lang,
        variant: imp.variant.clone(),
        level: None,
        size_name: size_name.to_string(),
        size: 0,
        iterations: 0,
        expected: String::new(),
        command: Vec::new(),
        build: None,
        runs: Vec::new(),
        failures: Vec::new(),
        summary: None,
    }
}

/// Records a build (or its failure) in `bench`, whose size and iterations are
/// set: the command becomes the built program with `--size` and `--iterations`.
pub(crate) fn attach_build(
    bench: &mut Benchmark,
    prepared: &Result<build::Prepared, build::BuildError>,
) {
    match prepared {
        Ok(prepared) => {
            bench.command = prepared.argv.clone();
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

/// Tells the observer how a build went.
pub(crate) fn report_build(
    observer: &dyn Observer,
    label: &str,
    prepared: &Result<build::Prepared, build::BuildError>,
) {
    match prepared {
        Ok(p) => observer.built(label, p.build.as_ref(), None),
        Err(e) => observer.built(label, None, Some((&e.message, &e.output_tail))),
    }
}

/// Runs one round: one run of each benchmark of `indices` that has not
/// failed, in the order [`round_order`] gives for `seed` (a name and the
/// round). Returns false when Ctrl-C stopped it.
pub(crate) fn run_round(
    timeout: std::time::Duration,
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
        let failure = run_once(timeout, warmup, executor, bench, round, &label);
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
pub(crate) fn round_order(n: usize, workload: &str, round: u32) -> Vec<usize> {
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
/// In the concurrency suite, exit status 4 (the operating system refused a
/// thread or a process) is the level's result: a resource limit.
fn run_once(
    timeout: std::time::Duration,
    warmup: bool,
    executor: &dyn Executor,
    bench: &mut Benchmark,
    round: u32,
    label: &str,
) -> Option<String> {
    let job = Job {
        argv: bench.command.clone(),
        label: label.to_string(),
        timeout,
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
            timeout.as_secs_f64(),
        ) {
            Ok(reported) => {
                bench.runs.push(Run {
                    round,
                    warmup,
                    wall_ns: out.wall_ns,
                    user_ns: out.user_ns,
                    sys_ns: out.sys_ns,
                    max_rss_bytes: out.max_rss_bytes,
                    iterations_ns: reported.iterations_ns,
                });
                return None;
            }
            Err(f) if bench.level.is_some() && out.termination == Termination::Exited(4) => {
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
    store::write_atomic(&config.output.file, &store::to_bytes(results))?;
    if let Some(link) = &config.output.latest_link {
        store::update_link(link, &config.output.file)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
