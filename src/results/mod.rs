//! The one results schema, shared by every command that writes or reads results.
//!
//! A results file holds what is needed to trust and reproduce a run: the
//! machine, the toolchains, the project commit, the command line, every raw
//! run (warm-ups included), every failure with the tail of its stderr, and the
//! summaries. Units are in the field names and doc comments. Files carry
//! [`SCHEMA_VERSION`]; readers refuse other versions.

pub mod counting;
pub mod key;
pub mod levels;
pub mod merge;
mod server;
mod sources;
pub mod standin;
pub mod steady;
pub mod store;
pub mod summary;

pub use counting::{CountRepeat, CountSummary, Counting};
pub use levels::{LevelRound, LevelRounds};
pub use server::{ServerBenchmark, ServerUsage, SkippedLevel};
pub use sources::SourceSize;
pub use steady::{ClassCount, Steady};

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::kinds::{Measure, Size, Suite};
use crate::lang::{build::BuildRecord, runtime::RuntimeName, Lang, Toolchain};
pub use crate::machine::{GitInfo, Machine};
use crate::runner::verify::FailureKind;
use crate::workload::Vary;

/// Version of this schema; bumped on any change a reader of the old one would misread.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole results file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsFile {
    /// Version of the schema this file follows.
    pub schema_version: u32,
    /// Version of langbench that wrote the file.
    pub langbench_version: String,
    /// `running` while the run goes on, then `complete` or `interrupted`.
    pub status: RunStatus,
    /// When the run started (RFC 3339, UTC).
    pub started_at: String,
    /// When the file was last written (RFC 3339, UTC).
    pub updated_at: String,
    /// The full command line, program included.
    pub command_line: Vec<String>,
    /// The project's git commit, if the workloads are in a git checkout.
    pub git: Option<GitInfo>,
    /// The machine the run happened on.
    pub machine: Machine,
    /// Toolchains used.
    pub toolchains: Vec<Toolchain>,
    /// Languages (or single workloads of a language) asked for but skipped, with the reason.
    pub skipped: Vec<Skipped>,
    /// The settings the run used.
    pub settings: Settings,
    /// One entry per (workload, language) of the CPU suite, in run order.
    pub benchmarks: Vec<Benchmark>,
    /// One entry per (scenario, language) of the I/O suite, in run order.
    #[serde(default)]
    pub servers: Vec<ServerBenchmark>,
    /// The gzip source size of each CPU benchmark's implementation, measured
    /// when the run started. Added within schema version 1: a file without it
    /// (written before) loads with none, and the report measures today's tree.
    #[serde(default)]
    pub sources: Vec<SourceSize>,
    /// Wall time spent in each suite that ran, in milliseconds: from its first
    /// build to its last measurement. A merged file sums its shards' times.
    /// Added within schema version 1; older files load with none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub suite_wall_ms: BTreeMap<Suite, u64>,
}

/// Other work on the machine, in CPUs, from which timings are said to be
/// slowed by it: a quarter of a core.
pub const OTHERS_WARN_CPUS: f64 = 0.25;

impl ResultsFile {
    /// Per suite (cpu, concurrency: the runs of whole programs), the CPU
    /// other work took on the machine while the measured runs ran, as a
    /// number of CPUs (its CPU time over the runs' wall time). A suite
    /// whose runs did not record it is absent.
    pub fn others_cpus(&self) -> BTreeMap<Suite, f64> {
        [Suite::Cpu, Suite::Concurrency]
            .into_iter()
            .filter_map(|suite| {
                // A benchmark's suite is the concurrency one when it has a level.
                let in_suite = |b: &Benchmark| b.level.is_some() == (suite == Suite::Concurrency);
                Some((suite, self.others_cpus_of(in_suite)?))
            })
            .collect()
    }

    /// The CPU other work took while the measured runs of the benchmarks
    /// `keep` picks ran, in CPUs; None when none of them recorded it.
    pub fn others_cpus_of(&self, keep: impl Fn(&Benchmark) -> bool) -> Option<f64> {
        let (mut others, mut wall) = (0u64, 0u64);
        for bench in self.benchmarks.iter().filter(|b| keep(b)) {
            for run in bench.runs.iter().filter(|r| !r.warmup) {
                if let Some(o) = run.others_cpu_ns {
                    others += o;
                    wall += run.wall_ns;
                }
            }
        }
        (wall > 0).then(|| others as f64 / wall as f64)
    }

