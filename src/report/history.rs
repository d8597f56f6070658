//! `langbench history` output: the steps as a terminal table, Markdown or
//! JSON, each with a summary line, and the `HISTORY.md` index written beside
//! the trend charts. Renderers take a [`History`] and return strings; the
//! command prints and writes them.

use serde::Serialize;

use crate::history::{History, Series, Step};
use crate::kinds::Metric;
use crate::report::compare::{pct, value};
use crate::report::markup::{Cell, Table};

/// Name of the index written beside the charts.
pub const INDEX: &str = "HISTORY.md";

/// `HISTORY.md`: the runs, then each benchmark with its latest median, its
/// steps and links to its chart (`charts[i]` is series `i`'s file stem).
pub fn index(h: &History, charts: &[Option<String>]) -> String {
    let mut out = format!(
        "# langbench history: {}\n\n{} runs, oldest first by start time. A step is a change of \
         the fitted level (penalised piecewise-constant fit of the run medians) beyond {}%.{}\n\n",
        h.metric.name(),
        h.runs.len(),
        h.threshold_pct,
        if h.metric.is_deterministic() {
            " The fit takes a count's noise from the spread of its repeats within each run."
        } else {
            ""
        }
    );
    let mut runs = Table::new(["#", "run", "started at", "file"]).right_aligned([0]);
    for (i, r) in h.runs.iter().enumerate() {
        runs.push([
            (i + 1).to_string(),
            format!("`{}`", r.label),
            r.started_at.clone(),
            format!("`{}`", r.file),
        ]);
    }
    out.push_str(&runs.to_markdown());
    out.push_str("\n## Benchmarks\n\n");
    let mut benchmarks =
        Table::new(["benchmark", "runs", "latest median", "steps", "chart"]).right_aligned([1, 2]);
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
        benchmarks.push([
            series.name.clone(),
            series.points.len().to_string(),
            latest(h, series),
            steps,
            link,
        ]);
    }
    out.push_str(&benchmarks.to_markdown());
    out
}

/// The steps as aligned columns, then the summary line.
pub fn table(h: &History, dir: &str) -> String {
    let steps = steps(h);
    let mut out = String::new();
    if !steps.is_empty() {
        out.push_str(&steps.to_columns());
    }
    out.push_str(&summary(h, dir));
    out.push('\n');
    out
}

/// The steps as a GitHub Markdown table (regressions in bold) with the same
/// summary line.
pub fn markdown(h: &History, dir: &str) -> String {
    let mut out = format!("### langbench history: {}\n\n", h.metric.name());
    let steps = steps(h);
    if !steps.is_empty() {
        out.push_str(&steps.to_markdown());
        out.push('\n');
    }
    out.push_str(&summary(h, dir));
    out.push('\n');
    out
}

/// The whole history (runs, every point, every step) as pretty JSON, with
/// the folder the charts went to.
pub fn json(h: &History, dir: &str) -> String {
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

/// One row per step of every benchmark: its run, the levels, the change, the direction.
fn steps(h: &History) -> Table {
    let mut table = Table::new([
        "benchmark",
        "from run",
        "before",
        "after",
        "change",
        "direction",
    ])
    .right_aligned([2, 3, 4]);
    for (series, step) in h.steps() {
        table.push(row(h, series, step));
    }
    table
}

fn row(h: &History, series: &Series, step: &Step) -> [Cell; 6] {
    let direction = step.direction();
    [
        series.name.clone().into(),
        run_name(h, step).into(),
        value(h.metric, step.before).into(),
        value(h.metric, step.after).into(),
        pct(step.ratio).into(),
        if step.regression {
            Cell::strong(direction)
        } else {
            direction.into()
        },
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
        step.direction()
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
    fn markdown_bolds_regressions() {
        let m = markdown(&sample(), "history");
        assert!(
            m.contains("| a/go (quick) | #3 (c2) | 1.00 ms | 1.50 ms | +50.0% | **regression** |"),
            "{m}"
        );
    }
}
