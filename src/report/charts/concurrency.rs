//! Concurrency-suite charts: peak memory against the number of tasks
//! (`tasks-memory`) and parallel speedup against the number of workers
//! (`parallel-speedup`). A level that did not pass is absent from its
//! line and named in the legend and the caption.

use super::axis::{short_number, significant, Axis};
use super::canvas::{render, Mark};
use super::legend::LegendEntry;
use super::lines::{line_figure, Series};
use super::style::INK;
use super::{implementations, mib, short_message, Chart, Implementation};
use crate::metrics::derived::speedup;
use crate::results::{Benchmark, ResultsFile};
use crate::workload::Vary;

/// The benchmarks of the first workload that varies `vary`, that workload's name,
/// and its implementations in chart order.
fn suite(
    results: &ResultsFile,
    vary: Vary,
) -> Option<(String, Vec<&Benchmark>, Vec<Implementation>)> {
    let of = |b: &&Benchmark| b.level.is_some_and(|l| l.vary == vary);
    let workload = results.benchmarks.iter().find(of)?.workload.clone();
    let benches: Vec<&Benchmark> = results
        .benchmarks
        .iter()
        .filter(of)
        .filter(|b| b.workload == workload)
        .collect();
    let imps = implementations(benches.iter().map(|b| b.imp()));
    Some((workload, benches, imps))
}

/// The benchmarks of one implementation, by increasing level.
fn levels<'a>(benches: &[&'a Benchmark], imp: &Implementation) -> Vec<&'a Benchmark> {
    let mut list: Vec<&Benchmark> = benches
        .iter()
        .copied()
        .filter(|b| imp.measured(b))
        .collect();
    list.sort_by_key(|b| b.level.map(|l| l.value));
    list
}

/// "rust-threads at N=100000: stopped at a resource limit (exit 4)" for the
/// first level of each implementation that has no summary.
fn stop_notes(benches: &[&Benchmark], imps: &[Implementation]) -> Vec<String> {
    imps.iter()
        .filter_map(|imp| {
            let b = levels(benches, imp)
                .into_iter()
                .find(|b| b.summary.is_none())?;
            let level = b.level.map(|l| l.to_string()).unwrap_or_default();
            let why = b
                .failures
                .first()
                .map_or("no measured run", |f| short_message(&f.message));
            Some(format!("{} at {level}: {why}", imp.name))
        })
        .collect()
}

/// Peak RSS against the number of tasks N, log-log, one line per implementation.
pub fn tasks_memory(results: &ResultsFile) -> Option<Chart> {
    let (workload, benches, imps) = suite(results, Vary::Size)?;
    let series = imps
        .iter()
        .map(|imp| Series {
            imp: imp.clone(),
            points: levels(&benches, imp)
                .iter()
                .filter_map(|b| {
                    Some((
                        b.level?.value as f64,
                        mib(b.summary.as_ref()?.max_rss_bytes.median),
                    ))
                })
                .collect(),
        })
        .collect();
    let notes = stop_notes(&benches, &imps);
    let caption = format!(
        "Peak resident set size (median over runs, MiB) of the {workload} workload against the \
         number of concurrent tasks N, one line per implementation, log-log scales{}",
        if notes.is_empty() {
            ".".to_string()
        } else {
            format!("; missing points: {}.", notes.join("; "))
        }
    );
    let mut fig = line_figure(
        "tasks-memory",
        &format!("{workload} workload: peak memory against the number of tasks"),
        caption,
        series,
        |xs| Axis::log("concurrent tasks N (log scale)", xs).map(|a| a.with_format(short_number)),
        |ys| Axis::log("peak resident set size (MiB, log scale)", ys),
    )?;
    fig.legend.extend(notes.into_iter().map(LegendEntry::Note));
    render(fig)
}

/// Parallel speedup T(1)/T(W) against the number of workers W, with the
/// ideal speedup W dashed, one line per implementation.
pub fn parallel_speedup(results: &ResultsFile) -> Option<Chart> {
    let (workload, benches, imps) = suite(results, Vary::Workers)?;
    let series: Vec<Series> = imps
        .iter()
        .map(|imp| {
            let runs = levels(&benches, imp);
            let kernel =
                |b: &Benchmark| Some((b.level?.value, b.summary.as_ref()?.kernel_ns.median));
            let base = runs.iter().find_map(|b| kernel(b).filter(|k| k.0 == 1));
            let points = runs
                .iter()
                .filter_map(|b| {
                    let (w, t) = kernel(b)?;
                    Some((w as f64, speedup(base?.1, t, w)?.0))
                })
                .collect();
            Series {
                imp: imp.clone(),
                points,
            }
        })
        .collect();
    let max_w = benches
        .iter()
        .filter_map(|b| b.level)
        .map(|l| l.value)
        .max()? as f64;
    let workers: Vec<f64> = {
        let mut w: Vec<u64> = benches
            .iter()
            .filter_map(|b| b.level)
            .map(|l| l.value)
            .collect();
        w.sort_unstable();
        w.dedup();
        w.into_iter().map(|v| v as f64).collect()
    };
    let mut notes = stop_notes(&benches, &imps);
    for s in series.iter().filter(|s| s.points.is_empty()) {
        if !notes
            .iter()
            .any(|n| n.starts_with(&format!("{} at", s.imp.name)))
        {
            notes.push(format!(
                "{}: no speedup without a W=1 measurement",
                s.imp.name
            ));
        }
    }
    let caption = format!(
        "Parallel speedup of the {workload} workload: median kernel time with 1 worker divided \
         by the median with W workers, one line per implementation; dashed: the ideal speedup W{}",
        if notes.is_empty() {
            ".".to_string()
        } else {
            format!("; missing points: {}.", notes.join("; "))
        }
    );
    let mut fig = line_figure(
        "parallel-speedup",
        &format!("{workload} workload: speedup against the number of workers"),
        caption,
        series,
        |_| {
            let mut axis = Axis::linear("workers W", 0.0, [max_w]);
            axis.ticks = std::iter::once(0.0)
                .chain(workers.iter().copied())
                .collect();
            Some(axis)
        },
        |ys| {
            Some(
                Axis::linear(
                    "speedup T(1) / T(W) (×)",
                    0.0,
                    ys.into_iter().chain([max_w]),
                )
                .with_format(|v| format!("{}×", significant(v))),
            )
        },
    )?;
    let top = fig.x.hi.min(fig.y.hi);
    fig.marks.insert(
        0,
        Mark::Line {
            points: vec![(0.0, 0.0), (top, top)],
            colour: INK,
            dash: Some((7, 5)),
            width: 1,
        },
    );
    fig.legend.push(LegendEntry::Reference {
        label: "ideal speedup (= W)".into(),
        colour: INK,
        dash: Some((7, 5)),
    });
    fig.legend.extend(notes.into_iter().map(LegendEntry::Note));
    render(fig)
}
