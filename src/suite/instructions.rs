//! Instruction counts (`run --measure instructions`): every CPU workload, and
//! each concurrency workload that varies the workers at one worker, counted
//! under valgrind's cachegrind.
//!
//! Per benchmark, `count_runs` repeats; a repeat is two whole processes at K1
//! and K2 iterations (the runtime's, from `Lang::determinism`) and its
//! figures are the differences divided by K2 − K1, so start-up and the first
//! K1 iterations (imports, JIT compilation) are left out whatever the
//! language. When the first repeat's window holds fewer instructions than
//! `cachegrind::MIN_WINDOW`, K2 is widened once and kept for every repeat.
//! Every run's output is verified like a timed run's; a run that fails, or a
//! count that cannot be read or falls from K1 to K2, fails the benchmark
//! (never a zero count).
//!
//! A count does not depend on what else the machine runs, so `--jobs`
//! benchmarks are counted side by side; each repeat is saved as it arrives.
//! With `--measure time,instructions` the timed benchmarks that passed are
//! counted after the timed suites; with instructions alone they are built
//! here.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result};

use super::{at, build_units, indices_of, save, Observer, STDOUT_LIMIT};
use crate::config::RunConfig;
use crate::kinds::{Measure, Suite};
use crate::lang::{Lang, Toolchain};
use crate::results::{
    summary, Benchmark, CountRepeat, Counting, FailureRecord, ResultsFile, Skipped,
};
use crate::runner::cachegrind::stage::Stage;
use crate::runner::cachegrind::{self, CountedRun, Counts, PerIteration};
use crate::runner::verify::{verify, FailureKind};
use crate::runner::{interrupt, Executor, Job};
use crate::workload::Vary;

/// Counts the selected benchmarks (building them first when time was not
/// measured), saving after every repeat.
pub fn run_counts(
    config: &RunConfig,
    toolchains: &[Toolchain],
    executor: &dyn Executor,
    observer: &dyn Observer,
    results: &mut ResultsFile,
) -> Result<()> {
    // The settings that make a count repeat (`Lang::determinism`) are the
    // default runtimes': another runtime is timed, not counted.
    let defaults: Vec<Toolchain> = toolchains
        .iter()
        .filter(|t| t.runtime.is_none())
        .cloned()
        .collect();
    for t in toolchains.iter().filter(|t| t.runtime.is_some()) {
        let skip = Skipped {
            lang: t.lang,
            runtime: t.runtime.clone(),
            workload: None,
            reason: "no instruction counts: they are taken with the default runtimes only".into(),
        };
        observer.skipped(&skip);
        results.skipped.push(skip);
    }
    let toolchains = &defaults;
    if Measure::counts_only(&config.measure) && !build_all(config, toolchains, observer, results) {
        save(config, results)?;
        return Ok(());
    }
    let stage = Stage::new().context("making the folder counted programs run from")?;
    let mut candidates = indices_of(&results.benchmarks, |b| {
        b.failures.is_empty() && b.counting.is_none() && counted(b)
    });
    // The longest first, so side-by-side counts end together.
    candidates
        .sort_by_key(|&i| std::cmp::Reverse(results.benchmarks[i].lang.determinism().typical_secs));
    let (mut tasks, mut chosen) = (Vec::new(), Vec::new());
    for i in candidates {
        let bench = &mut results.benchmarks[i];
        let task = match Task::new(bench, config, &stage) {
            Ok(task) => task,
            Err(message) => {
                observer.run_done(&count_label(bench), 0, Some(&message));
                bench.failures.push(FailureRecord {
                    round: None,
                    kind: FailureKind::Spawn,
                    message,
                    stderr_tail: String::new(),
                    wall_ns: None,
                });
                continue;
            }
        };
        let d = task.lang.determinism();
        let first = cachegrind::invocation(&task.program(d.k1), &d, Path::new(OUT_PATTERN));
        bench.counting = Some(Counting::new(
            first.argv,
            first.env,
            d.k1,
            d.k2,
            d.tolerance_pct,
        ));
        tasks.push(task);
        chosen.push(i);
    }
    save(config, results)?;
    observer.planned(tasks.len() as u64 * u64::from(config.count_runs));
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Event)>();
    let mut outcome = Ok(());
    std::thread::scope(|scope| {
        for _ in 0..config.jobs.min(tasks.len()).max(1) {
            let tx = tx.clone();
            let (tasks, next, root) = (&tasks, &next, stage.root());
            scope.spawn(move || loop {
                let k = next.fetch_add(1, Ordering::SeqCst);
                let Some(task) = tasks.get(k) else { break };
                if interrupt::requested() {
                    break;
                }
                task.count(executor, root, |event| {
                    let _ = tx.send((k, event));
                });
            });
        }
        drop(tx);
        for (k, event) in rx {
            let bench = &mut results.benchmarks[chosen[k]];
            let label = tasks[k].label.clone();
            let counting = bench.counting.as_mut().expect("set above");
            match event {
                Event::Repeat { repeat, k2 } => {
                    counting.k2 = k2;
                    let round = repeat.round;
                    counting.repeats.push(repeat);
                    observer.run_done(&label, round, None);
                }
                Event::Failed(failure) => {
                    let message = failure.message.clone();
                    let round = failure.round.unwrap_or(0);
                    bench.failures.push(failure);
                    observer.run_done(&label, round, Some(&message));
                }
            }
            if outcome.is_ok() {
                outcome = save(config, results);
            }
        }
    });
    outcome?;
    summary::summarize_counts(&mut results.benchmarks);
    save(config, results)?;
    let all = indices_of(&results.benchmarks, |b| b.counting.is_some());
    observer.counts_done(&at(&results.benchmarks, &all));
    Ok(())
}

