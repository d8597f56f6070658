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

use super::{at, attach_build, build_units, calibrate, indices_of, run_round, save};
use super::{Observer, Policy, Unit};
use crate::config::RunConfig;
use crate::kinds::{Size, Suite};
use crate::lang::Toolchain;
use crate::results::{summary, Benchmark, FailureRecord, Level, ResultsFile};
use crate::runner::verify::FailureKind;
use crate::runner::{interrupt, Executor};
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
    // Exit status 4 is a level's result here: the OS refused a thread or a process.
    let policy = Policy {
        timeout: config.timeout,
        exit_4_is_a_limit: true,
    };
    for workload in &config.selection.concurrency {
        if interrupt::requested() {
            return Ok(());
        }
        let levels = build_levels(config, toolchains, workload, cpus, observer, results);
        save(config, results)?;
        let Some(levels) = levels else {
            return Ok(());
        };
        let spec = workload.size(config.size).expect("validated size");
        let runs = config.runs_given.0.unwrap_or(spec.runs);
        // One warm-up run to calibrate the iteration budget on, where the
        // count is not fixed at one iteration (the process as a whole).
        let calibrated = spec.iterations > 1 && !config.iteration_budget.is_zero();
        let warmup = config.runs_given.1.unwrap_or(u32::from(calibrated));
        for level in levels {
            let group = indices_of(&results.benchmarks, |b| {
                b.workload == workload.name && b.level.map(|l| l.value) == Some(level)
            });
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
                    policy,
                    round < warmup,
                    executor,
                    observer,
                    &mut results.benchmarks,
                    &pending,
                    (&seed, round),
                ) {
                    return Ok(());
                }
                if round + 1 == warmup {
                    calibrate(config.iteration_budget, &mut results.benchmarks, &pending);
                }
                save(config, results)?;
            }
        }
        summary::summarize_workload(&mut results.benchmarks, &workload.name);
        save(config, results)?;
        let all = indices_of(&results.benchmarks, |b| {
            b.workload == workload.name && b.level.is_some()
        });
        observer.concurrency_done(workload, &at(&results.benchmarks, &all));
    }
    Ok(())
}

/// Builds each implementation once and pushes its benchmark at every level
/// (a failed build: one benchmark, at the first level, holding the failure).
/// Returns the levels; None when Ctrl-C stopped the builds.
fn build_levels(
    config: &RunConfig,
    toolchains: &[Toolchain],
    workload: &ConcurrencyWorkload,
    cpus: u64,
    observer: &dyn Observer,
    results: &mut ResultsFile,
) -> Option<Vec<u64>> {
    let spec = workload.size(config.size).expect("validated size");
    let levels = spec.levels.resolve(cpus);
    let units = build_units(
        config,
        toolchains,
        Suite::Concurrency,
        &workload.name,
        &workload.dir,
        observer,
        results,
    )?;
    for unit in units {
        for &value in &levels {
            results
                .benchmarks
                .push(level_benchmark(workload, &unit, config.size, value));
            if unit.prepared.is_err() {
                break;
            }
        }
    }
    Some(levels)
}

/// The benchmark of `unit` at one level of `workload`: the level's size (or
/// the fixed size and `--workers` the level), iterations, expected result
/// and command (or the failed build).
pub(super) fn level_benchmark(
    workload: &ConcurrencyWorkload,
    unit: &Unit,
    size: Size,
    value: u64,
) -> Benchmark {
    let spec = workload.size(size).expect("validated size");
    let mut bench = Benchmark::new(&workload.name, &unit.imp, size);
    bench.level = Some(Level {
        vary: workload.vary,
        value,
    });
    bench.size = spec.size.unwrap_or(value);
    bench.iterations = spec.iterations;
    bench.min_iterations = spec.iterations;
    bench.expected = spec.expected_at(value);
    attach_build(&mut bench, &unit.prepared);
    if workload.vary == Vary::Workers && unit.prepared.is_ok() {
        bench
            .command
            .extend(["--workers".to_string(), value.to_string()]);
    }
    bench
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
        // A cap is the implementation folder's, whichever runtime runs it.
        let folder = bench.imp().folder();
        let message = if let Some(limit) = workload.limit(&folder).filter(|l| l.max_level < level) {
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
