//! Runtimes: selection by name, a user file of runtimes (its environment
//! reaching the runs, an implementation it cannot run), a runtime that is
//! not installed, and bad names and files; `runtimes install` checks its
//! names before installing anything (installs themselves need the network
//! and root, so no test here runs one; the recipes' pure parts are unit
//! tests in `lang::install`).

use predicates::prelude::*;

use crate::util::{real_python, TestEnv};

/// `run --quick ARGS --out <out>` in `env`.
fn run(env: &TestEnv, args: &[&str]) -> assert_cmd::assert::Assert {
    env.cmd()
        .args(["run", "--quick"])
        .args(args)
        .arg("--out")
        .arg(env.out())
        .assert()
}

#[test]
fn unknown_or_left_out_runtimes_are_input_errors() {
    let env = TestEnv::new(&["ok"]);
    run(&env, &["--runtime", "jython"]).code(2).stderr(
        predicate::str::starts_with(
            "error: unknown runtime 'jython' (known: node, python, go, rust, node22",
        )
        .and(predicate::str::contains(
            "bun, deno, pypy, python3.13t, go1.24",
        )),
    );
    run(&env, &["--lang", "go", "--runtime", "pypy"])
        .code(2)
        .stderr("error: runtime 'pypy' runs python, which --lang leaves out\n");
}

#[test]
fn a_broken_user_file_names_the_file_and_the_field() {
    let env = TestEnv::new(&["ok"]);
    env.write(
        "rt.json",
        r#"{"runtimes": [{"name": "mine", "lang": "python"}]}"#,
    );
    let file = env.root().join("rt.json");
    run(&env, &["--runtimes-file", file.to_str().unwrap()])
        .code(2)
        .stderr(format!(
            "error: {}: runtimes[0] (mine): field \"program\" is required (a name on PATH or a path)\n",
            file.display()
        ));
    env.cmd()
        .env("LANGBENCH_RUNTIMES_FILE", &file)
        .arg("doctor")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("field \"program\" is required"));
}

#[test]
fn a_user_runtime_runs_the_implementation_under_its_own_name_and_environment() {
    let env = TestEnv::new(&["ok"]);
    // Python imports `sitecustomize` from PYTHONPATH at start: the marker it
    // writes shows the runtime's environment reached the measured runs.
    let marker = env.root().join("marker");
    env.write(
        "site/sitecustomize.py",
        &format!("open({:?}, 'a').write('x')\n", marker.to_str().unwrap()),
    );
    let site = env.root().join("site");
    env.write(
        "rt.json",
        &serde_json::json!({"runtimes": [
            {"name": "cpython-site", "lang": "python", "program": real_python(),
             "env": {"PYTHONPATH": site}},
            {"name": "cpython-not-ok", "lang": "python", "program": real_python(),
             "unsupported": [{"workload": "ok", "implementation": "python", "reason": "not this one"}]}
        ]})
        .to_string(),
    );
    let file = env.root().join("rt.json");
    run(
        &env,
        &[
            "--runtimes-file",
            file.to_str().unwrap(),
            "--runtime",
            "cpython-site,python,cpython-not-ok",
            "--lang",
            "python",
        ],
    )
    .success()
    .stdout(predicate::str::contains("2 of 2 benchmarks passed"));
    let results = env.results();
    let benches = results["benchmarks"].as_array().unwrap();
    // The default runtime first, then the others as the catalog lists them.
    let runtimes: Vec<&serde_json::Value> = benches.iter().map(|b| &b["runtime"]).collect();
    assert_eq!(
        runtimes,
        [&serde_json::Value::Null, &serde_json::json!("cpython-site")]
    );
    assert_eq!(
        benches[1]["env"],
        serde_json::json!([["PYTHONPATH", site.to_str().unwrap()]])
    );
    assert!(benches[0]["env"].is_null());
    // One warm-up and three measured runs of the user runtime wrote the
    // marker, and so did its interpreter probe (`-c`, which imports site; the
    // `--version` probe does not); the default runtime never saw it.
    let written = std::fs::read_to_string(&marker).unwrap();
    assert_eq!(written, "xxxxx");
    let toolchain = results["toolchains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["runtime"] == "cpython-site")
        .unwrap();
    assert_eq!(
        toolchain["origin"],
        format!("path from {}", file.display()).as_str()
    );
    let skipped = &results["skipped"].as_array().unwrap()[0];
    assert_eq!(skipped["runtime"], "cpython-not-ok");
    assert_eq!(skipped["reason"], "python cannot be run: not this one");
    // Labels keep the runtimes apart.
    assert!(env
        .cmd()
        .args(["export", "--format", "csv"])
        .arg(env.out())
        .assert()
        .success()
        .get_output()
        .stdout
        .windows(b"ok/python@cpython-site".len())
        .any(|w| w == b"ok/python@cpython-site"));
}

#[test]
fn a_runtime_not_installed_is_skipped_with_how_to_install_it() {
    let env = TestEnv::new(&["ok"]);
    let bin = env.root().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(real_python(), bin.join("python3")).unwrap();
    // Only the default runtimes are required: a missing PyPy is skipped.
    env.cmd()
        .env("PATH", &bin)
        .env("LANGBENCH_REQUIRE_ALL_TOOLCHAINS", "1")
        .args(["run", "--quick", "--runtime", "python,pypy", "--out"])
        .arg(env.out())
        .assert()
        .success()
        .stderr(
            predicate::str::contains("langbench: skipping runtime pypy: 'pypy3' not found in").and(
                predicate::str::contains("or on PATH (`langbench runtimes install pypy`)"),
            ),
        )
        .stdout(predicate::str::contains("1 of 1 benchmarks passed"));
    let results = env.results();
    let skipped = &results["skipped"].as_array().unwrap()[0];
    assert_eq!(skipped["runtime"], "pypy");
    assert_eq!(skipped["lang"], "python");
}

#[test]
fn unknown_runtime_lists_the_installable_names() {
    let env = TestEnv::new(&[]);
    env.cmd()
        .args(["runtimes", "install", "bun", "jython", "all"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "error: unknown runtime 'jython' (installable: bun, deno, node22, node24, \
             node26, pypy, python3.13t, go1.24, or all)\n",
        );
    // Nothing was installed, not even the first, valid name.
    assert!(!env.root().join("target").exists());
}

#[test]
fn install_needs_a_name() {
    let env = TestEnv::new(&[]);
    env.cmd().args(["runtimes", "install"]).assert().code(2);
}
