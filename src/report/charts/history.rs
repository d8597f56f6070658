//! The trend chart of one benchmark across runs (`langbench history`): the
//! runs in order on x, the metric on a log scale on y; each run's median as
//! a point on a line, its spread (min–max of its values) as a bar, the level
//! the step detection fitted as a dashed line per segment, and each detected
//! step as a dashed vertical line between the last run before and the first
//! run after it, labelled with its change, coloured by its direction.

use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;

use super::axis::{significant, Axis};
use super::canvas::{render, Figure, Mark};
use super::legend::LegendEntry;
use super::style::{SeriesStyle, INK, MUTED};
use super::Chart;
use crate::history::{RunInfo, Series, Step};
use crate::kinds::Metric;
use crate::report::compare::pct;

/// Vermillion (Okabe–Ito): a step for the worse.
const REGRESSION: RGBColor = RGBColor(213, 94, 0);
/// Bluish green (Okabe–Ito): a step for the better.
const IMPROVEMENT: RGBColor = RGBColor(0, 158, 115);
/// Dash of the step lines, in pixels.
const STEP_DASH: (u32, u32) = (8, 5);
/// Dash of the fitted levels, in pixels.
const LEVEL_DASH: (u32, u32) = (3, 4);
/// Pixels a run's label may take on the x axis, per character (14 px font),
/// and the width available for the labels: beyond, only every k-th run is labelled.
const LABEL_PX_PER_CHAR: usize = 8;
const LABELS_WIDTH_PX: usize = 520;

/// The file stem of a benchmark's chart: its name lowercased, every run of
/// characters other than ASCII letters and digits replaced by one `-`, no
/// `-` at either end (`nbody/rust (quick)` → `nbody-rust-quick`).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("benchmark");
    }
    out
}

/// The unit charts show a metric in, and what a value in the metric's own
/// unit is divided by to get it (times in ms like the other charts, or in
/// s from 10 s and µs under 1 ms; memory in MiB; latency in ms).
fn display_unit(metric: Metric, largest: f64) -> (&'static str, f64) {
    match metric {
        Metric::KernelTime | Metric::WallTime | Metric::CpuTime => {
            if largest >= 1e10 {
                ("s", 1e9)
            } else if largest >= 1e6 {
                ("ms", 1e6)
            } else {
                ("µs", 1e3)
            }
        }
        Metric::PeakRss => ("MiB", 1024.0 * 1024.0),
        Metric::RequestsPerSecond => ("requests/s", 1.0),
        Metric::P99Latency => ("ms", 1e3),
        Metric::Instructions | Metric::EstimatedCycles => {
            if largest >= 1e9 {
                ("billions", 1e9)
            } else if largest >= 1e6 {
                ("millions", 1e6)
            } else {
                ("thousands", 1e3)
            }
        }
    }
}

/// The trend chart of `series` over `runs` (every run of the history, so a
/// run without this benchmark is a gap); `None` when no point can be drawn.
/// The chart's name is [`slug`] of the benchmark.
pub fn history_trend(
    series: &Series,
    runs: &[RunInfo],
    metric: Metric,
    threshold_pct: f64,
) -> Option<Chart> {
    let largest = series.points.iter().map(|p| p.max).fold(0.0, f64::max);
    let (unit, divisor) = display_unit(metric, largest);
    let y_label = format!("{} ({unit}, log scale)", metric.words());
    let y = Axis::log(
        &y_label,
        series
            .points
            .iter()
            .flat_map(|p| [p.min / divisor, p.max / divisor]),
    )?;
    let labels = axis_labels(runs);
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1);
    let mut x = Axis::categories("run (oldest first, by start time)", labels);
    thin_labels(&mut x, longest);

    let mut fig = Figure::new(
        "history",
        &format!("{}: {} across runs", series.name, metric.words()),
        caption(series, runs, metric, threshold_pct),
        x,
        y,
    );
    let shown: Vec<_> = series
        .points
        .iter()
        .filter(|p| fig.y.accepts(p.median / divisor))
        .collect();
    if shown.is_empty() {
        return None;
    }
    for p in &shown {
        if p.max > p.min {
            fig.marks.push(Mark::ErrorBar {
                x: p.run as f64,
                y: (p.min / divisor, p.max / divisor),
                colour: MUTED,
            });
        }
    }
    level_marks(&mut fig, series, runs.len(), divisor);
    let medians: Vec<(f64, f64)> = shown
        .iter()
        .map(|p| (p.run as f64, p.median / divisor))
        .collect();
    let style = SeriesStyle {
        colour: INK,
        variant: 0,
        runtime: 0,
    };
    fig.marks.push(Mark::Line {
        points: medians.clone(),
        colour: INK,
        dash: None,
        width: 2,
    });
    fig.marks.push(Mark::Points {
        points: medians,
        style,
    });
    fig.legend.push(LegendEntry::Line {
        label: "median of the run".into(),
        style,
    });
    if series.points.iter().any(|p| p.max > p.min) {
        fig.legend.push(LegendEntry::Reference {
            label: "min–max of the run's values".into(),
            colour: MUTED,
            dash: None,
        });
    }
    if !series.steps.is_empty() {
        fig.legend.push(LegendEntry::Reference {
            label: "fitted level".into(),
            colour: MUTED,
            dash: Some(LEVEL_DASH),
        });
    }
    step_marks(&mut fig, series, runs);
    let hidden = series.points.len() - shown.len();
    if hidden > 0 {
        fig.legend.push(LegendEntry::Note(format!(
            "{hidden} run(s) with a median of zero or less not shown on the log scale"
        )));
    }
    let mut chart = render(fig)?;
    chart.name = slug(&series.name);
    Some(chart)
}

