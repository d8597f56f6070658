//! Joining the results files of `run --shard K/N` into the file one run
//! would have written.
//!
//! Refused (input errors naming the files): mixed schema versions, other
//! settings (size, runs, the whole selection, what was measured, the count
//! repeats and the valgrind version of `--measure instructions`; the message
//! names each field that differs), other commits or toolchain
//! versions, shards of different N or the same shard twice, a benchmark in two
//! files, missing shards (unless partial: the file then records which shards
//! it holds), and different machines (unless forced: ratios across machines
//! mean little). The files' benchmarks (with their instruction counts) and
//! source sizes are joined; the merged file's summaries, timed and counted
//! (and the ratios to the fastest, which span shards), are
//! recomputed. In: loaded files; out: a [`ResultsFile`] and warnings.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;

use super::{summary, ResultsFile, RunStatus, ShardSet, SCHEMA_VERSION};
use crate::exit::input_error;

/// The merged file and what the caller should warn about.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The merged results.
    pub results: ResultsFile,
    /// Differences that do not stop the merge.
    pub warnings: Vec<String>,
}

/// Checks every file's schema version before reading any of them as results,
/// so mixed versions are reported as such, with each file's version.
pub fn check_schemas(files: &[(PathBuf, serde_json::Value)]) -> Result<()> {
    let version = |v: &serde_json::Value| v.get("schema_version").and_then(|v| v.as_u64());
    let versions: Vec<String> = files
        .iter()
        .map(|(path, v)| {
            let shown = version(v).map_or("none".to_string(), |n| n.to_string());
            format!("'{}' has {shown}", path.display())
        })
        .collect();
    let first = version(&files[0].1);
    if files.iter().any(|(_, v)| version(v) != first) {
        return Err(input_error(format!(
            "refusing to merge mixed schema versions: {}",
            versions.join(", ")
        )));
    }
    if first != Some(SCHEMA_VERSION as u64) {
        return Err(input_error(format!(
            "cannot merge: {}; this langbench reads schema_version {SCHEMA_VERSION}",
            versions[0]
        )));
    }
    Ok(())
}

/// What a merge may let through.
#[derive(Debug, Clone, Copy, Default)]
pub struct MergeOptions {
    /// Go on, with a warning, when the files come from different machines.
    pub force: bool,
    /// Accept missing shards; the merged file records the shards it holds.
    pub partial: bool,
}

/// Merges `files` (already loaded, same schema), in the order given.
pub fn merge(
    files: Vec<(PathBuf, ResultsFile)>,
    options: MergeOptions,
    command_line: Vec<String>,
) -> Result<Merged> {
    let name = |i: usize| format!("'{}'", files[i].0.display());
    let mut warnings = Vec::new();
    let first = &files[0].1;
    let without_shard = |r: &ResultsFile| {
        let mut s = r.settings.clone();
        s.shard = None;
        s
    };
    for (i, (_, r)) in files.iter().enumerate().skip(1) {
        let refuse =
            |why: String| input_error(format!("cannot merge {} and {}: {why}", name(0), name(i)));
        if without_shard(r) != without_shard(first) {
            return Err(refuse(format!(
                "the runs used other settings ({})",
                settings_difference(first, r)
            )));
        }
        let commit = |r: &ResultsFile| r.git.as_ref().map(|g| g.commit.clone());
        if commit(r) != commit(first) {
            return Err(refuse(format!(
                "they measured other commits ({} vs {})",
                commit(first).unwrap_or_else(|| "none".into()),
                commit(r).unwrap_or_else(|| "none".into())
            )));
        }
        if let Some((runtime, a, b)) =
            crate::lang::toolchain_differences(&first.toolchains, &r.toolchains).first()
        {
            return Err(refuse(format!(
                "{runtime} was {a} in one and {b} in the other"
            )));
        }
        let differences = crate::machine::machine_differences(&first.machine, &r.machine);
        if !differences.is_empty() {
            let message = format!(
                "they come from different machines ({}); ratios across machines mean little",
                differences.join("; ")
            );
            if !options.force {
                return Err(refuse(format!("{message} (pass --force to go on)")));
            }
            warnings.push(format!("{} and {}: {message}", name(0), name(i)));
        }
    }
    let shard = check_shards(&files, options.partial)?;

    let mut merged = first.clone();
    merged.command_line = command_line;
    merged.settings.shard = shard;
    merged.benchmarks.clear();
    merged.servers.clear();
    merged.skipped.clear();
    merged.toolchains.clear();
    merged.sources.clear();
    merged.suite_wall_ms.clear();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, (_, r)) in files.iter().enumerate() {
        let ids = r
            .benchmarks
            .iter()
            .map(|b| b.key().to_string())
            .chain(r.servers.iter().map(|s| s.label()));
        for id in ids {
            if let Some(j) = seen.insert(id.clone(), i) {
                return Err(input_error(format!(
                    "benchmark {id} is in both {} and {}: were these shards of one run?",
                    name(j),
                    name(i)
                )));
            }
        }
        merged.benchmarks.extend(r.benchmarks.iter().cloned());
        merged.servers.extend(r.servers.iter().cloned());
        // Each shard holds the sizes of its own CPU benchmarks, refused above if twice.
        merged.sources.extend(r.sources.iter().cloned());
        for (suite, ms) in &r.suite_wall_ms {
            *merged.suite_wall_ms.entry(*suite).or_default() += ms;
        }
        for s in &r.skipped {
            if !merged.skipped.contains(s) {
                merged.skipped.push(s.clone());
            }
        }
        for tc in &r.toolchains {
            if !merged.toolchains.iter().any(|t| t.same_runtime(tc)) {
                merged.toolchains.push(tc.clone());
            }
        }
        merged.started_at = merged.started_at.clone().min(r.started_at.clone());
        merged.updated_at = merged.updated_at.clone().max(r.updated_at.clone());
        merged.status = match (merged.status, r.status) {
            (RunStatus::Running, _) | (_, RunStatus::Running) => RunStatus::Running,
            (RunStatus::Interrupted, _) | (_, RunStatus::Interrupted) => RunStatus::Interrupted,
            _ => RunStatus::Complete,
        };
    }
    summary::summarize_all(&mut merged.benchmarks);
    Ok(Merged {
        results: merged,
        warnings,
    })
}

