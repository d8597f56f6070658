//! Which level of an io scenario or a concurrency workload a test reads, and
//! why: the highest level both sides measured (`max`), the machine's core
//! count (`cores`), a level named by number, or the highest level at which
//! every implementation the test names was I/O-bound (`io-bound`: below the
//! CPU-bound and generator-bound marks of [`crate::metrics::level_marks`]).
//! `io-bound` is decided once for the whole test, so all its comparisons
//! read the same level; the others are decided per comparison. Out: the
//! level as a [`Slot`], and the words the evidence's reading uses.

use std::collections::BTreeSet;

use super::metrics::{marks_by_implementation, Slot};
use super::{LevelChoice, Over, Test};
use crate::results::levels::BOUND_SHARE;
use crate::results::ResultsFile;

/// A test's level choice, resolved against one results file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TestLevel {
    choice: LevelChoice,
    /// `io-bound`: the level, or why there is none.
    io_bound: Option<Result<u64, String>>,
}

impl TestLevel {
    /// Resolves `test`'s level choice on `results`.
    pub(super) fn of(test: &Test, results: &ResultsFile) -> TestLevel {
        TestLevel {
            choice: test.level,
            io_bound: (test.level == LevelChoice::IoBound).then(|| io_bound_level(test, results)),
        }
    }

    /// Why no level can be read, for every comparison of the test.
    pub(super) fn unavailable(&self) -> Option<&str> {
        match &self.io_bound {
            Some(Err(why)) => Some(why),
            _ => None,
        }
    }

    /// The level to read among `slots` (the levels both sides of a
    /// comparison measured, or one side's for a bound).
    pub(super) fn pick(&self, results: &ResultsFile, slots: Vec<Slot>) -> Option<Slot> {
        let mut levels = slots.iter().filter_map(Slot::level);
        let level = match self.choice {
            LevelChoice::Max => levels.max(),
            LevelChoice::Cores => {
                let cores = results.machine.logical_cpus as u64;
                levels.find(|l| *l == cores)
            }
            LevelChoice::Value(v) => levels.find(|l| *l == v),
            LevelChoice::IoBound => {
                let chosen = self.io_bound.as_ref()?.as_ref().ok()?;
                levels.find(|l| l == chosen)
            }
        };
        level.map(Slot::Level)
    }
}

/// How the test's values were taken, in words: `each workload`, `geometric
/// mean` (CPU suite), or why its level: `max`, `cores`, `named level`,
/// `highest I/O-bound level`.
pub(super) fn how_read(test: &Test) -> &'static str {
    if test.metric.is_cpu() {
        return match test.over {
            Over::Each => "each workload",
            Over::Geomean => "geometric mean",
        };
    }
    match test.level {
        LevelChoice::Max => "max",
        LevelChoice::Cores => "level = cores",
        LevelChoice::Value(_) => "named level",
        LevelChoice::IoBound => "highest I/O-bound level",
    }
}

/// The highest level of the test's scenario at which every implementation
/// the test names has a mark, neither CPU-bound nor generator-bound; or why
/// there is none.
fn io_bound_level(test: &Test, results: &ResultsFile) -> Result<u64, String> {
    let marks = marks_by_implementation(results, test);
    let names = test.implementations();
    let levels: BTreeSet<u64> = names
        .iter()
        .filter_map(|n| marks.get(*n))
        .flat_map(|m| m.keys().copied())
        .collect();
    let io_bound = |level: &u64| {
        names.iter().all(|n| {
            marks
                .get(*n)
                .and_then(|m| m.get(level))
                .is_some_and(|m| m.io_bound())
        })
    };
    if let Some(level) = levels.iter().rev().find(|l| io_bound(l)) {
        return Ok(*level);
    }
    let scenario = test.scenario.as_deref().unwrap_or("the scenario");
    let unmarked: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| marks.get(*n).is_none_or(|m| m.is_empty()))
        .collect();
    if !unmarked.is_empty() {
        return Err(format!(
            "no I/O-bound level: no level of {scenario} was measured in rounds for {}, \
             so none carries the CPU-bound mark",
            and_list(&unmarked)
        ));
    }
    let were = match names.len() {
        1 => "was",
        2 => "were both",
        _ => "were all",
    };
    Err(format!(
        "no level of {scenario} where {} {were} below the CPU-bound mark ({:.0}% busy) \
         and not generator-bound",
        and_list(&names),
        BOUND_SHARE * 100.0
    ))
}

/// `go`, `go and node`, `go, node and python`.
fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
