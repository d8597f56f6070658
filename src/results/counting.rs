//! The instruction counts of a benchmark (`run --measure instructions`): what
//! was run under cachegrind, each repeat's whole-process counts at K1 and K2
//! iterations, the per-iteration figures between them, and their summary,
//! with the run-to-run spread and whether it stayed within the runtime's
//! tolerance.

use serde::{Deserialize, Serialize};

use super::summary::estimate;
use super::Estimate;
use crate::runner::cachegrind::{spread_pct, Counts};

/// How one benchmark was counted, and what was counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counting {
    /// The command of the K1 run (`setarch … -R valgrind --tool=cachegrind
    /// …`, then the program with its interpreter flags and parameters); the
    /// K2 run differs only in `--iterations`.
    pub command: Vec<String>,
    /// Environment variables set for both runs (the runtime's determinism settings).
    pub env: Vec<(String, String)>,
    /// Iterations of the first run of each repeat.
    pub k1: u64,
    /// Iterations of the second run (widened past the runtime's K2 when a
    /// small kernel needed it, see `runner::cachegrind::MIN_WINDOW`).
    pub k2: u64,
    /// The spread of instructions per iteration beyond which the benchmark is
    /// flagged non-deterministic, in percent (the runtime's tolerance).
    pub tolerance_pct: f64,
    /// Every counted repeat, in order.
    pub repeats: Vec<CountRepeat>,
    /// Statistics over the repeats; absent when the benchmark failed.
    pub summary: Option<CountSummary>,
}

impl Counting {
    /// A counting with no repeat yet.
    pub fn new(
        command: Vec<String>,
        env: Vec<(String, String)>,
        k1: u64,
        k2: u64,
        tolerance_pct: f64,
    ) -> Counting {
        Counting {
            command,
            env,
            k1,
            k2,
            tolerance_pct,
            repeats: Vec::new(),
            summary: None,
        }
    }

    /// Instructions per iteration of every repeat, in order.
    pub fn instructions(&self) -> Vec<f64> {
        self.repeats.iter().map(|r| r.instructions).collect()
    }

    /// Estimated cycles per iteration of every repeat, in order.
    pub fn estimated_cycles(&self) -> Vec<f64> {
        self.repeats.iter().map(|r| r.estimated_cycles).collect()
    }

    /// The summary of the repeats; None without one.
    pub fn summarize(&self) -> Option<CountSummary> {
        let instructions = self.instructions();
        let spread = spread_pct(&instructions).max(spread_pct(&self.estimated_cycles()));
        Some(CountSummary {
            repeats: self.repeats.len(),
            instructions: estimate(instructions)?,
            estimated_cycles: estimate(self.estimated_cycles())?,
            spread_pct: spread,
            deterministic: spread <= self.tolerance_pct,
        })
    }
}

/// One repeat: two whole processes under cachegrind, at K1 and K2 iterations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountRepeat {
    /// Repeat number (0-based).
    pub round: u32,
    /// The counts of the K1 run (summed over its processes).
    pub low: Counts,
    /// The counts of the K2 run.
    pub high: Counts,
    /// Instructions per iteration: (Ir(K2) − Ir(K1)) / (K2 − K1).
    pub instructions: f64,
    /// Estimated cycles per iteration, the same difference of Gungraun's
    /// L1 hits + 5 × LL hits + 35 × RAM hits.
    pub estimated_cycles: f64,
    /// Wall time of the two runs under valgrind, in nanoseconds (not the
    /// program's time: valgrind is 20–100 times slower).
    pub wall_ns: u64,
}

/// Statistics of a benchmark's counts over its repeats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountSummary {
    /// Repeats summarised.
    pub repeats: usize,
    /// Instructions per iteration.
    pub instructions: Estimate,
    /// Estimated cycles per iteration.
    pub estimated_cycles: Estimate,
    /// (max − min) / median over the repeats, in percent: the larger of the
    /// two figures' spreads.
    pub spread_pct: f64,
    /// False when the spread passed the tolerance: flagged in the tables,
    /// never averaged away silently.
    pub deterministic: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repeat(instructions: f64, estimated_cycles: f64) -> CountRepeat {
        CountRepeat {
            round: 0,
            low: Counts::default(),
            high: Counts::default(),
            instructions,
            estimated_cycles,
            wall_ns: 1,
        }
    }

    #[test]
    fn a_spread_beyond_the_tolerance_is_flagged() {
        let mut c = Counting::new(vec!["x".into()], Vec::new(), 2, 4, 0.5);
        assert_eq!(c.summarize(), None);
        c.repeats = vec![repeat(1000.0, 2000.0), repeat(1004.0, 2000.0)];
        let s = c.summarize().unwrap();
        assert_eq!(s.repeats, 2);
        assert_eq!(s.instructions.median, 1002.0);
        assert!(s.deterministic, "{s:?}");
        c.repeats.push(repeat(1010.0, 2000.0));
        let s = c.summarize().unwrap();
        assert!((s.spread_pct - 1.0 / 1004.0 * 1000.0).abs() < 1e-9);
        assert!(!s.deterministic);
        // The cycles' spread counts too.
        c.repeats = vec![repeat(1000.0, 2000.0), repeat(1000.0, 2100.0)];
        assert!(!c.summarize().unwrap().deterministic);
    }
}
