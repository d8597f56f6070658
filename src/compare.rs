//! Comparing two results files: which benchmarks got slower or faster.
//!
//! Benchmarks are matched by their [`BenchmarkKey`] and read through
//! [`crate::metrics::samples`], as history, export and the claims read them
//! (so, for one, unmeasured zero usage is left out everywhere). For each pair the change is the ratio of
//! medians NEW / BASE of one metric, with a 95% percentile-bootstrap interval
//! ([`crate::stats::bootstrap_ratio_ci`], fixed seed). The verdict follows
//! criterion's rule: a change counts only when the whole interval lies beyond
//! the noise threshold. An io level measured in rounds is a sample of its
//! rounds; one measured once has the ±10% band for an interval; the
//! requests/s of a generator-bound level are not compared (listed apart). A deterministic count (instructions, estimated
//! cycles) needs no bootstrap: a ratio of medians beyond the threshold
//! (default 1%) is the change, and [`count_gate`] says whether the two files
//! were counted alike (CPU model, toolchains, valgrind), so a regression may
//! fail a CI run. In: two [`ResultsFile`]s; out: a [`Comparison`] that
//! `report::compare` renders. No I/O here.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::kinds::Metric;
use crate::metrics::{samples, throughput_not_compared, BenchmarkKey};
use crate::results::ResultsFile;
use crate::stats::{
    bootstrap_ratio_ci, Sample, CONFIDENCE, RESAMPLES, SEED, SINGLE_MEASUREMENT_NOISE,
};

/// What happened to one benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The whole interval is worse than the threshold allows.
    Regressed,
    /// The whole interval is better than the threshold.
    Improved,
    /// Within noise or within the threshold.
    Unchanged,
}

impl Verdict {
    /// The word shown in tables.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Regressed => "regressed",
            Verdict::Improved => "improved",
            Verdict::Unchanged => "unchanged",
        }
    }
}

/// criterion's rule on the interval `[low, high]` of NEW / BASE, with the
/// threshold as a fraction (0.05 for 5%).
pub fn verdict(low: f64, high: f64, threshold: f64, higher_is_better: bool) -> Verdict {
    let (above, below) = (low > 1.0 + threshold, high < 1.0 - threshold);
    match (above, below, higher_is_better) {
        (true, _, false) | (_, true, true) => Verdict::Regressed,
        (_, true, false) | (true, _, true) => Verdict::Improved,
        _ => Verdict::Unchanged,
    }
}

/// One benchmark found in both files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The benchmark, e.g. `nbody/rust (quick)` or `http-json/go c=16`.
    pub name: String,
    /// Median of BASE, in the metric's unit.
    pub base_median: f64,
    /// Median of NEW, in the metric's unit.
    pub new_median: f64,
    /// NEW / BASE of the medians.
    pub ratio: f64,
    /// Lower end of the 95% bootstrap interval of the ratio.
    pub ci_low: f64,
    /// Upper end of the 95% bootstrap interval of the ratio.
    pub ci_high: f64,
    /// True when a side has one value: the interval is the ratio ±
    /// [`SINGLE_MEASUREMENT_NOISE`].
    pub single_measurement: bool,
    /// The verdict.
    pub verdict: Verdict,
}

/// The comparison of two results files on one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The metric compared.
    pub metric: Metric,
    /// Unit of the medians.
    pub unit: &'static str,
    /// Noise threshold, in percent.
    pub threshold_pct: f64,
    /// Benchmarks in both files, in key order (workload, implementation, level).
    pub benchmarks: Vec<Change>,
    /// Benchmarks measured only in BASE.
    pub only_in_base: Vec<String>,
    /// Benchmarks measured only in NEW.
    pub only_in_new: Vec<String>,
    /// Benchmarks in both files left out, with the reason (requests/s of an
    /// io level where the load generator's core was saturated on a side).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_compared: Vec<NotCompared>,
}

/// A benchmark in both files that was not compared, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotCompared {
    /// The benchmark, e.g. `http-json/rust c=256`.
    pub name: String,
    /// Why, with the side: `NEW: generator-bound: …`.
    pub reason: String,
}

impl Comparison {
    /// How many benchmarks got this verdict.
    pub fn count(&self, v: Verdict) -> usize {
        self.benchmarks.iter().filter(|c| c.verdict == v).count()
    }
}

