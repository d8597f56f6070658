//! `langbench report`: verdicts, REPORT.md, index.html and charts from a
//! fixed results file; bad claims files; the HTML page in a real browser.

use predicates::prelude::*;

use crate::util::{all_suites, TestEnv};

/// A project with the all-suites results fixture copied to `results.json`.
fn env_with_results() -> TestEnv {
    TestEnv::with_results(&all_suites())
}

#[test]
fn report_of_a_fixed_results_file_is_exact() {
    let env = env_with_results();
    let out = env
        .cmd()
        .args(["report", "results.json", "--out", "rep"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stdout = String::from_utf8(out).unwrap();
    assert!(
        stdout.contains("Verdicts on the article's claims"),
        "{stdout}"
    );
    assert!(
        stdout.contains("report: rep/REPORT.md, rep/index.html"),
        "{stdout}"
    );
    let report = std::fs::read_to_string(env.root().join("rep").join("REPORT.md")).unwrap();
    insta::assert_snapshot!(report);
    let html = std::fs::read_to_string(env.root().join("rep").join("index.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg"), "charts are inlined");
    assert!(
        !html.contains("src=\"http"),
        "nothing is loaded from elsewhere"
    );
    let charts = env.root().join("rep").join("charts");
    for name in [
        "cpu-relative",
        "cpu-warmup",
        "http-io-rps",
        "tasks-memory",
        "parallel-speedup",
    ] {
        let png = std::fs::read(charts.join(format!("{name}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}.png");
        let svg = std::fs::read_to_string(charts.join(format!("{name}.svg"))).unwrap();
        assert!(svg.contains("<svg"), "{name}.svg");
        assert!(
            report.contains(&format!("charts/{name}.svg")),
            "{name} in REPORT.md"
        );
    }
}

/// The all-suites fixture with http-io's servers measured in 3 rounds a
/// level, every server waiting at both levels but python, whose core is 97%
/// busy at c=100 (CPU-bound there).
fn io_in_rounds() -> serde_json::Value {
    use langbench::lang::Lang;
    use langbench::results::{LevelRound, ResultsFile};
    let mut r: ResultsFile = serde_json::from_value(all_suites()).unwrap();
    for s in r
        .servers
        .iter_mut()
        .filter(|s| s.scenario == "http-io" && s.variant.is_none())
    {
        let levels = s.levels.clone();
        for (index, template) in levels.iter().enumerate() {
            let busy = if s.lang == Lang::Python && index == 1 {
                0.97
            } else {
                0.3
            };
            for (i, factor) in [1.0, 1.02, 0.98].into_iter().enumerate() {
                let mut report = template.clone();
                report.requests_per_sec *= factor;
                let round = LevelRound {
                    round: i as u32,
                    report,
                    loaded: None,
                    background: None,
                    window_ns: 1_000_000_000,
                    server_cpu_ns: Some((busy * 1e9) as u64),
                    server_wait_ns: Some(0),
                    generator_cpu_ns: Some(300_000_000),
                    generator_wait_ns: Some(0),
                };
                s.add_round(template.connections, round, 1);
            }
        }
    }
    serde_json::to_value(&r).unwrap()
}

/// The section of a claim in REPORT.md, from its heading to the next.
fn section<'a>(report: &'a str, id: &str) -> &'a str {
    let start = report
        .find(&format!("### {id}: "))
        .unwrap_or_else(|| panic!("no section {id}"));
    let rest = &report[start..];
    let end = rest[4..].find("\n<a id=").map_or(rest.len(), |e| e + 4);
    &rest[..end]
}

#[test]
fn io_claims_are_decided_at_the_io_bound_level_and_say_so() {
    let env = TestEnv::with_results(&io_in_rounds());
    env.cmd()
        .args(["report", "results.json", "--out", "rep"])
        .assert()
        .success();
    let report = std::fs::read_to_string(env.root().join("rep").join("REPORT.md")).unwrap();
    // node and python: python is CPU-bound at c=100, so c=10; node, go and
    // rust wait at both, so c=100. c=100 at "max" is shown, not deciding.
    insta::assert_snapshot!(
        "io_bound_claims",
        format!(
            "{}\n{}",
            section(&report, "node-great-for-io"),
            section(&report, "concurrency-levels")
        )
    );
    let html = std::fs::read_to_string(env.root().join("rep").join("index.html")).unwrap();
    assert!(
        html.contains(
            "<p>Shown, not deciding: cpu-per-request: ideal_fraction, http-io c=100 (max)"
        ),
        "index.html says what did not decide"
    );
}

/// The all-suites fixture with node's CPU benchmarks run again by bun (the
/// same runs), and python-threads' parallel levels by python3.13t, whose
/// threads run in parallel: each level above W=1 takes 0.45 of CPython's
/// time (a speedup of 2 at W=2 where CPython has 0.9).
fn with_runtimes() -> serde_json::Value {
    use serde_json::{json, Value};
    let mut r = all_suites();
    let benches = r["benchmarks"].as_array().unwrap().clone();
    let mut added: Vec<Value> = Vec::new();
    for b in &benches {
        let cpu_node = b["lang"] == "node" && b["level"].is_null();
        let threads = b["workload"] == "parallel" && b["variant"] == "threads";
        if !(cpu_node || threads) {
            continue;
        }
        let mut b = b.clone();
        b["runtime"] = json!(if cpu_node { "bun" } else { "python3.13t" });
        if threads && b["level"]["value"] != 1 {
            for run in b["runs"].as_array_mut().unwrap() {
                crate::util::scale_iterations(run, 0.45);
            }
        }
        added.push(b);
    }
    r["benchmarks"].as_array_mut().unwrap().extend(added);
    let toolchains = r["toolchains"].as_array_mut().unwrap();
    toolchains.push(
        json!({"lang": "node", "runtime": "bun", "path": "/usr/bin/bun",
                           "version": "1.2.3"}),
    );
    toolchains.push(json!({"lang": "python", "runtime": "python3.13t",
                           "path": "/usr/bin/python3.13t", "version": "Python 3.13.1"}));
    r
}

#[test]
fn runtimes_get_a_verdict_matrix_and_leave_the_headline_verdicts_alone() {
    let report = |results: &serde_json::Value| {
        let env = TestEnv::with_results(results);
        let stdout = crate::util::stdout(
            env.cmd()
                .args(["report", "results.json", "--out", "rep"])
                .assert()
                .success(),
        );
        let read = |f: &str| std::fs::read_to_string(env.root().join("rep").join(f)).unwrap();
        (stdout, read("REPORT.md"), read("index.html"))
    };
    let (plain_out, plain, plain_html) = report(&all_suites());
    let (out, md, html) = report(&with_runtimes());
    assert!(
        !plain.contains("Verdicts per runtime"),
        "no runtime, no section"
    );
    assert!(!plain_html.contains("verdicts-per-runtime"));
    assert_eq!(
        out, plain_out,
        "the terminal verdicts are the default runtimes'"
    );
    let evidence = plain.find("## Evidence").unwrap();
    let after = evidence + plain[evidence..].find("\n## ").unwrap();
    assert_eq!(
        md[..after],
        plain[..after],
        "the verdicts and evidence are the default runtimes'"
    );
    assert!(md[after..].starts_with("\n## Verdicts per runtime\n"));
    assert!(
        md.contains("| claim | default runtimes | bun (1.2.3) | python3.13t (Python 3.13.1) |\n")
    );
    // The GIL claim flips with python3.13t.
    assert!(
        md.contains("| python-gil | INCONCLUSIVE | — | **CONTRADICTED** |\n"),
        "{md}"
    );
    // bun ran no server: the claims reading http-mixed or http-io are not
    // tested with it.
    assert!(
        md.contains("| node-not-for-cpu | SUPPORTED | **NOT TESTED** | — |\n"),
        "{md}"
    );
    assert!(
        md.contains(
            "- The verdict changes with the runtime: python-gil with python3.13t \
         (INCONCLUSIVE → CONTRADICTED)"
        ),
        "{md}"
    );
    assert!(html.contains("<h2 id=\"verdicts-per-runtime\">Verdicts per runtime</h2>"));
    // The charts keep the runtimes apart (a long label breaks before its
    // runtime).
    for label in ["node@bun", "@python3.13t"] {
        assert!(
            html.contains(&format!("\n{label}\n</text>")),
            "a chart names {label}"
        );
    }
}

#[test]
fn bad_claims_files_name_the_claim_and_field() {
    let env = env_with_results();
    env.write(
        "claims.json",
        r#"{"source": "s", "claims": [{"id": "fast", "topic": "t", "quote": "q",
            "tests": [{"metric": "speed", "order": ["rust", "go"]}]}]}"#,
    );
    env.cmd()
        .args(["report", "results.json", "--claims", "claims.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: claims file 'claims.json': claim 'fast': field 'tests[0].metric' is 'speed', not a metric",
        ));
    env.cmd()
        .args(["report", "results.json", "--claims", "missing.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read claims file 'missing.json'",
        ));
    env.cmd()
        .args(["report", "nope.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read results file 'nope.json'",
        ));
}

