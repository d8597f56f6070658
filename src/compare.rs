//! Comparing two results files: which benchmarks got slower or faster.
//!
//! Benchmarks are matched by identity (workload, implementation, level and
//! size for the cpu and concurrency suites; scenario, implementation and
//! connections for the io suite). For each pair the change is the ratio of
//! medians NEW / BASE of one metric, with a 95% percentile-bootstrap interval
//! ([`crate::stats::bootstrap_ratio_ci`], fixed seed). The verdict follows
//! criterion's rule: a change counts only when the whole interval lies beyond
//! the noise threshold. In: two [`ResultsFile`]s; out: a [`Comparison`] that
//! `report::compare` renders. No I/O here.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::results::summary::{steady_kernel_ns, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED};
use crate::results::{Benchmark, ResultsFile};
use crate::stats::{bootstrap_ratio_ci, Sample};

/// Confidence level of the interval of each ratio.
pub const CONFIDENCE: f64 = 0.95;

/// A value measured once (a load level of the io suite, a run with `--runs
/// 1`) has no interval; the ratio ± this fraction stands in for one, as in the claims'
/// verdicts. So a single requests/s figure must move by more than the
/// threshold and this band together to count.
pub const SINGLE_MEASUREMENT_NOISE: f64 = 0.10;

/// The quantity compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Steady-state kernel time per run, in nanoseconds (cpu, concurrency).
    KernelTime,
    /// Wall time of each run, in nanoseconds.
    WallTime,
    /// User + system CPU time of each run, in nanoseconds.
    CpuTime,
    /// Peak resident set size of each run, in bytes.
    PeakRss,
    /// Requests per second of each load level (io suite; one value per side).
    RequestsPerSecond,
    /// 99th percentile latency of each load level, in microseconds (io suite).
    P99Latency,
}

/// Every metric, in the order `--help` and errors list them.
pub const METRICS: [Metric; 6] = [
    Metric::KernelTime,
    Metric::WallTime,
    Metric::CpuTime,
    Metric::PeakRss,
    Metric::RequestsPerSecond,
    Metric::P99Latency,
];