/// True for a benchmark that is counted: a CPU workload's, or one at one
/// worker of a workload that varies the workers.
fn counted(b: &Benchmark) -> bool {
    if b.runtime.is_some() {
        return false;
    }
    match b.level {
        None => true,
        Some(level) => level.vary == Vary::Workers && level.value == 1,
    }
}

/// Where each process writes its counts, in its own folder (`%p`: one file
/// per process of a program that forks).
const OUT_PATTERN: &str = "cachegrind.out.%p";

/// What a worker reports of one benchmark.
enum Event {
    /// A repeat counted, and the K2 it used.
    Repeat { repeat: CountRepeat, k2: u64 },
    /// The benchmark failed; no repeat follows.
    Failed(FailureRecord),
}

/// One benchmark to count: what a worker thread needs of it.
struct Task {
    label: String,
    lang: Lang,
    command: Vec<String>,
    expected: String,
    runs: u32,
    timeout: Duration,
}

impl Task {
    /// The task of `b`, its program copied into `stage`; or why it cannot be.
    fn new(b: &Benchmark, config: &RunConfig, stage: &Stage) -> Result<Task, String> {
        let command = staged(&b.command, b.lang, &config.paths.workloads_dir, stage)
            .map_err(|e| format!("staging the program to count: {e}"))?;
        Ok(Task {
            label: count_label(b),
            lang: b.lang,
            command,
            expected: b.expected.clone(),
            runs: config.count_runs,
            timeout: config.count_timeout,
        })
    }

    /// The program's command at `iterations` (its `--iterations` value replaced).
    fn program(&self, iterations: u64) -> Vec<String> {
        let mut argv = self.command.clone();
        if let Some(at) = argv.iter().position(|a| a == "--iterations") {
            if let Some(value) = argv.get_mut(at + 1) {
                *value = iterations.to_string();
            }
        }
        argv
    }

    /// Every repeat, told as it is counted; stops at the first failure. Each
    /// process starts in `stage` (the run's stage folder) and writes its
    /// counts under `stage/out/`.
    fn count(&self, executor: &dyn Executor, stage: &Path, tell: impl Fn(Event)) {
        let d = self.lang.determinism();
        let mut k2 = d.k2;
        for round in 0..self.runs {
            if interrupt::requested() {
                return;
            }
            let repeat = self.repeat(executor, stage, round, d.k1, &mut k2);
            match repeat {
                Ok(repeat) => tell(Event::Repeat { repeat, k2 }),
                Err(failure) => {
                    // A run killed because the user pressed Ctrl-C is not a failure.
                    if !interrupt::requested() {
                        tell(Event::Failed(failure));
                    }
                    return;
                }
            }
        }
    }

