//! CPU-suite process charts: where a benchmark process's wall time goes
//! (`cpu-startup`) and how much memory it peaks at (`cpu-memory`).

use super::axis::Axis;
use super::canvas::{render, Figure, Mark, WIDTH};
use super::cpu::{cpu_benchmarks, failure_notes};
use super::legend::LegendEntry;
use super::style::{lighten, MUTED};
use super::{distinct_in_order, group_slot, implementations, mib, Chart};
use crate::report::duration_ns;
use crate::results::{BenchSummary, ResultsFile};

/// Tint of the first-iteration part of a `cpu-startup` bar.
const WARMUP_TINT: f64 = 0.5;
/// Tint of the rest-of-the-process part of a `cpu-startup` bar.
const REST_TINT: f64 = 0.82;

/// The three parts of a run's median wall time, in nanoseconds: the K
/// iterations at the steady kernel time, the first iteration's extra time
/// over the steady one, and the rest of the process (start-up, loading,
/// input generation, exit). Each part is at least 0.
fn wall_parts(s: &BenchSummary, iterations: u64) -> [f64; 3] {
    let kernel = s.kernel_ns.median * iterations.max(1) as f64;
    let warmup = (s.first_iteration_ns.median - s.kernel_ns.median).max(0.0);
    let rest = (s.wall_ns.median - kernel - warmup).max(0.0);
    [kernel, warmup, rest]
}

/// Each CPU benchmark's median wall time split into kernel iterations,
/// first-iteration warm-up and the rest of the process, as shares of 100%.
pub fn cpu_startup(results: &ResultsFile) -> Option<Chart> {
    let benches = cpu_benchmarks(results);
    let workloads = distinct_in_order(benches.iter().map(|b| b.workload.as_str()));
    let imps = implementations(benches.iter().map(|b| b.imp()));
    // Rows top to bottom: workloads in run order, implementations in chart order.
    let mut rows = Vec::new();
    for w in &workloads {
        for imp in &imps {
            let found = benches.iter().find(|b| &b.workload == w && imp.measured(b));
            if let Some((b, s)) = found.and_then(|b| Some((b, b.summary.as_ref()?))) {
                rows.push((
                    format!("{w} · {} ({})", imp.name, duration_ns(s.wall_ns.median)),
                    imp,
                    wall_parts(s, b.iterations),
                ));
            }
        }
    }
    if rows.is_empty() {
        return None;
    }
    let n = rows.len();
    // Plotters' y grows upwards: the first row gets the highest index.
    let names = rows.iter().rev().map(|r| r.0.clone()).collect();
    let x = Axis::fixed(
        "share of the median whole-process wall time (%)",
        0.0,
        100.0,
        20.0,
    );
    let y = Axis::categories("", names);
    let mut marks = Vec::new();
    for (r, (_, imp, parts)) in rows.iter().enumerate() {
        let row = (n - 1 - r) as f64;
        let total: f64 = parts.iter().sum();
        if total <= 0.0 {
            continue;
        }
        let colour = imp.style().colour;
        let mut left = 0.0;
        for (part, tint) in parts.iter().zip([0.0, WARMUP_TINT, REST_TINT]) {
            let right = left + part / total * 100.0;
            marks.push(Mark::Bar {
                x: (left, right),
                y: (row - 0.36, row + 0.36),
                fill: lighten(colour, tint),
                stroke: colour,
            });
            left = right;
        }
    }
    let caption = "Where each CPU benchmark's median whole-process wall time goes: the K kernel \
                   iterations at the steady-state median, the first iteration's extra time over \
                   it (JIT and cache warm-up), and the rest of the process (start-up, loading, \
                   input generation, exit); the label gives the median wall time."
        .to_string();
    let mut fig = Figure::new(
        "cpu-startup",
        "CPU workloads: where the process wall time goes",
        caption,
        x,
        y,
    );
    fig.size = (WIDTH, (120 + 26 * n as u32).max(400));
    fig.legend_width = 190;
    fig.marks = marks;
    fig.legend = imps
        .iter()
        .map(|imp| LegendEntry::Swatch {
            label: imp.name.clone(),
            fill: imp.style().colour,
            stroke: imp.style().colour,
        })
        .collect();
    for (label, tint) in [
        ("darkest: K iterations × steady kernel time", 0.0),
        (
            "lighter: first iteration's extra time (warm-up)",
            WARMUP_TINT,
        ),
        (
            "lightest: rest of the process (start-up, setup, exit)",
            REST_TINT,
        ),
    ] {
        fig.legend.push(LegendEntry::Swatch {
            label: label.into(),
            fill: lighten(MUTED, tint),
            stroke: MUTED,
        });
    }
    fig.legend.extend(failure_notes(&benches));
    render(fig)
}

/// Peak RSS (median over runs) per CPU workload and implementation, MiB, log scale.
pub fn cpu_memory(results: &ResultsFile) -> Option<Chart> {
    let benches = cpu_benchmarks(results);
    let workloads = distinct_in_order(benches.iter().map(|b| b.workload.as_str()));
    let imps = implementations(benches.iter().map(|b| b.imp()));
    let mut bars = Vec::new();
    for (w, workload) in workloads.iter().enumerate() {
        for (i, imp) in imps.iter().enumerate() {
            let rss = benches
                .iter()
                .find(|b| &b.workload == workload && imp.measured(b))
                .and_then(|b| b.summary.as_ref())
                .map(|s| mib(s.max_rss_bytes.median))
                .filter(|&v| v > 0.0);
            if let Some(rss) = rss {
                let (offset, width) = group_slot(i, imps.len(), 0.8);
                let centre = w as f64 + offset;
                bars.push((
                    centre - width * 0.45,
                    centre + width * 0.45,
                    rss,
                    imp.style(),
                ));
            }
        }
    }
    if bars.is_empty() {
        return None;
    }
    let x = Axis::categories("CPU workload", workloads);
    let y = Axis::log(
        "peak resident set size (MiB, log scale)",
        bars.iter().map(|b| b.2),
    )?;
    let marks = bars
        .iter()
        .map(|&(x0, x1, rss, style)| Mark::Bar {
            x: (x0, x1),
            y: (y.lo, rss),
            fill: style.bar_fill(),
            stroke: style.colour,
        })
        .collect();
    let caption = "Peak resident set size of each CPU workload per language (median over runs, \
                   MiB, log scale)."
        .to_string();
    let mut fig = Figure::new("cpu-memory", "CPU workloads: peak memory", caption, x, y);
    fig.marks = marks;
    fig.legend = imps
        .iter()
        .map(|imp| LegendEntry::Swatch {
            label: imp.name.clone(),
            fill: imp.style().bar_fill(),
            stroke: imp.style().colour,
        })
        .collect();
    fig.legend.extend(failure_notes(&benches));
    render(fig)
}
