//! The Steady state section of REPORT.md and index.html: per benchmark, how
//! its processes' iteration series behaved (`results::steady`), how many
//! iterations warmed up and what they cost, and the steady kernel time the
//! claims and comparisons use. Runs that slowed down or found no steady
//! state are named in capitals and listed under the table.

use crate::results::{Benchmark, ResultsFile};
use crate::stats::steady::{EXCURSION_SHARE, MIN_SEGMENT, MIN_SEGMENT_SHARE, THRESHOLD};

use super::markup::{Section, Table};
use super::{duration_ns, steady_cell, unsteady_notes};

/// The section on `results`' steady states; None when no run was classified
/// (every run too short, or a file written before the classes).
pub fn steady_section(results: &ResultsFile) -> Option<Section> {
    let classified: Vec<&Benchmark> = results
        .benchmarks
        .iter()
        .filter(|b| b.summary.as_ref().is_some_and(|s| !s.classes.is_empty()))
        .collect();
    if classified.is_empty() {
        return None;
    }
    let mut table = Table::new([
        "benchmark",
        "iterations",
        "steady state",
        "warm-up time",
        "steady kernel time",
    ]);
    for b in &classified {
        let s = b.summary.as_ref().expect("filtered");
        table.push([
            b.label(),
            b.iterations.to_string(),
            steady_cell(s),
            s.warmup_ns
                .as_ref()
                .map_or("-".to_string(), |e| duration_ns(e.median)),
            duration_ns(s.kernel_ns.median),
        ]);
    }
    let budget = match results.settings.iteration_budget_ms {
        0 => "Each run made the manifest's iteration count.".to_string(),
        ms => format!(
            "Each measured run made enough iterations for {} of kernel time, from the time \
             of one iteration on the warm-up run (at least the manifest's count, at most 500).",
            if ms % 1000 == 0 {
                format!("{} s", ms / 1000)
            } else {
                format!("{ms} ms")
            }
        ),
    };
    let intro = vec![
        format!(
            "Each process's iteration series is cut into segments of constant level by a \
             penalised change-point fit (segments within {:.0}% of each other are one level; \
             a segment shorter than {:.0}% of the series, a burst of preemption or garbage \
             collection, is an excursion, not a level), and classed as Barrett et al. (\"Virtual Machine Warmup Blows Hot and Cold\", OOPSLA \
             2017) do: flat (one level), warm-up (the last level is the fastest), SLOWDOWN (the \
             last level is slower than an earlier one) or NO STEADY STATE (the last level holds \
             fewer than {:.0}% of the iterations, or fewer than {MIN_SEGMENT}). The kernel time the \
             claims and comparisons use is each run's steady level, the median of its last \
             segment; the iterations before it are its warm-up. {budget}",
            THRESHOLD * 100.0,
            EXCURSION_SHARE * 100.0,
            MIN_SEGMENT_SHARE * 100.0
        ),
        format!(
            "Per benchmark: the iterations of each measured run, the classes of its runs \
             (with their count when they differ) and the median warm-up iterations, the median \
             warm-up time, and the median steady kernel time. A run of fewer than {} \
             iterations is not classified.",
            crate::stats::steady::MIN_SERIES
        ),
    ];
    let notes = unsteady_notes(&results.benchmarks)
        .lines()
        .map(|l| l.trim().to_string())
        .collect();
    Some(Section {
        intro,
        table,
        notes,
    })
}