    /// (label, first failure) of every benchmark of every suite, but the
    /// concurrency levels that stopped at a limit: those are results, neither
    /// passes nor failures. The failure is None for a benchmark that passed.
    pub fn outcomes(&self) -> Vec<(String, Option<&str>)> {
        self.benchmarks
            .iter()
            .filter(|b| !b.limited())
            .map(|b| {
                let why = first_failure(b.passed(), &b.failures, "no measured run");
                (b.label(), why)
            })
            .chain(self.servers.iter().map(|s| {
                (
                    s.label(),
                    first_failure(s.passed(), &s.failures, "no level measured"),
                )
            }))
            .collect()
    }
}

/// The first failure's message when a benchmark did not pass, else None;
/// `none` when it failed without a recorded failure.
fn first_failure<'a>(
    passed: bool,
    failures: &'a [FailureRecord],
    none: &'static str,
) -> Option<&'a str> {
    (!passed).then(|| failures.first().map_or(none, |f| f.message.as_str()))
}

/// Whether a run is still going, finished or was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Still running (or crashed before the end).
    Running,
    /// Everything planned was run.
    Complete,
    /// Stopped by Ctrl-C or a termination signal.
    Interrupted,
}

impl RunStatus {
    /// The status as the results file spells it: `running`, `complete`, `interrupted`.
    pub fn name(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Complete => "complete",
            RunStatus::Interrupted => "interrupted",
        }
    }
}

/// A language, or one workload in a language, that was asked for but not run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// The language.
    pub lang: Lang,
    /// The runtime, unless it is the language's default (added within
    /// schema version 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<RuntimeName>,
    /// The workload, when only that workload was skipped (no implementation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
    /// Why it was skipped.
    pub reason: String,
}

/// The settings of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The problem size from the manifests (`quick`, `default` or `full`).
    pub size: Size,
    /// Measured runs per benchmark.
    pub runs: u32,
    /// Warm-up runs per benchmark (verified, not summarised).
    pub warmup: u32,
    /// Per-run timeout, in milliseconds.
    pub timeout_ms: u64,
    /// CPU workloads selected.
    pub workloads: Vec<String>,
    /// Scenarios of the io suite selected.
    #[serde(default)]
    pub scenarios: Vec<String>,
    /// Concurrency workloads selected.
    #[serde(default)]
    pub concurrency: Vec<String>,
    /// Languages selected.
    pub languages: Vec<Lang>,
    /// CPUs the servers of the I/O suite were pinned to.
    #[serde(default)]
    pub server_cpus: Vec<usize>,
    /// CPUs the load generator was pinned to.
    #[serde(default)]
    pub client_cpus: Vec<usize>,
    /// The shards of the selection this file holds, when not all of it
    /// (`run --shard K/N`, or a merge of some of the shards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardSet>,
    /// What was measured (`run --measure`): time, instruction counts, or
    /// both. A file written before the field measured time.
    #[serde(default = "time_only")]
    pub measure: Vec<Measure>,
    /// Counted repeats per benchmark under cachegrind (0 when not counted).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub count_runs: u32,
    /// Rounds of each io level (`run --io-rounds`); 0 in a file written
    /// before rounds (each level measured once).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub io_rounds: u32,
    /// `valgrind --version` of a run that counted instructions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valgrind: Option<String>,
    /// Kernel time each measured run aims at, in milliseconds
    /// (`run --iteration-budget`): its iteration count is this budget over
    /// the time of one iteration on the warm-up run, at least the manifest's
    /// count. 0: the manifest's count (`--iteration-budget 0`, or a file
    /// written before the budget).
    #[serde(default, skip_serializing_if = "is_zero_u64")]
    pub iteration_budget_ms: u64,
}

fn time_only() -> Vec<Measure> {
    vec![Measure::Time]
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_zero_u64(n: &u64) -> bool {
    *n == 0
}

/// Which of the N shards of a selection a results file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardSet {
    /// The shards held, each from 1 to `count`, ascending.
    pub parts: Vec<usize>,
    /// N, the number of shards the selection was split into.
    pub count: usize,
}

impl std::fmt::Display for ShardSet {
    /// `2/3`, or `1,2/3` for several shards.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.parts.iter().map(|k| k.to_string()).collect();
        write!(f, "{}/{}", parts.join(","), self.count)
    }
}

