//! `langbench list`: workloads x languages, availability and gzip source size.

use anyhow::Result;
use serde::Serialize;

use crate::config::Paths;
use crate::exit::Outcome;
use crate::lang::{find_toolchain, Lang};
use crate::report::columns;
use crate::workload::{self, source_size::gzip_source_size};

#[derive(Serialize)]
struct Entry {
    workload: String,
    /// `cpu` or `io`.
    suite: &'static str,
    title: String,
    lang: Lang,
    /// The workload has an implementation in this language.
    implemented: bool,
    /// The language's toolchain was found on PATH.
    toolchain_available: bool,
    /// gzip size of the implementation's source, comments stripped, in bytes.
    gzip_source_bytes: Option<usize>,
}

/// Prints the list as a table or JSON.
pub fn run(paths: &Paths, json: bool) -> Result<Outcome> {
    let catalog = workload::discover(&paths.workloads_dir)?;
    // (name, suite, title, folder) of every workload, CPU suite first.
    let workloads: Vec<(&str, &str, &str, &std::path::Path)> = catalog
        .cpu
        .iter()
        .map(|w| (w.name.as_str(), "cpu", w.title.as_str(), w.dir.as_path()))
        .chain(
            catalog
                .servers
                .iter()
                .map(|w| (w.name.as_str(), "io", w.title.as_str(), w.dir.as_path())),
        )
        .collect();
    let available: Vec<(Lang, bool)> = Lang::ALL
        .iter()
        .map(|&l| (l, find_toolchain(l).is_ok()))
        .collect();
    let mut entries = Vec::new();
    for &(name, suite, title, dir) in &workloads {
        for &(lang, toolchain_available) in &available {
            let implemented = lang.has_impl(dir);
            let gzip_source_bytes = if implemented {
                Some(gzip_source_size(
                    &lang.impl_dir(dir),
                    lang.source_ext(),
                    lang.comment_style(),
                )?)
            } else {
                None
            };
            entries.push(Entry {
                workload: name.to_string(),
                suite,
                title: title.to_string(),
                lang,
                implemented,
                toolchain_available,
                gzip_source_bytes,
            });
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&entries)?);
        return Ok(Outcome::Success);
    }
    let mut rows = vec![["workload", "suite"]
        .into_iter()
        .map(String::from)
        .chain(Lang::ALL.iter().map(|l| l.name().to_string()))
        .collect::<Vec<_>>()];
    for &(name, suite, _, _) in &workloads {
        let mut row = vec![name.to_string(), suite.to_string()];
        for e in entries.iter().filter(|e| e.workload == name) {
            row.push(
                match (e.implemented, e.toolchain_available, e.gzip_source_bytes) {
                    (false, _, _) => "-".into(),
                    (true, true, Some(b)) => format!("{b} B"),
                    (true, false, Some(b)) => format!("{b} B (no toolchain)"),
                    (true, _, None) => "?".into(),
                },
            );
        }
        rows.push(row);
    }
    print!("{}", columns(&rows));
    println!("\nSizes are gzip bytes of each implementation's source, comments and repeated whitespace removed.");
    for (lang, _) in available.iter().filter(|(_, ok)| !ok) {
        println!("{lang}: toolchain '{}' not found on PATH", lang.program());
    }
    Ok(Outcome::Success)
}
