//! The layer table of ARCHITECTURE.md, held against the code: every
//! top-level module of `src/` has a layer, and a module names (`crate::x`)
//! only modules of lower layers. A backwards import (a cycle in the making)
//! fails here on the day it is written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Module -> layer, from the table under `## Layers` in ARCHITECTURE.md:
/// rows `| N | `a`, `b` | … |`.
fn layer_table(architecture: &str) -> BTreeMap<String, u32> {
    let section = architecture
        .split("\n## Layers")
        .nth(1)
        .expect("ARCHITECTURE.md has a '## Layers' section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut layers = BTreeMap::new();
    for row in section.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let Some(Ok(layer)) = cells.get(1).map(|c| c.parse::<u32>()) else {
            continue;
        };
        for module in cells[2].split(',') {
            let name = module.trim().trim_matches('`').to_string();
            assert!(
                layers.insert(name.clone(), layer).is_none(),
                "module {name} has two rows in the layer table"
            );
        }
    }
    layers
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`src/report/charts/cpu.rs`
/// -> `report`); None for the crate roots.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    let name = first.trim_end_matches(".rs").to_string();
    (name != "lib" && name != "main").then_some(name)
}

/// The crate modules a file's code names (`crate::x`), comments left out,
/// with the line number of each.
fn imports(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        for part in code.split("crate::").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((n + 1, name));
            }
        }
    }
    out
}

/// Every import that breaks the table, as `file:line: a (layer) -> b (layer)`.
fn violations(src: &Path, layers: &BTreeMap<String, u32>) -> Vec<String> {
    let mut files = Vec::new();
    sources(src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let Some(module) = module_of(src, &file) else {
            continue;
        };
        let Some(&own) = layers.get(&module) else {
            out.push(format!(
                "{}: module {module} is not in the layer table",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("source readable");
        for (line, target) in imports(&text) {
            if target == module {
                continue;
            }
            match layers.get(&target) {
                None => out.push(format!(
                    "{}:{line}: {module} names crate::{target}, which is not in the layer table",
                    file.display()
                )),
                Some(&theirs) if theirs >= own => out.push(format!(
                    "{}:{line}: {module} (layer {own}) -> {target} (layer {theirs}): imports must point down",
                    file.display()
                )),
                Some(_) => {}
            }
        }
    }
    out
}

#[test]
fn imports_point_down_the_layer_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let architecture =
        std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let layers = layer_table(&architecture);
    assert!(layers.len() >= 10, "layer table too short: {layers:?}");
    let found = violations(&root.join("src"), &layers);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn a_backwards_import_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("results")).unwrap();
    std::fs::write(
        src.join("stats.rs"),
        "use crate::results::x; // crate::report\n",
    )
    .unwrap();
    std::fs::write(
        src.join("results").join("mod.rs"),
        "use crate::stats::Sample;\n",
    )
    .unwrap();
    std::fs::write(src.join("lib.rs"), "pub mod stats;\n").unwrap();
    let layers = layer_table("# A\n## Layers\n| layer | modules |\n|---|---|\n| 0 | `stats` |\n| 1 | `results` |\n## Next\n");
    let found = violations(&src, &layers);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("stats (layer 0) -> results (layer 1)"),
        "{found:?}"
    );
}