/// Compares `new` with `base` on `metric`; `threshold_pct` is in percent.
/// A benchmark without a measured value on a side (it failed) counts as absent there.
pub fn compare(
    base: &ResultsFile,
    new: &ResultsFile,
    metric: Metric,
    threshold_pct: f64,
) -> Comparison {
    let (a, b) = (samples(base, metric), samples(new, metric));
    let (skip_a, skip_b) = match metric {
        Metric::RequestsPerSecond => (throughput_not_compared(base), throughput_not_compared(new)),
        _ => Default::default(),
    };
    let mut benchmarks = Vec::new();
    let mut not_compared = Vec::new();
    for (name, s0) in &a {
        let Some(s1) = b.get(name) else {
            continue;
        };
        let skipped = [("BASE", &skip_a), ("NEW", &skip_b)]
            .into_iter()
            .find_map(|(side, skip)| Some(format!("{side}: {}", skip.get(name)?)));
        if let Some(reason) = skipped {
            not_compared.push(NotCompared {
                name: name.to_string(),
                reason,
            });
            continue;
        }
        // One value on either side gives no interval for that side.
        let single = s0.len() == 1 || s1.len() == 1;
        let (base_median, new_median) = (s0.median(), s1.median());
        if metric.is_deterministic() {
            // A count needs no bootstrap: the ratio of medians decides, and
            // the interval shown is the range of the repeats' ratios.
            let ratio = new_median / base_median;
            benchmarks.push(Change {
                name: name.to_string(),
                base_median,
                new_median,
                ratio,
                ci_low: s1.min() / s0.max(),
                ci_high: s1.max() / s0.min(),
                single_measurement: false,
                verdict: verdict(ratio, ratio, threshold_pct / 100.0, false),
            });
            continue;
        }
        let (ratio, ci_low, ci_high) = if single {
            // No interval from one value a side: the noise band stands in.
            let ratio = new_median / base_median;
            let band = 1.0 + SINGLE_MEASUREMENT_NOISE;
            (ratio, ratio / band, ratio * band)
        } else {
            let pair = [(s0.clone(), s1.clone())];
            bootstrap_ratio_ci(&pair, CONFIDENCE, RESAMPLES, SEED)
        };
        benchmarks.push(Change {
            name: name.to_string(),
            base_median,
            new_median,
            ratio,
            ci_low,
            ci_high,
            single_measurement: single,
            verdict: verdict(
                ci_low,
                ci_high,
                threshold_pct / 100.0,
                metric.higher_is_better(),
            ),
        });
    }
    let only = |x: &BTreeMap<BenchmarkKey, Sample>, y: &BTreeMap<BenchmarkKey, Sample>| {
        x.keys()
            .filter(|k| !y.contains_key(*k))
            .map(|k| k.to_string())
            .collect()
    };
    Comparison {
        metric,
        unit: metric.unit(),
        threshold_pct,
        benchmarks,
        only_in_base: only(&a, &b),
        only_in_new: only(&b, &a),
        not_compared,
    }
}

