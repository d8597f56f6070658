//! The concurrency suite: each workload's implementations at a sweep of levels.
//!
//! In: the selected concurrency workloads, the toolchains, a [`RunConfig`].
//! Out: one [`Benchmark`] per implementation and level, appended to the
//! results file and saved after every round. Levels run in ascending order;
//! within a level the implementations are interleaved in a shuffled order per
//! round, as in the CPU suite. An implementation that stops at a resource
//! limit (exit 4) or fails at one level is not run at the levels above it,
//! and the manifest can cap an implementation at a level (with the reason);
//! those levels are recorded as not run, never silently dropped.

use anyhow::Result;

use crate::config::{RunConfig, UnitSuite};
use crate::lang::{build, Toolchain};
use crate::results::{summary, FailureRecord, Level, ResultsFile};
use crate::runner::verify::FailureKind;
use crate::runner::{interrupt, Executor};
use crate::suite::{
    attach_build, implementations, new_benchmark, report_build, run_round, save, Observer,
};
use crate::workload::{ConcurrencyWorkload, Vary};

/// Runs every selected concurrency workload in every available implementation.
pub fn run_concurrency_suite(
    config: &RunConfig,
    toolchains: &[Toolchain],
    executor: &dyn Executor,
    observer: &dyn Observer,
    results: &mut ResultsFile,
) -> Result<()> {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
    for workload in &config.selection.concurrency {
        if interrupt::requested() {
            return Ok(());
        }
        let first = results.benchmarks.len();
        let levels = build_levels(config, toolchains, workload, cpus, observer, results);
        save(config, results)?;
        let spec = workload.size(&config.size_name).expect("validated size");
        let runs = config.runs_given.0.unwrap_or(spec.runs);
        let warmup = config.runs_given.1.unwrap_or(0);
        for level in levels {
            let group: Vec<usize> = (first..results.benchmarks.len())
                .filter(|&i| results.benchmarks[i].level.map(|l| l.value) == Some(level))
                .collect();
            mark_not_run(workload, level, &group, results);
            let pending: Vec<usize> = group
                .iter()
                .copied()
                .filter(|&i| results.benchmarks[i].failures.is_empty())
                .collect();
            observer.planned(pending.len() as u64 * u64::from(warmup + runs));
            let seed = format!("{}/{level}", workload.name);
            for round in 0..warmup + runs {
                if !run_round(
                    config.timeout,
                    round < warmup,
                    executor,
                    observer,
                    &mut results.benchmarks,
                    &pending,
                    (&seed, round),
                ) {
                    return Ok(());
                }
                save(config, results)?;
            }
        }
        summary::summarize_workload(&mut results.benchmarks, &workload.name);
        save(config, results)?;
        observer.concurrency_done(workload, &results.benchmarks[first..]);
    }
    Ok(())
}

/// Builds each implementation once and pushes its benchmark at every level
/// (a failed build: one benchmark, at the first level, holding the failure).
/// Returns the levels.
fn build_levels(
    config: &RunConfig,
    toolchains: &[Toolchain],
    workload: &ConcurrencyWorkload,
    cpus: u64,
    observer: &dyn Observer,
    results: &mut ResultsFile,
) -> Vec<u64> {
    let spec = workload.size(&config.size_name).expect("validated size");
    let levels = spec.levels.resolve(cpus);
    for (tc, imp) in implementations(toolchains, &workload.name, &workload.dir, observer, results) {
        if !config.takes(UnitSuite::Concurrency, &workload.name, &imp) {
            continue;
        }
        if interrupt::requested() {
            break;
        }
        let prepared = build::prepare(tc, &imp, &workload.dir, &config.paths);
        if interrupt::requested() {
            break;
        }
        report_build(observer, &format!("{}/{imp}", workload.name), &prepared);
        for &value in &levels {
            let mut bench = new_benchmark(&workload.name, &imp, &config.size_name);
            bench.level = Some(Level {
                vary: workload.vary,
                value,
            });
            bench.size = spec.size.unwrap_or(value);
            bench.iterations = spec.iterations;
            bench.expected = spec.expected_at(value);
            attach_build(&mut bench, &prepared);
            if workload.vary == Vary::Workers && prepared.is_ok() {
                bench
                    .command
                    .extend(["--workers".to_string(), value.to_string()]);
            }
            results.benchmarks.push(bench);
            if prepared.is_err() {
                break;
            }
        }
    }
    levels
}

/// Records why benchmarks of `group` (all at `level`) will not run: the
/// manifest caps their implementation below it, or the same implementation
/// stopped or failed at a lower level.
fn mark_not_run(
    workload: &ConcurrencyWorkload,
    level: u64,
    group: &[usize],
    results: &mut ResultsFile,
) {
    for &i in group {
        let bench = &results.benchmarks[i];
        if !bench.failures.is_empty() {
            continue;
        }
        let implementation = bench.implementation();
        let lower = results.benchmarks.iter().find(|b| {
            b.workload == workload.name
                && b.implementation() == implementation
                && b.level.is_some_and(|l| l.value < level)
                && !b.failures.is_empty()
                && b.failures.iter().all(|f| f.kind != FailureKind::NotRun)
        });
        let message = if let Some(limit) = workload
            .limit(&implementation)
            .filter(|l| l.max_level < level)
        {
            format!(
                "not run above {}={}: {}",
                workload.level_meaning, limit.max_level, limit.reason
            )
        } else if let Some(lower) = lower {
            let what = if lower.limited() {
                "stopped at a resource limit"
            } else {
                "failed"
            };
            format!(
                "not run: {what} at {}={}",
                workload.level_meaning,
                lower.level.map_or(0, |l| l.value)
            )
        } else {
            continue;
        };
        results.benchmarks[i].failures.push(FailureRecord {
            round: None,
            kind: FailureKind::NotRun,
            message,
            stderr_tail: String::new(),
            wall_ns: None,
        });
    }
}
