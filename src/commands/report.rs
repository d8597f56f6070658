//! `langbench report`: verdicts for every claim from a results file, written
//! as `REPORT.md`, a self-contained `index.html` and the charts (SVG and
//! PNG) in one folder. `run` calls [`write_report`] at its end.

use std::path::Path;

use anyhow::{Context, Result};

use super::sources;
use crate::claims::{evaluate, runtime_matrix, ClaimVerdict, Verdict};
use crate::cli::ReportArgs;
use crate::config::{Paths, ReportSettings};
use crate::exit::{input_error, Outcome};
use crate::fsutil;
use crate::report::charts::{all_charts, scorecard};
use crate::report::counts::counts_only_note;
use crate::report::markup::Table;
use crate::report::verdicts::{html, markdown, Figure, ReportInput};
use crate::results::{store, ResultsFile};

/// Reads the results file, writes the report and prints the verdicts.
pub fn run(config: &ReportConfig) -> Result<Outcome> {
    let results = store::load(&config.results).map_err(|e| {
        input_error(format!(
            "cannot read results file '{}': {e:#}",
            config.results.display()
        ))
    })?;
    let dir = config.settings.dir_for(&config.results);
    let written = write_report(
        &config.results,
        &results,
        &config.settings,
        &dir,
        &config.paths,
    )?;
    print!("{}", verdict_table(&written));
    println!(
        "report: {}, {}",
        dir.join("REPORT.md").display(),
        dir.join("index.html").display()
    );
    Ok(Outcome::Success)
}

/// What a report said, for the terminal.
pub struct Written {
    /// The verdicts, in claims-file order.
    pub verdicts: Vec<ClaimVerdict>,
    /// Where the source sizes came from, when not from the results file.
    pub source_note: Option<String>,
    /// Why no claim was tested, for a file of instruction counts alone.
    pub counts_note: Option<&'static str>,
}

/// Evaluates the claims (with the default runtimes, and with each other
/// runtime standing in for its language's) and writes `REPORT.md`, `index.html` and
/// `charts/<name>.svg|png` into `dir`.
pub fn write_report(
    results_path: &Path,
    results: &ResultsFile,
    settings: &ReportSettings,
    dir: &Path,
    paths: &Paths,
) -> Result<Written> {
    let sources = sources::for_claims(results, paths);
    let verdicts = evaluate(&settings.claims, results, &sources.sizes);
    let runtimes = runtime_matrix(&settings.claims, results, &sources.sizes);
    let charts_dir = dir.join("charts");
    std::fs::create_dir_all(&charts_dir)
        .with_context(|| format!("creating report folder '{}'", charts_dir.display()))?;
    let mut figures = Vec::new();
    // The scorecard first: the article's table beside the verdicts.
    let charts = scorecard(&verdicts).into_iter().chain(all_charts(results));
    for chart in charts {
        fsutil::write_atomic(
            &charts_dir.join(format!("{}.svg", chart.name)),
            chart.svg.as_bytes(),
        )?;
        fsutil::write_atomic(&charts_dir.join(format!("{}.png", chart.name)), &chart.png)?;
        figures.push(Figure {
            file: format!("charts/{}.svg", chart.name),
            title: chart.title,
            caption: chart.caption,
            svg: chart.svg,
        });
    }
    let shown = results_path.to_string_lossy();
    let input = ReportInput {
        results_path: &shown,
        results,
        claims_source: &settings.claims.source,
        verdicts: &verdicts,
        runtimes: &runtimes,
        figures: &figures,
        source_note: sources.note.as_deref(),
    };
    fsutil::write_atomic(&dir.join("REPORT.md"), markdown(&input).as_bytes())?;
    fsutil::write_atomic(&dir.join("index.html"), html(&input).as_bytes())?;
    Ok(Written {
        verdicts,
        source_note: sources.note,
        counts_note: counts_only_note(results),
    })
}

/// The verdicts as a terminal table, then why none was tested for a file of
/// counts alone, and where the source sizes came from when the results file
/// did not record them all.
pub fn verdict_table(written: &Written) -> String {
    let verdicts = &written.verdicts;
    let mut table = Table::new(["claim", "verdict", "the article says"]);
    for v in verdicts {
        table.push([v.id.clone(), v.verdict.label().into(), v.quote.clone()]);
    }
    let tested = verdicts
        .iter()
        .filter(|v| v.verdict != Verdict::NotMeasurable)
        .count();
    let note: String = written
        .counts_note
        .into_iter()
        .chain(written.source_note.as_deref())
        .map(|n| format!("{n}\n"))
        .collect();
    format!(
        "Verdicts on the article's claims ({tested} testable):\n{}{note}",
        table.to_columns()
    )
}

/// Everything `langbench report` needs.
#[derive(Debug, Clone)]
pub struct ReportConfig {
    /// Folders (for source sizes).
    pub paths: Paths,
    /// The results file.
    pub results: std::path::PathBuf,
    /// Claims and output folder.
    pub settings: ReportSettings,
}

impl ReportConfig {
    /// Validates `report` options.
    pub fn from_args(args: &ReportArgs, workloads_dir: Option<&Path>) -> Result<ReportConfig> {
        let paths = Paths::resolve(workloads_dir);
        let results = args
            .results
            .clone()
            .unwrap_or_else(|| paths.root.join("results").join("latest.json"));
        Ok(ReportConfig {
            settings: ReportSettings::new(args.claims.as_deref(), args.out.as_deref())?,
            paths,
            results,
        })
    }
}
