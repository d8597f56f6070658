//! One scenario of the io suite in one implementation: its server, the
//! reports of every level (and round), what the server process used, and
//! its failures.

use serde::{Deserialize, Serialize};

use super::{FailureRecord, LevelRounds};
use crate::kinds::Size;
use crate::lang::build::BuildRecord;
use crate::lang::{runtime::RuntimeName, Lang};

/// One scenario of the I/O suite in one language: a server under a sweep of
/// concurrency levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerBenchmark {
    /// Scenario name (e.g. `http-json`).
    pub scenario: String,
    /// The server workload it belongs to.
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
    /// The problem size (`quick`, `default` or `full`).
    pub size_name: Size,
    /// Path and query every request GETs.
    pub path: String,
    /// The body every response must have.
    pub expected_body: String,
    /// The server's command line (the port argument is appended).
    pub command: Vec<String>,
    /// Environment variables set for the server, over the inherited ones
    /// (the runtime's, e.g. `GOTOOLCHAIN`); added within schema version 1.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<(String, String)>,
    /// How the server was built.
    pub build: Option<BuildRecord>,
    /// Load before each level's measurement, in seconds.
    pub warmup_s: f64,
    /// Measured load per level, in seconds.
    pub duration_s: f64,
    /// Requests per second one connection could make at best, if the scenario has an ideal.
    pub ideal_rps_per_connection: Option<f64>,
    /// Open model: the total request rate of every level, in requests per second.
    #[serde(default)]
    pub rate: Option<f64>,
    /// One report per concurrency level, in order: measured in rounds, the
    /// round whose requests/s is the median (each round is in `level_rounds`).
    pub levels: Vec<crate::load::LoadReport>,
    /// Mixed scenarios: each level measured again while the background
    /// client runs (in rounds: the round whose p99 is the median).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub loaded_levels: Vec<crate::load::LoadReport>,
    /// Mixed scenarios: the background client's own report during each
    /// loaded level (the same round as `loaded_levels`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub background_levels: Vec<crate::load::LoadReport>,
    /// Every round of each measured level, in the order of `levels`, with
    /// the server's and the load generator's CPU share and the marks
    /// CPU-bound and generator-bound. Added within schema version 1: a file
    /// written before has none (each level measured once, shares unknown).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub level_rounds: Vec<LevelRounds>,
    /// Levels not run, with the reason (e.g. the open-file limit).
    #[serde(default)]
    pub skipped_levels: Vec<SkippedLevel>,
    /// What the server process used over the whole scenario (all levels, warm-ups included).
    pub server: Option<ServerUsage>,
    /// Every failure; any failure fails the benchmark.
    pub failures: Vec<FailureRecord>,
}

impl ServerBenchmark {
    /// The implementation's name: `python`, `python-flask`, `node@bun`.
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

    /// True when nothing failed and at least one level was measured.
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && !self.levels.is_empty()
    }

    /// `scenario/implementation`, e.g. `http-json/go`.
    pub fn label(&self) -> String {
        format!("{}/{}", self.scenario, self.implementation())
    }
}

/// A concurrency level that was not run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedLevel {
    /// Connections of the level.
    pub connections: usize,
    /// Why it was skipped.
    pub reason: String,
}

/// A server process's resource use, from `wait4`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerUsage {
    /// User CPU time, in nanoseconds.
    pub user_ns: u64,
    /// System CPU time, in nanoseconds.
    pub sys_ns: u64,
    /// Peak resident set size, in bytes.
    pub max_rss_bytes: u64,
    /// How it ended (e.g. `exit status 0`).
    pub ended: String,
}
