//! The one way to name a benchmark: a typed [`BenchmarkKey`] (suite,
//! workload or scenario, implementation, size, level), built from a
//! benchmark of the results file. Compare, history, export, merge and the
//! claims match benchmarks by it; its `Display` is the name tables and
//! exports print.

use serde::Serialize;

use super::{Benchmark, Level, ServerBenchmark};
use crate::kinds::{Size, Suite};

/// The level a benchmark was measured at, if the suite has levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyLevel {
    /// A concurrency-suite level: N tasks or W workers.
    Sweep(u64, LevelKind),
    /// An io-suite load level: this many connections.
    Connections(usize),
}

/// What a concurrency level counts (as [`crate::workload::Vary`], ordered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelKind {
    /// N concurrent tasks (`N=`).
    Tasks,
    /// W parallel workers (`W=`).
    Workers,
}

/// The identity of one benchmark, typed. Ordered by workload, then
/// implementation, level (numerically), size and suite, so tables list a
/// workload's implementations together and levels in ascending order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct BenchmarkKey {
    /// The workload (cpu, concurrency) or the scenario (io), e.g. `nbody`, `http-json`.
    pub workload: String,
    /// The implementation folder, e.g. `rust`, `python-threads`.
    pub implementation: String,
    /// The level, for the concurrency and io suites.
    pub level: Option<KeyLevel>,
    /// The problem size of the run.
    pub size: Size,
    /// The suite.
    pub suite: Suite,
}

impl BenchmarkKey {
    /// The key of a cpu or concurrency benchmark.
    pub fn of(bench: &Benchmark) -> BenchmarkKey {
        BenchmarkKey {
            workload: bench.workload.clone(),
            implementation: bench.implementation(),
            level: bench.level.map(sweep),
            size: bench.size_name,
            suite: if bench.level.is_some() {
                Suite::Concurrency
            } else {
                Suite::Cpu
            },
        }
    }

    /// The key of one load level of a server benchmark.
    pub fn of_level(server: &ServerBenchmark, connections: usize) -> BenchmarkKey {
        BenchmarkKey {
            workload: server.scenario.clone(),
            implementation: server.implementation(),
            level: Some(KeyLevel::Connections(connections)),
            size: server.size_name,
            suite: Suite::Io,
        }
    }

    /// The level as tables write it (`N=1000`, `W=2`, `c=16`), if any.
    pub fn level_label(&self) -> Option<String> {
        Some(match self.level? {
            KeyLevel::Sweep(v, LevelKind::Tasks) => format!("N={v}"),
            KeyLevel::Sweep(v, LevelKind::Workers) => format!("W={v}"),
            KeyLevel::Connections(c) => format!("c={c}"),
        })
    }

    /// The level's value (tasks, workers or connections), if any.
    pub fn level_value(&self) -> Option<u64> {
        match self.level? {
            KeyLevel::Sweep(v, _) => Some(v),
            KeyLevel::Connections(c) => Some(c as u64),
        }
    }
}

/// How tables, exports and errors name a benchmark: `nbody/rust (quick)`,
/// `tasks/go N=1000 (quick)`, `http-json/go c=16`. A load level carries no
/// size in its name (as since the io suite began, so exported series keep
/// their names); the key itself does, so levels of two sizes never match.
impl std::fmt::Display for BenchmarkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.workload, self.implementation)?;
        if let Some(level) = self.level_label() {
            write!(f, " {level}")?;
        }
        match self.suite {
            Suite::Io => Ok(()),
            _ => write!(f, " ({})", self.size),
        }
    }
}

fn sweep(level: Level) -> KeyLevel {
    let kind = match level.vary {
        crate::workload::Vary::Size => LevelKind::Tasks,
        crate::workload::Vary::Workers => LevelKind::Workers,
    };
    KeyLevel::Sweep(level.value, kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{Size, Suite};

    fn key(workload: &str, imp: &str, level: Option<KeyLevel>, suite: Suite) -> BenchmarkKey {
        BenchmarkKey {
            workload: workload.into(),
            implementation: imp.into(),
            level,
            size: Size::Quick,
            suite,
        }
    }

    #[test]
    fn names_are_the_ones_tables_and_exports_always_used() {
        assert_eq!(
            key("nbody", "rust", None, Suite::Cpu).to_string(),
            "nbody/rust (quick)"
        );
        let tasks = Some(KeyLevel::Sweep(1000, LevelKind::Tasks));
        assert_eq!(
            key("tasks", "go", tasks, Suite::Concurrency).to_string(),
            "tasks/go N=1000 (quick)"
        );
        let conns = Some(KeyLevel::Connections(16));
        assert_eq!(
            key("http-json", "go", conns, Suite::Io).to_string(),
            "http-json/go c=16"
        );
    }

    #[test]
    fn levels_order_numerically_and_sizes_keep_keys_apart() {
        let at = |c| key("http-json", "go", Some(KeyLevel::Connections(c)), Suite::Io);
        assert!(at(64) < at(256));
        let mut default = at(64);
        default.size = Size::Default;
        assert_ne!(default, at(64));
        assert_eq!(default.to_string(), at(64).to_string());
    }
}
