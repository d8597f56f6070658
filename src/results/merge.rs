//! Joining the results files of `run --shard K/N` into the file one run
//! would have written.
//!
//! Refused (input errors naming the files): mixed schema versions, other
//! settings (size, runs, selection...), shards of different N or the same K
//! twice, and a benchmark present in two files. Warned about: different
//! machines, toolchain versions or commits, and missing shards. The merged
//! file's summaries (and ratios to the fastest, which span shards) are
//! recomputed. In: (path, raw JSON) pairs; out: a [`ResultsFile`] and warnings.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;

use super::{summary, ResultsFile, RunStatus, SCHEMA_VERSION};
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

/// Merges `files` (already loaded, same schema), in the order given.
pub fn merge(files: Vec<(PathBuf, ResultsFile)>, command_line: Vec<String>) -> Result<Merged> {
    let name = |i: usize| format!("'{}'", files[i].0.display());
    let mut warnings = Vec::new();
    let first = &files[0].1;
    let without_shard = |r: &ResultsFile| {
        let mut s = r.settings.clone();
        s.shard = None;
        s
    };
    for (i, (_, r)) in files.iter().enumerate().skip(1) {
        if without_shard(r) != without_shard(first) {
            return Err(input_error(format!(
                "cannot merge {} and {}: the runs used other settings ({})",
                name(0),
                name(i),
                settings_difference(first, r)
            )));
        }
        if r.machine.cpu_model != first.machine.cpu_model
            || r.machine.logical_cpus != first.machine.logical_cpus
        {
            warnings.push(format!(
                "{} and {} come from different machines ('{}', {} CPUs vs '{}', {} CPUs)",
                name(0),
                name(i),
                first.machine.cpu_model,
                first.machine.logical_cpus,
                r.machine.cpu_model,
                r.machine.logical_cpus
            ));
        }
        if r.git.as_ref().map(|g| &g.commit) != first.git.as_ref().map(|g| &g.commit) {
            warnings.push(format!("{} and {} are of other commits", name(0), name(i)));
        }
    }
    warnings.extend(check_shards(&files)?);

    let mut merged = first.clone();
    merged.command_line = command_line;
    merged.settings.shard = None;
    merged.benchmarks.clear();
    merged.servers.clear();
    merged.skipped.clear();
    merged.toolchains.clear();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, (_, r)) in files.iter().enumerate() {
        let ids = r
            .benchmarks
            .iter()
            .map(|b| format!("{} ({})", b.label(), b.size_name))
            .chain(
                r.servers
                    .iter()
                    .map(|s| format!("{}/{}", s.scenario, s.implementation())),
            );
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
        for s in &r.skipped {
            if !merged.skipped.contains(s) {
                merged.skipped.push(s.clone());
            }
        }
        for tc in &r.toolchains {
            match merged.toolchains.iter().find(|t| t.lang == tc.lang) {
                None => merged.toolchains.push(tc.clone()),
                Some(t) if t.version != tc.version => warnings.push(format!(
                    "{} was {} in one file and {} in {}",
                    tc.lang,
                    t.version,
                    tc.version,
                    name(i)
                )),
                Some(_) => {}
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

/// Shards must share N and not repeat a K; missing ones are a warning.
fn check_shards(files: &[(PathBuf, ResultsFile)]) -> Result<Vec<String>> {
    let mut parts: BTreeMap<usize, usize> = BTreeMap::new();
    let mut count = None;
    for (i, (path, r)) in files.iter().enumerate() {
        let Some(label) = &r.settings.shard else {
            continue;
        };
        let (k, n) = crate::config::shard::parse(label)
            .map_err(|_| input_error(format!("'{}' has a bad shard '{label}'", path.display())))?;
        if count.is_some_and(|c| c != n) {
            return Err(input_error(format!(
                "'{}' is shard {label}, but other files are shards of {}",
                path.display(),
                count.unwrap_or(0)
            )));
        }
        count = Some(n);
        if let Some(j) = parts.insert(k, i) {
            return Err(input_error(format!(
                "'{}' and '{}' are both shard {label}",
                files[j].0.display(),
                path.display()
            )));
        }
    }
    let mut warnings = Vec::new();
    if let Some(n) = count {
        let missing: Vec<String> = (1..=n)
            .filter(|k| !parts.contains_key(k))
            .map(|k| format!("{k}/{n}"))
            .collect();
        if !missing.is_empty() {
            warnings.push(format!(
                "shards {} are missing: the merged file is not a whole run",
                missing.join(", ")
            ));
        }
    }
    Ok(warnings)
}

/// The first setting in which two runs differ, for the error message.
fn settings_difference(a: &ResultsFile, b: &ResultsFile) -> String {
    let (a, b) = (&a.settings, &b.settings);
    let fields = [
        ("size", format!("{:?}", a.size), format!("{:?}", b.size)),
        ("runs", a.runs.to_string(), b.runs.to_string()),
        ("warmup", a.warmup.to_string(), b.warmup.to_string()),
        (
            "timeout_ms",
            a.timeout_ms.to_string(),
            b.timeout_ms.to_string(),
        ),
        (
            "workloads",
            format!("{:?}", a.workloads),
            format!("{:?}", b.workloads),
        ),
        (
            "languages",
            format!("{:?}", a.languages),
            format!("{:?}", b.languages),
        ),
        (
            "server_cpus",
            format!("{:?}", a.server_cpus),
            format!("{:?}", b.server_cpus),
        ),
        (
            "client_cpus",
            format!("{:?}", a.client_cpus),
            format!("{:?}", b.client_cpus),
        ),
    ];
    fields
        .iter()
        .filter(|(_, x, y)| x != y)
        .map(|(f, x, y)| format!("{f} {x} vs {y}"))
        .collect::<Vec<_>>()
        .join("; ")
}
