//! Percentile bootstrap of the median, with a small seeded generator so the
//! same sample always gives the same interval (results are reproducible and
//! tests are exact).

use super::{median_of_sorted, Sample};

/// SplitMix64: a tiny, fast, well-distributed 64-bit generator.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index in `0..n` (`n > 0`), by Lemire's multiply-shift.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
}

/// The percentile-bootstrap confidence interval of the median at `level` (e.g. 0.95).
///
/// Draws `resamples` resamples with replacement, takes the median of each and
/// returns the `(1 - level) / 2` and `(1 + level) / 2` quantiles of those
/// medians. With one value, or `resamples == 0`, the interval is the median itself.
pub fn bootstrap_median_ci(sample: &Sample, level: f64, resamples: usize, seed: u64) -> (f64, f64) {
    let values = sample.values();
    if values.len() == 1 || resamples == 0 {
        let m = sample.median();
        return (m, m);
    }
    let mut rng = SplitMix64::new(seed);
    let mut scratch = vec![0.0; values.len()];
    let mut medians = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        for slot in scratch.iter_mut() {
            *slot = values[rng.below(values.len())];
        }
        scratch.sort_by(f64::total_cmp);
        medians.push(median_of_sorted(&scratch));
    }
    medians.sort_by(f64::total_cmp);
    let alpha = (1.0 - level) / 2.0;
    (quantile(&medians, alpha), quantile(&medians, 1.0 - alpha))
}

/// The `q` quantile of sorted values, by linear interpolation between order statistics.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// The ratio of medians of each pair of samples, combined over pairs by the
/// geometric mean, with its percentile
/// bootstrap confidence interval at `level`: every resample redraws each
/// sample of each pair with replacement. Returns `(estimate, low, high)`.
/// Pairs are `(a, b)` and the ratio is `median(b) / median(a)`; with one
/// value per sample the interval is the estimate itself.
pub fn bootstrap_ratio_ci(
    pairs: &[(Sample, Sample)],
    level: f64,
    resamples: usize,
    seed: u64,
) -> (f64, f64, f64) {
    let geo = |ratios: &[f64]| -> f64 {
        (ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64).exp()
    };
    let point: Vec<f64> = pairs.iter().map(|(a, b)| b.median() / a.median()).collect();
    let estimate = geo(&point);
    if pairs.is_empty() || resamples == 0 || pairs.iter().all(|(a, b)| a.len() == 1 && b.len() == 1)
    {
        return (estimate, estimate, estimate);
    }
    let mut rng = SplitMix64::new(seed);
    let mut draw = |s: &Sample, buf: &mut Vec<f64>| {
        buf.clear();
        let v = s.values();
        buf.extend((0..v.len()).map(|_| v[rng.below(v.len())]));
        buf.sort_by(f64::total_cmp);
        median_of_sorted(buf)
    };
    let mut buf = Vec::new();
    let mut stats: Vec<f64> = (0..resamples)
        .map(|_| {
            let ratios: Vec<f64> = pairs
                .iter()
                .map(|(a, b)| draw(b, &mut buf) / draw(a, &mut buf))
                .collect();
            geo(&ratios)
        })
        .collect();
    stats.sort_by(f64::total_cmp);
    let q = |p: f64| stats[((p * (resamples - 1) as f64).round() as usize).min(resamples - 1)];
    (estimate, q((1.0 - level) / 2.0), q((1.0 + level) / 2.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_contains_median_and_is_reproducible() {
        let s = Sample::new((1..=21).map(f64::from).collect()).unwrap();
        let (lo, hi) = bootstrap_median_ci(&s, 0.95, 2000, 7);
        assert!(lo <= 11.0 && 11.0 <= hi, "{lo}..{hi}");
        assert!(lo >= 1.0 && hi <= 21.0);
        assert!(lo > 5.0 && hi < 17.0, "interval too wide: {lo}..{hi}");
        assert_eq!((lo, hi), bootstrap_median_ci(&s, 0.95, 2000, 7));
    }

    #[test]
    fn constant_sample_has_zero_width() {
        let s = Sample::new(vec![3.0; 10]).unwrap();
        assert_eq!(bootstrap_median_ci(&s, 0.95, 500, 1), (3.0, 3.0));
    }

    #[test]
    fn wider_spread_gives_wider_interval() {
        let tight = Sample::new((0..30).map(|i| 100.0 + (i % 3) as f64).collect()).unwrap();
        let loose = Sample::new((0..30).map(|i| 100.0 + (i % 3) as f64 * 10.0).collect()).unwrap();
        let (a, b) = bootstrap_median_ci(&tight, 0.95, 1000, 3);
        let (c, d) = bootstrap_median_ci(&loose, 0.95, 1000, 3);
        assert!(d - c > b - a);
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = SplitMix64::new(0);
        let mut seen = [false; 5];
        for _ in 0..1000 {
            seen[rng.below(5)] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }
}