/// One workload in one language: its command, raw runs, failures, summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benchmark {
    /// Workload name.
    pub workload: String,
    /// Language.
    pub lang: Lang,
    /// The implementation's variant (folder `<lang>-<variant>`), if it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// The runtime, unless it is the language's default (`bun`, `pypy`,
    /// `go1.24`; see `toolchains` for its version). Added within schema
    /// version 1: older files have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<RuntimeName>,
    /// Concurrency suite: the level this benchmark measures; absent in the CPU suite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// The problem size (`quick`, `default` or `full`).
    pub size_name: Size,
    /// The `--size` value.
    pub size: u64,
    /// The `--iterations` value of the measured runs: the manifest's count,
    /// or more from the iteration budget (see `Settings::iteration_budget_ms`).
    pub iterations: u64,
    /// The manifest's count, the fewest iterations a run makes (and the
    /// count of the warm-up run the budget is calibrated on); 0 in a file
    /// written before the budget, where every run made `iterations`.
    #[serde(default, skip_serializing_if = "is_zero_u64")]
    pub min_iterations: u64,
    /// The result every run must print.
    pub expected: String,
    /// The exact command line of each run.
    pub command: Vec<String>,
    /// Environment variables set for every run, over the inherited ones
    /// (the runtime's, e.g. `GOTOOLCHAIN`); added within schema version 1.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<(String, String)>,
    /// How the implementation was built (compiled languages).
    pub build: Option<BuildRecord>,
    /// Every successful run, warm-ups included, in order.
    pub runs: Vec<Run>,
    /// Every failed run (or the failed build); any failure fails the benchmark.
    pub failures: Vec<FailureRecord>,
    /// Statistics over the measured runs; absent when the benchmark failed.
    pub summary: Option<BenchSummary>,
    /// Instruction counts under cachegrind (`run --measure instructions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counting: Option<Counting>,
}

impl Benchmark {
    /// A benchmark of `imp` on `workload` at `size`, not yet built nor run.
    pub fn new(workload: &str, imp: &crate::lang::Impl, size: Size) -> Benchmark {
        Benchmark {
            workload: workload.to_string(),
            lang: imp.lang,
            variant: imp.variant.clone(),
            runtime: imp.runtime.clone(),
            level: None,
            size_name: size,
            size: 0,
            iterations: 0,
            min_iterations: 0,
            expected: String::new(),
            command: Vec::new(),
            env: Vec::new(),
            build: None,
            runs: Vec::new(),
            failures: Vec::new(),
            summary: None,
            counting: None,
        }
    }

    /// True when nothing failed and at least one measured run (or counted
    /// repeat) exists.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
            && (self.runs.iter().any(|r| !r.warmup)
                || self
                    .counting
                    .as_ref()
                    .is_some_and(|c| !c.repeats.is_empty()))
    }

    /// True when the benchmark stopped at a limit of the machine or of the
    /// manifest rather than failing: every failure is a resource limit or a
    /// level not run because of one (concurrency suite).
    pub fn limited(&self) -> bool {
        !self.failures.is_empty()
            && self
                .failures
                .iter()
                .all(|f| matches!(f.kind, FailureKind::ResourceLimit | FailureKind::NotRun))
    }

    /// The implementation's name: `python`, `python-threads`, `node@bun`.
    pub fn implementation(&self) -> String {
        self.imp().name()
    }

    /// The implementation measured (language, variant and runtime).
    pub fn imp(&self) -> crate::lang::Impl {
        crate::lang::Impl {
            lang: self.lang,
            variant: self.variant.clone(),
            runtime: self.runtime.clone(),
        }
    }

    /// `workload/implementation`, plus the level in the concurrency suite.
    pub fn label(&self) -> String {
        match &self.level {
            Some(level) => format!("{}/{} {level}", self.workload, self.implementation()),
            None => format!("{}/{}", self.workload, self.implementation()),
        }
    }

    /// The typed identity that matches a benchmark across results files
    /// (compare, history, merge, export, claims).
    pub fn key(&self) -> key::BenchmarkKey {
        key::BenchmarkKey::of(self)
    }
}

/// The level of a concurrency benchmark: what it varies and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Level {
    /// What the level varies (`size`: passed as `--size`; `workers`: as `--workers`).
    pub vary: Vary,
    /// The value.
    pub value: u64,
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.vary {
            Vary::Size => write!(f, "N={}", self.value),
            Vary::Workers => write!(f, "W={}", self.value),
        }
    }
}

