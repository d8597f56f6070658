//! `langbench history`: six results files built from the all-suites fixture
//! (nbody in Go and Rust only), where Rust's kernel gets 25% slower from the
//! fourth run on and Go stays flat, followed as a user would: the step at the
//! right run and direction, the charts and HISTORY.md, exit codes.

use predicates::prelude::*;
use serde_json::Value;

use crate::util::{all_suites, replace_runs, TestEnv};

/// Each run's commit; its first 7 characters are the run's label.
const COMMITS: [&str; 6] = [
    "a1b2c3d", "b2c3d4e", "c3d4e5f", "d4e5f60", "e5f6071", "f607182",
];

/// A fixed wobble per run and per measured run (±1.5%), so no series is flat to the digit.
const WOBBLE: [[f64; 3]; 6] = [
    [1.0, 1.01, 0.99],
    [1.012, 0.995, 1.0],
    [0.99, 1.0, 1.005],
    [1.0, 0.985, 1.01],
    [1.008, 1.0, 0.992],
    [0.995, 1.015, 1.0],
];

/// The all-suites fixture with only nbody in Go and Rust, and no io suite.
fn base() -> Value {
    let mut v = all_suites();
    v["benchmarks"].as_array_mut().unwrap().retain(|b| {
        b["workload"] == "nbody"
            && (b["lang"] == "go" || b["lang"] == "rust")
            && b["level"].is_null()
    });
    v["servers"] = Value::from(Vec::<Value>::new());
    v
}

/// Run `i` (0-based) of the history: started on day `i + 1`, its commit, and
/// three measured runs per benchmark scaled by the wobble, Rust's also by
/// `rust_factor`.
fn run_file(i: usize, rust_factor: f64) -> Value {
    let mut v = base();
    v["started_at"] = Value::from(format!("2026-03-{:02}T09:00:00Z", i + 1));
    v["git"] = serde_json::json!({ "commit": format!("{}{}", COMMITS[i], "0".repeat(33)), "dirty": false });
    for b in v["benchmarks"].as_array_mut().unwrap() {
        let factor = if b["lang"] == "rust" {
            rust_factor
        } else {
            1.0
        };
        replace_runs(b, &WOBBLE[i].map(|w| w * factor));
    }
    v
}

/// A project with the six runs written as `runs/<name>.json`, where the
/// names do not sort in time order; returns the env and the file names in
/// the order they are passed (not the time order either).
fn six_runs() -> (TestEnv, Vec<String>) {
    let env = TestEnv::new(&[]);
    let names = ["f", "c", "a", "e", "b", "d"];
    for (i, name) in names.iter().enumerate() {
        let factor = if i >= 3 { 1.25 } else { 1.0 };
        env.write(
            &format!("runs/{name}.json"),
            &serde_json::to_string_pretty(&run_file(i, factor)).unwrap(),
        );
    }
    let given = [
        "runs/a.json",
        "runs/b.json",
        "runs/c.json",
        "runs/d.json",
        "runs/e.json",
        "runs/f.json",
    ];
    (env, given.map(String::from).to_vec())
}

