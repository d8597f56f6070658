//! The one way to name a benchmark: a typed [`BenchmarkKey`] (workload or
//! scenario, implementation, level, size; the suite follows from the level),
//! built from a benchmark of the results file. Compare, history, export,
//! merge and the claims match benchmarks by it; its `Display` is the name
//! tables and exports print.

use serde::Serialize;

use super::{Benchmark, Level, ServerBenchmark};
use crate::kinds::{Size, Suite};

/// The level a benchmark was measured at, if the suite has levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyLevel {
    /// A concurrency-suite level: N tasks or W workers.
    Sweep(Level),
    /// An io-suite load level: this many connections.
    Connections(usize),
}

impl std::fmt::Display for KeyLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyLevel::Sweep(level) => write!(f, "{level}"),
            KeyLevel::Connections(c) => write!(f, "c={c}"),
        }
    }
}

/// The identity of one benchmark, typed. Ordered by workload, then
/// implementation, level (numerically) and size, so tables list a
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
}

impl BenchmarkKey {
    /// The key of a cpu or concurrency benchmark.
    pub fn of(bench: &Benchmark) -> BenchmarkKey {
        BenchmarkKey {
            workload: bench.workload.clone(),
            implementation: bench.implementation(),
            level: bench.level.map(KeyLevel::Sweep),
            size: bench.size_name,
        }
    }

    /// The key of one load level of a server benchmark.
    pub fn of_level(server: &ServerBenchmark, connections: usize) -> BenchmarkKey {
        BenchmarkKey {
            workload: server.scenario.clone(),
            implementation: server.implementation(),
            level: Some(KeyLevel::Connections(connections)),
            size: server.size_name,
        }
    }

    /// The suite, which the level tells: none (cpu), a sweep (concurrency)
    /// or connections (io).
    pub fn suite(&self) -> Suite {
        match self.level {
            None => Suite::Cpu,
            Some(KeyLevel::Sweep(_)) => Suite::Concurrency,
            Some(KeyLevel::Connections(_)) => Suite::Io,
        }
    }

    /// The level's value (tasks, workers or connections), if any.
    pub fn level_value(&self) -> Option<u64> {
        match self.level? {
            KeyLevel::Sweep(level) => Some(level.value),
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
        if let Some(level) = self.level {
            write!(f, " {level}")?;
        }
        match self.suite() {
            Suite::Io => Ok(()),
            _ => write!(f, " ({})", self.size),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::Vary;

    fn key(workload: &str, imp: &str, level: Option<KeyLevel>) -> BenchmarkKey {
        BenchmarkKey {
            workload: workload.into(),
            implementation: imp.into(),
            level,
            size: Size::Quick,
        }
    }

    #[test]
    fn names_are_the_ones_tables_and_exports_always_used() {
        assert_eq!(key("nbody", "rust", None).to_string(), "nbody/rust (quick)");
        let tasks = KeyLevel::Sweep(Level {
            vary: Vary::Size,
            value: 1000,
        });
        let tasks = key("tasks", "go", Some(tasks));
        assert_eq!(tasks.to_string(), "tasks/go N=1000 (quick)");
        assert_eq!(tasks.suite(), Suite::Concurrency);
        let conns = key("http-json", "go", Some(KeyLevel::Connections(16)));
        assert_eq!(conns.to_string(), "http-json/go c=16");
        assert_eq!(conns.suite(), Suite::Io);
    }

    #[test]
    fn levels_order_numerically_and_sizes_keep_keys_apart() {
        let at = |c| key("http-json", "go", Some(KeyLevel::Connections(c)));
        assert!(at(64) < at(256));
        let workers = |w| {
            let level = Level {
                vary: Vary::Workers,
                value: w,
            };
            key("parallel", "go", Some(KeyLevel::Sweep(level)))
        };
        assert!(workers(2) < workers(10));
        let mut default = at(64);
        default.size = Size::Default;
        assert_ne!(default, at(64));
        assert_eq!(default.to_string(), at(64).to_string());
    }
}