    /// One repeat at (K1, K2); the first widens K2 when the window is small.
    fn repeat(
        &self,
        executor: &dyn Executor,
        stage: &Path,
        round: u32,
        k1: u64,
        k2: &mut u64,
    ) -> Result<CountRepeat, FailureRecord> {
        let low = self.run(executor, stage, round, k1)?;
        let mut high = self.run(executor, stage, round, *k2)?;
        let mut per = between(round, k1, low.counts, *k2, high.counts)?;
        let min_window = self.lang.determinism().min_window;
        let wider = cachegrind::widened_k2(k1, *k2, per.instructions, min_window);
        if round == 0 && wider > *k2 {
            *k2 = wider;
            high = self.run(executor, stage, round, *k2)?;
            per = between(round, k1, low.counts, *k2, high.counts)?;
        }
        Ok(CountRepeat {
            round,
            low: low.counts,
            high: high.counts,
            instructions: per.instructions,
            estimated_cycles: per.estimated_cycles,
            wall_ns: low.wall_ns + high.wall_ns,
        })
    }

    /// One process under cachegrind at `iterations`: its output verified,
    /// the counts of its processes summed, and its wall time.
    fn run(
        &self,
        executor: &dyn Executor,
        stage: &Path,
        round: u32,
        iterations: u64,
    ) -> Result<Counted, FailureRecord> {
        let fail = |kind, message: String, stderr_tail: String, wall_ns| FailureRecord {
            round: Some(round),
            kind,
            message,
            stderr_tail,
            wall_ns,
        };
        let dir = fresh_dir(&stage.join("out"))
            .map_err(|e| fail(FailureKind::Spawn, e.to_string(), String::new(), None))?;
        let d = self.lang.determinism();
        let invocation =
            cachegrind::invocation(&self.program(iterations), &d, &dir.join(OUT_PATTERN));
        let job = Job {
            argv: invocation.argv,
            env: invocation.env,
            clear_env: true,
            cwd: Some(stage.to_path_buf()),
            label: self.label.clone(),
            timeout: self.timeout,
            stdout_limit: STDOUT_LIMIT,
            expected: Some(self.expected.clone()),
            iterations,
        };
        let outcome = executor.execute(&job);
        let counts = outcome
            .map_err(|e| fail(FailureKind::Spawn, e.to_string(), String::new(), None))
            .and_then(|out| {
                let secs = self.timeout.as_secs_f64();
                match verify(&out, &self.expected, iterations, secs) {
                    Ok(_) => read_counts(&dir)
                        .map(|counts| Counted {
                            counts,
                            wall_ns: out.wall_ns,
                        })
                        .map_err(|m| {
                            fail(FailureKind::Count, m, out.stderr_tail, Some(out.wall_ns))
                        }),
                    Err(f) => Err(fail(
                        f.kind,
                        format!("under valgrind at {iterations} iterations: {}", f.message),
                        out.stderr_tail,
                        Some(out.wall_ns),
                    )),
                }
            });
        let _ = std::fs::remove_dir_all(&dir);
        counts
    }
}

/// The per-iteration figures between two runs, or the failure saying why not.
fn between(
    round: u32,
    k1: u64,
    low: Counts,
    k2: u64,
    high: Counts,
) -> Result<PerIteration, FailureRecord> {
    let low = CountedRun {
        iterations: k1,
        counts: low,
    };
    let high = CountedRun {
        iterations: k2,
        counts: high,
    };
    PerIteration::between(&low, &high).map_err(|e| FailureRecord {
        round: Some(round),
        kind: FailureKind::Count,
        message: format!("not one deterministic program: {e}"),
        stderr_tail: String::new(),
        wall_ns: None,
    })
}

