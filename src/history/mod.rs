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
//! Like asv (airspeed velocity), the series of medians `x[0..n]` is fitted with
//! a piecewise-constant function by optimal partitioning (dynamic programming
//! over every split, exact, O(n² log n)): the partition minimises
//!
//! ```text
//!   Σ over segments ( Σ |x_i − median(segment)| + β )
//! ```
//!
//! Absolute deviations from segment medians, rather than squares from means,
//! keep one outlying run from dragging a whole segment. The penalty per
//! segment is `β = 3 · σ · ln n`; σ, the noise, is the median absolute
//! difference between successive runs over `0.6745 · √2` (for Gaussian noise
//! of standard deviation σ a difference has standard deviation `σ√2`, whose
//! median absolute value is 0.6745 times that), so a step, which moves one
//! difference, barely moves it. σ is floored at 0.1% of the median level, so
//! identical values still pay a penalty. In a simulation (150 Gaussian series
//! per length, 10 to 60 runs) this split pure noise in 0–2% of the series and
//! put a 4σ step at the right run in 84–93%, before any threshold. Two runs
//! never show a step: their one difference is also the noise estimate (use
//! `langbench compare` for two files).
//!
//! The fit finds where the level changes; the threshold decides whether the
//! change matters, with compare's rule: the ratio of the segment medians
//! after / before must be above `1 + t` or below `1 − t` (t = 5% by default).
//! The boundary with the smallest change that fails the rule is dropped and
//! its two segments merged (median recomputed), until every boundary passes.
//! A segment of one run between two segments at the same level (within the
//! threshold) is an outlier, not two steps, and is merged away first; a
//! one-run segment at the end stays, as the newest run may be a real change.
//! Each is a [`Step`]: the first run after the change, the medians before and
//! after, their ratio, and whether it is a regression for the metric.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap};
use std::path::PathBuf;

use serde::Serialize;

use crate::kinds::Metric;
use crate::metrics::{samples, BenchmarkKey};
use crate::results::ResultsFile;
use crate::stats::Sample;

/// β = `PENALTY_FACTOR` · σ · ln n.
pub const PENALTY_FACTOR: f64 = 3.0;

/// Lowest noise estimate, as a fraction of the series' median level.
pub const NOISE_FLOOR: f64 = 1e-3;

/// Median |N(0, 1)|: the median absolute value of a standard normal variable.
const NORMAL_MEDIAN_ABS: f64 = 0.674_489_750_196_081_7;

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
    /// Index in [`History::runs`] of that point's run ([`detect_steps`] sets
    /// it to `index`; [`history`] maps it to the run).
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
    /// One series per benchmark, sorted by name.
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
            let medians: Vec<f64> = points.iter().map(|p| p.median).collect();
            let mut steps = detect_steps(&medians, threshold_pct, metric.higher_is_better());
            for step in &mut steps {
                step.run = points[step.index].run;
            }
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

/// The steps of a series of medians (see the module documentation), with
/// `threshold_pct` in percent. Empty for fewer than 2 values or any
/// non-finite value (and, by the noise estimate, for exactly 2).
pub fn detect_steps(medians: &[f64], threshold_pct: f64, higher_is_better: bool) -> Vec<Step> {
    let n = medians.len();
    if n < 2 || medians.iter().any(|v| !v.is_finite()) {
        return Vec::new();
    }
    let penalty = PENALTY_FACTOR * noise(medians) * (n as f64).ln();
    let mut starts = partition(medians, penalty);
    let threshold = threshold_pct / 100.0;
    drop_blips(medians, &mut starts, threshold);
    loop {
        let levels = segment_medians(medians, &starts);
        // The boundary with the smallest change that is not beyond the threshold.
        let weakest = (1..starts.len())
            .filter(|&k| !beyond(levels[k - 1], levels[k], threshold))
            .map(|k| (k, relative_change(levels[k - 1], levels[k])))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        match weakest {
            Some((k, _)) => {
                starts.remove(k);
            }
            None => break,
        }
    }
    let levels = segment_medians(medians, &starts);
    (1..starts.len())
        .map(|k| {
            let (before, after) = (levels[k - 1], levels[k]);
            Step {
                index: starts[k],
                run: starts[k],
                before,
                after,
                ratio: after / before,
                regression: if higher_is_better {
                    after < before
                } else {
                    after > before
                },
            }
        })
        .collect()
}

/// Merges away each one-run segment between two segments whose levels do
/// not differ beyond the threshold: a run that departs and comes back is an
/// outlier, not two steps. A one-run segment at the end stays: it may be a
/// change that the next runs will confirm.
fn drop_blips(x: &[f64], starts: &mut Vec<usize>, threshold: f64) {
    let mut k = 1;
    while k + 1 < starts.len() {
        let levels = segment_medians(x, starts);
        if starts[k + 1] - starts[k] == 1 && !beyond(levels[k - 1], levels[k + 1], threshold) {
            starts.drain(k..k + 2);
        } else {
            k += 1;
        }
    }
}

