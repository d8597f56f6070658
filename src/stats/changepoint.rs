//! Change points of a series: where its level steps up or down.
//!
//! In: a series of values in order (e.g. the medians of one benchmark over
//! successive runs) and a threshold as a fraction. Out: the [`Change`]s, each
//! with the index of the first value at the new level and the levels before
//! and after. Pure arithmetic like the rest of `stats`; `history` names the
//! runs and decides which direction is a regression.
//!
//! # The fit
//!
//! Like asv (airspeed velocity), the series `x[0..n]` is fitted with a
//! piecewise-constant function by optimal partitioning (dynamic programming
//! over every split, exact, O(n² log n)): the partition minimises
//!
//! ```text
//!   Σ over segments ( Σ |x_i − median(segment)| + β )
//! ```
//!
//! Absolute deviations from segment medians, rather than squares from means,
//! keep one outlying run from dragging a whole segment. The penalty per
//! segment is `β = 3 · σ · ln n`; σ, the noise, is the median absolute
//! difference between successive values over `0.6745 · √2` (for Gaussian noise
//! of standard deviation σ a difference has standard deviation `σ√2`, whose
//! median absolute value is 0.6745 times that), so a step, which moves one
//! difference, barely moves it. σ is floored at 0.1% of the median level, so
//! identical values still pay a penalty. In a simulation (150 Gaussian series
//! per length, 10 to 60 runs) this split pure noise in 0–2% of the series and
//! put a 4σ step at the right run in 84–93%, before any threshold. Two values
//! never show a change: their one difference is also the noise estimate.
//! Where σ is known apart from the series (the repeats of an instruction
//! count), [`changes_with_noise`] takes it instead of the estimate.
//!
//! # The merges
//!
//! The fit finds where the level changes; the threshold decides whether the
//! change matters, with compare's rule: the ratio of the segment medians
//! after / before must be above `1 + t` or below `1 − t`. A segment of one
//! value between two segments at the same level (within the threshold) is an
//! outlier, not two changes, and is merged away first; a one-value segment at
//! the end stays, as the newest value may be a real change. Then the boundary
//! with the smallest change that fails the rule is dropped and its two
//! segments merged (median recomputed), until every boundary passes.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use super::Sample;

/// β = `PENALTY_FACTOR` · σ · ln n.
const PENALTY_FACTOR: f64 = 3.0;

/// Lowest noise estimate, as a fraction of the series' median level.
const NOISE_FLOOR: f64 = 1e-3;

/// Median |N(0, 1)|: the median absolute value of a standard normal variable.
const NORMAL_MEDIAN_ABS: f64 = 0.674_489_750_196_081_7;

/// A change of level beyond the threshold, in the unit of the series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// Index of the first value after the change.
    pub index: usize,
    /// Median of the segment before the change.
    pub before: f64,
    /// Median of the segment from `index` on.
    pub after: f64,
}

/// The changes of level of `x` (see the module documentation) beyond
/// `threshold`, a fraction (0.05 for 5%), in order. Empty for fewer than 2
/// values or any non-finite value (and, by the noise estimate, for exactly 2).
pub fn changes(x: &[f64], threshold: f64) -> Vec<Change> {
    changes_with_noise(x, threshold, successive_noise(x))
}

