//! The numbers a test compares, taken from a results file: per implementation,
//! a sample (one value per measured run, or a single value for a load level)
//! for each workload or level.

use std::collections::BTreeMap;

use crate::results::summary::steady_kernel_ns;
use crate::results::{Benchmark, ResultsFile};
use crate::stats::Sample;

use super::{Metric, Test};

/// gzip source bytes per `(workload, implementation)`, computed by the caller
/// from the workloads folder (the results file does not hold sources).
pub type SourceSizes = BTreeMap<(String, String), f64>;

/// Samples of one implementation keyed by workload (CPU suite) or by level
/// (io and concurrency suites). Empty when nothing was measured.
pub(super) fn samples(
    results: &ResultsFile,
    test: &Test,
    imp: &str,
    sources: &SourceSizes,
) -> BTreeMap<u64, (String, Vec<f64>)> {
    let mut out = BTreeMap::new();
    match test.metric {
        Metric::KernelTime | Metric::PeakRss | Metric::SourceSize => {
            let cpu = results
                .benchmarks
                .iter()
                .filter(|b| b.level.is_none() && b.implementation() == imp && b.summary.is_some());
            // CPU workloads are keyed by their position in name order.
            let mut names: Vec<&str> = results
                .benchmarks
                .iter()
                .filter(|b| b.level.is_none())
                .map(|b| b.workload.as_str())
                .collect();
            names.sort_unstable();
            names.dedup();
            for b in cpu {
                let key = names.iter().position(|n| *n == b.workload).unwrap_or(0) as u64;
                let values: Vec<f64> = match test.metric {
                    Metric::KernelTime => measured(b).filter_map(steady_kernel_ns).collect(),
                    Metric::PeakRss => measured(b).map(|r| r.max_rss_bytes as f64).collect(),
                    _ => sources
                        .get(&(b.workload.clone(), imp.to_string()))
                        .map(|&v| vec![v])
                        .unwrap_or_default(),
                };
                if !values.is_empty() {
                    out.insert(key, (b.workload.clone(), values));
                }
            }
        }
        Metric::RequestsPerSecond | Metric::IdealFraction | Metric::P99UnderCpuLoad => {
            let scenario = test.scenario.as_deref().unwrap_or_default();
            for s in results
                .servers
                .iter()
                .filter(|s| s.scenario == scenario && s.implementation() == imp && s.passed())
            {
                let levels = match test.metric {
                    Metric::P99UnderCpuLoad => &s.loaded_levels,
                    _ => &s.levels,
                };
                for l in levels {
                    let value = match test.metric {
                        Metric::RequestsPerSecond => Some(l.requests_per_sec),
                        Metric::IdealFraction => s
                            .ideal_rps_per_connection
                            .map(|per| l.requests_per_sec / (per * l.connections as f64)),
                        _ => Some(l.latency_us.p99 as f64 / 1000.0),
                    };
                    if let Some(v) = value {
                        out.insert(
                            l.connections as u64,
                            (format!("{scenario} c={}", l.connections), vec![v]),
                        );
                    }
                }
            }
        }
        Metric::MemoryPerTask | Metric::Speedup => {
            let workload = test.workload.as_deref().unwrap_or_default();
            let mut levels: Vec<&Benchmark> = results
                .benchmarks
                .iter()
                .filter(|b| {
                    b.workload == workload && b.implementation() == imp && b.summary.is_some()
                })
                .filter(|b| b.level.is_some())
                .collect();
            levels.sort_by_key(|b| b.level.map(|l| l.value));
            let Some(first) = levels.first() else {
                return out;
            };
            let first_level = first.level.map_or(0, |l| l.value);
            let first_summary = first.summary.as_ref().expect("filtered");
            for b in &levels {
                let level = b.level.map_or(0, |l| l.value);
                let values: Vec<f64> = match test.metric {
                    // Growth of each run's peak RSS over the first level's median, per task added.
                    Metric::MemoryPerTask if level > first_level => measured(b)
                        .map(|r| {
                            (r.max_rss_bytes as f64 - first_summary.max_rss_bytes.median)
                                / (level - first_level) as f64
                        })
                        .collect(),
                    // T(1) (the median at one worker) over each run's time at W.
                    Metric::Speedup if first_level == 1 => measured(b)
                        .filter_map(steady_kernel_ns)
                        .map(|t| first_summary.kernel_ns.median / t)
                        .collect(),
                    _ => Vec::new(),
                };
                if !values.is_empty() {
                    let label = format!(
                        "{workload} {}",
                        b.level.map(|l| l.to_string()).unwrap_or_default()
                    );
                    out.insert(level, (label, values));
                }
            }
        }
    }
    out
}

fn measured(b: &Benchmark) -> impl Iterator<Item = &crate::results::Run> {
    b.runs.iter().filter(|r| !r.warmup)
}

/// A sample from values, if they are usable (non-empty, finite).
pub(super) fn sample(values: &[f64]) -> Option<Sample> {
    Sample::new(values.to_vec()).ok()
}
