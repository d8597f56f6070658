//! Pure statistics over samples of measurements.
//!
//! Everything here is plain arithmetic on `f64` values whose unit the caller
//! knows (nanoseconds, bytes): no I/O, no clocks, nothing from the rest of the
//! crate and no external crates, so it can be tested exactly. [`Sample`]
//! checks its invariants once; [`Summary`] is what the results file stores;
//! [`changepoint`] finds where a series of medians steps up or down;
//! [`steady`] classifies one process's iteration series with it.

mod bootstrap;
pub mod changepoint;
pub mod steady;

/// Series for the tests of the change-point fit and the steady state.
#[cfg(test)]
pub(crate) mod testing {
    /// `n` values around `level` with a fixed ±1% pseudo-random wobble (xorshift).
    pub fn noisy(n: usize, level: f64, seed: u64) -> Vec<f64> {
        let mut state = seed.max(1);
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let unit = (state % 2001) as f64 / 1000.0 - 1.0; // -1 ..= 1
                level * (1.0 + 0.01 * unit)
            })
            .collect()
    }
}

pub use bootstrap::{bootstrap_median_ci, bootstrap_ratio_ci, SplitMix64};

/// Bootstrap resamples behind every interval langbench gives (summaries,
/// comparisons, exports, verdicts).
pub const RESAMPLES: usize = 10_000;

/// The one fixed bootstrap seed: the same runs always give the same intervals
/// and the same verdicts.
pub const SEED: u64 = 0x6c61_6e67_6265_6e63;

/// Confidence level of every interval.
pub const CONFIDENCE: f64 = 0.95;

/// A value measured once (a load level, a run with `--runs 1`) has no
/// interval; the value ± this fraction stands in for one, in comparisons and
/// in verdicts alike (a claims file may set its own).
pub const SINGLE_MEASUREMENT_NOISE: f64 = 0.10;

/// A non-empty set of finite measurements, kept sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample(Vec<f64>);

/// Why a set of values is not a [`Sample`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SampleError {
    /// No values at all.
    Empty,
    /// A NaN or infinite value.
    NotFinite,
}

impl std::fmt::Display for SampleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SampleError::Empty => write!(f, "a sample needs at least one value"),
            SampleError::NotFinite => write!(f, "a sample value is NaN or infinite"),
        }
    }
}

impl std::error::Error for SampleError {}

impl Sample {
    /// Builds a sample; fails on an empty set or a non-finite value.
    pub fn new(mut values: Vec<f64>) -> Result<Sample, SampleError> {
        if values.is_empty() {
            return Err(SampleError::Empty);
        }
        if values.iter().any(|v| !v.is_finite()) {
            return Err(SampleError::NotFinite);
        }
        values.sort_by(f64::total_cmp);
        Ok(Sample(values))
    }

    /// Builds a sample from integer measurements (e.g. nanoseconds or bytes).
    pub fn from_u64(values: &[u64]) -> Result<Sample, SampleError> {
        Sample::new(values.iter().map(|&v| v as f64).collect())
    }

    /// The values, sorted ascending.
    pub fn values(&self) -> &[f64] {
        &self.0
    }

    /// Number of values (at least 1).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: a sample is never empty. Present for API symmetry.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The smallest value.
    pub fn min(&self) -> f64 {
        self.0[0]
    }

    /// The largest value.
    pub fn max(&self) -> f64 {
        self.0[self.0.len() - 1]
    }

    /// The arithmetic mean.
    pub fn mean(&self) -> f64 {
        self.0.iter().sum::<f64>() / self.0.len() as f64
    }

    /// The sample standard deviation (n - 1 in the denominator); 0 for one value.
    pub fn std_dev(&self) -> f64 {
        let n = self.0.len();
        if n < 2 {
            return 0.0;
        }
        let mean = self.mean();
        let ss: f64 = self.0.iter().map(|v| (v - mean) * (v - mean)).sum();
        (ss / (n - 1) as f64).sqrt()
    }

    /// The median (mean of the two middle values for an even count).
    pub fn median(&self) -> f64 {
        median_of_sorted(&self.0)
    }

    /// The median absolute deviation from the median (unscaled).
    pub fn mad(&self) -> f64 {
        let m = self.median();
        let mut dev: Vec<f64> = self.0.iter().map(|v| (v - m).abs()).collect();
        dev.sort_by(f64::total_cmp);
        median_of_sorted(&dev)
    }

    /// Summarises the sample with a 95% bootstrap confidence interval of the median.
    pub fn summarize(&self, resamples: usize, seed: u64) -> Summary {
        let (ci_low, ci_high) = bootstrap_median_ci(self, CONFIDENCE, resamples, seed);
        Summary {
            n: self.len(),
            median: self.median(),
            mean: self.mean(),
            std_dev: self.std_dev(),
            min: self.min(),
            max: self.max(),
            mad: self.mad(),
            ci_low,
            ci_high,
        }
    }
}

/// The median of an already sorted, non-empty slice.
pub(crate) fn median_of_sorted(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// Descriptive statistics of one sample, in the unit of its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
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

/// The geometric mean of positive values; `None` if empty or any value is not positive.
pub fn geometric_mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() || values.iter().any(|v| !v.is_finite() || *v <= 0.0) {
        return None;
    }
    Some((values.iter().map(|v| v.ln()).sum::<f64>() / values.len() as f64).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_empty_and_nan() {
        assert_eq!(Sample::new(vec![]), Err(SampleError::Empty));
        assert_eq!(
            Sample::new(vec![1.0, f64::NAN]),
            Err(SampleError::NotFinite)
        );
        assert_eq!(
            Sample::new(vec![f64::INFINITY]),
            Err(SampleError::NotFinite)
        );
    }

    #[test]
    fn descriptive_statistics_are_exact() {
        let s = Sample::new(vec![5.0, 1.0, 4.0, 2.0, 3.0]).unwrap();
        assert_eq!(s.values(), &[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(s.median(), 3.0);
        assert_eq!(s.mean(), 3.0);
        assert_eq!(s.min(), 1.0);
        assert_eq!(s.max(), 5.0);
        assert_eq!(s.mad(), 1.0);
        assert!((s.std_dev() - 2.5f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn even_count_median_and_single_value() {
        let s = Sample::new(vec![4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!(s.median(), 2.5);
        let one = Sample::new(vec![7.0]).unwrap();
        assert_eq!(one.std_dev(), 0.0);
        assert_eq!(one.mad(), 0.0);
        let sum = one.summarize(100, 1);
        assert_eq!((sum.ci_low, sum.ci_high), (7.0, 7.0));
    }

    #[test]
    fn mad_ignores_one_outlier() {
        let s = Sample::new(vec![10.0, 10.0, 11.0, 9.0, 1000.0]).unwrap();
        assert_eq!(s.median(), 10.0);
        assert_eq!(s.mad(), 1.0);
    }

    #[test]
    fn geometric_mean_of_ratios() {
        assert!((geometric_mean(&[1.0, 4.0, 16.0]).unwrap() - 4.0).abs() < 1e-12);
        assert_eq!(geometric_mean(&[]), None);
        assert_eq!(geometric_mean(&[1.0, 0.0]), None);
    }
}
