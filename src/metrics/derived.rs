//! Measures derived from the measured samples, computed in one place for the
//! claims, the tables and the charts: parallel speedup, memory per task, the
//! share of the ideal request rate, and p99 latency under CPU load.
//!
//! In: a [`ResultsFile`]; out: a [`Sample`] per [`BenchmarkKey`], as
//! [`super::samples`] gives for the measured metrics, with the same rules
//! (measured runs only; failed benchmarks and unmeasured zeros left out).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{samples, BenchmarkKey};
use crate::kinds::Metric;
use crate::results::ResultsFile;
use crate::stats::Sample;

/// A measure computed from others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Derived {
    /// T(1) / T(W) per run at W workers: the median kernel time at one worker
    /// over each run's kernel time (a ratio; needs a W = 1 level).
    Speedup,
    /// Growth of each run's peak RSS over the first level's median, per task
    /// added, in bytes (levels above the first).
    MemoryPerTask,
    /// Requests/s over the ideal (connections x the scenario's ideal rate
    /// per connection), a fraction; scenarios with an ideal only.
    IdealFraction,
    /// p99 latency of a level measured while the scenario's background
    /// client keeps the server busy with CPU work, in milliseconds.
    P99UnderCpuLoad,
}

/// Memory per task at level `n`: how much the median peak RSS grew from the
/// first level measured, `(n0, rss0)`, divided by the tasks added. This
/// leaves out what the runtime needs with no tasks at all (an interpreter,
/// a JIT, a heap), which a plain RSS / N would spread over the tasks.
pub fn memory_per_task(first: (u64, f64), at: (u64, f64)) -> Option<f64> {
    (at.0 > first.0).then(|| (at.1 - first.1) / (at.0 - first.0) as f64)
}

/// Parallel speedup T(1) / T(W) and efficiency speedup / W, from median kernel times.
pub fn speedup(t1_ns: f64, tw_ns: f64, workers: u64) -> Option<(f64, f64)> {
    (t1_ns > 0.0 && tw_ns > 0.0 && workers > 0).then(|| {
        let s = t1_ns / tw_ns;
        (s, s / workers as f64)
    })
}

/// Each benchmark's values of `measure`.
pub fn derived(results: &ResultsFile, measure: Derived) -> BTreeMap<BenchmarkKey, Sample> {
    match measure {
        Derived::Speedup => per_level(results, Metric::KernelTime, |first, level, t| {
            (first.0 == 1).then(|| speedup(first.1, t, level).map(|(s, _)| s))?
        }),
        Derived::MemoryPerTask => per_level(results, Metric::PeakRss, |first, level, rss| {
            memory_per_task(first, (level, rss))
        }),
        Derived::IdealFraction | Derived::P99UnderCpuLoad => io(results, measure),
    }
}

/// Per (workload, implementation) of the concurrency suite: `f(first, level,
/// value)` for each run's value of `metric`, where `first` is the lowest
/// level measured and its median.
fn per_level(
    results: &ResultsFile,
    metric: Metric,
    f: impl Fn((u64, f64), u64, f64) -> Option<f64>,
) -> BTreeMap<BenchmarkKey, Sample> {
    let measured = samples(results, metric);
    let mut out = BTreeMap::new();
    let mut first: Option<(&BenchmarkKey, (u64, f64))> = None;
    // Keys order by workload, implementation, then level: the first key of
    // each group is its lowest level.
    for (key, sample) in measured.iter().filter(|(k, _)| k.level.is_some()) {
        let Some(level) = key.level_value() else {
            continue;
        };
        let same_group = first.is_some_and(|(k, _)| {
            k.workload == key.workload && k.implementation == key.implementation
        });
        if !same_group {
            first = Some((key, (level, sample.median())));
        }
        let (_, base) = first.expect("set above");
        let values: Vec<f64> = sample
            .values()
            .iter()
            .filter_map(|&v| f(base, level, v))
            .collect();
        if let Ok(s) = Sample::new(values) {
            out.insert(key.clone(), s);
        }
    }
    out
}

/// The io-suite measures, one value per round of each level of each passed server.
fn io(results: &ResultsFile, measure: Derived) -> BTreeMap<BenchmarkKey, Sample> {
    let mut out = BTreeMap::new();
    let loaded = measure == Derived::P99UnderCpuLoad;
    for s in results.servers.iter().filter(|s| s.passed()) {
        for (connections, reports) in s.reports_by_level(loaded) {
            let values: Option<Vec<f64>> = reports
                .iter()
                .map(|l| match measure {
                    Derived::IdealFraction => s
                        .ideal_rps_per_connection
                        .map(|per| l.requests_per_sec / (per * connections as f64)),
                    _ => Some(l.latency_us.p99 as f64 / 1000.0),
                })
                .collect();
            if let Some(Ok(sample)) = values.map(Sample::new) {
                out.insert(BenchmarkKey::of_level(s, connections), sample);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_per_task_and_speedup() {
        assert_eq!(memory_per_task((1000, 5e6), (11_000, 25e6)), Some(2000.0));
        assert_eq!(memory_per_task((1000, 5e6), (1000, 5e6)), None);
        assert_eq!(speedup(100.0, 50.0, 2), Some((2.0, 1.0)));
        assert_eq!(speedup(100.0, 80.0, 4), Some((1.25, 0.3125)));
        assert_eq!(speedup(0.0, 80.0, 4), None);
    }
}
