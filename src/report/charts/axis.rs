//! Axes of a chart: linear, logarithmic or categorical, with their ticks
//! and tick labels chosen here rather than by plotters.
//!
//! Every chart is drawn in one plotters coordinate type (`f64` × `f64`
//! with explicit key points): a log axis plots `log10(value)` and labels
//! each tick with the value itself, a categorical axis plots the category
//! index and labels it with the name. This keeps one drawing routine for
//! every chart and makes non-positive values on a log axis impossible to
//! draw by accident: they are filtered out before they reach the axis.

/// How values map onto an axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scale {
    /// Linear.
    Linear,
    /// Base-10 logarithmic; only positive values are plotted.
    Log,
}

/// One axis: its description (with the unit), range, ticks and labels.
pub(super) struct Axis {
    /// Axis description, unit included (e.g. `latency, p99 (ms)`).
    pub label: String,
    /// Linear or logarithmic.
    pub scale: Scale,
    /// Lowest value shown (data units).
    pub lo: f64,
    /// Highest value shown (data units).
    pub hi: f64,
    /// Values with a tick, grid line and label (data units).
    pub ticks: Vec<f64>,
    /// Tick label text of each tick value.
    pub format: Box<dyn Fn(f64) -> String>,
    /// Draw grid lines at the ticks.
    pub grid: bool,
}

impl Axis {
    /// A linear axis from `lo` (usually 0) to at least the largest of `values`.
    pub fn linear(label: &str, lo: f64, values: impl IntoIterator<Item = f64>) -> Axis {
        let max = values
            .into_iter()
            .filter(|v| v.is_finite())
            .fold(lo, f64::max);
        let span = if max > lo { max - lo } else { 1.0 };
        let step = nice_step(span * 1.05 / 6.0);
        let hi = lo + (span * 1.05 / step).ceil() * step;
        Axis::fixed(label, lo, hi, step)
    }

    /// A linear axis over exactly `lo..=hi` with a tick every `step`.
    pub fn fixed(label: &str, lo: f64, hi: f64, step: f64) -> Axis {
        let count = ((hi - lo) / step).round().clamp(0.0, 1000.0) as usize;
        Axis {
            label: label.to_string(),
            scale: Scale::Linear,
            lo,
            hi,
            ticks: (0..=count).map(|i| lo + step * i as f64).collect(),
            format: Box::new(short_number),
            grid: true,
        }
    }

    /// A log axis covering the positive `values` with a little room on both
    /// sides; `None` when no value is positive and finite.
    pub fn log(label: &str, values: impl IntoIterator<Item = f64>) -> Option<Axis> {
        let (min, max) = values
            .into_iter()
            .filter(|v| v.is_finite() && *v > 0.0)
            .fold(None, |acc: Option<(f64, f64)>, v| match acc {
                None => Some((v, v)),
                Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
            })?;
        let lo = nice_below(min / 1.15);
        let hi = nice_above(max * 1.15);
        Some(Axis {
            label: label.to_string(),
            scale: Scale::Log,
            lo,
            hi,
            ticks: log_ticks(lo, hi),
            format: Box::new(short_number),
            grid: true,
        })
    }

