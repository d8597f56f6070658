//! CPU-suite speed charts: each language's kernel time relative to the
//! fastest per workload (`cpu-relative`) and its geometric mean over the
//! workloads (`cpu-geomean`), annotated with the level the article gives
//! each language.

use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{significant, Axis};
use super::canvas::{render, Figure, Mark};
use super::legend::LegendEntry;
use super::style::MUTED;
use super::{distinct_in_order, group_slot, implementations, Chart, Implementation};
use crate::lang::Lang;
use crate::results::{Benchmark, ResultsFile};

/// The CPU suite's benchmarks (no concurrency level).
pub(super) fn cpu_benchmarks(results: &ResultsFile) -> Vec<&Benchmark> {
    results
        .benchmarks
        .iter()
        .filter(|b| b.level.is_none())
        .collect()
}

/// The fastest median kernel time of a workload, in nanoseconds.
fn fastest_kernel(benches: &[&Benchmark], workload: &str) -> Option<f64> {
    benches
        .iter()
        .filter(|b| b.workload == workload)
        .filter_map(|b| b.summary.as_ref())
        .map(|s| s.kernel_ns.median)
        .filter(|&m| m > 0.0)
        .reduce(f64::min)
}

/// One implementation's kernel ratio on one workload: median, CI low, CI high.
fn ratio(benches: &[&Benchmark], workload: &str, imp: &Implementation) -> Option<(f64, f64, f64)> {
    let best = fastest_kernel(benches, workload)?;
    let b = benches
        .iter()
        .find(|b| b.workload == workload && imp.measured(b))?;
    let k = &b.summary.as_ref()?.kernel_ns;
    Some((k.median / best, k.ci_low / best, k.ci_high / best))
}

/// Notes for the benchmarks that have no summary (failed or not run).
pub(super) fn failure_notes(benches: &[&Benchmark]) -> Vec<LegendEntry> {
    benches
        .iter()
        .filter(|b| b.summary.is_none())
        .map(|b| {
            let why = b
                .failures
                .first()
                .map(|f| super::short_message(&f.message).to_string())
                .unwrap_or_else(|| "no measured run".to_string());
            LegendEntry::Note(format!(
                "{}/{}: no data ({why})",
                b.workload,
                b.implementation()
            ))
        })
        .collect()
}

/// The frame of a chart of ratios per workload: the dashed 1× line across
/// `x` (drawn first, under the points), and the legend of `imps` followed by
/// the 1× line named `reference`. `cpu-relative` and `cpu-instructions`
/// share it, so the two read alike side by side.
pub(super) fn ratio_frame(
    marks: &mut Vec<Mark>,
    x: &Axis,
    imps: &[Implementation],
    reference: &str,
) -> Vec<LegendEntry> {
    marks.insert(
        0,
        Mark::Line {
            points: vec![(x.lo, 1.0), (x.hi, 1.0)],
            colour: MUTED,
            dash: Some((6, 4)),
            width: 1,
        },
    );
    let mut legend: Vec<LegendEntry> = imps
        .iter()
        .map(|imp| LegendEntry::Points {
            label: imp.name.clone(),
            style: imp.style(),
        })
        .collect();
    legend.push(LegendEntry::Reference {
        label: reference.into(),
        colour: MUTED,
        dash: Some((6, 4)),
    });
    legend
}

/// Kernel time per CPU workload relative to the fastest language on it,
/// with 95% confidence intervals, log scale.
pub fn cpu_relative(results: &ResultsFile) -> Option<Chart> {
    let benches = cpu_benchmarks(results);
    let workloads = distinct_in_order(benches.iter().map(|b| b.workload.as_str()));
    let imps = implementations(benches.iter().map(|b| b.imp()));
    let mut values = vec![1.0];
    let mut marks = Vec::new();
    for (w, workload) in workloads.iter().enumerate() {
        for (i, imp) in imps.iter().enumerate() {
            let Some((mid, lo, hi)) = ratio(&benches, workload, imp) else {
                continue;
            };
            let x = w as f64 + group_slot(i, imps.len(), 0.7).0;
            values.extend([mid, lo, hi]);
            let colour = imp.style().colour;
            marks.push(Mark::ErrorBar {
                x,
                y: (lo, hi),
                colour,
            });
            marks.push(Mark::Points {
                points: vec![(x, mid)],
                style: imp.style(),
            });
        }
    }
    if marks.is_empty() {
        return None;
    }
    let x = Axis::categories("CPU workload", workloads);
    let y = Axis::log("kernel time relative to the fastest (×, log scale)", values)?
        .with_format(|v| format!("{}×", significant(v)));
    let legend = ratio_frame(&mut marks, &x, &imps, "fastest (1×)");
    let caption = format!(
        "Steady-state kernel time of each CPU workload divided by the fastest language's on \
         that workload (1× = fastest), median of {} runs with its 95% bootstrap confidence \
         interval, log scale.",
        results.settings.runs
    );
    let mut fig = Figure::new(
        "cpu-relative",
        "CPU workloads: kernel time relative to the fastest",
        caption,
        x,
        y,
    );
    fig.marks = marks;
    fig.legend = legend;
    fig.legend.push(LegendEntry::Note(
        "bars: 95% confidence interval of the median".into(),
    ));
    fig.legend.extend(failure_notes(&benches));
    render(fig)
}