/// The robust noise estimate σ of a series: median absolute successive
/// difference / (0.6745 √2), floored at [`NOISE_FLOOR`] times the median
/// absolute level. 0 for an empty series.
pub fn noise(x: &[f64]) -> f64 {
    let diffs: Vec<f64> = x.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    let raw = median(diffs) / (NORMAL_MEDIAN_ABS * std::f64::consts::SQRT_2);
    let level = median(x.iter().map(|v| v.abs()).collect());
    raw.max(NOISE_FLOOR * level)
}

/// compare's rule: `after / before` above `1 + threshold` or below
/// `1 − threshold` (threshold as a fraction); from 0, any change is beyond.
fn beyond(before: f64, after: f64, threshold: f64) -> bool {
    if before == 0.0 {
        return after != 0.0;
    }
    let ratio = after / before;
    ratio > 1.0 + threshold || ratio < 1.0 - threshold
}

/// `|after / before − 1|`; infinite when only `before` is 0.
fn relative_change(before: f64, after: f64) -> f64 {
    if before == after {
        0.0
    } else if before == 0.0 {
        f64::INFINITY
    } else {
        (after / before - 1.0).abs()
    }
}

/// The median of each segment; `starts` begins with 0 and is increasing.
fn segment_medians(x: &[f64], starts: &[usize]) -> Vec<f64> {
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let end = starts.get(k + 1).copied().unwrap_or(x.len());
            median(x[s..end].to_vec())
        })
        .collect()
}

/// The median of `v`; 0 when empty.
fn median(v: Vec<f64>) -> f64 {
    Sample::new(v).map(|s| s.median()).unwrap_or(0.0)
}

/// The start of each segment (0 first) of the partition of `x` that
/// minimises the sum of absolute deviations from each segment's median plus
/// `penalty` per segment. Exact optimal partitioning: `best[j]` is the cost
/// of the best partition of `x[..j]`; each start `i` extends one segment
/// `x[i..=j]` at a time, keeping its deviation up to date in O(log n).
fn partition(x: &[f64], penalty: f64) -> Vec<usize> {
    let n = x.len();
    let mut best = vec![f64::INFINITY; n + 1];
    let mut last_start = vec![0usize; n + 1];
    best[0] = 0.0;
    for i in 0..n {
        let base = best[i] + penalty;
        let mut segment = MedianDeviation::default();
        for j in i..n {
            segment.push(x[j]);
            let cost = base + segment.deviation();
            // Strictly less: on a tie the earlier start (fewer segments) wins.
            if cost < best[j + 1] {
                best[j + 1] = cost;
                last_start[j + 1] = i;
            }
        }
    }
    let mut starts = Vec::new();
    let mut end = n;
    while end > 0 {
        end = last_start[end];
        starts.push(end);
    }
    starts.reverse();
    starts
}

/// An `f64` ordered by `total_cmp`, for the heaps.
#[derive(Debug, Clone, Copy)]
struct Key(f64);

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.0.total_cmp(&other.0) == Ordering::Equal
    }
}

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Σ |v − median| of a growing set: the lower half in a max-heap (holding the
/// median when the count is odd), the upper half in a min-heap, with their sums.
#[derive(Debug, Default)]
struct MedianDeviation {
    low: BinaryHeap<Key>,
    high: BinaryHeap<Reverse<Key>>,
    low_sum: f64,
    high_sum: f64,
}

impl MedianDeviation {
    fn push(&mut self, v: f64) {
        if self.low.peek().is_none_or(|m| v <= m.0) {
            self.low.push(Key(v));
            self.low_sum += v;
        } else {
            self.high.push(Reverse(Key(v)));
            self.high_sum += v;
        }
        if self.low.len() > self.high.len() + 1 {
            let Key(m) = self.low.pop().expect("low is not empty");
            self.low_sum -= m;
            self.high.push(Reverse(Key(m)));
            self.high_sum += m;
        } else if self.high.len() > self.low.len() {
            let Reverse(Key(m)) = self.high.pop().expect("high is not empty");
            self.high_sum -= m;
            self.low.push(Key(m));
            self.low_sum += m;
        }
    }

    /// Σ |v − median|: with k values above and k (or k + 1, the median m
    /// included) below, Σ high − Σ low (+ m).
    fn deviation(&self) -> f64 {
        let odd = self.low.len() > self.high.len();
        let middle = match (odd, self.low.peek()) {
            (true, Some(m)) => m.0,
            _ => 0.0,
        };
        (self.high_sum - self.low_sum + middle).max(0.0)
    }
}

#[cfg(test)]
mod tests;