    /// A categorical axis: category `i` sits at value `i`, labelled `names[i]`.
    pub fn categories(label: &str, names: Vec<String>) -> Axis {
        let n = names.len().max(1);
        Axis {
            label: label.to_string(),
            scale: Scale::Linear,
            lo: -0.5,
            hi: n as f64 - 0.5,
            ticks: (0..names.len()).map(|i| i as f64).collect(),
            format: Box::new(move |v| {
                let i = v.round();
                if (v - i).abs() < 1e-6 && i >= 0.0 {
                    names.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            }),
            grid: false,
        }
    }

    /// Replaces the tick label text.
    pub fn with_format(mut self, format: impl Fn(f64) -> String + 'static) -> Axis {
        self.format = Box::new(format);
        self
    }

    /// The plotted coordinate of a data value (`log10` on a log axis),
    /// clamped to the axis so nothing is drawn outside the frame.
    pub fn t(&self, v: f64) -> f64 {
        let (lo, hi) = (self.t_raw(self.lo), self.t_raw(self.hi));
        let v = if self.scale == Scale::Log && v <= 0.0 {
            self.lo
        } else {
            v
        };
        self.t_raw(v).clamp(lo, hi)
    }

    /// The data value of a plotted coordinate.
    pub fn inverse(&self, t: f64) -> f64 {
        match self.scale {
            Scale::Linear => t,
            Scale::Log => 10f64.powf(t),
        }
    }

    /// True when `v` can be shown on this axis (finite, and positive on a log axis).
    pub fn accepts(&self, v: f64) -> bool {
        v.is_finite() && (self.scale == Scale::Linear || v > 0.0)
    }

    fn t_raw(&self, v: f64) -> f64 {
        match self.scale {
            Scale::Linear => v,
            Scale::Log => v.log10(),
        }
    }
}

/// A step of 1, 2 or 5 times a power of ten, at least `rough`.
fn nice_step(rough: f64) -> f64 {
    if !(rough.is_finite() && rough > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(rough.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&s| s >= rough * (1.0 - 1e-9))
        .unwrap_or(10.0 * power)
}

/// The largest 1-2-5 value at or below `v` (v > 0).
fn nice_below(v: f64) -> f64 {
    let power = 10f64.powf(v.log10().floor());
    [5.0, 2.0, 1.0]
        .iter()
        .map(|m| m * power)
        .find(|&s| s <= v * (1.0 + 1e-9))
        .unwrap_or(power)
}

/// The smallest 1-2-5 value at or above `v` (v > 0).
fn nice_above(v: f64) -> f64 {
    let power = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&s| s >= v * (1.0 - 1e-9))
        .unwrap_or(10.0 * power)
}

/// Tick values of a log axis over `lo..=hi`: denser when the range is
/// narrow, every power of ten (or every other one) when it is wide.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let decades = (hi / lo).log10();
    let (mantissas, every): (&[f64], i32) = if decades <= 0.8 {
        (&[1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0], 1)
    } else if decades <= 3.2 {
        (&[1.0, 2.0, 5.0], 1)
    } else if decades <= 7.0 {
        (&[1.0], 1)
    } else {
        (&[1.0], 2)
    };
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    let mut ticks = Vec::new();
    for k in (first..=last).filter(|k| (k - first) % every == 0) {
        for m in mantissas {
            let v = m * 10f64.powi(k);
            if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
                ticks.push(v);
            }
        }
    }
    ticks
}

/// A short label for a number: up to 3 significant digits, `k` and `M`
/// for thousands and millions (`0.5`, `12`, `250`, `10k`, `1.5M`).
pub(super) fn short_number(v: f64) -> String {
    let abs = v.abs();
    if abs >= 1e6 {
        format!("{}M", significant(v / 1e6))
    } else if abs >= 1e4 {
        format!("{}k", significant(v / 1e3))
    } else {
        significant(v)
    }
}

/// `v` with at most 3 significant digits, trailing zeros removed.
pub(super) fn significant(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return "0".to_string();
    }
    let decimals = (2 - v.abs().log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_axis_skips_non_positive_values_and_pads_the_range() {
        let axis = Axis::log("y", [0.0, -3.0, 2.0, 150.0, f64::NAN]).unwrap();
        assert_eq!((axis.lo, axis.hi), (1.0, 200.0));
        assert_eq!(
            axis.ticks,
            vec![1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0]
        );
        assert!(Axis::log("y", [0.0, -1.0]).is_none());
    }

    #[test]
    fn one_value_still_gives_a_range() {
        let axis = Axis::log("y", [7.0]).unwrap();
        assert!(axis.lo < 7.0 && axis.hi > 7.0 && axis.ticks.len() >= 2);
        let linear = Axis::linear("y", 0.0, []);
        assert!(linear.hi > linear.lo);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(short_number(1000.0), "1000");
        assert_eq!(short_number(100_000.0), "100k");
        assert_eq!(short_number(1_500_000.0), "1.5M");
        assert_eq!(short_number(0.25), "0.25");
        assert_eq!(short_number(999.999_999), "1000");
    }

    #[test]
    fn categories_label_their_index() {
        let axis = Axis::categories("w", vec!["a".into(), "b".into()]);
        assert_eq!(
            ((axis.format)(1.0), (axis.format)(0.5)),
            ("b".into(), "".into())
        );
    }
}