/// Why the counts of `base` and `new` may differ for reasons other than the
/// code: another CPU model (glibc and the runtimes pick routines by CPU
/// features), another version of a toolchain both files used, or another
/// valgrind. Empty when a count regression may fail a run.
pub fn count_gate(base: &ResultsFile, new: &ResultsFile) -> Vec<String> {
    let mut why = Vec::new();
    let (a, b) = (&base.machine.cpu_model, &new.machine.cpu_model);
    if a != b {
        why.push(format!("CPU model '{a}' in BASE, '{b}' in NEW"));
    }
    for (runtime, a, b) in crate::lang::toolchain_differences(&base.toolchains, &new.toolchains) {
        why.push(format!(
            "{runtime} '{}' in BASE, '{}' in NEW",
            first_line(a),
            first_line(b)
        ));
    }
    let (a, b) = (&base.settings.valgrind, &new.settings.valgrind);
    if a != b {
        let name = |v: &Option<String>| v.clone().unwrap_or_else(|| "no valgrind".into());
        why.push(format!("'{}' in BASE, '{}' in NEW", name(a), name(b)));
    }
    why
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_is_better_needs_the_whole_interval_beyond_the_threshold() {
        assert_eq!(verdict(1.06, 1.5, 0.05, false), Verdict::Regressed);
        assert_eq!(verdict(1.04, 1.5, 0.05, false), Verdict::Unchanged);
        assert_eq!(verdict(0.5, 0.94, 0.05, false), Verdict::Improved);
        assert_eq!(verdict(0.5, 0.96, 0.05, false), Verdict::Unchanged);
        assert_eq!(verdict(0.9, 1.1, 0.05, false), Verdict::Unchanged);
        // Exactly at the threshold is not beyond it.
        assert_eq!(verdict(1.05, 1.05, 0.05, false), Verdict::Unchanged);
    }

    #[test]
    fn higher_is_better_mirrors_the_rule() {
        assert_eq!(verdict(0.5, 0.5, 0.05, true), Verdict::Regressed);
        assert_eq!(verdict(2.0, 2.0, 0.05, true), Verdict::Improved);
        assert_eq!(verdict(0.97, 1.02, 0.05, true), Verdict::Unchanged);
    }

    #[test]
    fn zero_threshold_flags_any_interval_off_one() {
        assert_eq!(verdict(1.001, 1.002, 0.0, false), Verdict::Regressed);
        assert_eq!(verdict(1.0, 1.002, 0.0, false), Verdict::Unchanged);
    }

    /// The all-suites fixture with nbody/rust counted: one repeat per value.
    fn counted(values: &[f64]) -> ResultsFile {
        use crate::results::{CountRepeat, Counting};
        let text = include_str!("../tests/fixtures/results/all-suites.json");
        let mut r: ResultsFile = serde_json::from_str(text).expect("fixture parses");
        let b = r
            .benchmarks
            .iter_mut()
            .find(|b| b.workload == "nbody" && b.lang == crate::lang::Lang::Rust)
            .unwrap();
        let mut c = Counting::new(vec!["valgrind".into()], Vec::new(), 2, 4, 0.01);
        c.repeats = values
            .iter()
            .map(|&instructions| CountRepeat {
                round: 0,
                low: Default::default(),
                high: Default::default(),
                instructions,
                estimated_cycles: instructions,
                wall_ns: 1,
            })
            .collect();
        b.counting = Some(c);
        r.settings.valgrind = Some("valgrind-3.19.0".into());
        r
    }

    #[test]
    fn a_count_is_judged_on_its_ratio_of_medians_with_the_range_shown() {
        let (base, new) = (counted(&[100.0, 102.0]), counted(&[103.0, 104.0]));
        let c = compare(&base, &new, Metric::Instructions, 1.0);
        assert_eq!(c.benchmarks.len(), 1);
        let ch = &c.benchmarks[0];
        assert_eq!((ch.base_median, ch.new_median), (101.0, 103.5));
        assert_eq!(ch.ratio, 103.5 / 101.0);
        // The range of the repeats' ratios, not a bootstrap interval.
        assert_eq!((ch.ci_low, ch.ci_high), (103.0 / 102.0, 104.0 / 100.0));
        assert!(!ch.single_measurement);
        assert_eq!(ch.verdict, Verdict::Regressed);
        // 2.5% is within a 3% threshold; a fall beyond it is an improvement.
        let c = compare(&base, &new, Metric::Instructions, 3.0);
        assert_eq!(c.benchmarks[0].verdict, Verdict::Unchanged);
        let c = compare(&new, &base, Metric::Instructions, 1.0);
        assert_eq!(c.benchmarks[0].verdict, Verdict::Improved);
    }

    #[test]
    fn a_count_gates_only_between_files_counted_alike() {
        let base = counted(&[100.0]);
        assert_eq!(count_gate(&base, &base), Vec::<String>::new());
        let mut other = base.clone();
        other.machine.hostname = "elsewhere".into();
        assert_eq!(count_gate(&base, &other), Vec::<String>::new());
        other.settings.valgrind = Some("valgrind-3.22.0".into());
        other.machine.cpu_model = "Other CPU".into();
        let why = count_gate(&base, &other);
        assert_eq!(why.len(), 2, "{why:?}");
        assert!(why[0].starts_with("CPU model '"), "{why:?}");
        assert_eq!(
            why[1],
            "'valgrind-3.19.0' in BASE, 'valgrind-3.22.0' in NEW"
        );
    }
}