/// The level the article gives a language, printed on its `cpu-geomean` bar.
pub fn article_level(lang: Lang) -> &'static str {
    match lang {
        Lang::Rust => "Extremely High",
        Lang::Go => "Very High",
        Lang::Node => "Moderate",
        Lang::Python => "Low",
    }
}

/// Geometric mean over the CPU workloads of each implementation's kernel
/// ratio to the fastest, each bar labelled with the article's level.
pub fn cpu_geomean(results: &ResultsFile) -> Option<Chart> {
    let benches = cpu_benchmarks(results);
    let workloads = distinct_in_order(benches.iter().map(|b| b.workload.as_str()));
    let imps = implementations(benches.iter().map(|b| b.imp()));
    let means: Vec<(&Implementation, f64, usize)> = imps
        .iter()
        .filter_map(|imp| {
            let logs: Vec<f64> = workloads
                .iter()
                .filter_map(|w| ratio(&benches, w, imp))
                .map(|(mid, _, _)| mid.ln())
                .filter(|l| l.is_finite())
                .collect();
            (!logs.is_empty()).then(|| {
                (
                    imp,
                    (logs.iter().sum::<f64>() / logs.len() as f64).exp(),
                    logs.len(),
                )
            })
        })
        .collect();
    if means.is_empty() {
        return None;
    }
    let names = means.iter().map(|(imp, _, _)| imp.name.clone()).collect();
    let x = Axis::categories("implementation", names);
    // Room above the tallest bar for its two-line label.
    let headroom = means.iter().map(|m| m.1 * 4.0);
    let y = Axis::log(
        "geometric mean of kernel time ÷ fastest (×, log scale)",
        means.iter().map(|m| m.1).chain(headroom).chain([1.0]),
    )?
    .with_format(|v| format!("{}×", significant(v)));
    let mut marks = Vec::new();
    for (i, (imp, mean, _)) in means.iter().enumerate() {
        let style = imp.style();
        let x0 = i as f64;
        marks.push(Mark::Bar {
            x: (x0 - 0.3, x0 + 0.3),
            y: (y.lo, *mean),
            fill: style.bar_fill(),
            stroke: style.colour,
        });
        let mut label = |text: String, dy: i32| {
            marks.push(Mark::Text {
                at: (x0, *mean),
                offset: (0, dy),
                text,
                anchor: (HPos::Center, VPos::Bottom),
                colour: super::style::INK,
            })
        };
        label(format!("{}×", significant(*mean)), -4);
        // The article rates languages: every runtime's plain implementation
        // gets its language's level.
        if imp.imp.variant.is_none() {
            label(format!("article: {}", article_level(imp.imp.lang)), -22);
        }
    }
    let caption = format!(
        "Geometric mean over the {} CPU workloads of each language's kernel time relative to \
         the fastest on each workload (1× = fastest everywhere), labelled with the level the \
         article gives that language.",
        workloads.len()
    );
    let mut fig = Figure::new(
        "cpu-geomean",
        "CPU workloads: geometric mean of relative kernel time",
        caption,
        x,
        y,
    );
    fig.marks = marks;
    fig.legend = means
        .iter()
        .map(|(imp, _, n)| {
            let label = if *n == workloads.len() {
                imp.name.clone()
            } else {
                format!("{} (over {n} of {} workloads)", imp.name, workloads.len())
            };
            LegendEntry::Swatch {
                label,
                fill: imp.style().bar_fill(),
                stroke: imp.style().colour,
            }
        })
        .collect();
    fig.legend.push(LegendEntry::Note(
        "label: the article's level for the language".into(),
    ));
    fig.legend.extend(failure_notes(&benches));
    render(fig)
}
