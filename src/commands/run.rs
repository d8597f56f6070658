//! `langbench run`: the main job. Sets up the results file, shows progress
//! and tables on the terminal, and maps what happened to an exit code.

use std::io::IsTerminal;
use std::time::Instant;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::find_toolchains;
use crate::config::RunConfig;
use crate::exit::{input_error, Outcome};
use crate::kinds::{Measure, Suite};
use crate::lang::build::BuildRecord;
use crate::machine;
use crate::report::concurrency::concurrency_table;
use crate::report::table::{count_table, scenario_table, workload_table};
use crate::results::{
    summary, Benchmark, ResultsFile, RunStatus, ServerBenchmark, Settings, Skipped, SCHEMA_VERSION,
};
use crate::runner::{
    cachegrind, interrupt, mock::MockExecutor, orphans, Executor, ProcessExecutor,
};
use crate::suite::instructions::run_counts;
use crate::suite::{self, Observer};
use crate::suite::{concurrency::run_concurrency_suite, cpu::run_cpu_suite, io::run_io_suite};
use crate::workload::Scenario;
use crate::workload::{ConcurrencyWorkload, Workload};

/// Runs the suite and prints the tables.
pub fn run(config: &RunConfig) -> Result<Outcome> {
    interrupt::install()?;
    orphans::become_subreaper()?;
    let counts = config.measure.contains(&Measure::Instructions);
    let timed = config.measure.contains(&Measure::Time);
    // Without valgrind there is no count: one line, exit 2, before anything runs.
    let valgrind = match (counts, config.mock) {
        (false, _) => None,
        (true, true) => Some("valgrind (mock)".to_string()),
        (true, false) => Some(cachegrind::probe().map_err(input_error)?),
    };
    let (toolchains, skipped) = find_toolchains(
        &config.selection.runtimes,
        &config.paths,
        config.require_all_toolchains,
    )?;
    let now = machine::now_rfc3339();
    let mut results = ResultsFile {
        schema_version: SCHEMA_VERSION,
        langbench_version: env!("CARGO_PKG_VERSION").to_string(),
        status: RunStatus::Running,
        started_at: now.clone(),
        updated_at: now,
        command_line: config.command_line.clone(),
        git: machine::git_info(&config.paths.root),
        machine: machine::probe(),
        toolchains: toolchains.clone(),
        skipped,
        settings: Settings {
            size: config.size,
            runs: config.runs,
            warmup: config.warmup,
            timeout_ms: config.timeout.as_millis() as u64,
            workloads: config
                .selection
                .workloads
                .iter()
                .map(|w| w.name.clone())
                .collect(),
            scenarios: config
                .selection
                .scenarios
                .iter()
                .map(|(_, s)| s.name.clone())
                .collect(),
            concurrency: config
                .selection
                .concurrency
                .iter()
                .map(|w| w.name.clone())
                .collect(),
            languages: config.selection.langs.clone(),
            server_cpus: config.server_cpus.clone(),
            client_cpus: config.client_cpus.clone(),
            shard: config.shard.as_ref().map(|s| s.set()),
            measure: config.measure.clone(),
            count_runs: if counts { config.count_runs } else { 0 },
            io_rounds: if config.selection.scenarios.is_empty() {
                0
            } else {
                config.io_rounds
            },
            valgrind: valgrind.clone(),
            iteration_budget_ms: if config.measure.contains(&Measure::Time) {
                config.iteration_budget.as_millis() as u64
            } else {
                0
            },
        },
        benchmarks: Vec::new(),
        servers: Vec::new(),
        sources: Vec::new(),
        suite_wall_ms: Default::default(),
    };
    if let Some(baseline) = &config.baseline {
        super::compare::check_baseline_machine(baseline, &results)?;
    }
    if config.shard.as_ref().is_some_and(|s| s.is_empty()) {
        eprintln!("langbench: warning: this shard has no benchmark to run");
    }
    if !config.quiet {
        for w in machine::warnings(&results.machine) {
            eprintln!("langbench: warning: {w}");
        }
    }
    let executor: Box<dyn Executor> = if config.mock {
        Box::new(MockExecutor::default())
    } else {
        Box::new(ProcessExecutor)
    };
    let observer = Terminal::new(config);
    let executor = executor.as_ref();
    let mut outcome = Ok(());
    if timed {
        for suite in Suite::ALL {
            if outcome.is_err() || interrupt::requested() || !config.selection.has(suite) {
                continue;
            }
            let start = Instant::now();
            outcome = match suite {
                Suite::Cpu => run_cpu_suite(config, &toolchains, executor, &observer, &mut results),
                Suite::Io => run_io_suite(config, &toolchains, &observer, &mut results),
                Suite::Concurrency => {
                    run_concurrency_suite(config, &toolchains, executor, &observer, &mut results)
                }
            };
            let ms = start.elapsed().as_millis() as u64;
            results.suite_wall_ms.insert(suite, ms);
        }
    }
    if counts && outcome.is_ok() && !interrupt::requested() {
        outcome = run_counts(config, &toolchains, executor, &observer, &mut results);
    }
    observer.bar.finish_and_clear();
    results.status = if interrupt::requested() {
        RunStatus::Interrupted
    } else {
        RunStatus::Complete
    };
    // Save even after an error, so nothing measured is lost (an interrupted
    // workload gets summaries of the runs it has); report the first error.
    summary::summarize_all(&mut results.benchmarks);
    let saved = suite::save(config, &mut results);
    outcome?;
    saved?;

    if results.status == RunStatus::Interrupted {
        eprintln!(
            "langbench: interrupted; what was measured is saved in {}",
            config.output.file.display()
        );
        return Ok(Outcome::Interrupted);
    }
    let outcomes = results.outcomes();
    let failed: Vec<&(String, Option<&str>)> =
        outcomes.iter().filter(|(_, why)| why.is_some()).collect();
    let limited = results.benchmarks.iter().filter(|b| b.limited()).count();
    let limits = if limited > 0 {
        format!(" ({limited} concurrency levels stopped at a limit, see above)")
    } else {
        String::new()
    };
    println!(
        "{} of {} benchmarks passed{limits}; results: {}",
        outcomes.len() - failed.len(),
        outcomes.len(),
        config.output.file.display()
    );
    if !results.suite_wall_ms.is_empty() {
        let times: Vec<String> = results
            .suite_wall_ms
            .iter()
            .map(|(suite, ms)| format!("{suite} {}", minutes_seconds(*ms)))
            .collect();
        println!("time per suite: {}", times.join(", "));
    }
    let others = results.others_cpus();
    if !others.is_empty() {
        println!(
            "other work on the machine during the runs: {}",
            crate::report::others_cpus_text(&others)
        );
        for (suite, cpus) in others
            .iter()
            .filter(|(_, &c)| c >= crate::results::OTHERS_WARN_CPUS)
        {
            eprintln!(
                "langbench: warning: other work took {cpus:.2} CPUs on average while the \
                 {suite} suite ran: its times (and parallel speedups) are slowed; \
                 run it again on an idle machine"
            );
        }
    }
    for (label, why) in &failed {
        println!("FAILED {label}: {}", why.unwrap_or_default());
    }
    if config.shard.is_some() && config.report.is_some() {
        println!(
            "no report for one shard: merge the shards, then `langbench report` the merged file"
        );
    }
    if let Some(settings) = config.report.as_ref().filter(|_| config.shard.is_none()) {
        let dir = settings.dir_for(&config.output.file);
        let written = super::report::write_report(
            &config.output.file,
            &results,
            settings,
            &dir,
            &config.paths,
        );
        match written {
            Ok(written) => {
                print!("\n{}", super::report::verdict_table(&written));
                println!("report: {}", dir.join("REPORT.md").display());
            }
            // The results are saved; a report can be made again with `langbench report`.
            Err(e) => eprintln!("langbench: could not write the report: {e:#}"),
        }
    }
    let regressed = match &config.baseline {
        // A measured failure (exit 1) outranks a baseline with nothing in common (2).
        Some(baseline) => match super::compare::against_baseline(baseline, &results) {
            Err(e) if !failed.is_empty() => {
                eprintln!("langbench: {e:#}");
                false
            }
            other => other?,
        },
        None => false,
    };
    Ok(if failed.is_empty() && !regressed {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}

/// "7 min 12 s" (or "42 s") for a duration in milliseconds.
fn minutes_seconds(ms: u64) -> String {
    let s = (ms + 500) / 1000;
    match s / 60 {
        0 => format!("{s} s"),
        m => format!("{m} min {} s", s % 60),
    }
}

/// Progress bar and tables on the terminal.
struct Terminal {
    bar: ProgressBar,
    quiet: bool,
    runs: u32,
    warmup: u32,
    server_cpus: Vec<usize>,
    client_cpus: Vec<usize>,
}

impl Terminal {
    fn new(config: &RunConfig) -> Terminal {
        let bar = ProgressBar::hidden();
        if !config.quiet && std::io::stderr().is_terminal() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} runs  {elapsed_precise}  {msg}")
                    .expect("valid template"),
            );
        }
        Terminal {
            bar,
            quiet: config.quiet,
            runs: config.runs,
            warmup: config.warmup,
            server_cpus: config.server_cpus.clone(),
            client_cpus: config.client_cpus.clone(),
        }
    }
}

