//! The warm-up chart (`cpu-warmup`): each CPU workload's iteration time
//! against the iteration index within a process, one panel per workload,
//! one line per implementation (the median over its measured runs, with the
//! min–max band; a long series in bins of consecutive iterations), and
//! where its warm-up ends (the median warm-up iterations
//! of its classified runs, `results::steady`).

use super::axis::{significant, Axis};
use super::canvas::{render, Figure, Mark, Panels, WIDTH};
use super::cpu::{cpu_benchmarks, failure_notes};
use super::legend::LegendEntry;
use super::style::MUTED;
use super::{distinct_in_order, implementations, Chart, Implementation};
use crate::results::{Benchmark, ResultsFile};
use crate::stats::Sample;

/// Height of one row of panels, in pixels.
const ROW_HEIGHT: u32 = 260;

/// The most points a line is drawn with: longer series are drawn in bins of
/// consecutive iterations (the median of their medians, the min of their
/// minima, the max of their maxima), finer than a panel's pixels.
const MAX_POINTS: usize = 100;

/// One implementation's line on one workload.
struct Trace {
    /// (iteration index from 1, median, min, max), iteration times in ms.
    points: Vec<(f64, f64, f64, f64)>,
    /// The median warm-up iterations of its classified runs, if any warmed up.
    warmup: Option<f64>,
}

/// Per iteration index, the median, min and max over the measured runs that
/// reached it; the warm-up boundary from the summary.
fn trace(b: &Benchmark) -> Option<Trace> {
    let runs: Vec<&Vec<u64>> = b
        .runs
        .iter()
        .filter(|r| !r.warmup)
        .map(|r| &r.iterations_ns)
        .collect();
    let longest = runs.iter().map(|r| r.len()).max()?;
    let points: Vec<(f64, f64, f64, f64)> = (0..longest)
        .filter_map(|i| {
            let at: Vec<f64> = runs
                .iter()
                .filter_map(|r| r.get(i))
                .map(|&ns| ns as f64 / 1e6)
                .filter(|&ms| ms > 0.0)
                .collect();
            let s = Sample::new(at).ok()?;
            Some(((i + 1) as f64, s.median(), s.min(), s.max()))
        })
        .collect();
    if points.is_empty() || b.summary.is_none() {
        return None;
    }
    let points = binned(&points);
    let warmup = b
        .summary
        .as_ref()
        .and_then(|s| s.warmup_iterations.as_ref())
        .map(|e| e.median)
        .filter(|&w| w > 0.0);
    Some(Trace { points, warmup })
}

/// `points` in at most [`MAX_POINTS`] bins of consecutive iterations, each
/// at the mean index of its iterations.
fn binned(points: &[(f64, f64, f64, f64)]) -> Vec<(f64, f64, f64, f64)> {
    let size = points.len().div_ceil(MAX_POINTS).max(1);
    points
        .chunks(size)
        .map(|c| {
            let x = c.iter().map(|p| p.0).sum::<f64>() / c.len() as f64;
            let median =
                Sample::new(c.iter().map(|p| p.1).collect()).map_or(c[0].1, |s| s.median());
            let lo = c.iter().map(|p| p.2).fold(f64::INFINITY, f64::min);
            let hi = c.iter().map(|p| p.3).fold(f64::NEG_INFINITY, f64::max);
            (x, median, lo, hi)
        })
        .collect()
}

/// One panel: the traces of one workload.
fn panel(workload: &str, traces: &[(&Implementation, Trace)]) -> Option<Figure> {
    let last = traces
        .iter()
        .flat_map(|(_, t)| t.points.last().map(|p| p.0))
        .fold(1.0, f64::max);
    let x = Axis::linear("iteration", 0.0, [last]);
    let y = Axis::log(
        "iteration time (ms, log)",
        traces
            .iter()
            .flat_map(|(_, t)| t.points.iter().flat_map(|p| [p.2, p.3])),
    )?
    .with_format(significant);
    let mut bands = Vec::new();
    let mut lines = Vec::new();
    for (imp, t) in traces {
        let style = imp.style();
        bands.push(Mark::Band {
            upper: t.points.iter().map(|p| (p.0, p.3)).collect(),
            lower: t.points.iter().map(|p| (p.0, p.2)).collect(),
            colour: style.colour,
        });
        lines.push(Mark::Line {
            points: t.points.iter().map(|p| (p.0, p.1)).collect(),
            colour: style.colour,
            dash: style.dash(),
            width: 2,
        });
        if let Some(w) = t.warmup {
            // Between the last warm-up iteration and the first steady one.
            lines.push(Mark::Line {
                points: vec![(w + 0.5, y.lo), (w + 0.5, y.hi)],
                colour: style.colour,
                dash: Some((4, 4)),
                width: 1,
            });
        }
    }
    let mut fig = Figure::new("cpu-warmup", workload, String::new(), x, y);
    fig.marks = bands;
    fig.marks.extend(lines);
    Some(fig)
}

/// Iteration time against iteration index per CPU workload and
/// implementation: median over the measured runs with the min–max band, log
/// scale, the end of the warm-up marked.
pub fn cpu_warmup(results: &ResultsFile) -> Option<Chart> {
    let benches = cpu_benchmarks(results);
    let workloads = distinct_in_order(benches.iter().map(|b| b.workload.as_str()));
    let imps = implementations(benches.iter().map(|b| b.imp()));
    let traces: Vec<(&str, Vec<(&Implementation, Trace)>)> = workloads
        .iter()
        .map(|w| {
            let traces = imps
                .iter()
                .filter_map(|imp| {
                    let b = benches
                        .iter()
                        .find(|b| &b.workload == w && imp.measured(b))?;
                    Some((imp, trace(b)?))
                })
                .collect();
            (w.as_str(), traces)
        })
        .collect();
    let any_warmup = traces
        .iter()
        .any(|(_, ts)| ts.iter().any(|(_, t)| t.warmup.is_some()));
    let plots: Vec<Figure> = traces.iter().filter_map(|(w, ts)| panel(w, ts)).collect();
    if plots.is_empty() {
        return None;
    }
    let columns = if plots.len() == 1 { 1 } else { 2 };
    let rows = plots.len().div_ceil(columns) as u32;
    let mut legend: Vec<LegendEntry> = imps
        .iter()
        .map(|imp| LegendEntry::Line {
            label: imp.name.clone(),
            style: imp.style(),
        })
        .collect();
    if any_warmup {
        legend.push(LegendEntry::Reference {
            label: "end of warm-up (median over runs)".into(),
            colour: MUTED,
            dash: Some((4, 4)),
        });
    }
    legend.push(LegendEntry::Note(
        "line: median over the measured runs; band: their min–max".into(),
    ));
    legend.extend(failure_notes(&benches));
    let caption = "Kernel time of each iteration within one process against its index, per CPU \
                   workload and language: the median over the measured runs with the min–max \
                   band, log scale, and a dashed line where the warm-up ends (the median number \
                   of iterations before each run's steady segment; none when the runs were flat \
                   or too short to classify)."
        .to_string();
    render(Panels {
        name: "cpu-warmup",
        title: "CPU workloads: iteration time within a process".into(),
        caption,
        size: (WIDTH, 40 + rows * ROW_HEIGHT),
        columns,
        plots,
        legend,
        legend_width: 180,
    })
}
