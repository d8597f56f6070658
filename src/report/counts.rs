//! The instruction counts of a results file as the report shows them
//! (`run --measure instructions`): one row per counted benchmark with its
//! ratio to Rust on the same workload, and the section of `REPORT.md` and
//! `index.html` that says what the counts are and what they are not.
//!
//! In: a [`ResultsFile`]. Out: [`CountRow`]s (the `cpu-instructions` chart
//! draws the same rows) and a [`Section`] (text, a [`Table`], notes)
//! that `verdicts.rs` renders as Markdown or HTML. Nothing here when the file
//! holds no count.

use crate::kinds::Measure;
use crate::lang::Lang;
use crate::results::{Benchmark, CountSummary, Counting, ResultsFile};

use super::compare::count;
use super::markup::{Cell, Section, Table};

/// Why an instruction count is not a time.
const NOT_TIME: &str = "Instructions are not time: an interpreter executes many native \
instructions for each operation of its program, an instruction is no fixed amount of time, and \
cache and branch misses are not in the count.";

/// How the counts were made and what they are for, in one paragraph.
const HOW: &str = "Counted under valgrind's cachegrind with simulated caches, the same on \
every machine (I1 and D1 32 KiB 8-way, LL 8 MiB 16-way, 64-byte lines), as the difference \
between runs of K1 and K2 iterations divided by K2 − K1, so start-up is left out. Estimated \
cycles = L1 hits + 5 × LL hits + 35 × RAM hits (Gungraun's formula): simulated cache misses \
weighed in, still no branch misprediction and no overlap of instructions. The counts are for \
catching regressions between runs; every claim is decided on time.";

/// One counted benchmark.
#[derive(Debug, Clone, Copy)]
pub struct CountRow<'a> {
    /// The benchmark.
    pub bench: &'a Benchmark,
    /// How it was counted.
    pub counting: &'a Counting,
    /// Its summary; None when the count failed.
    pub summary: Option<&'a CountSummary>,
    /// Median instructions per iteration divided by plain Rust's (on its
    /// default runtime) on the same workload and level; None without both
    /// counts.
    pub to_rust: Option<f64>,
}

impl CountRow<'_> {
    /// The workload as a chart category: `nbody`, or `parallel W=1`.
    pub fn group(&self) -> String {
        match &self.bench.level {
            Some(level) => format!("{} {level}", self.bench.workload),
            None => self.bench.workload.clone(),
        }
    }

    /// The smallest and largest instructions per iteration over the repeats,
    /// divided by Rust's median; None without a ratio or a repeat.
    pub fn range_to_rust(&self) -> Option<(f64, f64)> {
        let rust = self.summary?.instructions.median / self.to_rust?;
        let values = self.counting.instructions();
        let lo = values.iter().copied().reduce(f64::min)?;
        let hi = values.iter().copied().reduce(f64::max)?;
        Some((lo / rust, hi / rust))
    }
}

/// Every benchmark of `benchmarks` with a count, by workload (in the given
/// order) and then by language, variant and runtime; empty without counts. The one
/// reading of counts for `run`'s table, the report's section and its chart.
pub fn count_rows(benchmarks: &[Benchmark]) -> Vec<CountRow<'_>> {
    let counted: Vec<&Benchmark> = benchmarks.iter().filter(|b| b.counting.is_some()).collect();
    let mut groups: Vec<(&str, Option<crate::results::Level>)> = Vec::new();
    for b in &counted {
        if !groups.contains(&(b.workload.as_str(), b.level)) {
            groups.push((b.workload.as_str(), b.level));
        }
    }
    let median = |b: &Benchmark| Some(b.counting.as_ref()?.summary.as_ref()?.instructions.median);
    let mut rows = Vec::new();
    for (workload, level) in groups {
        let mut members: Vec<&Benchmark> = counted
            .iter()
            .copied()
            .filter(|b| b.workload == workload && b.level == level)
            .collect();
        members.sort_by_key(|b| b.imp());
        let rust = members
            .iter()
            .find(|b| b.lang == Lang::Rust && b.variant.is_none() && b.runtime.is_none())
            .and_then(|b| median(b))
            .filter(|&m| m > 0.0);
        for b in members {
            let counting = b.counting.as_ref().expect("filtered");
            let summary = counting.summary.as_ref();
            rows.push(CountRow {
                bench: b,
                counting,
                summary,
                to_rust: median(b).zip(rust).map(|(m, r)| m / r),
            });
        }
    }
    rows
}

