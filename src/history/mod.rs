//! A benchmark's history across results files, and the runs where its level
//! stepped up or down.
//!
//! In: results files in chronological order (the command sorts them), a
//! [`Metric`] and a threshold in percent. Out: a [`History`] with, per
//! benchmark name (as [`crate::metrics::samples`] names it), one [`Point`] per
//! run that measured it (median, min and max of its values) and the
//! [`Step`]s detected in the series of medians. No I/O here; `commands/history.rs`
//! loads the files, `report/charts/history.rs` draws the trend charts.
//!
//! # Step detection
//!
//! The series of medians goes to [`changepoint::changes`]: an exact penalised
//! piecewise-constant fit (optimal partitioning, as in asv), a one-run
//! outlier merged away, and neighbouring levels whose ratio is not beyond the
//! threshold (compare's rule) merged, weakest first; the module documents
//! the fit and its noise estimate. Two runs never show a step: their one
//! difference is also the noise estimate (use `langbench compare` for two
//! files). An instruction count is the exception: its noise is what its
//! repeats within each run show (the median over the runs of the range of
//! its repeats, about σ for two or three repeats), not the differences
//! between runs, where a real step of a short series would pass for noise;
//! so a count's step shows from two runs on, as compare's 1% rule would.
//! Each change is a [`Step`]: the first run after the change, the medians
//! before and after, their ratio, and whether it is a regression for the
//! metric.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::kinds::Metric;
use crate::metrics::{samples, BenchmarkKey};
use crate::results::ResultsFile;
use crate::stats::changepoint;

/// One results file of the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunInfo {
    /// The file, as given on the command line.
    pub file: String,
    /// Short label: the first 7 characters of the git commit (with `*` when the
    /// tree was dirty), else `started_at`.
    pub label: String,
    /// When the run started (RFC 3339, UTC).
    pub started_at: String,
}

/// One benchmark in one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// Index of the run in [`History::runs`].
    pub run: usize,
    /// Median of the run's values, in the metric's unit.
    pub median: f64,
    /// Smallest value, in the metric's unit.
    pub min: f64,
    /// Largest value, in the metric's unit.
    pub max: f64,
    /// How many values the run has (measured runs; 1 for a load level).
    pub count: usize,
}

/// A change of level that is beyond the threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// Index in the series (its points) of the first point after the change.
    pub index: usize,
    /// Index in [`History::runs`] of that point's run.
    pub run: usize,
    /// Median of the segment before the change, in the metric's unit.
    pub before: f64,
    /// Median of the segment from `index` on, in the metric's unit.
    pub after: f64,
    /// `after / before` (infinite when `before` is 0).
    pub ratio: f64,
    /// True when the change is for the worse given the metric's direction.
    pub regression: bool,
}

impl Step {
    /// `regression` or `improvement`.
    pub fn direction(&self) -> &'static str {
        if self.regression {
            "regression"
        } else {
            "improvement"
        }
    }
}

/// One benchmark across the runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// The benchmark, e.g. `nbody/rust (quick)` or `http-json/go c=16`.
    pub name: String,
    /// One point per run that has values, in run order.
    pub points: Vec<Point>,
    /// Detected steps, in run order.
    pub steps: Vec<Step>,
}

/// Every benchmark's series on one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// The metric followed.
    pub metric: Metric,
    /// Unit of every value.
    pub unit: &'static str,
    /// Threshold a step must exceed, in percent.
    pub threshold_pct: f64,
    /// The runs, oldest first.
    pub runs: Vec<RunInfo>,
    /// One series per benchmark, in key order (workload, implementation, level).
    pub series: Vec<Series>,
}

impl History {
    /// Every step of every series with its benchmark, by benchmark then run.
    pub fn steps(&self) -> impl Iterator<Item = (&Series, &Step)> {
        self.series
            .iter()
            .flat_map(|s| s.steps.iter().map(move |st| (s, st)))
    }
}

/// The label of a run in tables and on chart axes.
pub fn run_label(results: &ResultsFile) -> String {
    match &results.git {
        Some(git) => git.short(),
        None => results.started_at.clone(),
    }
}

/// The history of every benchmark over `runs` (already in order) on
/// `metric`, with steps beyond `threshold_pct` percent.
pub fn history(runs: &[(PathBuf, ResultsFile)], metric: Metric, threshold_pct: f64) -> History {
    let mut by_key: BTreeMap<BenchmarkKey, Vec<Point>> = BTreeMap::new();
    for (i, (_, results)) in runs.iter().enumerate() {
        for (key, sample) in samples(results, metric) {
            by_key.entry(key).or_default().push(Point {
                run: i,
                median: sample.median(),
                min: sample.min(),
                max: sample.max(),
                count: sample.len(),
            });
        }
    }
    let series = by_key
        .into_iter()
        .map(|(key, points)| {
            let steps = detect_steps(&points, threshold_pct, metric);
            Series {
                name: key.to_string(),
                points,
                steps,
            }
        })
        .collect();
    History {
        metric,
        unit: metric.unit(),
        threshold_pct,
        runs: runs
            .iter()
            .map(|(path, r)| RunInfo {
                file: path.display().to_string(),
                label: run_label(r),
                started_at: r.started_at.clone(),
            })
            .collect(),
        series,
    }
}

/// The steps of a series of points of `metric` (see the module
/// documentation), with `threshold_pct` in percent. Empty for fewer than 2
/// points or any non-finite median (and, by the noise estimate, for exactly
/// 2 but for a count).
fn detect_steps(points: &[Point], threshold_pct: f64, metric: Metric) -> Vec<Step> {
    let medians: Vec<f64> = points.iter().map(|p| p.median).collect();
    let threshold = threshold_pct / 100.0;
    let changes = if metric.is_deterministic() {
        let ranges = points.iter().map(|p| p.max - p.min).collect();
        let sigma = crate::stats::Sample::new(ranges).map_or(0.0, |s| s.median());
        changepoint::changes_with_noise(&medians, threshold, sigma)
    } else {
        changepoint::changes(&medians, threshold)
    };
    let higher_is_better = metric.higher_is_better();
    changes
        .into_iter()
        .map(|c| Step {
            index: c.index,
            run: points[c.index].run,
            before: c.before,
            after: c.after,
            ratio: c.after / c.before,
            regression: if higher_is_better {
                c.after < c.before
            } else {
                c.after > c.before
            },
        })
        .collect()
}

#[cfg(test)]
mod tests;
