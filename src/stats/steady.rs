//! The steady state of one process's iteration series, and how many
//! iterations a run gets to show it.
//!
//! In: the kernel times of one process's iterations, in order. Out: a
//! [`SteadyState`]: its [`Class`], the iterations before the steady segment
//! (the warm-up) with their total time, and the steady-state time (the
//! median of the last segment). Pure arithmetic, in the unit of the series.
//!
//! # The classes
//!
//! After Barrett et al., "Virtual Machine Warmup Blows Hot and Cold" (OOPSLA
//! 2017): the series is cut into segments of constant level by the change
//! point fit of [`super::changepoint`] (an exact penalised L1 fit, penalty
//! `β = 3 · σ · ln n` per segment with σ the robust noise of successive
//! differences, a one-value blip inside the series merged away), and
//! segments whose medians differ by no more than [`THRESHOLD`] are one
//! level.
//!
//! On a shared machine a process is preempted, and a GC runs, for a few
//! iterations at a time: the fit sees each such burst as segments of their
//! own. A segment shorter than [`excursion`] (5% of the series, at least
//! [`MIN_SEGMENT`] iterations) is an excursion, not a level, as Barrett et
//! al. take outliers out before the fit. The steady segment starts at the
//! last segment that is not an excursion, and reaches back over every
//! earlier segment at its level (within the threshold) and the excursions
//! between them, up to the first segment that is neither; it runs to the end
//! of the series, excursions after it included. Then:
//!
//! - **flat**: the steady segment is the whole series; the steady time is the
//!   median of every iteration;
//! - **warm-up**: iterations before the steady segment, none of them faster
//!   than it beyond the threshold; they are the warm-up;
//! - **slowdown**: the steady segment is slower, beyond the threshold, than
//!   an earlier segment;
//! - **no steady state**: the steady segment is shorter than [`min_segment`]:
//!   a quarter of the series and at least [`MIN_SEGMENT`] iterations
//!   (Barrett et al. asked the last 500 of 2,000 iterations to be steady), or
//!   every segment is an excursion. Its steady time is the median of the last
//!   `min_segment` iterations, the window a steady state would have filled.
//!
//! Fewer than [`MIN_SERIES`] iterations are not classified: a change point
//! needs values on both sides, and the steady segment [`MIN_SEGMENT`] of them.
//!
//! # The budget
//!
//! [`budgeted_iterations`] chooses how many iterations a run makes so that a
//! fast kernel gets enough to be classified, as hyperfine and criterion
//! choose their counts from a time budget: the budget over the time of one
//! iteration estimated on a warm-up run (the median of its iterations, so a
//! slow first one does not count), never below the manifest's count nor
//! above a cap.

use super::changepoint::{beyond, changes, median, segment_medians};
use super::Sample;

/// Segments whose medians differ by this fraction or less are one level
/// (5%, compare's default threshold): a smaller step is not a change of state.
pub const THRESHOLD: f64 = 0.05;

/// The fewest iterations a steady segment holds.
pub const MIN_SEGMENT: usize = 3;

/// The share of the series the steady (last) segment must hold at least.
pub const MIN_SEGMENT_SHARE: f64 = 0.25;

/// Segments shorter than this share of the series (and [`MIN_SEGMENT`])
/// are excursions, not levels.
pub const EXCURSION_SHARE: f64 = 0.05;

/// The shortest series that is classified: a steady segment and one more.
pub const MIN_SERIES: usize = MIN_SEGMENT + 1;

/// How a process's iteration series behaves (Barrett et al.'s classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// One level throughout.
    Flat,
    /// Slower iterations first, then the fastest level to the end.
    Warmup,
    /// The last level is slower than an earlier one.
    Slowdown,
    /// Still changing: the last level is too short to call steady.
    NoSteadyState,
}

impl Class {
    /// Every class, from the best-behaved.
    pub const ALL: [Class; 4] = [
        Class::Flat,
        Class::Warmup,
        Class::Slowdown,
        Class::NoSteadyState,
    ];