/// The section on the counts of `results`; None when it holds none.
pub fn count_section(results: &ResultsFile) -> Option<Section> {
    let rows = count_rows(&results.benchmarks);
    if rows.is_empty() {
        return None;
    }
    let valgrind = results.settings.valgrind.as_deref().unwrap_or("valgrind");
    let intro = vec![
        format!(
            "Instructions and estimated cycles per kernel iteration of each CPU workload and of \
             parallel at one worker ({} each, {valgrind}). {NOT_TIME}",
            repeats(results.settings.count_runs)
        ),
        HOW.to_string(),
    ];
    let mut table = Table::new([
        "benchmark",
        "instructions / iteration",
        "est. cycles / iteration",
        "÷ Rust",
        "spread",
        "repeats",
        "flag",
    ])
    .right_aligned([1, 2, 3, 4, 5]);
    let mut notes = Vec::new();
    let mut flagged = false;
    for row in &rows {
        let Some(s) = row.summary else {
            let why = row
                .bench
                .failures
                .first()
                .map_or("no counted repeat", |f| f.message.as_str());
            notes.push(format!("{}: not counted ({why})", row.bench.label()));
            continue;
        };
        flagged |= !s.deterministic;
        table.push([
            Cell::from(row.bench.label()),
            count(s.instructions.median).into(),
            count(s.estimated_cycles.median).into(),
            row.to_rust
                .map_or("–".to_string(), |r| format!("{r:.2}×"))
                .into(),
            spread(s).into(),
            s.repeats.to_string().into(),
            if s.deterministic {
                Cell::from("")
            } else {
                Cell::strong(format!(
                    "NON-DETERMINISTIC (> {}%)",
                    row.counting.tolerance_pct
                ))
            },
        ]);
    }
    let mut head = vec![
        "÷ Rust: median instructions per iteration divided by Rust's on the same workload \
         (– without a Rust count); spread: (max − min) / median over the repeats, the larger \
         of the two figures' (– for one repeat)."
            .to_string(),
    ];
    if rows.iter().all(|r| r.to_rust.is_none()) {
        head.push(
            "No Rust count in this file: no ratio to Rust, and no chart of the ratios.".to_string(),
        );
    }
    if flagged {
        head.push(
            "NON-DETERMINISTIC: the spread passed the runtime's tolerance, so the count moves \
             between runs of the same code: its median is shown, not to be trusted to 1%."
                .to_string(),
        );
    }
    head.append(&mut notes);
    Some(Section {
        intro,
        table,
        notes: head,
    })
}

/// `1 repeat`, `2 repeats`.
pub(crate) fn repeats(n: u32) -> String {
    if n == 1 {
        "1 repeat".to_string()
    } else {
        format!("{n} repeats")
    }
}

/// The spread over the repeats, or `–` for one repeat, which has none.
pub(crate) fn spread(s: &CountSummary) -> String {
    if s.repeats < 2 {
        "–".to_string()
    } else {
        format!("{:.3}%", s.spread_pct)
    }
}

/// A sentence for a file that holds counts and no time: no claim is tested.
pub fn counts_only_note(results: &ResultsFile) -> Option<&'static str> {
    Measure::counts_only(&results.settings.measure).then_some(
        "This results file holds instruction counts only (`run --measure instructions`): claims \
         are decided on time, so none is tested here. The counts are in the report's section \
         Instruction counts.",
    )
}

/// Instruction counts added to a results file, for the report's tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::results::{summary, CountRepeat, Counting, ResultsFile};
    use crate::runner::cachegrind::Counts;
    use crate::workload::Vary;

    /// Counts every CPU benchmark of `results` and parallel at W=1: two
    /// repeats of (its median kernel time in ns × 3) instructions per
    /// iteration, as `run --measure time,instructions` would record them;
    /// `spread` multiplies the second repeat. Summaries recomputed.
    pub fn add_counts(results: &mut ResultsFile, spread: f64) {
        for b in &mut results.benchmarks {
            let counted = b
                .level
                .is_none_or(|l| l.vary == Vary::Workers && l.value == 1);
            let Some(s) = b.summary.as_ref().filter(|_| counted) else {
                continue;
            };
            let v = (s.kernel_ns.median * 3.0).round();
            let mut c = Counting::new(vec!["valgrind".into()], Vec::new(), 2, 4, 0.5);
            c.repeats = [v, v * spread]
                .iter()
                .enumerate()
                .map(|(round, &instructions)| CountRepeat {
                    round: round as u32,
                    low: Counts::default(),
                    high: Counts::default(),
                    instructions,
                    estimated_cycles: instructions * 1.5,
                    wall_ns: 1,
                })
                .collect();
            b.counting = Some(c);
        }
        results
            .settings
            .measure
            .push(crate::kinds::Measure::Instructions);
        results.settings.count_runs = 2;
        results.settings.valgrind = Some("valgrind-3.19.0".into());
        summary::summarize_all(&mut results.benchmarks);
    }
}

