//! The real workloads: every implementation builds, runs at the quick size
//! and prints its manifest's expected result; every server passes every
//! check of the quick I/O suite; every concurrency implementation passes at
//! every quick level or stops at a recorded limit. Missing toolchains are
//! skipped (and reported) unless LANGBENCH_REQUIRE_ALL_TOOLCHAINS=1, as in CI.

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// `(workload, implementation folder)` of every implementation on disk in
/// the languages not skipped.
fn implementations_on_disk(workloads: &Path, skipped: &[&str]) -> BTreeSet<(String, String)> {
    let entry_files = [
        ("node", "main.js"),
        ("python", "main.py"),
        ("go", "main.go"),
        ("rust", "Cargo.toml"),
    ];
    let mut found = BTreeSet::new();
    for w in std::fs::read_dir(workloads).unwrap().flatten() {
        if !w.path().join("manifest.json").is_file() {
            continue;
        }
        for imp in std::fs::read_dir(w.path()).unwrap().flatten() {
            let folder = imp.file_name().to_string_lossy().into_owned();
            let lang = folder.split('-').next().unwrap().to_string();
            let Some((_, entry)) = entry_files.iter().find(|(l, _)| *l == lang) else {
                continue;
            };
            if imp.path().join(entry).is_file() && !skipped.contains(&lang.as_str()) {
                found.insert((w.file_name().to_string_lossy().into_owned(), folder));
            }
        }
    }
    found
}

fn implementation(b: &Value) -> String {
    match b["variant"].as_str() {
        Some(v) => format!("{}-{v}", b["lang"].as_str().unwrap()),
        None => b["lang"].as_str().unwrap().to_string(),
    }
}

#[test]
fn every_workload_verifies_at_quick_size() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("quick.json");
    let workloads = Path::new(env!("CARGO_MANIFEST_DIR")).join("workloads");
    let assert = Command::cargo_bin("langbench")
        .unwrap()
        .arg("--workloads-dir")
        .arg(&workloads)
        .args([
            "-q", "run", "--quick", "--runs", "1", "--warmup", "0", "--out",
        ])
        .arg(&file)
        .assert();
    let output = assert.get_output();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let skipped: Vec<&str> = results["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["workload"].is_null())
        .map(|s| s["lang"].as_str().unwrap())
        .collect();
    let mut seen = BTreeSet::new();
    for b in results["benchmarks"].as_array().unwrap() {
        let imp = implementation(b);
        let failures = b["failures"].as_array().unwrap();
        let limited = !failures.is_empty()
            && failures
                .iter()
                .all(|f| f["kind"] == "resource_limit" || f["kind"] == "not_run");
        assert!(
            failures.is_empty() || limited,
            "{}/{imp}: {failures:?}",
            b["workload"]
        );
        seen.insert((b["workload"].as_str().unwrap().to_string(), imp));
    }
    for s in results["servers"].as_array().unwrap() {
        let imp = implementation(s);
        assert!(
            s["failures"].as_array().unwrap().is_empty()
                && !s["levels"].as_array().unwrap().is_empty(),
            "{}/{imp}: {}",
            s["scenario"],
            s["failures"]
        );
        seen.insert((s["workload"].as_str().unwrap().to_string(), imp));
    }
    assert_eq!(
        seen,
        implementations_on_disk(&workloads, &skipped),
        "every implementation on disk ran"
    );
    // Each concurrency implementation has a benchmark at each of its levels.
    let concurrency: Vec<&Value> = results["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| !b["level"].is_null())
        .collect();
    for b in &concurrency {
        let levels = concurrency
            .iter()
            .filter(|o| o["workload"] == b["workload"] && implementation(o) == implementation(b))
            .count();
        let all = concurrency
            .iter()
            .filter(|o| o["workload"] == b["workload"])
            .map(|o| o["level"]["value"].as_u64().unwrap())
            .collect::<BTreeSet<_>>()
            .len();
        assert_eq!(levels, all, "{}/{}", b["workload"], implementation(b));
    }
}