/// A run's label as the chart shows it: a start time
/// `2026-03-11T09:00:00Z` as `2026-03-11 09:00` (shorter, and it wraps in
/// the legend); a commit as it is.
fn compact(label: &str) -> String {
    let b = label.as_bytes();
    if b.len() == 20 && b[10] == b'T' && b[19] == b'Z' {
        format!("{} {}", &label[..10], &label[11..16])
    } else {
        label.to_string()
    }
}

/// Each run's label on the x axis; when two runs share a label (the same
/// commit), every label gets the run's number: `#4 7ed7b1d`.
fn axis_labels(runs: &[RunInfo]) -> Vec<String> {
    let labels: Vec<String> = runs.iter().map(|r| compact(&r.label)).collect();
    let unique: std::collections::HashSet<&String> = labels.iter().collect();
    if unique.len() == labels.len() {
        return labels;
    }
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| format!("#{} {l}", i + 1))
        .collect()
}

/// With many runs or long labels, labels only every k-th run so they do not
/// overlap (the other runs get no tick).
fn thin_labels(x: &mut Axis, longest: usize) {
    let each = longest * LABEL_PX_PER_CHAR + 12;
    let fit = (LABELS_WIDTH_PX / each).max(1);
    let every = x.ticks.len().div_ceil(fit).max(1);
    if every > 1 {
        x.ticks.retain(|t| (*t as usize).is_multiple_of(every));
    }
}

/// The fitted level of each segment between steps, dashed, over its runs.
fn level_marks(fig: &mut Figure, series: &Series, run_count: usize, divisor: f64) {
    let Some(first) = series.steps.first() else {
        return;
    };
    let mut segments = Vec::new();
    let (mut from, mut level) = (-0.4, first.before);
    for step in &series.steps {
        let edge = boundary(series, step);
        segments.push((from, edge, level));
        (from, level) = (edge, step.after);
    }
    segments.push((from, run_count as f64 - 0.6, level));
    for (from, to, level) in segments {
        fig.marks.push(Mark::Line {
            points: vec![(from, level / divisor), (to, level / divisor)],
            colour: MUTED,
            dash: Some(LEVEL_DASH),
            width: 1,
        });
    }
}

/// Where a step's line is drawn: halfway between the last run before it
/// and its first run after it.
fn boundary(series: &Series, step: &Step) -> f64 {
    let before = step
        .index
        .checked_sub(1)
        .and_then(|i| series.points.get(i))
        .map_or(step.run as f64 - 1.0, |p| p.run as f64);
    (before + step.run as f64) / 2.0
}

/// One dashed vertical line per step with its change written at the top,
/// and a legend entry naming the run.
fn step_marks(fig: &mut Figure, series: &Series, runs: &[RunInfo]) {
    let (lo, hi) = (fig.y.lo, fig.y.hi);
    for step in &series.steps {
        let colour = if step.regression {
            REGRESSION
        } else {
            IMPROVEMENT
        };
        let at = boundary(series, step);
        fig.marks.push(Mark::Line {
            points: vec![(at, lo), (at, hi)],
            colour,
            dash: Some(STEP_DASH),
            width: 2,
        });
        fig.marks.push(Mark::Text {
            at: (at, hi),
            offset: (4, 4),
            text: pct(step.ratio),
            anchor: (HPos::Left, VPos::Top),
            colour,
        });
        let label = runs.get(step.run).map_or("?".into(), |r| compact(&r.label));
        fig.legend.push(LegendEntry::Reference {
            label: format!(
                "step at run {} ({label}): {} {}",
                step.run + 1,
                pct(step.ratio),
                step.direction()
            ),
            colour,
            dash: Some(STEP_DASH),
        });
    }
}

