//! The one way to name a benchmark and to read a metric from a results file.
//!
//! In: a [`ResultsFile`] and a [`Metric`]. Out: one [`Sample`] per
//! [`BenchmarkKey`] (suite, workload or scenario, implementation, size,
//! level). `compare`, `history`, `export` and `claims` all read through
//! [`samples`], so they agree on what a value is: the measured runs only
//! (warm-ups out), a benchmark that failed or stopped at a limit left out
//! (its figures are not comparable), and usage the runner could not measure
//! (recorded as zero) left out rather than read as zero. The measures derived
//! from these samples (speedup, memory per task, share of the ideal) are in
//! [`derived`]. An io level measured in rounds gives one value per round (a
//! file written before rounds: its one value); [`level_marks`] gives the
//! CPU-bound and generator-bound marks of each level measured in rounds, and
//! [`throughput_not_compared`] names the levels whose throughput was the
//! load generator's.

pub mod derived;

use std::collections::BTreeMap;

use crate::kinds::{Measure, Metric};
pub use crate::results::key::{BenchmarkKey, KeyLevel};
use crate::results::summary::steady_kernel_ns;
use crate::results::{Benchmark, CountRepeat, ResultsFile};
use crate::stats::Sample;

/// The metric `compare` and `history` follow when none is named: kernel
/// time, but instructions when every file holds instruction counts and no
/// times (`run --measure instructions`).
pub fn default_metric<'a>(files: impl IntoIterator<Item = &'a ResultsFile>) -> Metric {
    let mut files = files.into_iter().peekable();
    let counts_only =
        files.peek().is_some() && files.all(|f| Measure::counts_only(&f.settings.measure));
    if counts_only {
        Metric::Instructions
    } else {
        Metric::KernelTime
    }
}

/// Each benchmark's values of `metric`. A benchmark that failed (any failure,
/// or a concurrency level stopped at a limit) or has no value is absent;
/// values that do not make a [`Sample`] (non-finite) leave it out too.
pub fn samples(results: &ResultsFile, metric: Metric) -> BTreeMap<BenchmarkKey, Sample> {
    let mut out = BTreeMap::new();
    if metric.is_io() {
        for s in results.servers.iter().filter(|s| s.passed()) {
            for (connections, reports) in s.reports_by_level(false) {
                let values = reports.iter().map(|r| match metric {
                    Metric::RequestsPerSecond => r.requests_per_sec,
                    _ => r.latency_us.p99 as f64,
                });
                if let Ok(sample) = Sample::new(values.collect()) {
                    out.insert(BenchmarkKey::of_level(s, connections), sample);
                }
            }
        }
    } else {
        for bench in results.benchmarks.iter().filter(|b| b.passed()) {
            if let Ok(sample) = Sample::new(of_runs(metric, bench)) {
                out.insert(BenchmarkKey::of(bench), sample);
            }
        }
    }
    out
}

/// What the io suite marked at a level measured in rounds: who was the
/// bottleneck ([`crate::results::LevelRounds`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LevelMarks {
    /// The server was busy at least
    /// [`crate::results::levels::BOUND_SHARE`] of its cores' time.
    pub cpu_bound: bool,
    /// The load generator was busy at least
    /// [`crate::results::levels::BOUND_SHARE`] of its core's time.
    pub generator_bound: bool,
    /// Median busy share of the load generator's core, when read.
    pub generator_busy_share: Option<f64>,
}

impl LevelMarks {
    /// Neither mark: the level measures the servers' waiting, not their
    /// CPU per request nor the generator.
    pub fn io_bound(&self) -> bool {
        !self.cpu_bound && !self.generator_bound
    }
}

/// The marks of every io level measured in rounds, of the servers that
/// passed. A level of a file written before rounds has none.
pub fn level_marks(results: &ResultsFile) -> BTreeMap<BenchmarkKey, LevelMarks> {
    let mut out = BTreeMap::new();
    for s in results.servers.iter().filter(|s| s.passed()) {
        for level in &s.level_rounds {
            out.insert(
                BenchmarkKey::of_level(s, level.connections),
                LevelMarks {
                    cpu_bound: level.cpu_bound,
                    generator_bound: level.generator_bound,
                    generator_busy_share: level.generator_busy_share,
                },
            );
        }
    }
    out
}

/// The io levels whose throughput is not to be compared, with the reason:
/// those where the load generator's own core was saturated
/// (generator-bound), so the figure is the generator's, not the server's.
/// compare and the claims leave them out of requests/s and the share of the
/// ideal, and say so.
pub fn throughput_not_compared(results: &ResultsFile) -> BTreeMap<BenchmarkKey, String> {
    level_marks(results)
        .into_iter()
        .filter(|(_, marks)| marks.generator_bound)
        .map(|(key, marks)| {
            let busy = marks.generator_busy_share.unwrap_or(1.0) * 100.0;
            let why = format!(
                "generator-bound: the load generator's core was {busy:.0}% busy, \
                 so its throughput is not compared"
            );
            (key, why)
        })
        .collect()
}

/// One value per counted repeat of `bench` (none when it was not counted).
fn counted(bench: &Benchmark, f: fn(&CountRepeat) -> f64) -> Vec<f64> {
    bench
        .counting
        .iter()
        .flat_map(|c| c.repeats.iter().map(f))
        .collect()
}

/// The metric's value for each measured run of `bench` (warm-ups excluded),
/// or each counted repeat for an instruction count.
/// A zero wall time, CPU time or peak RSS is usage that could not be
/// measured (the runner records it as zeros), not a value, and is left out.
pub fn of_runs(metric: Metric, bench: &Benchmark) -> Vec<f64> {
    let measured = bench.runs.iter().filter(|r| !r.warmup);
    let values: Vec<f64> = match metric {
        Metric::KernelTime => return measured.filter_map(steady_kernel_ns).collect(),
        Metric::WallTime => measured.map(|r| r.wall_ns as f64).collect(),
        Metric::CpuTime => measured.map(|r| (r.user_ns + r.sys_ns) as f64).collect(),
        Metric::PeakRss => measured.map(|r| r.max_rss_bytes as f64).collect(),
        Metric::Instructions => counted(bench, |r| r.instructions),
        Metric::EstimatedCycles => counted(bench, |r| r.estimated_cycles),
        Metric::RequestsPerSecond | Metric::P99Latency => Vec::new(),
    };
    values.into_iter().filter(|&v| v > 0.0).collect()
}
