//! The numbers a test compares, read through the metric layer
//! ([`crate::metrics`]): per implementation, a sample for each workload (CPU
//! suite) or level (io and concurrency suites), keyed by [`Slot`] so two
//! implementations pair on the same workload or level.

use std::collections::BTreeMap;

use crate::kinds::Suite;
use crate::metrics::{
    derived::derived, level_marks, samples, throughput_not_compared, BenchmarkKey, LevelMarks,
};
use crate::results::ResultsFile;
use crate::stats::Sample;

use super::{Measure, Reads, Test};

/// gzip source bytes per `(workload, implementation)`: recorded in the
/// results file by `run`, or measured by the caller for older files.
pub type SourceSizes = BTreeMap<(String, String), f64>;

/// Where a value of a test was measured: a CPU workload, or a level (tasks,
/// workers or connections) of the test's scenario or workload.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Slot {
    /// A CPU workload, by name.
    Workload(String),
    /// A level of the io scenario or concurrency workload the test names.
    Level(u64),
}

impl Slot {
    /// The level, if this slot is one.
    pub(super) fn level(&self) -> Option<u64> {
        match self {
            Slot::Level(l) => Some(*l),
            Slot::Workload(_) => None,
        }
    }
}

/// One implementation's samples for a test, by slot, each with the slot's
/// label (`nbody`, `http-io c=1000`, `tasks N=1000000`).
pub(super) type BySlot = BTreeMap<Slot, (String, Sample)>;

/// Every implementation's samples for `test`, read once from the metric
/// layer (an implementation with nothing measured is absent).
pub(super) fn samples_by_implementation(
    results: &ResultsFile,
    test: &Test,
    sources: &SourceSizes,
) -> BTreeMap<String, BySlot> {
    let all = match test.metric.reads() {
        Reads::Measured(metric) => samples(results, metric),
        Reads::Derived(measure) => derived(results, measure),
        Reads::SourceSize => source_sizes(results, sources),
    };
    let mut out: BTreeMap<String, BySlot> = BTreeMap::new();
    for (key, sample) in all {
        if let Some((slot, label)) = slot(test, &key) {
            out.entry(key.implementation.clone())
                .or_default()
                .insert(slot, (label, sample));
        }
    }
    out
}

/// The (implementation, slot) pairs of `test` whose values are not to be
/// compared, with the reason: for requests/s and the share of the ideal,
/// the levels where the load generator's core was saturated.
pub(super) fn not_compared(results: &ResultsFile, test: &Test) -> BTreeMap<(String, Slot), String> {
    if !matches!(
        test.metric,
        Measure::RequestsPerSecond | Measure::IdealFraction
    ) {
        return BTreeMap::new();
    }
    throughput_not_compared(results)
        .into_iter()
        .filter_map(|(key, why)| {
            let (slot, _) = slot(test, &key)?;
            Some(((key.implementation.clone(), slot), why))
        })
        .collect()
}

/// The marks of every level of the test's scenario measured in rounds, per
/// implementation and level (none for a file written before rounds).
pub(super) fn marks_by_implementation(
    results: &ResultsFile,
    test: &Test,
) -> BTreeMap<String, BTreeMap<u64, LevelMarks>> {
    let mut out: BTreeMap<String, BTreeMap<u64, LevelMarks>> = BTreeMap::new();
    for (key, marks) in level_marks(results) {
        if let Some((Slot::Level(level), _)) = slot(test, &key) {
            out.entry(key.implementation.clone())
                .or_default()
                .insert(level, marks);
        }
    }
    out
}

/// The slot of `key` for `test`, if the test reads it.
fn slot(test: &Test, key: &BenchmarkKey) -> Option<(Slot, String)> {
    match key.suite() {
        Suite::Cpu if test.metric.is_cpu() => {
            return Some((Slot::Workload(key.workload.clone()), key.workload.clone()))
        }
        Suite::Io if test.scenario.as_deref() == Some(key.workload.as_str()) => {}
        Suite::Concurrency if test.workload.as_deref() == Some(key.workload.as_str()) => {}
        _ => return None,
    }
    let label = format!("{} {}", key.workload, key.level?);
    Some((Slot::Level(key.level_value()?), label))
}

/// The source size of the implementation of each passed CPU benchmark, as
/// one value.
fn source_sizes(results: &ResultsFile, sources: &SourceSizes) -> BTreeMap<BenchmarkKey, Sample> {
    results
        .benchmarks
        .iter()
        .filter(|b| b.level.is_none() && b.summary.is_some())
        .filter_map(|b| {
            let size = sources.get(&(b.workload.clone(), b.imp().folder()))?;
            Some((b.key(), Sample::new(vec![*size]).ok()?))
        })
        .collect()
}