/// One sentence: what is drawn and which steps were found.
fn caption(series: &Series, runs: &[RunInfo], metric: Metric, threshold_pct: f64) -> String {
    let steps = if series.steps.is_empty() {
        format!(
            "no step beyond the {}% threshold",
            significant(threshold_pct)
        )
    } else {
        let list: Vec<String> = series
            .steps
            .iter()
            .map(|s| {
                let label = runs.get(s.run).map_or("?", |r| r.label.as_str());
                format!(
                    "run {} ({label}) {} {}",
                    s.run + 1,
                    pct(s.ratio),
                    s.direction()
                )
            })
            .collect();
        format!(
            "steps beyond the {}% threshold (dashed): {}",
            significant(threshold_pct),
            list.join("; ")
        )
    };
    format!(
        "Median {} of {} in each of {} of {} runs (oldest first by start time), with the \
         min–max of each run's values; {steps}.",
        metric.name(),
        series.name,
        series.points.len(),
        runs.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Point;

    fn runs(n: usize) -> Vec<RunInfo> {
        (0..n)
            .map(|i| RunInfo {
                file: format!("{i}.json"),
                label: format!("c{i:06}"),
                started_at: format!("2026-01-{:02}T00:00:00Z", i + 1),
            })
            .collect()
    }

    fn series(steps: Vec<Step>) -> Series {
        Series {
            name: "nbody/rust (quick)".into(),
            points: (0..6)
                .map(|i| {
                    let m = if i >= 3 { 1.25e6 } else { 1e6 };
                    Point {
                        run: i,
                        median: m,
                        min: m * 0.98,
                        max: m * 1.03,
                        count: 3,
                    }
                })
                .collect(),
            steps,
        }
    }

    /// The text of every `<text>` element, joined by spaces (legend labels wrap).
    fn svg_text(svg: &str) -> String {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0))
            .flat_map(str::split_whitespace)
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn slugs_are_file_names() {
        assert_eq!(slug("nbody/rust (quick)"), "nbody-rust-quick");
        assert_eq!(slug("http-json/go c=16"), "http-json-go-c-16");
        assert_eq!(
            slug("tasks/python-threads N=1000 (quick)"),
            "tasks-python-threads-n-1000-quick"
        );
        assert_eq!(slug("//"), "benchmark");
        assert_eq!(compact("2026-03-11T09:00:00Z"), "2026-03-11 09:00");
        assert_eq!(compact("a1b2c3d*"), "a1b2c3d*");
        let mut same = runs(2);
        same[1].label = same[0].label.clone();
        assert_eq!(axis_labels(&same), ["#1 c000000", "#2 c000000"]);
        assert_eq!(axis_labels(&runs(2)), ["c000000", "c000001"]);
    }

    #[test]
    fn a_step_is_drawn_and_named() {
        let step = Step {
            index: 3,
            run: 3,
            before: 1e6,
            after: 1.25e6,
            ratio: 1.25,
            regression: true,
        };
        let chart =
            history_trend(&series(vec![step]), &runs(6), Metric::KernelTime, 5.0).expect("chart");
        assert_eq!(chart.name, "nbody-rust-quick");
        let text = svg_text(&chart.svg);
        assert!(
            text.contains("step at run 4 (c000003): +25.0% regression"),
            "{text}"
        );
        assert!(chart.svg.contains(&super::super::svg_colour(REGRESSION)));
        assert!(chart.svg.contains("kernel time (ms, log scale)"));
        assert_eq!(display_unit(Metric::KernelTime, 8e5), ("µs", 1e3));
        assert!(chart.caption.contains("run 4 (c000003) +25.0% regression"));
        assert!(chart.png.starts_with(b"\x89PNG"));
    }

    #[test]
    fn no_step_says_so_and_many_runs_thin_the_labels() {
        let chart =
            history_trend(&series(vec![]), &runs(6), Metric::KernelTime, 5.0).expect("chart");
        assert!(chart.caption.contains("no step beyond the 5% threshold"));
        assert!(!chart.svg.contains(&super::super::svg_colour(REGRESSION)));
        let mut x = Axis::categories("x", vec![String::new(); 60]);
        thin_labels(&mut x, 7);
        assert!(x.ticks.len() < 60 && x.ticks[0] == 0.0);
        let mut six = Axis::categories("x", vec![String::new(); 6]);
        thin_labels(&mut six, 7);
        assert_eq!(six.ticks.len(), 6);
    }
}
