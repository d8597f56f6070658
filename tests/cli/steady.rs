//! The steady state of each run as a user sees it: fixtures that print
//! iteration times of a fixed shape (so nothing depends on real timing), the
//! iteration count the budget chooses, the classes in the results file, the
//! marks in the table and the Steady state section of the report.

use crate::util::{bench, TestEnv};

/// `run --quick` of the `shapes` fixture (python: a slowdown; node: no
/// steady state) with `args`; returns stdout.
fn run_shapes(env: &TestEnv, args: &[&str]) -> String {
    let out = env
        .cmd()
        .args(["run", "--quick", "-l", "node,python", "--out"])
        .arg(env.out())
        .args(["--report-dir", "rep"])
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn slowdown_and_no_steady_state_are_recorded_and_shown() {
    let env = TestEnv::new(&["shapes"]);
    let stdout = run_shapes(&env, &[]);
    let r = env.results();
    assert_eq!(r["settings"]["iteration_budget_ms"], 200);
    let python = bench(&r, "shapes", "python");
    // 1 ms an iteration on the warm-up run (the median of 1, 1, 1.5, 1.5 ms
    // is 1.25 ms): 200 ms / 1.25 ms = 160 iterations; the manifest's 4 the least.
    assert_eq!(python["min_iterations"], 4);
    assert_eq!(python["iterations"], 160);
    let runs = python["runs"].as_array().unwrap();
    assert_eq!(runs[0]["warmup"], true);
    assert_eq!(runs[0]["iterations_ns"].as_array().unwrap().len(), 4);
    for run in &runs[1..] {
        assert_eq!(run["iterations_ns"].as_array().unwrap().len(), 160);
        assert_eq!(run["steady"]["class"], "slowdown", "{run}");
        assert_eq!(run["steady"]["warmup_iterations"], 80);
        assert_eq!(run["steady"]["steady_ns"], 1_500_000.0);
    }
    let s = &python["summary"];
    assert_eq!(
        s["classes"],
        serde_json::json!([{"class": "slowdown", "runs": 3}])
    );
    // The kernel time is the steady (last) level, not the median of all.
    assert_eq!(s["kernel_ns"]["median"], 1_500_000.0);
    let node = bench(&r, "shapes", "node");
    assert_eq!(node["summary"]["classes"][0]["class"], "no_steady_state");
    // The table marks both in capitals and says what their kernel time is.
    let row = |lang: &str| {
        let start = format!("  {lang} ");
        stdout
            .lines()
            .find(|l| l.starts_with(&start))
            .unwrap_or_default()
            .to_string()
    };
    assert!(row("python").ends_with(" SLOWDOWN"), "{stdout}");
    assert!(row("node").ends_with(" NO STEADY STATE"), "{stdout}");
    assert!(
        stdout.contains("shapes/python: SLOWDOWN in 3 of 3 runs: the last iterations were slower"),
        "{stdout}"
    );
    let report = std::fs::read_to_string(env.root().join("rep/REPORT.md")).unwrap();
    let section = report
        .split("## Steady state")
        .nth(1)
        .expect("a Steady state section");
    assert!(
        section.contains("| shapes/python | 160 | SLOWDOWN | - | 1.50 ms |"),
        "{section}"
    );
    assert!(
        section.contains("- shapes/node: NO STEADY STATE in 3 of 3 runs"),
        "{section}"
    );
    assert!(report.contains("charts/cpu-warmup.svg"));
    let html = std::fs::read_to_string(env.root().join("rep/index.html")).unwrap();
    assert!(html.contains("<h2 id=\"steady-state\">Steady state</h2>"));
}

#[test]
fn a_zero_budget_keeps_the_manifest_count() {
    let env = TestEnv::new(&["shapes"]);
    run_shapes(&env, &["--iteration-budget", "0", "--no-report"]);
    let r = env.results();
    assert!(r["settings"].get("iteration_budget_ms").is_none());
    let python = bench(&r, "shapes", "python");
    assert_eq!(python["iterations"], 4);
    // Four iterations are classified: after 1, 1 ms the 1.5 ms level holds
    // two, fewer than the 3 a steady segment needs.
    for run in python["runs"].as_array().unwrap() {
        assert_eq!(run["iterations_ns"].as_array().unwrap().len(), 4);
        assert_eq!(run["steady"]["class"], "no_steady_state");
    }
}

#[test]
fn a_bad_budget_is_an_input_error() {
    let env = TestEnv::new(&["shapes"]);
    env.cmd()
        .args(["run", "--quick", "--iteration-budget", "soon"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--iteration-budget 'soon' is not a positive duration",
        ));
}
