//! `langbench export`: every format snapshot-tested on a small slice of the
//! all-suites fixture (two CPU benchmarks, a concurrency level, a server).

use serde_json::Value;

use crate::util::{add_counts, all_suites, replace_runs, TestEnv};

/// nbody in go and rust, parallel/rust at W=2 and http-json/go, written to `slice.json`.
fn env_with_slice() -> TestEnv {
    env_with(slice())
}

/// `results` written to `slice.json` of a new project.
fn env_with(results: Value) -> TestEnv {
    let env = TestEnv::new(&[]);
    env.write(
        "slice.json",
        &serde_json::to_string_pretty(&results).unwrap(),
    );
    env
}

/// The slice with instruction counts of nbody in go and rust (with `only`,
/// as `run --measure instructions` writes them: no time). go's two repeats
/// differ by 0.3%, rust's agree.
fn counted_slice(only: bool) -> Value {
    let mut results = slice();
    add_counts(&mut results, only);
    let go = results["benchmarks"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|b| b["workload"] == "nbody" && b["lang"] == "go")
        .unwrap();
    let repeat = &mut go["counting"]["repeats"][1];
    for key in ["instructions", "estimated_cycles"] {
        repeat[key] = Value::from(repeat[key].as_f64().unwrap() * 1.003);
    }
    results
}

/// nbody in go and rust, parallel/rust at W=2 and http-json/go.
fn slice() -> Value {
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
    results
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

/// `export slice.json --format F` of `env`, which must succeed.
fn exported_from(env: &TestEnv, format: &str) -> String {
    let (code, out, err) = export(env, &["--format", format]);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn counts_beside_times_are_exact_in_every_format() {
    let env = env_with(counted_slice(false));
    for format in [
        "github-smaller",
        "github-bigger",
        "bencher",
        "csv",
        "markdown",
    ] {
        insta::assert_snapshot!(
            format!("counts_beside_times_{format}"),
            exported_from(&env, format)
        );
    }
}

#[test]
fn counts_carry_their_range_over_the_repeats_never_an_interval() {
    let env = env_with(counted_slice(true));
    // github-smaller: the two counts of both benchmarks, the range named.
    let items: Value = serde_json::from_str(&exported_from(&env, "github-smaller")).unwrap();
    let names: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "nbody/go (quick) [instructions]",
            "nbody/rust (quick) [instructions]",
            "nbody/go (quick) [estimated_cycles]",
            "nbody/rust (quick) [estimated_cycles]",
        ]
    );
    for item in items.as_array().unwrap() {
        let extra = item["extra"].as_str().unwrap();
        assert!(extra.contains("min – max over the repeats"), "{extra}");
        assert!(!extra.contains("CI"), "{extra}");
    }
    // Nothing where bigger is better.
    assert_eq!(exported_from(&env, "github-bigger").trim(), "[]");
    // Bencher: the bounds are the fewest and the most.
    let bmf: Value = serde_json::from_str(&exported_from(&env, "bencher")).unwrap();
    let go = &bmf["nbody/go (quick)"]["instructions"];
    let (lo, v, hi) = (
        go["lower_value"].as_f64().unwrap(),
        go["value"].as_f64().unwrap(),
        go["upper_value"].as_f64().unwrap(),
    );
    assert!((hi / lo - 1.003).abs() < 1e-9 && lo < v && v < hi, "{go}");
    assert_eq!(
        bmf.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["nbody/go (quick)", "nbody/rust (quick)"]
    );
    // CSV: no confidence interval, the range in min and max.
    let csv = exported_from(&env, "csv");
    assert_eq!(csv.lines().count(), 1 + 4, "{csv}");
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[6], "2", "{line}");
        assert_eq!((cells[8], cells[9]), ("", ""), "{line}");
        assert!(!cells[10].is_empty() && !cells[11].is_empty(), "{line}");
    }
    // Markdown: one table of the two counts, and what their ± means.
    let md = exported_from(&env, "markdown");
    assert!(
        md.contains("| benchmark | instructions per iteration | estimated cycles per iteration |"),
        "{md}"
    );
    assert!(md.contains(" ± 0.15% |"), "{md}");
    assert!(md.contains("not a confidence interval"), "{md}");
    assert!(!md.contains("kernel time"), "{md}");
}