/// How progress and failures name the count of `b`.
fn count_label(b: &Benchmark) -> String {
    format!("{} (instructions)", b.label())
}

/// What one run under cachegrind counted.
struct Counted {
    /// Summed over its processes.
    counts: Counts,
    /// Its wall time, nanoseconds.
    wall_ns: u64,
}

/// The counts of every out file in `dir` (one per process), summed; an error when there is none, one does not parse, or no instruction
/// was counted.
fn read_counts(dir: &Path) -> Result<Counts, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("reading '{}': {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err("cachegrind wrote no counts (did the program run under valgrind?)".into());
    }
    let mut total = Counts::default();
    for file in &files {
        total = total + Counts::read(file).map_err(|e| e.to_string())?;
    }
    if total.ir == 0 {
        return Err("cachegrind counted no instruction".into());
    }
    Ok(total)
}

/// `command` with its program's files copied into `stage`: a compiled
/// language's binary, an interpreted one's implementation folder.
fn staged(
    command: &[String],
    lang: Lang,
    workloads: &Path,
    stage: &Stage,
) -> std::io::Result<Vec<String>> {
    if lang.is_compiled() {
        stage.binary(command, lang.name())
    } else {
        stage.script(command, workloads)
    }
}

/// A new empty folder under `scratch` (`out/` in the run's own stage folder)
/// for one process's out files, its name of fixed width (`000042`).
fn fresh_dir(scratch: &Path) -> std::io::Result<PathBuf> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = scratch.join(format!("{:06}", NEXT.fetch_add(1, Ordering::SeqCst)));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Builds what `--measure instructions` alone counts: every CPU workload
/// (through the CPU suite's build step, sources recorded) and each workload
/// that varies the workers, at one worker. False when Ctrl-C stopped it.
fn build_all(
    config: &RunConfig,
    toolchains: &[Toolchain],
    observer: &dyn Observer,
    results: &mut ResultsFile,
) -> bool {
    if !super::cpu::build_all(config, toolchains, observer, results) {
        return false;
    }
    for workload in &config.selection.concurrency {
        let Some(units) = build_units(
            config,
            toolchains,
            Suite::Concurrency,
            &workload.name,
            &workload.dir,
            observer,
            results,
        ) else {
            return false;
        };
        for unit in units {
            // Config keeps only the workloads that vary the workers.
            let bench = super::concurrency::level_benchmark(workload, &unit, config.size, 1);
            results.benchmarks.push(bench);
        }
    }
    !interrupt::requested()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::Size;
    use crate::lang::Impl;
    use crate::results::Level;

    #[test]
    fn the_iterations_of_the_command_are_replaced() {
        let imp = Impl {
            lang: Lang::Go,
            variant: None,
            runtime: None,
        };
        let mut b = Benchmark::new("nbody", &imp, Size::Quick);
        b.command = [
            "/b/nbody",
            "--size",
            "10",
            "--iterations",
            "3",
            "--workers",
            "1",
        ]
        .map(String::from)
        .to_vec();
        let cfg_free = Task {
            label: b.label(),
            lang: b.lang,
            command: b.command.clone(),
            expected: String::new(),
            runs: 1,
            timeout: Duration::from_secs(1),
        };
        assert_eq!(
            cfg_free.program(16),
            [
                "/b/nbody",
                "--size",
                "10",
                "--iterations",
                "16",
                "--workers",
                "1"
            ]
        );
    }

    #[test]
    fn the_cpu_suite_and_one_worker_are_counted() {
        let imp = Impl {
            lang: Lang::Rust,
            variant: None,
            runtime: None,
        };
        let mut b = Benchmark::new("parallel", &imp, Size::Quick);
        assert!(counted(&b));
        for (vary, value, yes) in [
            (Vary::Workers, 1, true),
            (Vary::Workers, 2, false),
            (Vary::Size, 1, false),
        ] {
            b.level = Some(Level { vary, value });
            assert_eq!(counted(&b), yes, "{vary:?} {value}");
        }
    }
}