#[cfg(test)]
mod tests {
    use super::testing::add_counts;
    use super::*;

    fn fixture() -> ResultsFile {
        let text = include_str!("../../tests/fixtures/results/all-suites.json");
        serde_json::from_str(text).expect("fixture parses")
    }

    #[test]
    fn a_file_without_counts_has_no_section() {
        let results = fixture();
        assert!(count_rows(&results.benchmarks).is_empty());
        assert!(count_section(&results).is_none());
        assert!(counts_only_note(&results).is_none());
    }

    #[test]
    fn rows_are_relative_to_plain_rust_on_the_same_workload_and_level() {
        let mut results = fixture();
        add_counts(&mut results, 1.0);
        let rows = count_rows(&results.benchmarks);
        let groups: Vec<String> = rows.iter().map(CountRow::group).collect();
        assert!(groups.contains(&"nbody".to_string()));
        assert!(groups.contains(&"parallel W=1".to_string()));
        assert!(!groups.iter().any(|g| g.starts_with("tasks")), "{groups:?}");
        for r in &rows {
            let rust = rows
                .iter()
                .find(|o| o.group() == r.group() && o.bench.implementation() == "rust")
                .unwrap();
            let expected =
                r.summary.unwrap().instructions.median / rust.summary.unwrap().instructions.median;
            assert!((r.to_rust.unwrap() - expected).abs() < 1e-12);
        }
        // Rows of a workload: languages in Lang order, plain before variants.
        let parallel: Vec<String> = rows
            .iter()
            .filter(|r| r.bench.workload == "parallel")
            .map(|r| r.bench.implementation())
            .collect();
        assert_eq!(parallel[0], "node");
        assert_eq!(parallel.last().unwrap(), "rust");
    }

    #[test]
    fn the_section_says_what_counts_are_not_and_flags_a_spread() {
        let mut results = fixture();
        add_counts(&mut results, 1.02);
        let section = count_section(&results).unwrap();
        let intro = section.intro.join(" ");
        for words in [
            "Instructions are not time",
            "I1 and D1 32 KiB 8-way, LL 8 MiB 16-way, 64-byte lines",
            "L1 hits + 5 × LL hits + 35 × RAM hits (Gungraun's formula)",
            "every claim is decided on time",
            "2 repeats each, valgrind-3.19.0",
        ] {
            assert!(intro.contains(words), "{words}: {intro}");
        }
        let md = section.table.to_markdown();
        assert!(md.contains("| nbody/rust |"), "{md}");
        assert!(
            md.contains("| 1.00× | 1.980% | 2 | **NON-DETERMINISTIC (> 0.5%)** |"),
            "{md}"
        );
        assert!(section
            .notes
            .iter()
            .any(|n| n.starts_with("NON-DETERMINISTIC")));
        // Within the tolerance: no flag and no note about one.
        add_counts(&mut results, 1.001);
        let section = count_section(&results).unwrap();
        assert!(!section.table.to_markdown().contains("NON-DETERMINISTIC"));
        assert!(!section
            .notes
            .iter()
            .any(|n| n.contains("NON-DETERMINISTIC")));
    }

    #[test]
    fn one_repeat_has_no_spread() {
        let mut results = fixture();
        add_counts(&mut results, 1.0);
        for b in &mut results.benchmarks {
            if let Some(c) = b.counting.as_mut() {
                c.repeats.truncate(1);
            }
        }
        crate::results::summary::summarize_all(&mut results.benchmarks);
        let md = count_section(&results).unwrap().table.to_markdown();
        assert!(md.contains("| 1.00× | – | 1 |  |"), "{md}");
        assert_eq!(repeats(1), "1 repeat");
        assert_eq!(repeats(3), "3 repeats");
    }

    #[test]
    fn a_failed_count_is_named_and_a_count_only_file_says_no_claim_is_tested() {
        let mut results = fixture();
        add_counts(&mut results, 1.0);
        let b = results
            .benchmarks
            .iter_mut()
            .find(|b| b.workload == "nbody" && b.lang == Lang::Go)
            .unwrap();
        b.failures.push(crate::results::FailureRecord {
            round: Some(0),
            kind: crate::runner::verify::FailureKind::Count,
            message: "no counts".into(),
            stderr_tail: String::new(),
            wall_ns: None,
        });
        crate::results::summary::summarize_all(&mut results.benchmarks);
        let section = count_section(&results).unwrap();
        assert!(
            section
                .notes
                .contains(&"nbody/go: not counted (no counts)".to_string()),
            "{:?}",
            section.notes
        );
        assert!(counts_only_note(&results).is_none());
        results.settings.measure = vec![Measure::Instructions];
        assert!(counts_only_note(&results)
            .unwrap()
            .contains("none is tested"));
    }
}
