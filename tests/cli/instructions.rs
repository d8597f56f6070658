//! `run --measure instructions` as a user sees it, with the mock runner
//! (which writes cachegrind out files whose counts follow from the label and
//! the iterations alone): the results file, the table, `compare` on a count
//! (no bootstrap, 1% by default, gated only between runs counted alike), and
//! the one-line errors. The real valgrind runs are in `cachegrind.rs`.

use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

use crate::util::TestEnv;

/// `run --quick -l python --debug-mock --measure instructions --count-runs 2`
/// in `env`, into `out`.
fn counted(env: &TestEnv, out: &str) -> Value {
    env.cmd()
        .args(["-q", "run", "--quick", "-l", "python", "--debug-mock"])
        .args(["--measure", "instructions", "--count-runs", "2"])
        .args(["--no-report", "--out", out])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "instruction counts under cachegrind",
        ))
        .stdout(predicate::str::contains("Instructions are not time"));
    read(env, out)
}

fn read(env: &TestEnv, file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(env.root().join(file)).unwrap()).unwrap()
}

fn write(env: &TestEnv, file: &str, v: &Value) {
    env.write(file, &serde_json::to_string_pretty(v).unwrap());
}

/// Multiplies every repeat's instructions per iteration of `workload` by `factor`.
fn scale(results: &mut Value, workload: &str, factor: f64) {
    for b in results["benchmarks"].as_array_mut().unwrap() {
        if b["workload"] == workload {
            for r in b["counting"]["repeats"].as_array_mut().unwrap() {
                r["instructions"] = Value::from(r["instructions"].as_f64().unwrap() * factor);
            }
        }
    }
}

