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
use serde::Serialize;

use crate::compare::{machine_differences, Metric};
use crate::config::{CompareFormat, HistoryConfig};
use crate::exit::{input_error, Outcome};
use crate::history::{history, History, Series, Step};
use crate::report::charts::history::{direction, history_trend, pct, slug};
use crate::report::{bytes, columns, duration_ns};
use crate::results::{store, ResultsFile};

/// Name of the index written beside the charts.
const INDEX: &str = "HISTORY.md";

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
    let h = history(&runs, config.metric, config.threshold_pct);
    if h.series.is_empty() {
        return Err(input_error(format!(
            "no benchmark has a {} value in any of the {} files",
            config.metric.name(),
            runs.len()
        )));
    }
    let charts = write_charts(&h, &config.out)?;
    store::write_atomic(&config.out.join(INDEX), index(&h, &charts).as_bytes())?;
    let shown = config.out.display().to_string();
    print!(
        "{}",
        match config.format {
            CompareFormat::Table => table(&h, &shown),
            CompareFormat::Markdown => markdown(&h, &shown),
            CompareFormat::Json => json(&h, &shown),
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
            let differences = machine_differences(first, r);
            (!differences.is_empty()).then(|| {
                format!(
                    "warning: '{}' and '{}' come from different machines: {}; their steps may \
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
        store::write_atomic(&dir.join(format!("{stem}.svg")), chart.svg.as_bytes())?;
        store::write_atomic(&dir.join(format!("{stem}.png")), &chart.png)?;
        stems.push(Some(stem));
    }
    Ok(stems)
}

/// `HISTORY.md`: the runs, then each benchmark with its latest median, its
/// steps and links to its chart (`charts[i]` is series `i`'s file stem).
fn index(h: &History, charts: &[Option<String>]) -> String {
    let mut out = format!(
        "# langbench history: {}\n\n{} runs, oldest first by start time. A step is a change of \
         the fitted level (penalised piecewise-constant fit of the run medians) beyond {}%.\n\n",
        h.metric.name(),
        h.runs.len(),
        h.threshold_pct
    );
    out.push_str("| # | run | started at | file |\n|---:|---|---|---|\n");
    for (i, r) in h.runs.iter().enumerate() {
        out.push_str(&format!(
            "| {} | `{}` | {} | `{}` |\n",
            i + 1,
            r.label,
            r.started_at,
            r.file
        ));
    }
    out.push_str(
        "\n## Benchmarks\n\n| benchmark | runs | latest median | steps | chart |\n\
         |---|---:|---:|---|---|\n",
    );
    for (series, chart) in h.series.iter().zip(charts) {
        let steps = if series.steps.is_empty() {
            "none".to_string()
        } else {
            series
                .steps
                .iter()
                .map(|s| format!("{}: {}", run_name(h, s), change(h.metric, s)))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        let link = chart.as_ref().map_or("not drawn".to_string(), |stem| {
            format!("[svg]({stem}.svg) · [png]({stem}.png)")
        });
        out.push_str(&format!(
            "| {} | {} | {} | {steps} | {link} |\n",
            series.name,
            series.points.len(),
            latest(h, series)
        ));
    }
    out
}

/// The steps as aligned columns, then the summary line.
fn table(h: &History, dir: &str) -> String {
    let mut out = String::new();
    if h.steps().next().is_some() {
        let mut rows = vec![header()];
        rows.extend(h.steps().map(|(series, step)| row(h, series, step)));
        out.push_str(&columns(&rows));
    }
    out.push_str(&summary(h, dir));
    out.push('\n');
    out
}

/// The steps as a GitHub Markdown table with the same summary line.
fn markdown(h: &History, dir: &str) -> String {
    let mut out = format!("### langbench history: {}\n\n", h.metric.name());
    if h.steps().next().is_some() {
        let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
        out.push_str(&line(header()));
        out.push_str("|---|---|---:|---:|---:|---|\n");
        for (series, step) in h.steps() {
            let mut cells = row(h, series, step);
            if step.regression {
                cells[5] = format!("**{}**", cells[5]);
            }
            out.push_str(&line(cells));
        }
        out.push('\n');
    }
    out.push_str(&summary(h, dir));
    out.push('\n');
    out
}

/// The whole history (runs, every point, every step) as pretty JSON, with
/// the folder the charts went to.
fn json(h: &History, dir: &str) -> String {
    #[derive(Serialize)]
    struct Output<'a> {
        #[serde(flatten)]
        history: &'a History,
        charts_dir: &'a str,
    }
    let mut s = serde_json::to_string_pretty(&Output {
        history: h,
        charts_dir: dir,
    })
    .expect("history serialises");
    s.push('\n');
    s
}

fn header() -> Vec<String> {
    [
        "benchmark",
        "from run",
        "before",
        "after",
        "change",
        "direction",
    ]
    .map(String::from)
    .to_vec()
}

fn row(h: &History, series: &Series, step: &Step) -> Vec<String> {
    vec![
        series.name.clone(),
        run_name(h, step),
        value(h.metric, step.before),
        value(h.metric, step.after),
        pct(step.ratio),
        direction(step).to_string(),
    ]
}

/// "6 runs, 2 benchmarks: 1 step in 1 benchmark (1 regression, 0
/// improvements; threshold 5%, metric kernel_time); charts and HISTORY.md in DIR".
fn summary(h: &History, dir: &str) -> String {
    let steps = h.steps().count();
    let regressions = h.steps().filter(|(_, s)| s.regression).count();
    let stepped = h.series.iter().filter(|s| !s.steps.is_empty()).count();
    format!(
        "{}, {}: {} in {} ({}, {}; threshold {}%, metric {}); charts and {INDEX} in {dir}",
        count(h.runs.len(), "run"),
        count(h.series.len(), "benchmark"),
        count(steps, "step"),
        count(stepped, "benchmark"),
        count(regressions, "regression"),
        count(steps - regressions, "improvement"),
        h.threshold_pct,
        h.metric.name()
    )
}

/// `1 step`, `2 steps`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// `#4 (abc1234)`: the run's number (from 1, oldest first) and label.
fn run_name(h: &History, step: &Step) -> String {
    let label = h.runs.get(step.run).map_or("?", |r| r.label.as_str());
    format!("#{} ({label})", step.run + 1)
}

/// `1.00 ms → 1.25 ms (+25.0%, regression)`.
fn change(metric: Metric, step: &Step) -> String {
    format!(
        "{} → {} ({}, {})",
        value(metric, step.before),
        value(metric, step.after),
        pct(step.ratio),
        direction(step)
    )
}

/// The median of the benchmark's last point, naming its run when that is
/// not the latest run.
fn latest(h: &History, series: &Series) -> String {
    let Some(p) = series.points.last() else {
        return "-".into();
    };
    let v = value(h.metric, p.median);
    if p.run + 1 == h.runs.len() {
        v
    } else {
        format!("{v} (run #{})", p.run + 1)
    }
}

/// A value of `metric` in a readable unit.
fn value(metric: Metric, v: f64) -> String {
    match metric {
        Metric::KernelTime | Metric::WallTime | Metric::CpuTime => duration_ns(v),
        Metric::PeakRss => bytes(v),
        Metric::RequestsPerSecond => format!("{v:.0} req/s"),
        Metric::P99Latency => duration_ns(v * 1e3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{Point, RunInfo};

    fn sample() -> History {
        let runs = (0..3)
            .map(|i| RunInfo {
                file: format!("r{i}.json"),
                label: format!("c{i}"),
                started_at: format!("2026-01-0{}T00:00:00Z", i + 1),
            })
            .collect();
        let point = |run, median| Point {
            run,
            median,
            min: median,
            max: median,
            count: 1,
        };
        History {
            metric: Metric::KernelTime,
            unit: "ns",
            threshold_pct: 5.0,
            runs,
            series: vec![
                Series {
                    name: "a/go (quick)".into(),
                    points: vec![point(0, 1e6), point(1, 1e6), point(2, 1.5e6)],
                    steps: vec![Step {
                        index: 2,
                        run: 2,
                        before: 1e6,
                        after: 1.5e6,
                        ratio: 1.5,
                        regression: true,
                    }],
                },
                Series {
                    name: "b/go (quick)".into(),
                    points: vec![point(0, 2e6), point(1, 2e6)],
                    steps: vec![],
                },
            ],
        }
    }

    #[test]
    fn table_lists_steps_and_summarises() {
        let t = table(&sample(), "history");
        assert!(
            t.contains("  a/go (quick)  #3 (c2)   1.00 ms  1.50 ms  +50.0%  regression\n"),
            "{t}"
        );
        assert!(t.ends_with(
            "3 runs, 2 benchmarks: 1 step in 1 benchmark (1 regression, 0 improvements; \
             threshold 5%, metric kernel_time); charts and HISTORY.md in history\n"
        ));
    }

    #[test]
    fn index_links_charts_and_names_latest_runs() {
        let md = index(&sample(), &[Some("a-go-quick".into()), None]);
        assert!(md.contains(
            "| a/go (quick) | 3 | 1.50 ms | #3 (c2): 1.00 ms → 1.50 ms (+50.0%, regression) | \
             [svg](a-go-quick.svg) · [png](a-go-quick.png) |"
        ));
        assert!(md.contains("| b/go (quick) | 2 | 2.00 ms (run #2) | none | not drawn |"));
    }

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

    #[test]
    fn markdown_bolds_regressions() {
        let m = markdown(&sample(), "history");
        assert!(
            m.contains("| a/go (quick) | #3 (c2) | 1.00 ms | 1.50 ms | +50.0% | **regression** |"),
            "{m}"
        );
    }
}