impl Observer for Terminal {
    fn skipped(&self, skip: &Skipped) {
        if !self.quiet {
            let who = match &skip.runtime {
                Some(runtime) => format!("{}@{runtime}", skip.lang),
                None => skip.lang.to_string(),
            };
            match &skip.workload {
                Some(workload) => {
                    eprintln!("langbench: skipping {workload}/{who}: {}", skip.reason)
                }
                None => eprintln!("langbench: skipping {who}: {}", skip.reason),
            }
        }
    }

    fn built(&self, label: &str, build: Option<&BuildRecord>, failure: Option<(&str, &str)>) {
        if self.quiet {
            return;
        }
        match (build, failure) {
            (_, Some((message, output))) => {
                eprintln!("langbench: build {label} FAILED: {message}\n{output}")
            }
            (Some(b), None) if !b.up_to_date => {
                eprintln!(
                    "langbench: built {label} in {:.1} s",
                    b.duration_ms as f64 / 1000.0
                )
            }
            _ => {}
        }
    }

    fn warning(&self, message: &str) {
        if !self.quiet {
            self.bar
                .suspend(|| eprintln!("langbench: warning: {message}"));
        }
    }

    fn planned(&self, n: u64) {
        self.bar.inc_length(n);
    }

    fn level_done(&self, label: &str, connections: usize, failure: Option<&str>) {
        self.bar.inc(1);
        self.bar.set_message(format!("{label} c={connections}"));
        if let Some(message) = failure {
            self.bar
                .suspend(|| eprintln!("langbench: {label} FAILED: {message}"));
        }
    }

    fn scenario_done(&self, scenario: &Scenario, benchmarks: &[ServerBenchmark]) {
        let table = scenario_table(scenario, benchmarks, &self.server_cpus, &self.client_cpus);
        self.bar.suspend(|| println!("{table}"));
    }

    fn run_done(&self, label: &str, round: u32, failure: Option<&str>) {
        self.bar.inc(1);
        self.bar.set_message(label.to_string());
        if let Some(message) = failure {
            self.bar
                .suspend(|| eprintln!("langbench: {label} round {round} FAILED: {message}"));
        }
    }

    fn concurrency_done(&self, workload: &ConcurrencyWorkload, benchmarks: &[Benchmark]) {
        let table = concurrency_table(workload, benchmarks);
        self.bar.suspend(|| println!("{table}"));
    }

    fn counts_done(&self, benchmarks: &[Benchmark]) {
        let table = count_table(benchmarks);
        self.bar.suspend(|| println!("{table}"));
    }

    fn workload_done(&self, workload: &Workload, benchmarks: &[Benchmark]) {
        let table = workload_table(workload, benchmarks, self.runs, self.warmup);
        self.bar.suspend(|| println!("{table}"));
    }
}