#[test]
fn counts_the_cpu_suite_and_one_worker_and_records_how() {
    let env = TestEnv::new(&["ok", "scaling"]);
    let r = counted(&env, "a.json");
    assert_eq!(
        r["settings"]["measure"],
        serde_json::json!(["instructions"])
    );
    assert_eq!(r["settings"]["count_runs"], 2);
    let names: Vec<String> = r["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| format!("{} {}", b["workload"], b["level"]))
        .collect();
    // The CPU workload, and the workers sweep at W=1 only; nothing timed.
    assert_eq!(
        names,
        [
            "\"ok\" null",
            "\"scaling\" {\"value\":1,\"vary\":\"workers\"}"
        ]
    );
    for b in r["benchmarks"].as_array().unwrap() {
        assert_eq!(b["runs"], serde_json::json!([]));
        let c = &b["counting"];
        assert_eq!(c["repeats"].as_array().unwrap().len(), 2);
        let argv: Vec<&str> = c["command"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert!(argv[0].ends_with("setarch"), "{argv:?}");
        // The program ran from a copy in a fixed-length stage folder, since removed.
        let script = argv.iter().find(|a| a.ends_with("main.py")).unwrap();
        assert!(script.starts_with("/tmp/lbc-"), "{script}");
        assert_eq!(script.split('/').nth(2).unwrap().len(), "lbc-".len() + 8);
        assert!(!Path::new(script).exists(), "{script} left behind");
        assert!(c["command"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "--LL=8388608,16,64"));
        // The whole environment: nothing inherited.
        assert_eq!(
            c["env"],
            serde_json::json!([
                ["LC_ALL", "C.UTF-8"],
                ["PATH", "/usr/local/bin:/usr/bin:/bin"],
                ["PYTHONHASHSEED", "0"],
                ["PYTHONDONTWRITEBYTECODE", "1"]
            ])
        );
        let s = &c["summary"];
        assert_eq!(s["deterministic"], true);
        assert_eq!(s["spread_pct"], 0.0);
        assert!(s["instructions"]["median"].as_f64().unwrap() > 0.0);
        // Estimated cycles count misses on top of every instruction.
        assert!(
            s["estimated_cycles"]["median"].as_f64().unwrap()
                > s["instructions"]["median"].as_f64().unwrap()
        );
    }
}

#[test]
fn compare_on_a_count_flags_a_change_beyond_one_percent_without_a_bootstrap() {
    let env = TestEnv::new(&["ok", "scaling"]);
    let base = counted(&env, "base.json");
    let mut new = base.clone();
    scale(&mut new, "ok", 1.015);
    scale(&mut new, "scaling", 1.005);
    write(&env, "new.json", &new);
    // instructions is the default metric of two count files, 1% its threshold.
    env.cmd()
        .args(["compare", "base.json", "new.json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ok/python (quick)"))
        .stdout(predicate::str::contains("+1.50% [+1.50%, +1.50%]"))
        .stdout(predicate::str::contains("regressed"))
        .stdout(predicate::str::contains(
            "1 regressed, 0 improved, 1 unchanged",
        ));
    // A threshold above the change: unchanged.
    env.cmd()
        .args(["compare", "base.json", "new.json", "--threshold", "2"])
        .assert()
        .success();
    // The same file twice: every count unchanged.
    env.cmd()
        .args(["compare", "base.json", "base.json"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "0 regressed, 0 improved, 2 unchanged",
        ));
}

#[test]
fn a_count_regression_between_runs_counted_differently_is_reported_not_gated() {
    let env = TestEnv::new(&["ok"]);
    let base = counted(&env, "base.json");
    let mut new = base.clone();
    scale(&mut new, "ok", 1.10);
    new["machine"]["cpu_model"] = Value::from("Another CPU");
    new["machine"]["hostname"] = Value::from("elsewhere");
    write(&env, "new.json", &new);
    env.cmd()
        .args(["compare", "base.json", "new.json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("regressed"))
        .stderr(predicate::str::contains(
            "instruction counts reported, not gated: CPU model '",
        ))
        .stderr(predicate::str::contains("'Another CPU' in NEW"));
    // Another toolchain version: the same.
    let mut other = base.clone();
    scale(&mut other, "ok", 1.10);
    let python = other["toolchains"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["lang"] == "python")
        .unwrap();
    python["version"] = Value::from("Python 3.99.0");
    write(&env, "other.json", &other);
    env.cmd()
        .args(["compare", "base.json", "other.json"])
        .assert()
        .success()
        .stderr(predicate::str::contains("'Python 3.99.0' in NEW"));
}

#[test]
fn run_with_a_baseline_gates_on_counts() {
    let env = TestEnv::new(&["ok"]);
    let base = counted(&env, "base.json");
    let mut slower = base.clone();
    scale(&mut slower, "ok", 0.98);
    // The baseline counted 2% fewer instructions: the new run regressed.
    write(&env, "slower.json", &slower);
    let run = |baseline: &str| {
        env.cmd()
            .args(["-q", "run", "--quick", "-l", "python", "--debug-mock"])
            .args([
                "--measure",
                "instructions",
                "--no-report",
                "--out",
                "n.json",
            ])
            .args(["--baseline", baseline])
            .assert()
    };
    run("slower.json")
        .code(1)
        .stdout(predicate::str::contains("compared with baseline"))
        .stdout(predicate::str::contains("regressed"));
    run("base.json").success();
}

#[test]
fn bad_requests_are_one_line_with_exit_2() {
    let env = TestEnv::new(&["ok"]);
    env.cmd()
        .args([
            "run",
            "--quick",
            "--debug-mock",
            "--measure",
            "instructions",
        ])
        .args(["--suite", "io"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: --measure instructions counts the CPU suite and parallel at one worker",
        ));
    env.cmd()
        .args(["run", "--quick", "--measure", "cycles"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: unknown --measure value 'cycles'",
        ));
    env.cmd()
        .args([
            "run",
            "--quick",
            "--measure",
            "instructions",
            "--count-runs",
            "0",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--count-runs must be from 1"));
    // No valgrind on PATH: said in one line before anything runs.
    env.cmd()
        .env("PATH", env.root())
        .args([
            "run",
            "--quick",
            "--measure",
            "instructions",
            "--out",
            "x.json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: --measure instructions needs valgrind, which is not on PATH",
        ))
        .stderr(predicate::function(|s: &str| s.lines().count() == 1));
    assert!(!env.root().join("x.json").exists());
}
