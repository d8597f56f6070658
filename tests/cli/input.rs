//! Bad input: each gets a one-line error naming what and where, and exit code 2.

use predicates::prelude::*;

use crate::util::TestEnv;

const GOOD_SIZES: &str = r#""sizes": {
    "quick": {"size": 1, "iterations": 2, "expected": "42"},
    "default": {"size": 1, "iterations": 2, "expected": "42"},
    "full": {"size": 1, "iterations": 2, "expected": "42"}}"#;

fn manifest(name: &str, sizes: &str) -> String {
    format!(
        r#"{{"name": "{name}", "title": "t", "description": "d", "size_meaning": "m", "reference": "r", {sizes}}}"#
    )
}

#[test]
fn unknown_workload_lists_the_valid_names() {
    let env = TestEnv::new(&["ok", "wrong"]);
    env.cmd()
        .args(["run", "--quick", "-w", "nbdoy", "--out"])
        .arg(env.out())
        .assert()
        .code(2)
        .stderr("error: unknown workload 'nbdoy' (valid: ok, wrong)\n");
    assert!(!env.out().exists());
}

#[test]
fn unknown_language_lists_the_valid_names() {
    let env = TestEnv::new(&["ok"]);
    env.cmd()
        .args(["run", "--quick", "-l", "cobol"])
        .assert()
        .code(2)
        .stderr("error: unknown language 'cobol' (valid: node, python, go, rust)\n");
}

#[test]
fn unknown_size_is_rejected() {
    let env = TestEnv::new(&["ok"]);
    env.cmd()
        .args(["run", "--size", "huge"])
        .assert()
        .code(2)
        .stderr("error: unknown --size value 'huge' (valid: quick, default, full)\n");
}

#[test]
fn manifest_that_is_not_json_names_the_file() {
    let env = TestEnv::new(&["ok"]);
    env.write("workloads/broken/manifest.json", "{ not json");
    env.cmd().args(["run", "--quick"]).assert().code(2).stderr(
        predicate::str::contains("broken/manifest.json")
            .and(predicate::str::contains("not valid JSON")),
    );
}

#[test]
fn manifest_missing_a_field_names_the_field() {
    let env = TestEnv::new(&[]);
    let sizes = GOOD_SIZES.replacen(
        r#""iterations": 2, "expected": "42"}"#,
        r#""iterations": 2}"#,
        1,
    );
    assert_ne!(sizes, GOOD_SIZES);
    env.write("workloads/demo/manifest.json", &manifest("demo", &sizes));
    env.cmd().arg("list").assert().code(2).stderr(
        predicate::str::contains("demo/manifest.json")
            .and(predicate::str::contains("'sizes.quick.expected'")),
    );
}

#[test]
fn manifest_with_a_bad_size_names_it() {
    let env = TestEnv::new(&[]);
    let sizes = GOOD_SIZES.replace("\"full\"", "\"huge\"");
    env.write("workloads/demo/manifest.json", &manifest("demo", &sizes));
    env.cmd()
        .args(["run", "--quick"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'sizes.huge' is not a size name"));
    let sizes = GOOD_SIZES.replace(r#""full": {"size": 1"#, r#""full": {"size": -5"#);
    env.write("workloads/demo/manifest.json", &manifest("demo", &sizes));
    env.cmd()
        .args(["run", "--quick"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "'sizes.full.size' must be a positive integer, got -5",
        ));
}

#[test]
fn unwritable_output_fails_before_anything_runs() {
    let env = TestEnv::new(&["ok"]);
    env.write("a-file", "");
    env.cmd()
        .args(["run", "--quick", "--out"])
        .arg(env.root().join("a-file").join("out.json"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("output folder")
                .and(predicate::str::contains("cannot be created")),
        )
        .stdout("");
}

#[test]
fn missing_workloads_folder_is_an_input_error() {
    let env = TestEnv::new(&[]);
    assert_cmd::Command::cargo_bin("langbench")
        .unwrap()
        .current_dir(env.root())
        .args(["--workloads-dir", "/no/such/folder", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read workloads folder '/no/such/folder'",
        ));
}

#[test]
fn bad_durations_and_zero_runs_are_rejected() {
    let env = TestEnv::new(&["ok"]);
    env.cmd()
        .args(["run", "--timeout", "soon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--timeout 'soon'"));
    env.cmd()
        .args(["run", "--runs", "0"])
        .assert()
        .code(2)
        .stderr("error: --runs must be at least 1\n");
    env.cmd()
        .args(["exec", "--runs", "0", "--", "true"])
        .assert()
        .code(2);
}

#[test]
fn missing_toolchain_is_skipped_or_required() {
    let env = TestEnv::new(&["ok"]);
    let bin = env.root().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(crate::util::real_python(), bin.join("python3")).unwrap();
    env.cmd()
        .env("PATH", &bin)
        .env_remove("LANGBENCH_REQUIRE_ALL_TOOLCHAINS")
        .args(["run", "--quick", "--out"])
        .arg(env.out())
        .assert()
        .success()
        .stderr(
            predicate::str::contains("skipping node: 'node' not found on PATH")
                .and(predicate::str::contains(
                    "skipping go: 'go' not found on PATH",
                ))
                .and(predicate::str::contains(
                    "skipping rust: 'cargo' not found on PATH",
                )),
        )
        .stdout(predicate::str::contains("1 of 1 benchmarks passed"));
    let results = env.results();
    assert_eq!(results["skipped"].as_array().unwrap().len(), 3);

    env.cmd()
        .env("PATH", &bin)
        .env("LANGBENCH_REQUIRE_ALL_TOOLCHAINS", "1")
        .args(["run", "--quick", "--out"])
        .arg(env.root().join("second.json"))
        .assert()
        .code(2)
        .stderr("error: node toolchain missing: 'node' not found on PATH (LANGBENCH_REQUIRE_ALL_TOOLCHAINS is set)\n");
}
