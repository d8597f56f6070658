//! `langbench list`: workloads x languages, availability and gzip source size.

use anyhow::Result;
use serde::Serialize;

use super::probe_runtimes;
use crate::config::Paths;
use crate::exit::Outcome;
use crate::lang::{Impl, Lang};
use crate::report::markup::Table;
use crate::workload;

#[derive(Serialize)]
struct Entry {
    workload: String,
    /// `cpu`, `io` or `concurrency`.
    suite: &'static str,
    title: String,
    lang: Lang,
    /// The implementation's variant (folder `<lang>-<variant>`), if it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    variant: Option<String>,
    /// The workload has this implementation.
    implemented: bool,
    /// The language's default runtime (its toolchain) was found.
    toolchain_available: bool,
    /// The runtimes found that can run this implementation (`node`, `bun`, ...).
    runtimes: Vec<String>,
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
        .chain(catalog.concurrency.iter().map(|w| {
            (
                w.name.as_str(),
                "concurrency",
                w.title.as_str(),
                w.dir.as_path(),
            )
        }))
        .collect();
    let runtimes = probe_runtimes(paths)?;
    let available: Vec<(Lang, bool)> = Lang::ALL
        .iter()
        .map(|&l| {
            let default = runtimes.iter().find(|(d, _)| d.lang == l && d.is_default());
            (l, default.is_some_and(|(_, found)| found.is_ok()))
        })
        .collect();
    let mut entries = Vec::new();
    for &(name, suite, title, dir) in &workloads {
        for &(lang, toolchain_available) in &available {
            let impls = Impl::find_all(lang, dir);
            let entry = |variant: Option<String>, implemented, gzip_source_bytes| Entry {
                runtimes: runtimes
                    .iter()
                    .filter_map(|(d, found)| Some((d, found.as_ref().ok()?)))
                    .filter(|(d, tc)| {
                        let imp = Impl {
                            lang,
                            variant: variant.clone(),
                            runtime: None,
                        };
                        d.lang == lang && implemented && tc.cannot_run(name, &imp).is_none()
                    })
                    .map(|(d, _)| d.name.to_string())
                    .collect(),
                workload: name.to_string(),
                suite,
                title: title.to_string(),
                lang,
                variant,
                implemented,
                toolchain_available,
                gzip_source_bytes,
            };
            if impls.is_empty() {
                entries.push(entry(None, false, None));
            }
            for imp in impls {
                let bytes = imp.source_size(dir)?;
                entries.push(entry(imp.variant, true, Some(bytes)));
            }
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&entries)?);
        return Ok(Outcome::Success);
    }
    let mut table = Table::new(
        ["workload", "suite"]
            .into_iter()
            .chain(Lang::ALL.map(Lang::name)),
    );
    for &(name, suite, _, _) in &workloads {
        let mut row = vec![name.to_string(), suite.to_string()];
        for &(lang, _) in &available {
            // One cell per language: its implementations, variants by name.
            let cell: Vec<String> = entries
                .iter()
                .filter(|e| e.workload == name && e.lang == lang)
                .map(|e| {
                    let size = match (e.implemented, e.toolchain_available, e.gzip_source_bytes) {
                        (false, _, _) => "-".into(),
                        (true, true, Some(b)) => format!("{b} B"),
                        (true, false, Some(b)) => format!("{b} B (no toolchain)"),
                        (true, _, None) => "?".into(),
                    };
                    match &e.variant {
                        Some(v) => format!("{v} {size}"),
                        None => size,
                    }
                })
                .collect();
            row.push(cell.join(", "));
        }
        table.push(row);
    }
    print!("{}", table.to_columns());
    println!("\nSizes are gzip bytes of each implementation's source, comments and repeated whitespace removed.");
    for (lang, _) in available.iter().filter(|(_, ok)| !ok) {
        println!("{lang}: toolchain '{}' not found on PATH", lang.program());
    }
    let mut found = Table::new(["runtime", "runs", "version", "from"]);
    for (def, tc) in &runtimes {
        let (version, from) = match tc {
            Ok(tc) => (
                tc.version.clone(),
                format!("{} ({})", tc.origin, tc.path.display()),
            ),
            Err(reason) => ("missing".to_string(), reason.clone()),
        };
        let runs = if def.is_default() {
            format!("{} (default)", def.lang)
        } else {
            def.lang.to_string()
        };
        found.push(vec![def.name.to_string(), runs, version, from]);
    }
    println!("\nRuntimes (select with --runtime NAME, or --runtimes all):");
    print!("{}", found.to_columns());
    Ok(Outcome::Success)
}
