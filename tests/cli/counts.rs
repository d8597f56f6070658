//! The files of `run --measure instructions` (and `time,instructions`)
//! through `report`, `history` and `merge` (their exports are tested in
//! `export.rs`), and `run`'s terminal output with both measures.

use predicates::prelude::*;
use serde_json::Value;

use crate::util::{add_counts, all_suites, stdout, TestEnv};

/// A project with the all-suites fixture, counted, as `results.json` (with
/// `only`, counts and no time).
fn env_with_counts(only: bool) -> TestEnv {
    let mut results = all_suites();
    add_counts(&mut results, only);
    TestEnv::with_results(&results)
}

/// `report results.json --out rep`: (stdout, REPORT.md, index.html).
fn report(env: &TestEnv) -> (String, String, String) {
    let out = stdout(
        env.cmd()
            .args(["report", "results.json", "--out", "rep"])
            .assert()
            .success(),
    );
    let read = |f: &str| std::fs::read_to_string(env.root().join("rep").join(f)).unwrap();
    (out, read("REPORT.md"), read("index.html"))
}

#[test]
fn a_report_of_counts_alone_tests_no_claim_and_draws_the_instruction_chart() {
    let env = env_with_counts(true);
    let (stdout, md, html) = report(&env);
    // No claim gets a verdict from counts: every testable one is NOT TESTED.
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("  ") && !l.trim_start().starts_with("claim "))
        .collect();
    assert!(rows.len() > 5, "{stdout}");
    assert!(stdout.contains("claims are decided on time, so none is tested here"));
    for line in rows {
        assert!(
            line.contains("NOT TESTED") || line.contains("NOT MEASURABLE"),
            "{line}"
        );
    }
    for verdict in ["SUPPORTED", "CONTRADICTED", "INCONCLUSIVE"] {
        assert!(!md.contains(&format!("**{verdict}**")), "{verdict}");
    }
    assert!(md.contains("holds instruction counts only"), "{md}");
    assert!(md.contains("no timed run (instruction counts only)"));
    assert!(md.contains("## Instruction counts"));
    assert!(md.contains("Instructions are not time"));
    assert!(md.contains("35 × RAM hits (Gungraun's formula)"));
    assert!(md.contains("| nbody/rust | "), "{md}");
    assert!(md.contains("| parallel/python-threads W=1 | "), "{md}");
    assert!(md.contains(
        "![Instructions per iteration relative to Rust (not time)](charts/cpu-instructions.svg)"
    ));
    // The timed charts have nothing to draw.
    assert!(!md.contains("charts/cpu-relative.svg"));
    let charts = env.root().join("rep").join("charts");
    let png = std::fs::read(charts.join("cpu-instructions.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(html.contains("<h2 id=\"instruction-counts\">Instruction counts</h2>"));
    assert!(html.contains("<td>nbody/rust</td>"), "the table is HTML");
}

#[test]
fn a_report_of_time_and_counts_has_both_and_the_verdicts_of_time() {
    let (stdout, md, _) = report(&env_with_counts(false));
    // The verdicts are those of the timed file: counts change none.
    let (plain_stdout, plain_md, _) = report(&TestEnv::with_results(&all_suites()));
    assert_eq!(stdout, plain_stdout);
    let verdicts = |md: &str| md.split("## Evidence").next().unwrap().to_string();
    assert_eq!(verdicts(&md), verdicts(&plain_md));
    assert!(md.contains("## Instruction counts"));
    assert!(!plain_md.contains("Instruction counts"));
    let cpu = md.find("charts/cpu-relative.svg").unwrap();
    let counts = md.find("charts/cpu-instructions.svg").unwrap();
    let geomean = md.find("charts/cpu-geomean.svg").unwrap();
    assert!(
        cpu < counts && counts < geomean,
        "beside the kernel-time chart"
    );
    assert!(md.contains("- Instruction counts: 2 repeats per benchmark under valgrind-3.19.0"));
}

/// `run --quick -l python --debug-mock --measure instructions --count-runs 2
/// ARGS --out OUT` in `env`: the results file, parsed.
fn mock_counts(env: &TestEnv, args: &[&str], out: &str) -> Value {
    env.cmd()
        .args(["-q", "run", "--quick", "-l", "python", "--debug-mock"])
        .args([
            "--measure",
            "instructions",
            "--count-runs",
            "2",
            "--no-report",
        ])
        .args(args)
        .args(["--out", out])
        .assert()
        .success();
    serde_json::from_str(&std::fs::read_to_string(env.root().join(out)).unwrap()).unwrap()
}

fn write(env: &TestEnv, file: &str, v: &Value) {
    env.write(file, &serde_json::to_string_pretty(v).unwrap());
}

