//! `langbench report`: verdicts for every claim from a results file, written
//! as `REPORT.md`, a self-contained `index.html` and the charts (SVG and
//! PNG) in one folder. `run` calls [`write_report`] at its end.

use std::path::Path;

use anyhow::{Context, Result};

use crate::claims::{evaluate, ClaimVerdict, SourceSizes, Verdict};
use crate::config::{Paths, ReportConfig, ReportSettings};
use crate::exit::{input_error, Outcome};
use crate::lang::Impl;
use crate::report::charts::{all_charts, scorecard};
use crate::report::markup::columns;
use crate::report::verdicts::{html, markdown, Figure, ReportInput};
use crate::results::{store, ResultsFile};
use crate::workload::source_size::gzip_source_size;

/// Reads the results file, writes the report and prints the verdicts.
pub fn run(config: &ReportConfig) -> Result<Outcome> {
    let results = store::load(&config.results).map_err(|e| {
        input_error(format!(
            "cannot read results file '{}': {e:#}",
            config.results.display()
        ))
    })?;
    let dir = config.settings.dir_for(&config.results);
    let verdicts = write_report(
        &config.results,
        &results,
        &config.settings,
        &dir,
        &config.paths,
    )?;
    print!("{}", verdict_table(&verdicts));
    println!(
        "report: {}, {}",
        dir.join("REPORT.md").display(),
        dir.join("index.html").display()
    );
    Ok(Outcome::Success)
}

/// Evaluates the claims and writes `REPORT.md`, `index.html` and
/// `charts/<name>.svg|png` into `dir`; returns the verdicts.
pub fn write_report(
    results_path: &Path,
    results: &ResultsFile,
    settings: &ReportSettings,
    dir: &Path,
    paths: &Paths,
) -> Result<Vec<ClaimVerdict>> {
    let verdicts = evaluate(&settings.claims, results, &source_sizes(results, paths));
    let charts_dir = dir.join("charts");
    std::fs::create_dir_all(&charts_dir)
        .with_context(|| format!("creating report folder '{}'", charts_dir.display()))?;
    let mut figures = Vec::new();
    // The scorecard first: the article's table beside the verdicts.
    let charts = scorecard(&verdicts).into_iter().chain(all_charts(results));
    for chart in charts {
        store::write_atomic(
            &charts_dir.join(format!("{}.svg", chart.name)),
            chart.svg.as_bytes(),
        )?;
        store::write_atomic(&charts_dir.join(format!("{}.png", chart.name)), &chart.png)?;
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
        figures: &figures,
    };
    store::write_atomic(&dir.join("REPORT.md"), markdown(&input).as_bytes())?;
    store::write_atomic(&dir.join("index.html"), html(&input).as_bytes())?;
    Ok(verdicts)
}

/// The verdicts as a terminal table.
pub fn verdict_table(verdicts: &[ClaimVerdict]) -> String {
    let mut rows = vec![vec![
        "claim".to_string(),
        "verdict".into(),
        "the article says".into(),
    ]];
    for v in verdicts {
        rows.push(vec![
            v.id.clone(),
            v.verdict.label().into(),
            v.quote.clone(),
        ]);
    }
    let tested = verdicts
        .iter()
        .filter(|v| v.verdict != Verdict::NotMeasurable)
        .count();
    format!(
        "Verdicts on the article's claims ({tested} testable):\n{}",
        columns(&rows)
    )
}

/// gzip source size of every CPU implementation in `results` whose folder is
/// still in the workloads folder.
fn source_sizes(results: &ResultsFile, paths: &Paths) -> SourceSizes {
    let mut sizes = SourceSizes::new();
    for b in results.benchmarks.iter().filter(|b| b.level.is_none()) {
        let imp = Impl {
            lang: b.lang,
            variant: b.variant.clone(),
        };
        let dir = imp.dir(&paths.workloads_dir.join(&b.workload));
        if let Ok(bytes) = gzip_source_size(&dir, b.lang.source_ext(), b.lang.comment_style()) {
            sizes.insert((b.workload.clone(), b.implementation()), bytes as f64);
        }
    }
    sizes
}
