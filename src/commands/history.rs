//! `langbench history FILES...`: loads two or more results files, orders
//! them by start time, follows every benchmark across them on one metric and
//! detects the runs where its level stepped ([`crate::history`]). Writes one
//! trend chart per benchmark (`<slug>.svg`, `<slug>.png`) and an index,
//! `HISTORY.md`, into the output folder; prints the steps as a table,
//! Markdown or JSON with a summary line. History is information, not a gate:
//! it exits 0 whatever it finds, and 2 on bad input (fewer than two files, a
//! file that cannot be read or has another schema, no benchmark with a value).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::config::check_threshold;
use crate::exit::{input_error, Outcome};
use crate::fsutil;
use crate::history::{history, History};
use crate::kinds::{Metric, OutputFormat};
use crate::machine::machine_differences;
use crate::report::charts::history::{history_trend, slug};
use crate::report::history::{index, json, markdown, table, INDEX};
use crate::results::{store, ResultsFile};

/// Builds the history of the files of `config`, writes the charts and the
/// index, and prints the steps.
pub fn run(config: &HistoryConfig) -> Result<Outcome> {
    let mut runs: Vec<(PathBuf, ResultsFile)> = Vec::new();
    for file in &config.files {
        // `store::load` names the file and marks its errors as input errors.
        runs.push((file.clone(), store::load(file)?));
    }
    chronological(&mut runs);
    for line in machine_warnings(&runs) {
        eprintln!("{line}");
    }
    let metric = config
        .metric
        .unwrap_or_else(|| crate::metrics::default_metric(runs.iter().map(|(_, r)| r)));
    let threshold = config
        .threshold_pct
        .unwrap_or_else(|| metric.default_threshold_pct());
    let h = history(&runs, metric, threshold);
    if h.series.is_empty() {
        return Err(input_error(format!(
            "no benchmark has a {} value in any of the {} files",
            metric.name(),
            runs.len()
        )));
    }
    let charts = write_charts(&h, &config.out)?;
    fsutil::write_atomic(&config.out.join(INDEX), index(&h, &charts).as_bytes())?;
    let shown = config.out.display().to_string();
    print!(
        "{}",
        match config.format {
            OutputFormat::Table => table(&h, &shown),
            OutputFormat::Markdown => markdown(&h, &shown),
            OutputFormat::Json => json(&h, &shown),
        }
    );
    Ok(Outcome::Success)
}

/// Sorts runs oldest first by `started_at` (RFC 3339; a value that does not
/// parse sorts by its text, before every parsed one). Stable: runs that
/// started at the same second keep the given order.
fn chronological(runs: &mut [(PathBuf, ResultsFile)]) {
    runs.sort_by_cached_key(|(_, r)| {
        (
            humantime::parse_rfc3339_weak(&r.started_at).ok(),
            r.started_at.clone(),
        )
    });
}

/// A warning per run whose machine differs from the oldest run's.
fn machine_warnings(runs: &[(PathBuf, ResultsFile)]) -> Vec<String> {
    let Some((first_path, first)) = runs.first() else {
        return Vec::new();
    };
    runs.iter()
        .skip(1)
        .filter_map(|(path, r)| {
            let differences = machine_differences(&first.machine, &r.machine);
            (!differences.is_empty()).then(|| {
                format!(
                    "langbench: warning: '{}' and '{}' come from different machines: {}; their steps may \
                     be the machine's",
                    first_path.display(),
                    path.display(),
                    differences.join("; ")
                )
            })
        })
        .collect()
}

/// Writes each benchmark's chart as `<slug>.svg` and `.png` into `dir`;
/// returns each series' file stem (None when it had nothing to draw), in
/// series order. Two names with the same slug get `-2`, `-3`, ... suffixes.
fn write_charts(h: &History, dir: &Path) -> Result<Vec<Option<String>>> {
    std::fs::create_dir_all(dir).map_err(|e| {
        input_error(format!(
            "output folder '{}' cannot be created: {e}",
            dir.display()
        ))
    })?;
    let mut used = HashSet::new();
    let mut stems = Vec::new();
    for series in &h.series {
        let Some(chart) = history_trend(series, &h.runs, h.metric, h.threshold_pct) else {
            stems.push(None);
            continue;
        };
        let base = slug(&series.name);
        let mut stem = base.clone();
        let mut k = 1;
        while !used.insert(stem.clone()) {
            k += 1;
            stem = format!("{base}-{k}");
        }
        fsutil::write_atomic(&dir.join(format!("{stem}.svg")), chart.svg.as_bytes())?;
        fsutil::write_atomic(&dir.join(format!("{stem}.png")), &chart.png)?;
        stems.push(Some(stem));
    }
    Ok(stems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_ordered_by_start_time_then_as_given() {
        let fixture: ResultsFile =
            serde_json::from_str(include_str!("../../tests/fixtures/results/all-suites.json"))
                .expect("fixture parses");
        let at = |started: &str, file: &str| {
            let mut r = fixture.clone();
            r.started_at = started.to_string();
            (PathBuf::from(file), r)
        };
        let mut runs = vec![
            at("2026-03-02T10:00:00Z", "b.json"),
            // Later than a.json, though its text sorts before it.
            at("2026-03-01T10:00:00.5Z", "a2.json"),
            at("2026-03-01T10:00:00Z", "a.json"),
            at("2026-03-02T10:00:00Z", "c.json"),
            at("not a time", "bad.json"),
        ];
        chronological(&mut runs);
        let files: Vec<String> = runs.iter().map(|(p, _)| p.display().to_string()).collect();
        assert_eq!(files, ["bad.json", "a.json", "a2.json", "b.json", "c.json"]);
    }
}

/// Validated `history` options.
#[derive(Debug, Clone)]
pub struct HistoryConfig {
    /// The results files, in the order given (the command orders them by start time).
    pub files: Vec<std::path::PathBuf>,
    /// The metric followed (None: [`crate::metrics::default_metric`] of the files).
    pub metric: Option<Metric>,
    /// A step must change the median by more than this, in percent (0 ≤ t <
    /// 100; None: the metric's default).
    pub threshold_pct: Option<f64>,
    /// Folder for the charts and HISTORY.md.
    pub out: std::path::PathBuf,
    /// Output format of the steps (the same three as `compare`).
    pub format: OutputFormat,
}

impl TryFrom<&crate::cli::HistoryArgs> for HistoryConfig {
    type Error = anyhow::Error;

    fn try_from(args: &crate::cli::HistoryArgs) -> Result<HistoryConfig> {
        if args.files.len() < 2 {
            let given: Vec<String> = args
                .files
                .iter()
                .map(|f| format!("'{}'", f.display()))
                .collect();
            return Err(input_error(format!(
                "history needs at least 2 results files, got {}: {} (use `langbench compare` \
                 or add runs)",
                args.files.len(),
                given.join(", ")
            )));
        }
        args.threshold.map(check_threshold).transpose()?;
        Ok(HistoryConfig {
            files: args.files.clone(),
            metric: args.metric,
            threshold_pct: args.threshold,
            out: args.out.clone(),
            format: args.format,
        })
    }
}