#[test]
fn history_of_counts_finds_a_three_percent_step_in_the_third_run() {
    let env = TestEnv::new(&["ok", "scaling"]);
    let base = mock_counts(&env, &[], "base.json");
    // Given newest first: history orders the runs by their start.
    let files = ["c.json", "b.json", "a.json"];
    for (i, file) in files.iter().enumerate() {
        let mut r = base.clone();
        r["started_at"] = Value::from(format!("2026-01-0{}T00:00:00Z", 3 - i));
        if i == 0 {
            for b in r["benchmarks"].as_array_mut().unwrap() {
                if b["workload"] == "ok" {
                    for rep in b["counting"]["repeats"].as_array_mut().unwrap() {
                        rep["instructions"] =
                            Value::from(rep["instructions"].as_f64().unwrap() * 1.03);
                    }
                }
            }
        }
        write(&env, file, &r);
    }
    // instructions and 1% by default, for files of counts alone.
    let out = stdout(
        env.cmd()
            .arg("history")
            .args(files)
            .args(["--out", "hist"])
            .assert()
            .success(),
    );
    let step = out
        .lines()
        .find(|l| l.trim_start().starts_with("ok/python (quick)"))
        .unwrap_or_else(|| panic!("no step for ok/python in:\n{out}"));
    assert!(step.contains("#3") && step.contains("+3.0%"), "{step}");
    assert!(step.ends_with("regression"), "{step}");
    assert!(!out.contains("scaling/python"), "{out}");
    assert!(
        out.contains(
            "3 runs, 2 benchmarks: 1 step in 1 benchmark (1 regression, 0 improvements; \
             threshold 1%, metric instructions)"
        ),
        "{out}"
    );
    let dir = env.root().join("hist");
    let index = std::fs::read_to_string(dir.join("HISTORY.md")).unwrap();
    assert!(
        index.starts_with("# langbench history: instructions"),
        "{index}"
    );
    assert!(index.contains("spread of its repeats"), "{index}");
    let svg = std::fs::read_to_string(dir.join("ok-python-quick.svg")).unwrap();
    assert!(
        svg.contains("instructions per iteration"),
        "the axis names the count"
    );
    assert!(
        svg.contains("millions") || svg.contains("thousands"),
        "{svg}"
    );
    // A threshold above the step: none.
    env.cmd()
        .arg("history")
        .args(files)
        .args(["--out", "hist", "--threshold", "5"])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 steps in 0 benchmarks"));
}

#[test]
fn shards_of_a_count_merge_into_the_whole_run_and_other_count_settings_are_refused() {
    let env = TestEnv::new(&["ok", "scaling"]);
    let whole = mock_counts(&env, &[], "whole.json");
    mock_counts(&env, &["--shard", "1/2"], "s1.json");
    let s2 = mock_counts(&env, &["--shard", "2/2"], "s2.json");
    env.cmd()
        .args(["merge", "s1.json", "s2.json", "--out", "merged.json"])
        .assert()
        .success();
    let merged: Value =
        serde_json::from_str(&std::fs::read_to_string(env.root().join("merged.json")).unwrap())
            .unwrap();
    let counts = |r: &Value| -> Vec<(String, Value)> {
        let mut v: Vec<(String, Value)> = r["benchmarks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| (b["workload"].to_string(), b["counting"]["summary"].clone()))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    // Counting kept, summaries (ratios to the fewest across shards) recomputed.
    assert_eq!(counts(&merged), counts(&whole));
    assert_eq!(merged["settings"]["measure"], whole["settings"]["measure"]);
    assert!(merged["settings"].get("shard").is_none());
    for (field, value) in [
        ("measure", serde_json::json!(["time", "instructions"])),
        ("count_runs", Value::from(3)),
        ("valgrind", Value::from("valgrind-3.22.0")),
    ] {
        let mut other = s2.clone();
        other["settings"][field] = value;
        write(&env, "other.json", &other);
        env.cmd()
            .args(["merge", "s1.json", "other.json", "--out", "m.json"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "cannot merge 's1.json' and 'other.json': the runs used other settings ({field} "
            )))
            .stderr(predicate::function(|s: &str| s.lines().count() == 1));
    }
}

#[test]
fn run_with_time_and_counts_prints_the_timed_table_then_the_count_table() {
    let env = TestEnv::new(&["ok"]);
    let out = stdout(
        env.cmd()
            .args(["run", "--quick", "-l", "python", "--debug-mock"])
            .args(["--measure", "time,instructions", "--count-runs", "2"])
            .args(["--no-report", "--out", "both.json"])
            .assert()
            .success(),
    );
    let timed = out.find("kernel median").expect("the timed table");
    let counted = out
        .find("instruction counts under cachegrind")
        .expect("the count table");
    assert!(timed < counted, "{out}");
    assert!(out.contains("Instructions are not time"), "{out}");
    let r: Value =
        serde_json::from_str(&std::fs::read_to_string(env.root().join("both.json")).unwrap())
            .unwrap();
    let b = &r["benchmarks"][0];
    assert!(b["summary"]["kernel_ns"]["median"].as_f64().unwrap() > 0.0);
    assert_eq!(b["counting"]["summary"]["repeats"], 2);
}
