//! The real workloads: every implementation builds, runs at the quick size
//! and prints its manifest's expected result; every server passes every
//! check of the quick I/O suite. Missing toolchains are skipped
//! (and reported) unless LANGBENCH_REQUIRE_ALL_TOOLCHAINS=1, as in CI.

use std::path::Path;

use assert_cmd::Command;

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
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let benches = results["benchmarks"].as_array().unwrap();
    let skipped = results["skipped"].as_array().unwrap().len();
    assert_eq!(
        benches.len(),
        5 * (4 - skipped),
        "5 workloads x available languages"
    );
    for b in benches {
        assert!(
            b["failures"].as_array().unwrap().is_empty(),
            "{}/{}: {}",
            b["workload"],
            b["lang"],
            b["failures"]
        );
    }
}
