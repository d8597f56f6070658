//! `langbench run`: the main job. Sets up the results file, shows progress
//! and tables on the terminal, and maps what happened to an exit code.

use std::io::IsTerminal;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::find_toolchains;
use crate::config::RunConfig;
use crate::exit::Outcome;
use crate::machine;
use crate::report::table::workload_table;
use crate::results::{
    summary, Benchmark, ResultsFile, RunStatus, Settings, Skipped, SCHEMA_VERSION,
};
use crate::runner::{interrupt, mock::MockExecutor, orphans, Executor, ProcessExecutor};
use crate::suite::{self, Observer};
use crate::workload::Workload;

/// Runs the suite and prints the tables.
pub fn run(config: &RunConfig) -> Result<Outcome> {
    interrupt::install()?;
    orphans::become_subreaper()?;
    let (toolchains, skipped) =
        find_toolchains(&config.selection.langs, config.require_all_toolchains)?;
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
            size: config.size_name.clone(),
            runs: config.runs,
            warmup: config.warmup,
            timeout_ms: config.timeout.as_millis() as u64,
            workloads: config
                .selection
                .workloads
                .iter()
                .map(|w| w.name.clone())
                .collect(),
            languages: config.selection.langs.clone(),
            interleaved: true,
        },
        benchmarks: Vec::new(),
    };
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
    let outcome = suite::run_suite(
        config,
        &toolchains,
        executor.as_ref(),
        &observer,
        &mut results,
    );
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

    let failed: Vec<&Benchmark> = results.benchmarks.iter().filter(|b| !b.passed()).collect();
    let passed = results.benchmarks.len() - failed.len();
    if results.status == RunStatus::Interrupted {
        eprintln!(
            "langbench: interrupted; what was measured is saved in {}",
            config.output.file.display()
        );
        return Ok(Outcome::Interrupted);
    }
    println!(
        "{passed} of {} benchmarks passed; results: {}",
        results.benchmarks.len(),
        config.output.file.display()
    );
    for b in &failed {
        let why = b
            .failures
            .first()
            .map_or("no measured run", |f| f.message.as_str());
        println!("FAILED {}/{}: {why}", b.workload, b.lang);
    }
    Ok(if failed.is_empty() {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}

/// Progress bar and tables on the terminal.
struct Terminal {
    bar: ProgressBar,
    quiet: bool,
    runs: u32,
    warmup: u32,
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
        }
    }
}

impl Observer for Terminal {
    fn skipped(&self, skip: &Skipped) {
        if !self.quiet {
            let workload = skip.workload.as_deref().unwrap_or("");
            eprintln!(
                "langbench: skipping {workload}/{}: {}",
                skip.lang, skip.reason
            );
        }
    }

    fn built(&self, bench: &Benchmark) {
        if self.quiet {
            return;
        }
        let label = format!("{}/{}", bench.workload, bench.lang);
        match (&bench.build, bench.failures.first()) {
            (_, Some(f)) => eprintln!(
                "langbench: build {label} FAILED: {}\n{}",
                f.message, f.stderr_tail
            ),
            (Some(b), None) if !b.up_to_date => {
                eprintln!(
                    "langbench: built {label} in {:.1} s",
                    b.duration_ms as f64 / 1000.0
                )
            }
            _ => {}
        }
    }

    fn start(&self, total: u64) {
        self.bar.set_length(total);
    }

    fn run_done(&self, label: &str, round: u32, failure: Option<&str>) {
        self.bar.inc(1);
        self.bar.set_message(label.to_string());
        if let Some(message) = failure {
            self.bar
                .suspend(|| eprintln!("langbench: {label} round {round} FAILED: {message}"));
        }
    }

    fn workload_done(&self, workload: &Workload, benchmarks: &[Benchmark]) {
        let table = workload_table(workload, benchmarks, self.runs, self.warmup);
        self.bar.suspend(|| println!("{table}"));
    }
}
