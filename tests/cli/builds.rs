//! Builds: a compiled implementation is built once, skipped while up to date,
//! rebuilt when its source changes; a failed build fails only its benchmark.

use predicates::prelude::*;

use crate::util::{bench, TestEnv};

/// A project with Go fixtures, or None (with a line saying so) when Go is
/// missing and LANGBENCH_REQUIRE_ALL_TOOLCHAINS is not set.
fn go_env(fixtures: &[&str]) -> Option<TestEnv> {
    if langbench::paths::find_in_path("go").is_none() {
        assert!(
            std::env::var("LANGBENCH_REQUIRE_ALL_TOOLCHAINS")
                .map_or(true, |v| v.is_empty() || v == "0"),
            "go is missing and LANGBENCH_REQUIRE_ALL_TOOLCHAINS is set"
        );
        eprintln!("skipping: go not found on PATH");
        return None;
    }
    let env = TestEnv::new(fixtures);
    env.write("workloads/go.mod", "module fixtures\n\ngo 1.21\n");
    Some(env)
}

#[test]
fn go_build_is_skipped_when_up_to_date() {
    let Some(env) = go_env(&["go-ok"]) else {
        return;
    };
    env.cmd()
        .args(["build", "-l", "go"])
        .assert()
        .success()
        .stdout(predicate::str::contains("go-ok/go: built in"));
    env.cmd()
        .args(["build", "-l", "go"])
        .assert()
        .success()
        .stdout(predicate::str::contains("go-ok/go: up to date"));
    let main = env.workloads().join("go-ok/go/main.go");
    let source = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, source.replace("Prints", "Still prints")).unwrap();
    env.cmd()
        .args(["build", "-l", "go"])
        .assert()
        .success()
        .stdout(predicate::str::contains("go-ok/go: built in"));
    assert!(env.root().join("target/langbench/go/go-ok").is_file());
}

#[test]
fn a_failed_build_fails_its_benchmark_and_the_rest_runs() {
    let Some(env) = go_env(&["go-ok", "go-broken"]) else {
        return;
    };
    let assert = env
        .cmd()
        .args(["run", "--quick", "-l", "go", "--out"])
        .arg(env.out())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "build go-broken/go FAILED: go build failed",
        ));
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("1 of 2 benchmarks passed"), "{stdout}");
    let results = env.results();
    let broken = bench(&results, "go-broken", "go");
    assert_eq!(broken["failures"][0]["kind"], "build");
    assert!(broken["failures"][0]["stderr_tail"]
        .as_str()
        .unwrap()
        .contains("main.go"));
    assert!(broken["runs"].as_array().unwrap().is_empty());
    let ok = bench(&results, "go-ok", "go");
    assert_eq!(ok["runs"].as_array().unwrap().len(), 4);
    assert_eq!(ok["build"]["command"][1], "build");
}
