//! The slowdown fixture (`tests/fixtures/slowdown`), which
//! `scripts/regression-sensitivity.py inject` copies into a scratch workloads
//! folder: in every language it builds there and prints the expected result,
//! with and without LANGBENCH_FIXTURE_SLOWDOWN_PCT. A missing toolchain is
//! skipped (and reported) unless LANGBENCH_REQUIRE_ALL_TOOLCHAINS=1.

use crate::util::TestEnv;

const LANGS: [&str; 4] = ["node", "python", "go", "rust"];

/// Runs the fixture at the quick size with the slowdown at `pct` percent and
/// checks every language that ran verified; returns the languages skipped.
fn verifies_at(env: &TestEnv, pct: &str) -> Vec<String> {
    let assert = env
        .cmd()
        .env("LANGBENCH_FIXTURE_SLOWDOWN_PCT", pct)
        .args(["-q", "run", "--quick", "--runs", "1", "--warmup", "0"])
        .args(["--no-report", "--out"])
        .arg(env.out())
        .assert();
    let output = assert.get_output();
    assert!(
        output.status.success(),
        "at {pct}%: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let results = env.results();
    let skipped: Vec<String> = results["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["lang"].as_str().unwrap().to_string())
        .collect();
    for lang in LANGS {
        let ran = results["benchmarks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["lang"] == lang);
        let Some(b) = ran else {
            assert!(
                skipped.iter().any(|s| s == lang),
                "{lang} neither ran nor was skipped"
            );
            continue;
        };
        assert_eq!(b["expected"], "800001", "{lang}");
        assert!(
            b["failures"].as_array().unwrap().is_empty(),
            "{lang} at {pct}%: {}",
            b["failures"]
        );
        assert_eq!(b["runs"].as_array().unwrap().len(), 1, "{lang} at {pct}%");
    }
    skipped
}

#[test]
fn slowdown_fixture_verifies_in_every_language_with_and_without_slowdown() {
    let env = TestEnv::new(&["slowdown"]);
    // The script's copy has no workloads/go.mod: the Go folder is its own module.
    assert!(!env.workloads().join("go.mod").exists());
    let skipped = verifies_at(&env, "0");
    if !skipped.is_empty() {
        eprintln!("skipping (toolchain missing): {}", skipped.join(", "));
    }
    verifies_at(&env, "50");
    // The Rust crate is a workspace of its own, so it built inside the copy.
    if !skipped.iter().any(|s| s == "rust") {
        assert!(env
            .workloads()
            .join("slowdown/rust/target/workload/fixture-slowdown")
            .is_file());
    }
}
