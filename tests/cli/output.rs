//! What users read: exact tables (with the deterministic mock runner), the
//! results file, `list`, `doctor` and `exec`.

use predicates::prelude::*;

use crate::util::{bench, TestEnv};

/// `run --quick` of node and python with the mock runner, results to `env.out()`.
fn mock_cmd(env: &TestEnv) -> assert_cmd::Command {
    let mut cmd = env.cmd();
    cmd.args([
        "run",
        "--quick",
        "-l",
        "node,python",
        "--debug-mock",
        "--out",
    ])
    .arg(env.out());
    cmd
}

fn mock_run(env: &TestEnv) -> String {
    let out = mock_cmd(env)
        .arg("--quiet")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out)
        .unwrap()
        .replace(&env.root().to_string_lossy().into_owned(), "[ROOT]");
    // The suites' wall times are real time even under the mock runner.
    text.lines()
        .map(|l| match l.strip_prefix("time per suite: ") {
            Some(_) => "time per suite: [TIMES]",
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn run_table_is_exact_with_the_mock_runner() {
    let env = TestEnv::new(&["ok", "wrong"]);
    insta::assert_snapshot!(mock_run(&env));
}

#[test]
fn results_file_has_schema_units_and_every_raw_run() {
    let env = TestEnv::new(&["ok"]);
    mock_run(&env);
    let r = env.results();
    assert_eq!(r["schema_version"], 1);
    assert_eq!(r["status"], "complete");
    assert_eq!(r["settings"]["size"], "quick");
    assert_eq!(r["settings"]["runs"], 3);
    assert_eq!(r["settings"]["warmup"], 1);
    assert!(r["command_line"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "--debug-mock"));
    assert!(r["machine"]["logical_cpus"].as_u64().unwrap() >= 1);
    assert_eq!(r["toolchains"].as_array().unwrap().len(), 2);
    let b = bench(&r, "ok", "python");
    assert_eq!(b["command"][2], "--size");
    let runs = b["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 4);
    assert_eq!(runs.iter().filter(|r| r["warmup"] == true).count(), 1);
    for key in ["wall_ns", "user_ns", "sys_ns", "max_rss_bytes"] {
        assert!(runs[0][key].as_u64().unwrap() > 0, "{key}");
    }
    let s = &b["summary"];
    assert_eq!(s["runs"], 3);
    for metric in [
        "kernel_ns",
        "first_iteration_ns",
        "wall_ns",
        "cpu_ns",
        "max_rss_bytes",
    ] {
        let e = &s[metric];
        for stat in [
            "median", "mean", "std_dev", "min", "max", "mad", "ci_low", "ci_high",
        ] {
            assert!(e[stat].is_number(), "{metric}.{stat}");
        }
        assert!(
            e["ci_low"].as_f64() <= e["median"].as_f64()
                && e["median"].as_f64() <= e["ci_high"].as_f64()
        );
    }
}

#[test]
fn default_output_goes_to_results_runs_with_a_latest_link() {
    let env = TestEnv::new(&["ok"]);
    env.cmd()
        .args(["-q", "run", "--quick", "-l", "python", "--debug-mock"])
        .assert()
        .success();
    let link = env.root().join("results").join("latest.json");
    let target = std::fs::read_link(&link).expect("latest.json is a link");
    assert!(target.starts_with("runs"), "{}", target.display());
    let text = std::fs::read_to_string(&link).unwrap();
    assert!(text.contains("\"schema_version\": 1"));
}

#[test]
fn list_shows_availability_and_source_size() {
    let env = TestEnv::new(&["ok", "wrong"]);
    let out = env
        .cmd()
        .args(["list", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let list: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 8, "2 workloads x 4 languages");
    let node_ok = rows
        .iter()
        .find(|r| r["workload"] == "ok" && r["lang"] == "node")
        .unwrap();
    assert_eq!(node_ok["implemented"], true);
    assert!(node_ok["gzip_source_bytes"].as_u64().unwrap() > 20);
    let go_ok = rows
        .iter()
        .find(|r| r["workload"] == "ok" && r["lang"] == "go")
        .unwrap();
    assert_eq!(go_ok["implemented"], false);
    env.cmd()
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains("workload").and(predicate::str::contains("ok")));
}

#[test]
fn doctor_reports_toolchains_and_machine() {
    let env = TestEnv::new(&[]);
    let out = env
        .cmd()
        .args(["doctor", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["toolchains"].as_array().unwrap().len(), 4);
    assert!(doc["machine"]["memory_bytes"].as_u64().unwrap() > 0);
    assert!(doc["warnings"].is_array());
    env.cmd()
        .arg("doctor")
        .assert()
        .success()
        .stdout(predicate::str::contains("Toolchains:"));
}

#[test]
fn exec_is_exact_with_the_mock_runner() {
    let env = TestEnv::new(&[]);
    let out = env
        .cmd()
        .args([
            "exec",
            "--runs",
            "5",
            "--warmup",
            "2",
            "--debug-mock",
            "--",
            "sleep",
            "0.1",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn exec_times_a_real_command() {
    let env = TestEnv::new(&[]);
    let out = env
        .cmd()
        .args(["exec", "--runs", "3", "--json", "--", "sleep", "0.05"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["wall_ns"]["n"], 3);
    assert!(
        doc["wall_ns"]["min"].as_f64().unwrap() >= 50e6,
        "sleep 0.05 cannot take less than 50 ms"
    );
    env.cmd()
        .args(["exec", "--runs", "1", "--", "false"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("ended with Exited(1)"));
    env.cmd()
        .args(["exec", "--", "/no/such/program"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot start '/no/such/program'"));
}

#[test]
fn a_missing_implementation_is_skipped_and_recorded() {
    let env = TestEnv::new(&["ok", "wrong"]);
    mock_cmd(&env)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "skipping wrong/node: no main.js implementation",
        ));
    let skipped = env.results()["skipped"].clone();
    assert_eq!(
        skipped,
        serde_json::json!([{"lang": "node", "workload": "wrong", "reason": "no main.js implementation"}])
    );
}

#[test]
fn an_inherited_ignored_sigchld_does_not_hide_exit_status() {
    // With SIGCHLD ignored the kernel would reap children itself, and their
    // exit status and rusage would be lost; langbench restores the default.
    let script = "import os, signal, sys\nsignal.signal(signal.SIGCHLD, signal.SIG_IGN)\nos.execv(sys.argv[1], sys.argv[1:])\n";
    let mut cmd = assert_cmd::Command::new("python3");
    cmd.args(["-c", script])
        .arg(assert_cmd::cargo::cargo_bin("langbench"))
        .args(["exec", "--runs", "1", "--", "sh", "-c", "exit 3"]);
    cmd.assert()
        .code(1)
        .stderr(predicate::str::contains("ended with Exited(3)"));
}