/// One successful, verified run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// Round number (0-based, warm-up rounds first).
    pub round: u32,
    /// True for a warm-up run (verified, not summarised).
    pub warmup: bool,
    /// Whole-process wall time, in nanoseconds (monotonic clock, spawn to exit).
    pub wall_ns: u64,
    /// User CPU time of the process, in nanoseconds (wait4).
    pub user_ns: u64,
    /// System CPU time of the process, in nanoseconds (wait4).
    pub sys_ns: u64,
    /// Peak resident set size of the process, in bytes (wait4 ru_maxrss).
    pub max_rss_bytes: u64,
    /// The workload's own time of each kernel iteration, in nanoseconds.
    pub iterations_ns: Vec<u64>,
    /// The steady state of `iterations_ns` (class, warm-up, steady kernel
    /// time); absent for fewer than 4 iterations and in files written before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steady: Option<Steady>,
    /// CPU time other work took on the machine during the run, in
    /// nanoseconds (`runner::busy`); absent where unknown and in files
    /// written before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub others_cpu_ns: Option<u64>,
}

impl Run {
    /// A verified run of `iterations_ns`, its steady state classified.
    pub fn new(round: u32, warmup: bool, iterations_ns: Vec<u64>) -> Run {
        Run {
            round,
            warmup,
            wall_ns: 0,
            user_ns: 0,
            sys_ns: 0,
            max_rss_bytes: 0,
            others_cpu_ns: None,
            steady: Steady::of(&iterations_ns),
            iterations_ns,
        }
    }
}

/// One failed run (or build).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureRecord {
    /// Round number (0-based); absent for a build failure.
    pub round: Option<u32>,
    /// Which rule broke.
    pub kind: FailureKind,
    /// One line saying what happened.
    pub message: String,
    /// The last lines of stderr (of the run, or of the build).
    pub stderr_tail: String,
    /// Whole-process wall time, in nanoseconds, when the process ran.
    pub wall_ns: Option<u64>,
}

/// Statistics of one benchmark over its measured runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchSummary {
    /// Measured runs summarised.
    pub runs: usize,
    /// Steady-state kernel time, in nanoseconds: per run, the median of its
    /// steady segment (`Run::steady`); for a run with no classification
    /// (fewer than 4 iterations, or a file written before), the median of
    /// iterations 2..K (the only iteration when K = 1).
    pub kernel_ns: Estimate,
    /// The first kernel iteration of each run, in nanoseconds (includes JIT warm-up).
    pub first_iteration_ns: Estimate,
    /// Whole-process wall time, in nanoseconds.
    pub wall_ns: Estimate,
    /// User + system CPU time, in nanoseconds.
    pub cpu_ns: Estimate,
    /// Peak resident set size, in bytes.
    pub max_rss_bytes: Estimate,
    /// Measured runs per steady-state class, classes in the order `flat`,
    /// `warmup`, `slowdown`, `no_steady_state`, those with no run left out;
    /// empty when no run was classified.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<ClassCount>,
    /// Warm-up iterations (before the steady segment) per run classed flat
    /// or warm-up (a slowdown or no steady state has no warm-up to speak of).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warmup_iterations: Option<Estimate>,
    /// The time of those warm-up iterations per such run, in nanoseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warmup_ns: Option<Estimate>,
    /// Median kernel time divided by the fastest implementation's on this
    /// workload (at this level, in the concurrency suite).
    pub kernel_ratio: Option<f64>,
    /// Median wall time divided by the fastest implementation's on this
    /// workload (at this level, in the concurrency suite).
    pub wall_ratio: Option<f64>,
}

/// Descriptive statistics of one metric, in the unit named by the field holding it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Number of values.
    pub n: usize,
    /// Median.
    pub median: f64,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub std_dev: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Median absolute deviation (unscaled).
    pub mad: f64,
    /// Lower bound of the 95% bootstrap confidence interval of the median.
    pub ci_low: f64,
    /// Upper bound of the 95% bootstrap confidence interval of the median.
    pub ci_high: f64,
}

/// Where a run's results go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputTarget {
    /// The results file.
    pub file: PathBuf,
    /// A `latest.json` link to update after each write, if any.
    pub latest_link: Option<PathBuf>,
}