    /// The class's name in results files: `flat`, `warmup`, `slowdown`,
    /// `no_steady_state`.
    pub fn name(self) -> &'static str {
        match self {
            Class::Flat => "flat",
            Class::Warmup => "warmup",
            Class::Slowdown => "slowdown",
            Class::NoSteadyState => "no_steady_state",
        }
    }

    /// The class named `name` (see [`Class::name`]).
    pub fn parse(name: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The class in words, for tables and the report.
    pub fn words(self) -> &'static str {
        match self {
            Class::Flat => "flat",
            Class::Warmup => "warm-up",
            Class::Slowdown => "slowdown",
            Class::NoSteadyState => "no steady state",
        }
    }

    /// True for flat and warm-up: the series reached a steady state that is
    /// its fastest level.
    pub fn is_steady(self) -> bool {
        matches!(self, Class::Flat | Class::Warmup)
    }
}

impl std::fmt::Display for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.words())
    }
}

/// The steady state of one series, in the unit of its values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SteadyState {
    /// How the series behaves.
    pub class: Class,
    /// Iterations before the steady segment (0 when flat).
    pub warmup_iterations: usize,
    /// Their total time.
    pub warmup_total: f64,
    /// The median of the steady segment (for no steady state, of the last
    /// [`min_segment`] iterations).
    pub steady: f64,
}

/// The fewest iterations the steady segment of a series of `n` must hold:
/// a quarter of them, and at least [`MIN_SEGMENT`].
pub fn min_segment(n: usize) -> usize {
    ((n as f64 * MIN_SEGMENT_SHARE).ceil() as usize).max(MIN_SEGMENT)
}

/// The shortest segment of a series of `n` that is a level rather than an
/// excursion: 5% of the series, and at least [`MIN_SEGMENT`].
pub fn excursion(n: usize) -> usize {
    ((n as f64 * EXCURSION_SHARE).ceil() as usize).max(MIN_SEGMENT)
}

/// The steady state of `x` (see the module documentation); None for fewer
/// than [`MIN_SERIES`] values or a non-finite one.
pub fn classify(x: &[f64]) -> Option<SteadyState> {
    let n = x.len();
    if n < MIN_SERIES || x.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let state = |class, from: usize| SteadyState {
        class,
        warmup_iterations: from,
        warmup_total: x[..from].iter().sum(),
        steady: median(x[from..].to_vec()),
    };
    let window = min_segment(n);
    let no_steady_state = || state(Class::NoSteadyState, n - window);
    // Each segment as (start, end, median).
    let starts: Vec<usize> = std::iter::once(0)
        .chain(changes(x, THRESHOLD).iter().map(|c| c.index))
        .collect();
    let ends = starts.iter().skip(1).copied().chain([n]);
    let segments: Vec<(usize, usize, f64)> = starts
        .iter()
        .zip(ends)
        .zip(segment_medians(x, &starts))
        .map(|((&from, to), median)| (from, to, median))
        .collect();
    let short = excursion(n);
    let Some(last) = segments.iter().rposition(|s| s.1 - s.0 >= short) else {
        return Some(no_steady_state());
    };
    let level = segments[last].2;
    let same = |v: f64| !beyond(level, v, THRESHOLD);
    let mut start = segments[last].0;
    for &(from, to, median) in segments[..last].iter().rev() {
        if same(median) {
            start = from;
        } else if to - from >= short {
            break;
        }
    }
    if start == 0 {
        return Some(state(Class::Flat, 0));
    }
    if n - start < window {
        return Some(no_steady_state());
    }
    let steady_state = state(Class::Warmup, start);
    let steady = steady_state.steady;
    let slower = segments
        .iter()
        .take_while(|s| s.0 < start)
        .any(|s| steady > s.2 * (1.0 + THRESHOLD));
    let class = if slower {
        Class::Slowdown
    } else {
        Class::Warmup
    };
    Some(SteadyState {
        class,
        ..steady_state
    })
}

