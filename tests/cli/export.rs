//! `langbench export`: every format snapshot-tested on a small slice of the
//! all-suites fixture (two CPU benchmarks, a concurrency level, a server).

use serde_json::Value;

use crate::util::{all_suites, replace_runs, TestEnv};

/// nbody in go and rust, parallel/rust at W=2 and http-json/go, written to `slice.json`.
fn env_with_slice() -> TestEnv {
    let mut results = all_suites();
    results["benchmarks"].as_array_mut().unwrap().retain(|b| {
        match (b["workload"].as_str().unwrap(), b["lang"].as_str().unwrap()) {
            ("nbody", "go" | "rust") => true,
            ("parallel", "rust") => b["level"]["value"] == 2,
            _ => false,
        }
    });
    results["servers"]
        .as_array_mut()
        .unwrap()
        .retain(|s| s["scenario"] == "http-json" && s["lang"] == "go");
    // nbody/go gets five measured runs, so its values have an interval.
    let go = results["benchmarks"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|b| b["workload"] == "nbody" && b["lang"] == "go")
        .unwrap();
    replace_runs(go, &[1.0, 1.02, 0.98, 1.01, 0.97]);
    let env = TestEnv::new(&[]);
    env.write(
        "slice.json",
        &serde_json::to_string_pretty(&results).unwrap(),
    );
    env
}

/// `export slice.json ARGS`: (exit code, stdout, stderr).
fn export(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    let out = env
        .cmd()
        .args(["export", "slice.json"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn exported(format: &str) -> String {
    let env = env_with_slice();
    let (code, out, err) = export(&env, &["--format", format]);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn github_smaller_is_exact() {
    let out = exported("github-smaller");
    let items: Value = serde_json::from_str(&out).unwrap();
    // Every item has what github-action-benchmark requires.
    for item in items.as_array().unwrap() {
        assert!(item["name"].is_string() && item["unit"].is_string() && item["value"].is_number());
    }
    insta::assert_snapshot!(out);
}

#[test]
fn github_bigger_is_exact() {
    insta::assert_snapshot!(exported("github-bigger"));
}

#[test]
fn bencher_is_exact() {
    let out = exported("bencher");
    let bmf: Value = serde_json::from_str(&out).unwrap();
    // BMF: benchmark -> measure -> {value, lower_value?, upper_value?}.
    for (_, measures) in bmf.as_object().unwrap() {
        for (_, m) in measures.as_object().unwrap() {
            assert!(m["value"].is_number());
            if let Some(lo) = m.get("lower_value") {
                let (lo, v, hi) = (
                    lo.as_f64().unwrap(),
                    m["value"].as_f64().unwrap(),
                    m["upper_value"].as_f64().unwrap(),
                );
                assert!(lo <= v && v <= hi, "{m}");
            }
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn csv_is_exact() {
    let out = exported("csv");
    let widths: Vec<usize> = out.lines().map(|l| l.split(',').count()).collect();
    assert!(widths.iter().all(|&w| w == widths[0]), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn markdown_is_exact() {
    insta::assert_snapshot!(exported("markdown"));
}

#[test]
fn chosen_metrics_and_a_file() {
    let env = env_with_slice();
    let (code, out, err) = export(
        &env,
        &["--format", "csv", "--metric", "peak_rss", "--out", "x.csv"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    let csv = std::fs::read_to_string(env.root().join("x.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 3, "{csv}");
    assert!(csv.lines().skip(1).all(|l| l.contains(",peak_rss,bytes,")));
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let env = env_with_slice();
    for (args, says) in [
        (
            &["--format", "xml"][..],
            "unknown --format value 'xml' (valid: github-smaller,",
        ),
        (
            &["--format", "github-bigger", "--metric", "kernel_time"][..],
            "use github-smaller",
        ),
        (
            &["--format", "csv", "--metric", "speed"][..],
            "unknown --metric value 'speed' (valid: kernel_time,",
        ),
    ] {
        let (code, _, err) = export(&env, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(says) && err.lines().count() == 1, "{err}");
    }
    let out = env
        .cmd()
        .args(["export", "missing.json", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json"));
}