impl Metric {
    /// The metric's name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Metric::KernelTime => "kernel_time",
            Metric::WallTime => "wall_time",
            Metric::CpuTime => "cpu_time",
            Metric::PeakRss => "peak_rss",
            Metric::RequestsPerSecond => "requests_per_second",
            Metric::P99Latency => "p99_latency",
        }
    }

    /// The metric called `name`, if any.
    pub fn parse(name: &str) -> Option<Metric> {
        METRICS.into_iter().find(|m| m.name() == name)
    }

    /// The metric in words, for titles, axes and column headers.
    pub fn words(self) -> &'static str {
        match self {
            Metric::KernelTime => "kernel time",
            Metric::WallTime => "wall time",
            Metric::CpuTime => "CPU time",
            Metric::PeakRss => "peak RSS",
            Metric::RequestsPerSecond => "requests per second",
            Metric::P99Latency => "p99 latency",
        }
    }

    /// True for requests/s, where a bigger value is better.
    pub fn higher_is_better(self) -> bool {
        self == Metric::RequestsPerSecond
    }

    /// True for the io-suite metrics, read from the servers' load levels.
    pub fn is_io(self) -> bool {
        matches!(self, Metric::RequestsPerSecond | Metric::P99Latency)
    }

    /// The unit of the metric's values.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::KernelTime | Metric::WallTime | Metric::CpuTime => "ns",
            Metric::PeakRss => "bytes",
            Metric::RequestsPerSecond => "requests/s",
            Metric::P99Latency => "us",
        }
    }

    /// The metric's value for each measured run (warm-ups excluded). A zero
    /// wall time, CPU time or peak RSS is usage that could not be measured
    /// (the runner records it as zeros), not a value, and is left out.
    fn of_runs(self, bench: &Benchmark) -> Vec<f64> {
        let measured = bench.runs.iter().filter(|r| !r.warmup);
        let values: Vec<f64> = match self {
            Metric::KernelTime => return measured.filter_map(steady_kernel_ns).collect(),
            Metric::WallTime => measured.map(|r| r.wall_ns as f64).collect(),
            Metric::CpuTime => measured.map(|r| (r.user_ns + r.sys_ns) as f64).collect(),
            Metric::PeakRss => measured.map(|r| r.max_rss_bytes as f64).collect(),
            Metric::RequestsPerSecond | Metric::P99Latency => Vec::new(),
        };
        values.into_iter().filter(|&v| v > 0.0).collect()
    }
}

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
    /// Benchmarks in both files, sorted by name.
    pub benchmarks: Vec<Change>,
    /// Benchmarks measured only in BASE.
    pub only_in_base: Vec<String>,
    /// Benchmarks measured only in NEW.
    pub only_in_new: Vec<String>,
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
    let mut benchmarks = Vec::new();
    for (name, s0) in &a {
        let Some(s1) = b.get(name) else {
            continue;
        };
        // One value on either side gives no interval for that side.
        let single = s0.len() == 1 || s1.len() == 1;
        let (base_median, new_median) = (s0.median(), s1.median());
        let (ratio, ci_low, ci_high) = if single {
            // No interval from one value a side: the noise band stands in.
            let ratio = new_median / base_median;
            let band = 1.0 + SINGLE_MEASUREMENT_NOISE;
            (ratio, ratio / band, ratio * band)
        } else {
            let pair = [(s0.clone(), s1.clone())];
            bootstrap_ratio_ci(&pair, CONFIDENCE, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED)
        };
        benchmarks.push(Change {
            name: name.clone(),
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
    let only = |x: &BTreeMap<String, Sample>, y: &BTreeMap<String, Sample>| {
        x.keys().filter(|k| !y.contains_key(*k)).cloned().collect()
    };
    Comparison {
        metric,
        unit: metric.unit(),
        threshold_pct,
        benchmarks,
        only_in_base: only(&a, &b),
        only_in_new: only(&b, &a),
    }
}

/// Each benchmark's values of `metric`, by name (which encodes the identity).
/// A benchmark that failed (any failure, or a concurrency level stopped at a
/// limit) or has no value is absent: its figures are not comparable.
/// Values that do not make a [`Sample`] (non-finite) leave the benchmark out too.
pub fn samples(results: &ResultsFile, metric: Metric) -> BTreeMap<String, Sample> {
    let mut out = BTreeMap::new();
    if metric.is_io() {
        for s in results.servers.iter().filter(|s| s.passed()) {
            for level in &s.levels {
                let value = match metric {
                    Metric::RequestsPerSecond => level.requests_per_sec,
                    _ => level.latency_us.p99 as f64,
                };
                let name = format!("{} c={}", s.label(), level.connections);
                if let Ok(sample) = Sample::new(vec![value]) {
                    out.insert(name, sample);
                }
            }
        }
    } else {
        for bench in results.benchmarks.iter().filter(|b| b.passed()) {
            if let Ok(sample) = Sample::new(metric.of_runs(bench)) {
                out.insert(bench.identity(), sample);
            }
        }
    }
    out
}

/// How the two files' machines differ (CPU model, logical CPUs, hostname); empty if alike.
pub fn machine_differences(base: &ResultsFile, new: &ResultsFile) -> Vec<String> {
    let (a, b) = (&base.machine, &new.machine);
    let mut out = Vec::new();
    if a.cpu_model != b.cpu_model {
        out.push(format!("CPU model '{}' vs '{}'", a.cpu_model, b.cpu_model));
    }
    if a.logical_cpus != b.logical_cpus {
        out.push(format!(
            "logical CPUs {} vs {}",
            a.logical_cpus, b.logical_cpus
        ));
    }
    if a.hostname != b.hostname {
        out.push(format!("hostname '{}' vs '{}'", a.hostname, b.hostname));
    }
    out
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

    #[test]
    fn metric_names_round_trip() {
        for m in METRICS {
            assert_eq!(Metric::parse(m.name()), Some(m));
        }
        assert_eq!(Metric::parse("speed"), None);
        assert!(Metric::RequestsPerSecond.higher_is_better());
        assert!(!Metric::P99Latency.higher_is_better());
    }
}