/// [`changes`] with the noise σ given rather than estimated from successive
/// differences (floored alike): for a series whose noise is known apart from
/// the series, as the repeats within each run of an instruction count show
/// it. In a short series the successive differences are mostly the step
/// itself (with three values, one of two), so a step in the newest value of
/// three could never be told from noise; with σ known it can, and with two
/// values too. Empty for fewer than 2 values or any non-finite value.
pub fn changes_with_noise(x: &[f64], threshold: f64, sigma: f64) -> Vec<Change> {
    let n = x.len();
    if n < 2 || x.iter().any(|v| !v.is_finite()) {
        return Vec::new();
    }
    let level = median(x.iter().map(|v| v.abs()).collect());
    let sigma = if sigma.is_finite() { sigma } else { 0.0 };
    let penalty = PENALTY_FACTOR * sigma.max(NOISE_FLOOR * level) * (n as f64).ln();
    let mut starts = partition(x, penalty);
    drop_blips(x, &mut starts, threshold);
    loop {
        let levels = segment_medians(x, &starts);
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
    let levels = segment_medians(x, &starts);
    (1..starts.len())
        .map(|k| Change {
            index: starts[k],
            before: levels[k - 1],
            after: levels[k],
        })
        .collect()
}

/// Merges away each one-value segment between two segments whose levels do
/// not differ beyond the threshold: a value that departs and comes back is an
/// outlier, not two changes. A one-value segment at the end stays: it may be a
/// change that the next values will confirm.
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
/// difference / (0.6745 √2); [`changes_with_noise`] floors it at
/// [`NOISE_FLOOR`] times the median absolute level. 0 for an empty series.
fn successive_noise(x: &[f64]) -> f64 {
    let diffs: Vec<f64> = x.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    median(diffs) / (NORMAL_MEDIAN_ABS * std::f64::consts::SQRT_2)
}

/// compare's rule: `after / before` above `1 + threshold` or below
/// `1 − threshold` (threshold as a fraction); from 0, any change is beyond.
pub(super) fn beyond(before: f64, after: f64, threshold: f64) -> bool {
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
pub(super) fn segment_medians(x: &[f64], starts: &[usize]) -> Vec<f64> {
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
pub(super) fn median(v: Vec<f64>) -> f64 {
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
mod tests {
    use super::*;
    use crate::stats::testing::noisy;

    /// A noisy series whose level is multiplied by `factor` from index `at` on.
    fn with_step(n: usize, at: usize, factor: f64, seed: u64) -> Vec<f64> {
        let mut x = noisy(n, 100.0, seed);
        for v in &mut x[at..] {
            *v *= factor;
        }
        x
    }

    /// The index of each change and whether the level went up.
    fn ups(x: &[f64], threshold: f64) -> Vec<(usize, bool)> {
        changes(x, threshold)
            .iter()
            .map(|c| (c.index, c.after > c.before))
            .collect()
    }

    #[test]
    fn a_one_value_blip_is_an_outlier_but_a_last_value_change_is_a_change() {
        let mut x = vec![100.0, 101.0, 99.0, 100.0, 125.0, 100.0, 101.0, 99.0, 100.0];
        assert!(changes(&x, 0.05).is_empty(), "{x:?}");
        x.push(140.0);
        assert_eq!(ups(&x, 0.05), [(9, true)]);
    }

    #[test]
    fn flat_noisy_series_has_no_change() {
        for seed in 1..20 {
            let x = noisy(20, 100.0, seed);
            assert_eq!(changes(&x, 0.05), vec![], "seed {seed}: {x:?}");
            // Even with no threshold the fit itself does not split the noise.
            assert_eq!(changes(&x, 0.0), vec![], "seed {seed}: {x:?}");
        }
    }

    #[test]
    fn twenty_percent_up_at_ten_of_twenty_is_one_change() {
        let x = with_step(20, 10, 1.2, 7);
        let found = changes(&x, 0.05);
        assert_eq!(found.len(), 1, "{found:?}");
        let c = found[0];
        assert_eq!(c.index, 10);
        assert!((c.after / c.before - 1.2).abs() < 0.02, "{c:?}");
        assert!((c.before - 100.0).abs() < 1.0 && (c.after - 120.0).abs() < 1.2);
    }

    #[test]
    fn twenty_percent_down_is_found_too() {
        let x = with_step(20, 10, 0.8, 3);
        let found = changes(&x, 0.05);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].index, 10);
        assert!((found[0].after / found[0].before - 0.8).abs() < 0.02);
    }

    #[test]
    fn two_changes_are_both_found() {
        let mut x = with_step(30, 10, 1.3, 11);
        for v in &mut x[20..] {
            *v /= 1.3;
        }
        assert_eq!(ups(&x, 0.05), [(10, true), (20, false)]);
    }

    #[test]
    fn a_change_below_the_threshold_is_dropped() {
        let x = with_step(20, 10, 1.03, 5);
        assert_eq!(changes(&x, 0.05), vec![]);
        // The fit does see it: with a 1% threshold it is a change.
        assert_eq!(ups(&x, 0.01), [(10, true)]);
        // Exactly at the threshold is not beyond it (as in compare).
        let x = [100.0, 100.0, 100.0, 105.0, 105.0, 105.0];
        assert_eq!(changes(&x, 0.05), vec![]);
        assert_eq!(changes(&x, 0.049).len(), 1);
    }

    #[test]
    fn merging_a_small_change_keeps_the_large_one() {
        // 100 -> 103 (below 5%) -> 120: one change, measured from the merged level.
        let x = [
            100.0, 100.0, 100.0, 103.0, 103.0, 103.0, 120.0, 120.0, 120.0,
        ];
        let expected = Change {
            index: 6,
            before: 101.5,
            after: 120.0,
        };
        assert_eq!(changes(&x, 0.05), [expected]);
    }

    #[test]
    fn short_and_odd_series_are_handled() {
        assert_eq!(changes(&[], 0.05), vec![]);
        assert_eq!(changes(&[1.0], 0.05), vec![]);
        // Two values: the only difference is also the noise estimate.
        assert_eq!(changes(&[1.0, 2.0], 0.05), vec![]);
        assert_eq!(changes(&[1.0, f64::NAN, 1.0], 0.05), vec![]);
        // Identical values: the noise floor keeps a positive penalty.
        assert_eq!(changes(&[3.0; 10], 0.0), vec![]);
        assert_eq!(changes(&[0.0; 10], 0.0), vec![]);
        // A change at the last value is found.
        let mut x = vec![50.0; 8];
        x.push(60.0);
        assert_eq!(ups(&x, 0.05), [(8, true)]);
    }

    #[test]
    fn noise_is_robust_to_a_step() {
        let x = [1.0, 2.0, 1.0, 2.0, 1.0];
        let sigma = 1.0 / (NORMAL_MEDIAN_ABS * std::f64::consts::SQRT_2);
        assert!((successive_noise(&x) - sigma).abs() < 1e-12);
        let stepped = [1.0, 2.0, 1.0, 2.0, 101.0, 102.0, 101.0, 102.0];
        assert!((successive_noise(&stepped) - sigma).abs() < 1e-12);
        assert_eq!(successive_noise(&[7.0; 4]), 0.0);
        assert_eq!(successive_noise(&[]), 0.0);
    }

    #[test]
    fn a_known_noise_finds_a_step_in_the_newest_of_three_values() {
        // Estimated from the series, the one step is half the noise estimate.
        let x = [100.0, 100.0, 103.0];
        assert_eq!(changes(&x, 0.01), vec![]);
        let step = Change {
            index: 2,
            before: 100.0,
            after: 103.0,
        };
        // Known to be nil (floored at 0.1% of the level), it is a step; two values too.
        assert_eq!(changes_with_noise(&x, 0.01, 0.0), [step]);
        let two = changes_with_noise(&[100.0, 103.0], 0.01, 0.0);
        assert_eq!(two.iter().map(|c| c.index).collect::<Vec<_>>(), [1]);
        // Not beyond the threshold, or within a known noise of 3: none.
        assert_eq!(changes_with_noise(&x, 0.05, 0.0), vec![]);
        assert_eq!(changes_with_noise(&x, 0.01, 3.0), vec![]);
        assert_eq!(changes_with_noise(&x, 0.01, f64::NAN), [step]);
    }

    #[test]
    fn running_deviation_matches_a_direct_sum() {
        let x = noisy(25, 10.0, 42);
        let mut running = MedianDeviation::default();
        for j in 0..x.len() {
            running.push(x[j]);
            let m = median(x[..=j].to_vec());
            let direct: f64 = x[..=j].iter().map(|v| (v - m).abs()).sum();
            assert!((running.deviation() - direct).abs() < 1e-9, "at {j}");
        }
    }

    #[test]
    fn partition_is_optimal_on_a_clear_case() {
        let x = [1.0, 1.0, 1.0, 5.0, 5.0, 5.0, 9.0, 9.0];
        assert_eq!(partition(&x, 0.5), [0, 3, 6]);
        assert_eq!(partition(&x, 100.0), [0]); // a penalty above any gain
    }
}