/// Runs `history FILES ARGS` and returns (exit code, stdout, stderr).
fn history(env: &TestEnv, files: &[String], args: &[&str]) -> (i32, String, String) {
    let out = env
        .cmd()
        .arg("history")
        .args(files)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_slowdown_is_a_step_at_the_run_where_it_starts() {
    let (env, files) = six_runs();
    let (code, out, err) = history(&env, &files, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let rust = out
        .lines()
        .find(|l| l.trim_start().starts_with("nbody/rust (quick)"))
        .unwrap_or_else(|| panic!("no step line for nbody/rust in:\n{out}"));
    // Written as e.json, passed fifth, started fourth: run #4, commit d4e5f60.
    assert!(rust.contains("#4 (d4e5f60)"), "{rust}");
    assert!(
        rust.contains("+25.0%") && rust.ends_with("regression"),
        "{rust}"
    );
    assert!(!out.contains("nbody/go"), "{out}");
    assert!(
        out.contains(
            "6 runs, 2 benchmarks: 1 step in 1 benchmark (1 regression, 0 improvements; \
             threshold 5%, metric kernel_time); charts and HISTORY.md in history"
        ),
        "{out}"
    );
    assert!(err.is_empty(), "{err}");
}

#[test]
fn charts_and_the_index_are_written() {
    let (env, files) = six_runs();
    let (code, out, _) = history(&env, &files, &[]);
    assert_eq!(code, 0, "{out}");
    let dir = env.root().join("history");
    for stem in ["nbody-rust-quick", "nbody-go-quick"] {
        let svg = std::fs::read_to_string(dir.join(format!("{stem}.svg"))).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.len() > 5_000,
            "{stem}: {} bytes",
            svg.len()
        );
        // Every run is labelled on the x axis, oldest first.
        assert!(svg.contains("a1b2c3d") && svg.contains("f607182"), "{stem}");
        let png = std::fs::read(dir.join(format!("{stem}.png"))).unwrap();
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 5_000,
            "{stem}"
        );
    }
    let rust = std::fs::read_to_string(dir.join("nbody-rust-quick.svg")).unwrap();
    assert!(rust.contains("+25.0%"), "the step is labelled on the chart");
    let index = std::fs::read_to_string(dir.join("HISTORY.md")).unwrap();
    assert!(
        index.contains("| 4 | `d4e5f60` | 2026-03-04T09:00:00Z | `runs/e.json` |"),
        "{index}"
    );
    let rust_row = index
        .lines()
        .find(|l| l.starts_with("| nbody/rust (quick) |"))
        .unwrap();
    assert!(
        rust_row.contains("#4 (d4e5f60):") && rust_row.contains("(+25.0%, regression)"),
        "{rust_row}"
    );
    assert!(
        rust_row.contains("[svg](nbody-rust-quick.svg)"),
        "{rust_row}"
    );
    let go_row = index
        .lines()
        .find(|l| l.starts_with("| nbody/go (quick) |"))
        .unwrap();
    assert!(
        go_row.contains("| 6 |") && go_row.contains("| none |"),
        "{go_row}"
    );
}

#[test]
fn json_names_the_step_and_its_direction() {
    let (env, files) = six_runs();
    let (code, out, _) = history(&env, &files, &["--format", "json", "--out", "charts"]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["metric"], "kernel_time");
    assert_eq!(v["charts_dir"], "charts");
    let labels: Vec<&str> = v["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, COMMITS);
    let series = |name: &str| {
        v["series"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()
            .clone()
    };
    let rust = series("nbody/rust (quick)");
    assert_eq!(rust["steps"].as_array().unwrap().len(), 1, "{rust}");
    let step = &rust["steps"][0];
    assert_eq!(
        (step["run"].as_u64(), step["index"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(step["regression"], true);
    let ratio = step["ratio"].as_f64().unwrap();
    assert!((ratio - 1.25).abs() < 0.02, "{ratio}");
    assert_eq!(
        series("nbody/go (quick)")["steps"],
        Value::from(Vec::<Value>::new())
    );
    assert!(env.root().join("charts").join("HISTORY.md").is_file());
}

#[test]
fn a_higher_threshold_hides_the_step() {
    let (env, files) = six_runs();
    let (code, out, _) = history(&env, &files, &["--threshold", "30"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("6 runs, 2 benchmarks: 0 steps in 0 benchmarks"),
        "{out}"
    );
}

#[test]
fn runs_from_other_machines_are_a_warning() {
    let (env, files) = six_runs();
    let mut other = run_file(4, 1.25);
    other["machine"]["hostname"] = Value::from("ci-runner");
    env.write(
        "runs/b.json",
        &serde_json::to_string_pretty(&other).unwrap(),
    );
    let (code, out, err) = history(&env, &files, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(err.contains("warning: 'runs/f.json' and 'runs/b.json' come from different machines: hostname 'vm' vs 'ci-runner'"), "{err}");
}

#[test]
fn bad_input_exits_two_with_one_line() {
    let (env, files) = six_runs();
    let mut other_schema = run_file(0, 1.0);
    other_schema["schema_version"] = Value::from(99);
    env.write(
        "runs/v99.json",
        &serde_json::to_string(&other_schema).unwrap(),
    );
    let cases: [(&[&str], &str); 5] = [
        (
            &["runs/a.json"],
            "at least 2 results files, got 1: 'runs/a.json'",
        ),
        (&["runs/a.json", "runs/missing.json"], "runs/missing.json"),
        (&["runs/a.json", "runs/v99.json"], "schema_version 99"),
        (
            &["runs/a.json", "runs/b.json", "--metric", "speed"],
            "unknown --metric value 'speed' (valid: kernel_time,",
        ),
        (
            &[
                "runs/a.json",
                "runs/b.json",
                "--metric",
                "requests_per_second",
            ],
            "no benchmark has a requests_per_second value",
        ),
    ];
    for (args, msg) in cases {
        let out = env.cmd().arg("history").args(args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(msg), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
    assert!(!files.is_empty());
    env.cmd()
        .arg("history")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("FILES"));
}
