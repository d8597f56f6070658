//! The CPU suite: programs run to completion, in interleaved rounds.
//!
//! Per workload: every implementation built once ([`super::build_units`]),
//! then `warmup + runs` rounds, each running every implementation once in a
//! shuffled order, so drift on a noisy machine hits every language alike.
//! The warm-up rounds run the manifest's iteration count; after them each
//! benchmark's count comes from the iteration budget ([`calibrate`]). A
//! benchmark stops at its first failure. The results file is saved after
//! every round; the workload's summaries come with its last save.

use anyhow::Result;

use super::{at, attach_build, build_units, calibrate, indices_of, run_round, save};
use super::{Observer, Policy};
use crate::config::RunConfig;
use crate::kinds::Suite;
use crate::lang::Toolchain;
use crate::results::{summary, Benchmark, ResultsFile, SourceSize};
use crate::runner::{interrupt, Executor};

/// Builds every selected CPU workload, then runs its rounds, saving as it goes.
pub fn run_cpu_suite(
    config: &RunConfig,
    toolchains: &[Toolchain],
    executor: &dyn Executor,
    observer: &dyn Observer,
    results: &mut ResultsFile,
) -> Result<()> {
    let built = build_all(config, toolchains, observer, results);
    save(config, results)?;
    if !built {
        return Ok(());
    }
    let policy = Policy {
        timeout: config.timeout,
        exit_4_is_a_limit: false,
    };
    let rounds = config.warmup + config.runs;
    let pending = results
        .benchmarks
        .iter()
        .filter(|b| b.level.is_none() && b.failures.is_empty())
        .count();
    observer.planned(pending as u64 * rounds as u64);
    for workload in &config.selection.workloads {
        let indices = indices_of(&results.benchmarks, |b| {
            b.level.is_none() && b.workload == workload.name
        });
        for round in 0..rounds {
            if !run_round(
                policy,
                round < config.warmup,
                executor,
                observer,
                &mut results.benchmarks,
                &indices,
                (&workload.name, round),
            ) {
                return Ok(());
            }
            if round + 1 == config.warmup {
                calibrate(config.iteration_budget, &mut results.benchmarks, &indices);
            }
            // The last round's save comes with the summaries, below.
            if round + 1 < rounds {
                save(config, results)?;
            }
        }
        summary::summarize_workload(&mut results.benchmarks, &workload.name);
        save(config, results)?;
        observer.workload_done(workload, &at(&results.benchmarks, &indices));
    }
    Ok(())
}

/// Builds every selected implementation and adds its benchmark and source
/// size (or records why it is skipped). False when Ctrl-C stopped it.
pub(super) fn build_all(
    config: &RunConfig,
    toolchains: &[Toolchain],
    observer: &dyn Observer,
    results: &mut ResultsFile,
) -> bool {
    for workload in &config.selection.workloads {
        let spec = workload.size(config.size).expect("validated size");
        let Some(units) = build_units(
            config,
            toolchains,
            Suite::Cpu,
            &workload.name,
            &workload.dir,
            observer,
            results,
        ) else {
            return false;
        };
        for unit in units {
            // The sources measured, so a report made later from the file
            // rests on this code, not on the tree of that day.
            // The sources of an implementation are the same whichever runtime
            // runs it: measured once.
            let recorded = results.sources.iter().any(|s| {
                s.workload == workload.name
                    && s.lang == unit.imp.lang
                    && s.variant == unit.imp.variant
            });
            if !recorded {
                match SourceSize::measure(&workload.name, &workload.dir, &unit.imp) {
                    Ok(size) => results.sources.push(size),
                    Err(e) => observer.warning(&format!("{e:#}")),
                }
            }
            let mut bench = Benchmark::new(&workload.name, &unit.imp, config.size);
            bench.size = spec.size;
            bench.iterations = spec.iterations;
            bench.min_iterations = spec.iterations;
            bench.expected = spec.expected.clone();
            attach_build(&mut bench, &unit.prepared);
            results.benchmarks.push(bench);
        }
    }
    !interrupt::requested()
}