#[test]
fn own_claims_get_their_verdicts() {
    let env = env_with_results();
    env.write(
        "claims.json",
        r#"{"source": "my notes", "claims": [
            {"id": "py-slow", "topic": "speed", "quote": "Python is slower than Rust",
             "tests": [{"metric": "kernel_time", "over": "geomean", "better": [["rust", "python"]]}]},
            {"id": "cobol", "topic": "speed", "quote": "COBOL is fast",
             "tests": [{"metric": "kernel_time", "better": [["cobol", "rust"]]}]}
        ]}"#,
    );
    let out = env
        .cmd()
        .args([
            "report",
            "results.json",
            "--claims",
            "claims.json",
            "--out",
            "rep",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stdout = String::from_utf8(out).unwrap();
    assert!(stdout.contains("py-slow  SUPPORTED"), "{stdout}");
    assert!(stdout.contains("cobol    NOT TESTED"), "{stdout}");
}

/// Chromium, when it is installed (CI installs Debian's `chromium`).
fn chromium() -> Option<std::path::PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|p| langbench::paths::find_in_path(p))
}

#[test]
fn the_html_report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("LANGBENCH_REQUIRE_ALL_TOOLCHAINS").is_none(),
            "chromium is required (LANGBENCH_REQUIRE_ALL_TOOLCHAINS is set)"
        );
        eprintln!("NOTE: chromium not installed; the browser check of the HTML report did not run");
        return;
    };
    let env = env_with_results();
    env.cmd()
        .args(["report", "results.json", "--out", "rep"])
        .assert()
        .success();
    let page = env.root().join("rep").join("index.html");
    let shot = env.root().join("shot.png");
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1200,1600",
        ])
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        shot.is_file(),
        "no screenshot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let img = image::open(&shot).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (1200, 1600));
    // Not blank: a fair share of pixels are not the white background, and
    // there are many colours (text, verdict cells, chart series).
    let non_white = img.pixels().filter(|p| p.0 != [255, 255, 255]).count();
    let colours: std::collections::HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    assert!(
        non_white > (1200 * 1600) / 50,
        "only {non_white} non-white pixels"
    );
    assert!(colours.len() > 50, "only {} colours", colours.len());
}
