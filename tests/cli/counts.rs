//! The files of `run --measure instructions` (and `time,instructions`)
//! through `report`, `export`, `history` and `merge`.

use crate::util::{add_counts, all_suites, TestEnv};

/// A project with the all-suites fixture, counted, as `results.json` (with
/// `only`, counts and no time).
fn env_with_counts(only: bool) -> TestEnv {
    let mut results = all_suites();
    add_counts(&mut results, only);
    let env = TestEnv::new(&[]);
    env.write(
        "results.json",
        &serde_json::to_string_pretty(&results).unwrap(),
    );
    env
}

/// `report results.json --out rep`: (stdout, REPORT.md, index.html).
fn report(env: &TestEnv) -> (String, String, String) {
    let out = env
        .cmd()
        .args(["report", "results.json", "--out", "rep"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let read = |f: &str| std::fs::read_to_string(env.root().join("rep").join(f)).unwrap();
    (
        String::from_utf8(out).unwrap(),
        read("REPORT.md"),
        read("index.html"),
    )
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
    let env = TestEnv::new(&[]);
    env.write(
        "results.json",
        &serde_json::to_string_pretty(&all_suites()).unwrap(),
    );
    let (plain_stdout, plain_md, _) = report(&env);
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
