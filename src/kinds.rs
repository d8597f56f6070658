//! The closed sets langbench names on the command line, in manifests and in
//! results files: problem sizes, suites, metrics and output formats.
//!
//! A leaf: it imports nothing from the crate, so `cli.rs` (which parses them
//! with `clap::ValueEnum`, listing the valid names in `--help` and in errors)
//! and every layer below the commands can share one definition. Nothing
//! re-parses these names from strings deeper in.

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

/// A problem size of a manifest.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ValueEnum, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Size {
    /// Small sizes for checking that everything works (seconds).
    Quick,
    /// The sizes conclusions are drawn from.
    Default,
    /// The Benchmarks Game's sizes (long).
    Full,
}

impl Size {
    /// Every size, in manifest order.
    pub const ALL: [Size; 3] = [Size::Quick, Size::Default, Size::Full];

    /// The size's name in manifests, on the command line and in results files.
    pub fn name(self) -> &'static str {
        match self {
            Size::Quick => "quick",
            Size::Default => "default",
            Size::Full => "full",
        }
    }
}

impl std::fmt::Display for Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One suite of benchmarks.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ValueEnum, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Suite {
    /// Programs run to completion, timed by the runner and by their own clock.
    Cpu,
    /// HTTP servers under load from the load generator.
    Io,
    /// Tasks and parallel scaling, at a sweep of levels.
    Concurrency,
}

impl Suite {
    /// Every suite, in the order a run takes them.
    pub const ALL: [Suite; 3] = [Suite::Cpu, Suite::Io, Suite::Concurrency];

    /// The suite's name.
    pub fn name(self) -> &'static str {
        match self {
            Suite::Cpu => "cpu",
            Suite::Io => "io",
            Suite::Concurrency => "concurrency",
        }
    }
}

impl std::fmt::Display for Suite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `--suite`: one suite or all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Suites {
    /// Only the CPU suite.
    Cpu,
    /// Only the I/O suite (servers under load).
    Io,
    /// Only the concurrency suite (tasks, parallel scaling).
    Concurrency,
    /// Every suite.
    All,
}

impl Suites {
    /// True if `one` is among the suites chosen.
    pub fn has(self, one: Suite) -> bool {
        matches!(
            (self, one),
            (Suites::All, _)
                | (Suites::Cpu, Suite::Cpu)
                | (Suites::Io, Suite::Io)
                | (Suites::Concurrency, Suite::Concurrency)
        )
    }
}

/// A measured quantity, read from a results file per benchmark (see `metrics`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ValueEnum, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Metric {
    /// Steady-state kernel time per run, in nanoseconds (cpu, concurrency).
    KernelTime,
    /// Wall time of each run, in nanoseconds.
    WallTime,
    /// User + system CPU time of each run, in nanoseconds.
    CpuTime,
    /// Peak resident set size of each run, in bytes.
    PeakRss,
    /// Requests per second of each load level (io suite; one value per level).
    RequestsPerSecond,
    /// 99th percentile latency of each load level, in microseconds (io suite).
    P99Latency,
    /// Instructions per kernel iteration, counted under valgrind's cachegrind
    /// (`run --measure instructions`); deterministic, not time.
    Instructions,
    /// Estimated cycles per kernel iteration: Gungraun's L1 hits + 5 x LL hits
    /// + 35 x RAM hits of cachegrind's simulated caches; deterministic, not time.
    EstimatedCycles,
}

impl Metric {
    /// Every metric, in the order `--help` and the exports list them.
    pub const ALL: [Metric; 8] = [
        Metric::KernelTime,
        Metric::WallTime,
        Metric::CpuTime,
        Metric::PeakRss,
        Metric::RequestsPerSecond,
        Metric::P99Latency,
        Metric::Instructions,
        Metric::EstimatedCycles,
    ];

    /// The metric's name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Metric::KernelTime => "kernel_time",
            Metric::WallTime => "wall_time",
            Metric::CpuTime => "cpu_time",
            Metric::PeakRss => "peak_rss",
            Metric::RequestsPerSecond => "requests_per_second",
            Metric::P99Latency => "p99_latency",
            Metric::Instructions => "instructions",
            Metric::EstimatedCycles => "estimated_cycles",
        }
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
            Metric::Instructions => "instructions per iteration",
            Metric::EstimatedCycles => "estimated cycles per iteration",
        }
    }

    /// True for requests/s, where a bigger value is better.
    pub fn higher_is_better(self) -> bool {
        self == Metric::RequestsPerSecond
    }

    /// True for the counts of `run --measure instructions`: the same code on
    /// the same input gives the same value, so `compare` needs no bootstrap.
    pub fn is_deterministic(self) -> bool {
        matches!(self, Metric::Instructions | Metric::EstimatedCycles)
    }

    /// The default noise threshold of `compare`, `history` and `run
    /// --baseline`, in percent: 1% for a deterministic count, 5% for a time
    /// or a rate.
    pub fn default_threshold_pct(self) -> f64 {
        if self.is_deterministic() {
            1.0
        } else {
            5.0
        }
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
            Metric::Instructions => "instructions",
            Metric::EstimatedCycles => "cycles",
        }
    }
}