/// Shards must share N and not repeat a part. Returns what the merged file
/// holds: None for every shard (or no shards at all), else the parts, which
/// must be allowed by `partial`.
fn check_shards(files: &[(PathBuf, ResultsFile)], partial: bool) -> Result<Option<ShardSet>> {
    let mut parts: BTreeMap<usize, usize> = BTreeMap::new();
    let mut count: Option<usize> = None;
    for (i, (path, r)) in files.iter().enumerate() {
        let Some(set) = &r.settings.shard else {
            if count.is_some() || files.iter().any(|(_, o)| o.settings.shard.is_some()) {
                return Err(input_error(format!(
                    "'{}' holds a whole run, the other files shards: nothing to merge it with",
                    path.display()
                )));
            }
            continue;
        };
        if let Some(n) = count.filter(|&n| n != set.count) {
            return Err(input_error(format!(
                "'{}' holds shards of {}, other files shards of {n}",
                path.display(),
                set.count
            )));
        }
        count = Some(set.count);
        for &k in &set.parts {
            if let Some(j) = parts.insert(k, i) {
                return Err(input_error(format!(
                    "'{}' and '{}' both hold shard {k}/{}",
                    files[j].0.display(),
                    path.display(),
                    set.count
                )));
            }
        }
    }
    let Some(n) = count else {
        return Ok(None);
    };
    let missing: Vec<String> = (1..=n)
        .filter(|k| !parts.contains_key(k))
        .map(|k| format!("{k}/{n}"))
        .collect();
    if missing.is_empty() {
        return Ok(None);
    }
    if !partial {
        return Err(input_error(format!(
            "shards {} are missing, so this is not a whole run (pass --partial to merge what there is)",
            missing.join(", ")
        )));
    }
    Ok(Some(ShardSet {
        parts: parts.into_keys().collect(),
        count: n,
    }))
}

/// The settings in which two runs differ, for the error message: every
/// field of [`super::Settings`] but the shard, as JSON (`size "quick" vs "default"`).
fn settings_difference(a: &ResultsFile, b: &ResultsFile) -> String {
    let fields = |r: &ResultsFile| match serde_json::to_value(&r.settings) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let (a, b) = (fields(a), fields(b));
    a.iter()
        .filter(|(key, _)| key.as_str() != "shard")
        .filter(|(key, value)| b.get(key.as_str()) != Some(value))
        .map(|(key, value)| {
            let other = b
                .get(key.as_str())
                .map_or("none".to_string(), |v| v.to_string());
            format!("{key} {value} vs {other}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}
