//! `langbench compare BASE NEW`: loads two results files, refuses what cannot
//! be compared (unreadable, other schema, different machines without
//! `--force`, nothing in common), prints the comparison and exits 1 on a
//! regression.

use anyhow::Result;

use std::io::Write;

use crate::cli::CompareArgs;
use crate::compare::{compare, Comparison, Verdict};
use crate::config::check_threshold;
use crate::config::Baseline;
use crate::exit::{input_error, Outcome};
use crate::kinds::{Measure, Metric, OutputFormat};
use crate::machine::machine_differences;
use crate::report::compare::{json, markdown, table};
use crate::results::store;
use crate::results::ResultsFile;

/// How many names of one-side-only benchmarks an error lists.
const LISTED: usize = 8;

/// Compares the two files of `config` and prints the result.
pub fn run(config: &CompareConfig) -> Result<Outcome> {
    // `store::load` names the file and marks its errors as input errors.
    let base = store::load(&config.base)?;
    let new = store::load(&config.new)?;
    let metric = config
        .metric
        .unwrap_or_else(|| crate::metrics::default_metric([&base, &new]));
    let threshold = config
        .threshold_pct
        .unwrap_or_else(|| metric.default_threshold_pct());
    // A count does not depend on the machine's load, memory or host name:
    // only what `count_gate` lists can move it, and that is reported below.
    let differences = machine_differences(&base.machine, &new.machine);
    if !differences.is_empty() && !metric.is_deterministic() {
        eprintln!(
            "warning: BASE '{}' and NEW '{}' come from different machines: {}",
            config.base.display(),
            config.new.display(),
            differences.join("; ")
        );
        if !config.force {
            return Err(input_error(
                "refusing to compare runs from different machines (pass --force to go on)",
            ));
        }
    }
    let comparison = compare(&base, &new, metric, threshold);
    if comparison.benchmarks.is_empty() {
        return Err(input_error(nothing_in_common(&comparison)));
    }
    print!(
        "{}",
        match config.format {
            OutputFormat::Table => table(&comparison),
            OutputFormat::Markdown => markdown(&comparison),
            OutputFormat::Json => json(&comparison),
        }
    );
    let gated = !metric.is_deterministic() || counted_alike(&base, &new);
    Ok(if comparison.count(Verdict::Regressed) > 0 && gated {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}

/// True when `base` and `new` were counted alike, so a count regression
/// fails; else prints on stderr why it is reported and does not.
fn counted_alike(base: &ResultsFile, new: &ResultsFile) -> bool {
    let why = crate::compare::count_gate(base, new);
    if !why.is_empty() {
        eprintln!(
            "langbench: instruction counts reported, not gated: {} (a count is compared as a \
             gate only between runs on the same CPU model with the same toolchains and valgrind)",
            why.join("; ")
        );
    }
    why.is_empty()
}

/// The error message when no benchmark is in both files: a short list of each side.
fn nothing_in_common(c: &Comparison) -> String {
    let list = |names: &[String]| {
        if names.is_empty() {
            return "none".to_string();
        }
        let mut s = names
            .iter()
            .take(LISTED)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if names.len() > LISTED {
            s.push_str(&format!(", and {} more", names.len() - LISTED));
        }
        s
    };
    let skipped: Vec<String> = c
        .not_compared
        .iter()
        .map(|n| format!("{} ({})", n.name, n.reason))
        .collect();
    let mut message = format!(
        "no benchmark with a {} value is in both files; only in BASE: {}; only in NEW: {}",
        c.metric.name(),
        list(&c.only_in_base),
        list(&c.only_in_new)
    );
    if !skipped.is_empty() {
        message.push_str(&format!("; not compared: {}", list(&skipped)));
    }
    message
}

/// `run --baseline`, before the run: the baseline must come from this
/// machine (its `results` are the run's, as yet without benchmarks), unless
/// `--force`, which warns and goes on.
pub(super) fn check_baseline_machine(baseline: &Baseline, results: &ResultsFile) -> Result<()> {
    if Measure::counts_only(&results.settings.measure) {
        // Counts only: the machine matters through what `count_gate` checks,
        // and a difference there makes the comparison a report, not a gate.
        return Ok(());
    }
    let differences = machine_differences(&baseline.results.machine, &results.machine);
    if differences.is_empty() {
        return Ok(());
    }
    let message = format!(
        "baseline '{}' comes from another machine ({})",
        baseline.path.display(),
        differences.join("; ")
    );
    if baseline.force {
        eprintln!("langbench: warning: {message}");
        return Ok(());
    }
    Err(input_error(format!(
        "{message}; compare on the machine it was measured on, or pass --force"
    )))
}

/// `run --baseline`, after the run: compares what the run measured with the
/// baseline (kernel times; instructions per iteration when counted), prints
/// each table (and appends the Markdown to the GitHub job summary when
/// `GITHUB_STEP_SUMMARY` names one). True if any regressed, a count only
/// when [`crate::compare::count_gate`] finds the two counted alike (else the
/// reason is printed and the regression reported); an input error when
/// nothing is in common.
pub(super) fn against_baseline(baseline: &Baseline, results: &ResultsFile) -> Result<bool> {
    let mut regressed = false;
    for measure in &results.settings.measure {
        let metric = match measure {
            Measure::Time => Metric::KernelTime,
            Measure::Instructions => Metric::Instructions,
        };
        let threshold = baseline
            .threshold_pct
            .unwrap_or_else(|| metric.default_threshold_pct());
        let comparison = compare(&baseline.results, results, metric, threshold);
        let worse = against(baseline, &comparison)?;
        let gated = !metric.is_deterministic() || counted_alike(&baseline.results, results);
        regressed |= worse && gated;
    }
    Ok(regressed)
}

/// Prints one comparison with the baseline (and appends it to the GitHub
/// job summary); true if any benchmark regressed.
fn against(baseline: &Baseline, comparison: &Comparison) -> Result<bool> {
    if comparison.benchmarks.is_empty() {
        return Err(input_error(format!(
            "baseline '{}': {}",
            baseline.path.display(),
            nothing_in_common(comparison)
        )));
    }
    println!(
        "\ncompared with baseline {}:\n{}",
        baseline.path.display(),
        table(comparison)
    );
    if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
        let appended = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&path)
            .and_then(|mut f| f.write_all(markdown(comparison).as_bytes()));
        if let Err(e) = appended {
            eprintln!(
                "langbench: could not append to GITHUB_STEP_SUMMARY '{}': {e}",
                std::path::Path::new(&path).display()
            );
        }
    }
    Ok(comparison.count(Verdict::Regressed) > 0)
}

/// Validated `compare` options.
#[derive(Debug, Clone)]
pub struct CompareConfig {
    /// The baseline results file.
    pub base: std::path::PathBuf,
    /// The results file judged against it.
    pub new: std::path::PathBuf,
    /// Noise threshold, in percent (0 ≤ t < 100; None: the metric's default).
    pub threshold_pct: Option<f64>,
    /// The metric compared (None: [`crate::metrics::default_metric`] of the two files).
    pub metric: Option<Metric>,
    /// Output format.
    pub format: OutputFormat,
    /// Go on when the machines differ.
    pub force: bool,
}

impl TryFrom<&CompareArgs> for CompareConfig {
    type Error = anyhow::Error;

    fn try_from(args: &CompareArgs) -> Result<CompareConfig> {
        args.threshold.map(check_threshold).transpose()?;
        Ok(CompareConfig {
            base: args.base.clone(),
            new: args.new.clone(),
            threshold_pct: args.threshold,
            metric: args.metric,
            format: args.format,
            force: args.force,
        })
    }
}