/// The iterations a run makes for a `budget` of kernel time, from
/// `warmup_times`, the iteration times of a warm-up run (same unit as the
/// budget): budget ÷ their median, rounded up, at least `min` and at most
/// `cap` (and `min` when there is no estimate, or `min` is above `cap`).
pub fn budgeted_iterations(warmup_times: &[f64], budget: f64, min: u64, cap: u64) -> u64 {
    let per_iteration = Sample::new(warmup_times.to_vec()).map_or(0.0, |s| s.median());
    if !(per_iteration > 0.0 && budget > 0.0) {
        return min;
    }
    let wanted = (budget / per_iteration).ceil();
    if wanted >= cap as f64 {
        cap.max(min)
    } else {
        (wanted as u64).max(min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testing::noisy;

    /// Noisy segments of the given (length, level), joined.
    fn segments(parts: &[(usize, f64)], seed: u64) -> Vec<f64> {
        parts
            .iter()
            .enumerate()
            .flat_map(|(k, &(n, level))| noisy(n, level, seed + k as u64))
            .collect()
    }

    fn class_of(x: &[f64]) -> Class {
        classify(x).expect("long enough").class
    }

    #[test]
    fn a_flat_series_is_flat_with_every_iteration_steady() {
        for seed in 1..20 {
            let x = noisy(40, 100.0, seed);
            let s = classify(&x).unwrap();
            assert_eq!(s.class, Class::Flat, "seed {seed}: {x:?}");
            assert_eq!((s.warmup_iterations, s.warmup_total), (0, 0.0));
            assert!((s.steady - 100.0).abs() < 1.0, "{s:?}");
        }
        // A first iteration slower by less than the threshold is no warm-up.
        let mut x = noisy(20, 100.0, 3);
        x[0] = 104.0;
        assert_eq!(class_of(&x), Class::Flat);
    }

    #[test]
    fn slower_iterations_then_the_fastest_level_are_a_warm_up() {
        // Node's nbody, roughly: ~230, then ~150, then ~135 to the end.
        let x = segments(&[(2, 230.0), (3, 150.0), (35, 135.0)], 7);
        let s = classify(&x).unwrap();
        assert_eq!(s.class, Class::Warmup, "{x:?}");
        assert_eq!(s.warmup_iterations, 5);
        assert!((s.warmup_total - x[..5].iter().sum::<f64>()).abs() < 1e-9);
        assert!((s.steady - 135.0).abs() < 1.5, "{s:?}");
        // One slow first iteration is a warm-up of one.
        let mut x = noisy(10, 100.0, 5);
        x[0] = 300.0;
        let s = classify(&x).unwrap();
        assert_eq!((s.class, s.warmup_iterations), (Class::Warmup, 1));
        // A middle level within the threshold of the last is no slowdown.
        let x = segments(&[(5, 200.0), (10, 100.0), (10, 95.0), (15, 98.0)], 9);
        assert_eq!(class_of(&x), Class::Warmup);
    }

    #[test]
    fn a_last_level_slower_than_an_earlier_one_is_a_slowdown() {
        let x = segments(&[(20, 100.0), (20, 130.0)], 11);
        let s = classify(&x).unwrap();
        assert_eq!(s.class, Class::Slowdown, "{x:?}");
        assert_eq!(s.warmup_iterations, 20);
        assert!((s.steady - 130.0).abs() < 1.5);
        // Warm-up, a faster level, then slower again (135 -> 90 -> 130).
        let x = segments(&[(3, 200.0), (12, 135.0), (12, 90.0), (13, 130.0)], 13);
        assert_eq!(class_of(&x), Class::Slowdown, "{x:?}");
    }

    #[test]
    fn a_last_level_shorter_than_the_minimum_segment_is_no_steady_state() {
        // 40 iterations: the steady segment needs 10; the last level has 5.
        assert_eq!(min_segment(40), 10);
        let x = segments(&[(20, 100.0), (15, 150.0), (5, 80.0)], 17);
        let s = classify(&x).unwrap();
        assert_eq!(s.class, Class::NoSteadyState, "{x:?}");
        // The last min_segment iterations stand in for the steady segment.
        assert_eq!(s.warmup_iterations, 30);
        let tail = Sample::new(x[30..].to_vec()).unwrap().median();
        assert_eq!(s.steady, tail);
        // Still stepping every few iterations.
        let x = segments(
            &[(8, 100.0), (8, 140.0), (8, 100.0), (8, 140.0), (4, 100.0)],
            19,
        );
        assert_eq!(class_of(&x), Class::NoSteadyState, "{x:?}");
    }

    #[test]
    fn a_last_value_alone_is_an_outlier_not_a_change() {
        let mut x = noisy(20, 100.0, 23);
        x[19] = 160.0;
        let s = classify(&x).unwrap();
        assert_eq!(s.class, Class::Flat, "{x:?}");
        let mut x = segments(&[(3, 200.0), (17, 100.0)], 29);
        x[19] = 20.0;
        let s = classify(&x).unwrap();
        assert_eq!((s.class, s.warmup_iterations), (Class::Warmup, 3));
    }

    #[test]
    fn bursts_of_a_few_iterations_are_excursions_not_levels() {
        // 500 iterations at 62 µs, a slow first one, and bursts of 1 to 3
        // iterations (preemption, a GC) throughout and near the end, as a
        // Rust kernel shows on a shared machine.
        let mut x = noisy(500, 62.0, 31);
        x[0] = 90.0;
        for (at, burst) in [
            (44, &[71.0, 71.0][..]),
            (150, &[4256.0, 81.0]),
            (314, &[90.0, 71.0, 67.0]),
            (480, &[89.0, 67.0]),
            (497, &[72.0, 140.0]),
        ] {
            x[at..at + burst.len()].copy_from_slice(burst);
        }
        let s = classify(&x).unwrap();
        assert_eq!((s.class, s.warmup_iterations), (Class::Warmup, 1), "{s:?}");
        assert!((s.steady - 62.0).abs() < 0.7, "{s:?}");
        // Without the slow first one: flat, bursts and all.
        x[0] = 62.0;
        assert_eq!(class_of(&x), Class::Flat);
        // A warm-up interrupted by bursts at the steady level still ends
        // where the steady level first holds.
        let mut x = segments(&[(30, 87.0), (470, 74.0)], 37);
        x[35..37].copy_from_slice(&[100.0, 95.0]);
        x[60..62].copy_from_slice(&[130.0, 4000.0]);
        let s = classify(&x).unwrap();
        assert_eq!((s.class, s.warmup_iterations), (Class::Warmup, 30), "{s:?}");
        assert_eq!(excursion(500), 25);
        assert_eq!(excursion(20), MIN_SEGMENT);
    }

    #[test]
    fn short_or_broken_series_are_not_classified() {
        assert_eq!(classify(&[]), None);
        assert_eq!(classify(&[1.0, 2.0, 3.0]), None);
        assert_eq!(classify(&[1.0, f64::NAN, 1.0, 1.0]), None);
        let four = classify(&[5.0; 4]).unwrap();
        assert_eq!((four.class, four.steady), (Class::Flat, 5.0));
        assert_eq!(min_segment(4), MIN_SEGMENT);
    }

    #[test]
    fn class_names_round_trip() {
        for c in Class::ALL {
            assert_eq!(Class::parse(c.name()), Some(c));
        }
        assert_eq!(Class::parse("steady"), None);
        assert!(Class::Warmup.is_steady() && !Class::Slowdown.is_steady());
        assert_eq!(Class::NoSteadyState.to_string(), "no steady state");
    }

    #[test]
    fn the_budget_sets_the_count_between_the_minimum_and_the_cap() {
        // 10 ms an iteration (median; the slow first one does not count), 1 s budget.
        let warmup = [40e6, 10e6, 10e6, 11e6, 9e6];
        assert_eq!(budgeted_iterations(&warmup, 1e9, 5, 500), 100);
        // Rounded up: 1 s / 30 ms is 33.3.
        assert_eq!(budgeted_iterations(&[30e6; 3], 1e9, 5, 500), 34);
        // A slow kernel keeps the manifest's count; a fast one stops at the cap.
        assert_eq!(budgeted_iterations(&[2e9; 5], 1e9, 5, 500), 5);
        assert_eq!(budgeted_iterations(&[1e3; 5], 1e9, 5, 500), 500);
        // No estimate or no budget: the minimum; a minimum above the cap wins.
        assert_eq!(budgeted_iterations(&[], 1e9, 5, 500), 5);
        assert_eq!(budgeted_iterations(&[0.0; 3], 1e9, 5, 500), 5);
        assert_eq!(budgeted_iterations(&[10e6; 3], 0.0, 5, 500), 5);
        assert_eq!(budgeted_iterations(&[1e3; 3], 1e9, 800, 500), 800);
    }
}
