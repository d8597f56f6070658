//! The steady state of each run as the results file stores it, and its
//! summary over a benchmark's runs.
//!
//! The classification itself is `stats::steady` (pure arithmetic); here it
//! gets units and a JSON form: each [`Run`](super::Run) records the
//! [`Steady`] of its iteration series, and a benchmark's summary counts its
//! measured runs per class and summarises their warm-up. A file written
//! before the steady state was recorded has none; its kernel time stays the
//! median of iterations 2..K (see [`super::summary::steady_kernel_ns`]).

use serde::{Deserialize, Serialize};

use crate::stats::steady::classify;
pub use crate::stats::steady::Class;

/// The steady state of one run's kernel iterations (`stats::steady`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Steady {
    /// `flat`, `warmup`, `slowdown` or `no_steady_state`.
    #[serde(with = "class_name")]
    pub class: Class,
    /// Iterations before the steady segment (0 when flat).
    pub warmup_iterations: u64,
    /// The total time of those iterations, in nanoseconds.
    pub warmup_ns: u64,
    /// The steady-state kernel time, in nanoseconds: the median of the steady
    /// (last) segment; for `no_steady_state`, of the last quarter.
    pub steady_ns: f64,
}

impl Steady {
    /// The steady state of a run's iteration times (nanoseconds); None when
    /// the series is too short to classify (fewer than 4 iterations).
    pub fn of(iterations_ns: &[u64]) -> Option<Steady> {
        let x: Vec<f64> = iterations_ns.iter().map(|&v| v as f64).collect();
        classify(&x).map(|s| Steady {
            class: s.class,
            warmup_iterations: s.warmup_iterations as u64,
            warmup_ns: s.warmup_total.round() as u64,
            steady_ns: s.steady,
        })
    }
}

/// How many of a benchmark's measured runs fell in one class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCount {
    /// The class.
    #[serde(with = "class_name")]
    pub class: Class,
    /// Measured runs of that class.
    pub runs: usize,
}

/// The runs of each class among `classes`, classes in [`Class::ALL`] order,
/// those with no run left out.
pub fn class_counts(classes: impl IntoIterator<Item = Class>) -> Vec<ClassCount> {
    let all: Vec<Class> = classes.into_iter().collect();
    Class::ALL
        .into_iter()
        .map(|class| ClassCount {
            class,
            runs: all.iter().filter(|&&c| c == class).count(),
        })
        .filter(|c| c.runs > 0)
        .collect()
}

/// A class as its name (`Class::name`), in JSON.
mod class_name {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    use super::Class;

    pub fn serialize<S: Serializer>(class: &Class, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(class.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Class, D::Error> {
        let name = String::deserialize(d)?;
        Class::parse(&name).ok_or_else(|| {
            let valid: Vec<&str> = Class::ALL.iter().map(|c| c.name()).collect();
            D::Error::custom(format!(
                "unknown steady-state class '{name}' (valid: {})",
                valid.join(", ")
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_classified_in_nanoseconds_and_round_trips() {
        let mut x = vec![10_000u64; 12];
        x[0] = 40_000;
        let s = Steady::of(&x).unwrap();
        assert_eq!(s.class, Class::Warmup);
        assert_eq!((s.warmup_iterations, s.warmup_ns), (1, 40_000));
        assert_eq!(s.steady_ns, 10_000.0);
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains("\"class\":\"warmup\""), "{json}");
        assert_eq!(serde_json::from_str::<Steady>(&json).unwrap(), s);
        let bad = json.replace("warmup\"", "tepid\"");
        let err = serde_json::from_str::<Steady>(&bad).unwrap_err();
        assert!(err
            .to_string()
            .contains("unknown steady-state class 'tepid'"));
        assert_eq!(Steady::of(&[1, 2, 3]), None);
    }

    #[test]
    fn counts_follow_the_order_of_the_classes() {
        use Class::*;
        let counts = class_counts([Slowdown, Flat, Slowdown, Warmup]);
        let pairs: Vec<(Class, usize)> = counts.iter().map(|c| (c.class, c.runs)).collect();
        assert_eq!(pairs, [(Flat, 1), (Warmup, 1), (Slowdown, 2)]);
        assert!(class_counts([]).is_empty());
    }
}
