//! `run --shard K/N`: the part of the selected benchmarks one CI job runs.
//!
//! A unit is one implementation of one workload in one suite (for the io
//! suite, of one server workload: its scenarios share the server). Units are
//! listed in a fixed order from the selection and the folders on disk — not
//! from the toolchains found, so every job of a matrix agrees on the split
//! even where a toolchain is missing. Unit `p` of the `g`-th workload goes to
//! shard `(p + g) mod N`: the shift spreads each language over the shards, so
//! one job does not get every (slow) Python implementation.

use std::collections::BTreeSet;

use anyhow::Result;

use super::Selection;
use crate::exit::input_error;
use crate::kinds::Suite;
use crate::lang::Impl;
use crate::results::ShardSet;

/// One shard of a run: K of N, and the units it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shard {
    /// K, from 1.
    pub index: usize,
    /// N.
    pub count: usize,
    /// The units of this shard: (suite, workload, implementation).
    taken: BTreeSet<(Suite, String, Impl)>,
}

impl Shard {
    /// Parses `K/N` (1 ≤ K ≤ N) and assigns the selection's units.
    pub fn new(text: &str, selection: &Selection) -> Result<Shard> {
        let (index, count) = parse(text)?;
        let mut groups: Vec<(Suite, &str, &std::path::Path)> = Vec::new();
        for w in &selection.workloads {
            groups.push((Suite::Cpu, &w.name, &w.dir));
        }
        for w in selection.server_workloads() {
            groups.push((Suite::Io, &w.name, &w.dir));
        }
        for w in &selection.concurrency {
            groups.push((Suite::Concurrency, &w.name, &w.dir));
        }
        let mut taken = BTreeSet::new();
        for (g, (suite, name, dir)) in groups.into_iter().enumerate() {
            let impls = selection
                .langs
                .iter()
                .flat_map(|&lang| Impl::find_all(lang, dir));
            for (p, imp) in impls.enumerate() {
                if (p + g) % count == index - 1 {
                    taken.insert((suite, name.to_string(), imp));
                }
            }
        }
        Ok(Shard {
            index,
            count,
            taken,
        })
    }

    /// True if this shard runs `imp` of `workload` in `suite`.
    pub fn takes(&self, suite: Suite, workload: &str, imp: &Impl) -> bool {
        self.taken
            .contains(&(suite, workload.to_string(), imp.clone()))
    }

    /// True if this shard has nothing to run.
    pub fn is_empty(&self) -> bool {
        self.taken.is_empty()
    }

    /// The shard as the results file records it.
    pub fn set(&self) -> ShardSet {
        ShardSet {
            parts: vec![self.index],
            count: self.count,
        }
    }
}

/// `K/N` as numbers, or an input error saying what is wrong.
pub fn parse(text: &str) -> Result<(usize, usize)> {
    let bad = || {
        input_error(format!(
            "--shard '{text}' is not K/N with 1 <= K <= N (e.g. 1/3)"
        ))
    };
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n() {
        assert_eq!(parse("1/1").unwrap(), (1, 1));
        assert_eq!(parse("2/3").unwrap(), (2, 3));
        for bad in ["0/2", "3/2", "2", "a/b", "1/0", "", "/"] {
            let err = parse(bad).unwrap_err().to_string();
            assert!(err.contains("K/N"), "{bad}: {err}");
        }
    }
}