impl std::fmt::Display for Metric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What `run --measure` takes of each benchmark.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ValueEnum, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// Time (wall, CPU, kernel), peak RSS, requests/s: the runs every suite
    /// makes and every claim is decided on.
    Time,
    /// Instructions and estimated cycles per kernel iteration under valgrind's
    /// cachegrind: the CPU suite and `parallel` at one worker. Deterministic,
    /// for regression gates; not time.
    Instructions,
}

impl Measure {
    /// True when `set` (a run's `--measure`) counts instructions and times
    /// nothing: no claim can be tested, `compare` follows instructions, a
    /// baseline's machine matters only through what a count depends on.
    pub fn counts_only(set: &[Measure]) -> bool {
        set.contains(&Measure::Instructions) && !set.contains(&Measure::Time)
    }

    /// The measure's name on the command line and in results files.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Time => "time",
            Measure::Instructions => "instructions",
        }
    }
}

/// How `compare` and `history` print their result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for a terminal.
    Table,
    /// A GitHub Markdown table (CI job summary, PR comment).
    Markdown,
    /// JSON.
    Json,
}

/// The formats of `langbench export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// github-action-benchmark, tool `customSmallerIsBetter`.
    GithubSmaller,
    /// github-action-benchmark, tool `customBiggerIsBetter`.
    GithubBigger,
    /// Bencher Metric Format (JSON).
    Bencher,
    /// Comma-separated values with a header row.
    Csv,
    /// A Markdown summary.
    Markdown,
}

impl ExportFormat {
    /// The format's name, as `--format` takes it.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::GithubSmaller => "github-smaller",
            ExportFormat::GithubBigger => "github-bigger",
            ExportFormat::Bencher => "bencher",
            ExportFormat::Csv => "csv",
            ExportFormat::Markdown => "markdown",
        }
    }

    /// False for a github-action-benchmark format and a metric of the other direction.
    pub fn holds(self, metric: Metric) -> bool {
        match self {
            ExportFormat::GithubSmaller => !metric.higher_is_better(),
            ExportFormat::GithubBigger => metric.higher_is_better(),
            _ => true,
        }
    }

    /// The metrics exported when none is named. The github formats take the
    /// headline metrics of their direction (kernel time, peak RSS, p99
    /// latency and the two instruction counts, which a file without counts
    /// has no value of; requests/s), the others every metric.
    pub fn default_metrics(self) -> Vec<Metric> {
        match self {
            ExportFormat::GithubSmaller => {
                vec![
                    Metric::KernelTime,
                    Metric::PeakRss,
                    Metric::P99Latency,
                    Metric::Instructions,
                    Metric::EstimatedCycles,
                ]
            }
            ExportFormat::GithubBigger => vec![Metric::RequestsPerSecond],
            _ => Metric::ALL.to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_means_counted_and_not_timed() {
        use Measure::{Instructions, Time};
        assert!(Measure::counts_only(&[Instructions]));
        assert!(!Measure::counts_only(&[Time, Instructions]));
        assert!(!Measure::counts_only(&[Time]));
        assert!(!Measure::counts_only(&[]));
    }

    #[test]
    fn names_match_clap_and_serde() {
        for m in Metric::ALL {
            let value = m.to_possible_value().expect("no skipped variant");
            assert_eq!(value.get_name(), m.name());
            assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{m}\""));
        }
        for s in Size::ALL {
            assert_eq!(s.to_possible_value().unwrap().get_name(), s.name());
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{s}\""));
        }
        for s in Suite::ALL {
            assert_eq!(s.to_possible_value().unwrap().get_name(), s.name());
        }
        for f in ExportFormat::value_variants() {
            assert_eq!(f.to_possible_value().unwrap().get_name(), f.name());
        }
    }

    #[test]
    fn directions_and_suites() {
        assert!(Metric::RequestsPerSecond.higher_is_better());
        assert!(!Metric::P99Latency.higher_is_better());
        assert!(Suites::All.has(Suite::Io));
        assert!(Suites::Cpu.has(Suite::Cpu));
        assert!(!Suites::Cpu.has(Suite::Concurrency));
        assert!(!ExportFormat::GithubBigger.holds(Metric::KernelTime));
    }
}
