//! The run loop: plan -> builds -> interleaved rounds -> verified runs.
//!
//! In: a [`RunConfig`], the toolchains found, an [`Executor`] and a
//! [`Observer`] for progress. Out: the [`ResultsFile`], saved atomically after
//! every round, so a crash or Ctrl-C loses nothing already measured. Runs of
//! one workload are interleaved across languages, one run of each per round,
//! the starting language rotating each round, so drift on a noisy machine
//! hits every language alike. A benchmark stops at its first failure.

use anyhow::Result;

use crate::config::RunConfig;
use crate::lang::build::{self, BuildContext};
use crate::lang::Toolchain;
use crate::results::{store, summary, Benchmark, FailureRecord, ResultsFile, Run, Skipped};
use crate::runner::verify::{verify, FailureKind};
use crate::runner::{interrupt, Executor, Job};
use crate::workload::Workload;

/// The most stdout a run may print (a protocol line is far smaller).
pub const STDOUT_LIMIT: usize = 1 << 20;

/// What the run loop tells the user about, without knowing how it is shown.
pub trait Observer {
    /// A workload has no implementation in a language.
    fn skipped(&self, skip: &Skipped);
    /// An implementation was built, found up to date, or failed to build.
    fn built(&self, bench: &Benchmark);
    /// Runs are about to start; `total` runs are planned.
    fn start(&self, total: u64);
    /// One run finished (`failure` is its message if it failed).
    fn run_done(&self, label: &str, round: u32, failure: Option<&str>);
    /// Every run of a workload finished; its benchmarks are summarised.
    fn workload_done(&self, workload: &Workload, benchmarks: &[Benchmark]);
}

/// Builds everything selected, then runs the rounds, saving as it goes.
pub fn run_suite(
    config: &RunConfig,
    toolchains: &[Toolchain],
    executor: &dyn Executor,
    observer: &dyn Observer,
    results: &mut ResultsFile,
) -> Result<()> {
    let ctx = BuildContext {
        workloads_dir: config.paths.workloads_dir.clone(),
        root: config.paths.root.clone(),
        build_dir: config.paths.build_dir.clone(),
    };
    for workload in &config.selection.workloads {
        for tc in toolchains {
            if !tc.lang.has_impl(&workload.dir) {
                let skip = Skipped {
                    lang: tc.lang,
                    workload: Some(workload.name.clone()),
                    reason: format!("no {} implementation", tc.lang.entry_file()),
                };
                observer.skipped(&skip);
                results.skipped.push(skip);
                continue;
            }
            let bench = prepare_benchmark(config, workload, tc, &ctx);
            observer.built(&bench);
            results.benchmarks.push(bench);
        }
    }
    save(config, results)?;

    let rounds = config.warmup + config.runs;
    let pending = results
        .benchmarks
        .iter()
        .filter(|b| b.failures.is_empty())
        .count();
    observer.start(pending as u64 * rounds as u64);
    for workload in &config.selection.workloads {
        let indices: Vec<usize> = (0..results.benchmarks.len())
            .filter(|&i| results.benchmarks[i].workload == workload.name)
            .collect();
        for round in 0..rounds {
            for k in 0..indices.len() {
                // Rotate the starting language each round.
                let i = indices[(k + round as usize) % indices.len()];
                if interrupt::requested() {
                    return Ok(());
                }
                if !results.benchmarks[i].failures.is_empty() {
                    continue;
                }
                let label = format!("{}/{}", workload.name, results.benchmarks[i].lang);
                let failure = run_once(config, executor, &mut results.benchmarks[i], round, &label);
                if interrupt::requested() {
                    return Ok(());
                }
                observer.run_done(&label, round, failure.as_deref());
            }
            save(config, results)?;
        }
        summary::summarize_workload(&mut results.benchmarks, &workload.name);
        save(config, results)?;
        let done: Vec<Benchmark> = results
            .benchmarks
            .iter()
            .filter(|b| b.workload == workload.name)
            .cloned()
            .collect();
        observer.workload_done(workload, &done);
    }
    Ok(())
}

/// Builds one implementation and returns its (not yet run) benchmark.
fn prepare_benchmark(
    config: &RunConfig,
    workload: &Workload,
    tc: &Toolchain,
    ctx: &BuildContext,
) -> Benchmark {
    let spec = workload.size(&config.size_name).expect("validated size");
    let mut bench = Benchmark {
        workload: workload.name.clone(),
        lang: tc.lang,
        size_name: config.size_name.clone(),
        size: spec.size,
        iterations: spec.iterations,
        expected: spec.expected.clone(),
        command: Vec::new(),
        build: None,
        runs: Vec::new(),
        failures: Vec::new(),
        summary: None,
    };
    match build::prepare(tc, &workload.dir, ctx) {
        Ok(prepared) => {
            bench.command = prepared.argv;
            bench.command.extend([
                "--size".to_string(),
                spec.size.to_string(),
                "--iterations".to_string(),
                spec.iterations.to_string(),
            ]);
            bench.build = prepared.build;
        }
        Err(e) => bench.failures.push(FailureRecord {
            round: None,
            kind: FailureKind::Build,
            message: e.message,
            stderr_tail: e.output_tail,
            wall_ns: None,
        }),
    }
    bench
}

/// Runs one round of one benchmark; returns the failure message, if any.
fn run_once(
    config: &RunConfig,
    executor: &dyn Executor,
    bench: &mut Benchmark,
    round: u32,
    label: &str,
) -> Option<String> {
    let job = Job {
        argv: bench.command.clone(),
        label: label.to_string(),
        timeout: config.timeout,
        stdout_limit: STDOUT_LIMIT,
        expected: Some(bench.expected.clone()),
        iterations: bench.iterations,
    };
    let warmup = round < config.warmup;
    let (kind, message, stderr_tail, wall_ns) = match executor.execute(&job) {
        Err(message) => (FailureKind::Spawn, message, String::new(), None),
        Ok(out) => match verify(
            &out,
            &bench.expected,
            bench.iterations,
            config.timeout.as_secs_f64(),
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
