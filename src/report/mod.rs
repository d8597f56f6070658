//! Turning results into text people read: terminal tables for `run`,
//! `exec`, `list` and `doctor`, Markdown and HTML reports, charts. Renderers
//! return strings; callers print them. A table is filled once, as a
//! [`markup::Table`], and rendered as terminal columns or Markdown.

pub mod charts;
pub mod compare;
pub mod concurrency;
pub mod counts;
pub mod export;
pub mod history;
pub mod load;
pub mod markup;
pub mod runtimes;
pub mod steady;
pub mod table;
pub mod verdicts;

use crate::results::steady::Class;
use crate::results::{BenchSummary, Benchmark};

/// A benchmark's steady state for a table cell: the class of its classified
/// runs (with their count when the runs differ), slowdown and no steady
/// state in capitals, then the median warm-up iterations when there are
/// some: `warm-up; 3 it`, `flat`, `warm-up 4/6, SLOWDOWN 2/6; 5 it`. `-`
/// when no run was classified (fewer than 4 iterations).
pub fn steady_cell(s: &BenchSummary) -> String {
    let classified: usize = s.classes.iter().map(|c| c.runs).sum();
    if classified == 0 {
        return "-".to_string();
    }
    let classes: Vec<String> = s
        .classes
        .iter()
        .map(|c| {
            let name = class_mark(c.class);
            if c.runs == classified {
                name
            } else {
                format!("{name} {}/{classified}", c.runs)
            }
        })
        .collect();
    let warmup = s
        .warmup_iterations
        .as_ref()
        .map(|e| e.median)
        .filter(|&m| m > 0.0)
        .map(|m| format!("; {m} it"))
        .unwrap_or_default();
    format!("{}{warmup}", classes.join(", "))
}

/// A class as tables show it: the steady ones in words, the others in
/// capitals so they stand out.
pub fn class_mark(class: Class) -> String {
    if class.is_steady() {
        class.words().to_string()
    } else {
        class.words().to_uppercase()
    }
}

/// One line per benchmark among `benches` with runs that found no steady
/// state or slowed down, saying what its kernel time then is; empty when
/// every classified run was flat or warmed up.
pub fn unsteady_notes(benches: &[Benchmark]) -> String {
    let mut out = String::new();
    for b in benches {
        let Some(s) = &b.summary else { continue };
        let classified: usize = s.classes.iter().map(|c| c.runs).sum();
        for c in s.classes.iter().filter(|c| !c.class.is_steady()) {
            let what = match c.class {
                Class::Slowdown => "the last iterations were slower than earlier ones; its kernel time is that slower last level",
                _ => "still changing at the end; its kernel time is the median of the last quarter of the iterations",
            };
            out.push_str(&format!(
                "  {}: {} in {} of {classified} runs: {what}\n",
                b.label(),
                class_mark(c.class),
                c.runs
            ));
        }
    }
    out
}

/// `5 iterations`, or `5–250 iterations` when the budget gave the
/// benchmarks different counts.
pub fn iteration_counts(benches: &[Benchmark]) -> String {
    let counts = benches
        .iter()
        .filter(|b| b.iterations > 0)
        .map(|b| b.iterations);
    let (lo, hi) = counts.fold((u64::MAX, 0), |(lo, hi), k| (lo.min(k), hi.max(k)));
    match (lo, hi) {
        (u64::MAX, _) => "no iterations".to_string(),
        (1, 1) => "1 iteration".to_string(),
        (lo, hi) if lo == hi => format!("{lo} iterations"),
        (lo, hi) => format!("{lo}–{hi} iterations"),
    }
}

/// `cpu 0.01 CPUs, concurrency 0.86 CPUs`: the other work per suite
/// (`ResultsFile::others_cpus`), as `run` and REPORT.md say it.
pub fn others_cpus_text(others: &std::collections::BTreeMap<crate::kinds::Suite, f64>) -> String {
    let shares: Vec<String> = others
        .iter()
        .map(|(suite, cpus)| format!("{suite} {cpus:.2} CPUs"))
        .collect();
    shares.join(", ")
}

/// Formats nanoseconds with a unit that keeps 3–4 significant digits.
pub fn duration_ns(ns: f64) -> String {
    let abs = ns.abs();
    if abs >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if abs >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if abs >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Formats bytes in binary units.
pub fn bytes(b: f64) -> String {
    const KIB: f64 = 1024.0;
    if b >= KIB * KIB * KIB {
        format!("{:.2} GiB", b / (KIB * KIB * KIB))
    } else if b >= KIB * KIB {
        format!("{:.1} MiB", b / (KIB * KIB))
    } else if b >= KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{b:.0} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(duration_ns(1_234_567_890.0), "1.235 s");
        assert_eq!(duration_ns(12_345_678.0), "12.35 ms");
        assert_eq!(duration_ns(1_500.0), "1.50 µs");
        assert_eq!(duration_ns(999.0), "999 ns");
        assert_eq!(bytes(3.0 * 1024.0 * 1024.0), "3.0 MiB");
        assert_eq!(bytes(512.0), "512 B");
    }
}
