//! The instruction-count chart (`cpu-instructions`): each implementation's
//! instructions per kernel iteration relative to Rust's, per CPU workload and
//! for parallel at one worker, drawn like `cpu-relative` (same colours,
//! markers and log scale) so the two sit side by side. Only a file with
//! counts (`run --measure instructions`) has it. The rows and their ratios
//! come from `report::counts`, which the report's table reads too.

use super::axis::{significant, Axis};
use super::canvas::{render, Figure, Mark};
use super::cpu::ratio_frame;
use super::legend::LegendEntry;
use super::{distinct_in_order, group_slot, implementations, Chart};
use crate::report::counts::{count_rows, repeats, CountRow};
use crate::results::ResultsFile;

/// Instructions per iteration relative to Rust per counted workload, with
/// the min–max over the repeats, log scale; None without a ratio to draw.
pub fn cpu_instructions(results: &ResultsFile) -> Option<Chart> {
    let rows = count_rows(&results.benchmarks);
    let names: Vec<String> = rows.iter().map(CountRow::group).collect();
    let groups = distinct_in_order(names.iter().map(String::as_str));
    let imps = implementations(rows.iter().map(|r| r.bench.imp()));
    let mut values = vec![1.0];
    let mut marks = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        for (i, imp) in imps.iter().enumerate() {
            let Some(row) = rows
                .iter()
                .find(|r| &r.group() == group && imp.measured(r.bench))
            else {
                continue;
            };
            let Some(mid) = row.to_rust else { continue };
            let x = g as f64 + group_slot(i, imps.len(), 0.7).0;
            values.push(mid);
            if let Some((lo, hi)) = row.range_to_rust().filter(|(lo, hi)| lo < hi) {
                values.extend([lo, hi]);
                marks.push(Mark::ErrorBar {
                    x,
                    y: (lo, hi),
                    colour: imp.style().colour,
                });
            }
            marks.push(Mark::Points {
                points: vec![(x, mid)],
                style: imp.style(),
            });
        }
    }
    if marks.is_empty() {
        return None;
    }
    let x = Axis::categories("workload", groups.clone());
    let y = Axis::log("instructions per iteration ÷ Rust's (×, log scale)", values)?
        .with_format(|v| format!("{}×", significant(v)));
    let legend = ratio_frame(&mut marks, &x, &imps, "Rust (1×)");
    let counted = match results.settings.count_runs {
        1 => "one repeat under valgrind's cachegrind".to_string(),
        n => format!(
            "median of {} under valgrind's cachegrind, bars from the fewest to the most",
            repeats(n)
        ),
    };
    let caption = format!(
        "Instructions per kernel iteration of each CPU workload (and parallel at one worker) \
         divided by Rust's on that workload (1× = Rust), {counted}, log scale. Instructions are \
         not time: an interpreter's instruction is not a native one, and cache and branch misses \
         are not in the count; claims are decided on time."
    );
    let mut fig = Figure::new(
        "cpu-instructions",
        "Instructions per iteration relative to Rust (not time)",
        caption,
        x,
        y,
    );
    // 100 px more per workload beyond the five of cpu-relative, so the
    // workload names (parallel W=1 is the sixth) do not run into each other.
    fig.size.0 += 100 * groups.len().saturating_sub(5) as u32;
    fig.marks = marks;
    fig.legend = legend;
    if rows.iter().any(|r| r.counting.repeats.len() > 1) {
        fig.legend.push(LegendEntry::Note(
            "bars: fewest to most over the repeats".into(),
        ));
    }
    fig.legend.push(LegendEntry::Note(
        "not time: an interpreter's instruction is not a native one; cache and branch misses \
         are not counted"
            .into(),
    ));
    fig.legend.extend(notes(&rows, &groups));
    render(fig)
}

/// What the plot cannot show: counts that failed, workloads without a Rust
/// count, and counts that moved between repeats beyond their tolerance.
fn notes(rows: &[CountRow], groups: &[String]) -> Vec<LegendEntry> {
    let mut notes = Vec::new();
    for group in groups {
        let members: Vec<&CountRow> = rows.iter().filter(|r| &r.group() == group).collect();
        if members.iter().all(|r| r.to_rust.is_none()) {
            notes.push(format!("{group}: no Rust count, not drawn"));
        }
    }
    for r in rows {
        let name = format!("{}/{}", r.group(), r.bench.implementation());
        match r.summary {
            None => {
                let why = r
                    .bench
                    .failures
                    .first()
                    .map_or("no counted repeat", |f| super::short_message(&f.message));
                notes.push(format!("{name}: no count ({why})"));
            }
            Some(s) if !s.deterministic => notes.push(format!(
                "{name}: NON-DETERMINISTIC (spread {:.2}% > {}%)",
                s.spread_pct, r.counting.tolerance_pct
            )),
            Some(_) => {}
        }
    }
    notes.into_iter().map(LegendEntry::Note).collect()
}
