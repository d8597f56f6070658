//! `langbench compare`: results files built from the all-suites fixture with
//! edited runs, compared as a user would (exit codes, verdicts, formats).

use predicates::prelude::*;
use serde_json::Value;

use crate::util::{all_suites, replace_runs, scale_iterations, TestEnv};

/// The benchmark of `workload` and `lang` (no variant, no level).
fn bench<'a>(results: &'a mut Value, workload: &str, lang: &str) -> &'a mut Value {
    results["benchmarks"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|b| b["workload"] == workload && b["lang"] == lang && b["level"].is_null())
        .expect("benchmark in the fixture")
}

/// Multiplies every iteration time of every run of a benchmark by `factor`.
fn scale(results: &mut Value, workload: &str, lang: &str, factor: f64) {
    for run in bench(results, workload, lang)["runs"]
        .as_array_mut()
        .unwrap()
    {
        scale_iterations(run, factor);
    }
}

/// Gives a benchmark six measured runs of its measured run, each scaled by
/// `factor` and a fixed ±1% wobble, so the interval is not a point.
fn six_noisy_runs(results: &mut Value, workload: &str, lang: &str, factor: f64) {
    let factors = [1.0, 1.01, 0.99, 1.005, 0.995, 1.0].map(|w| w * factor);
    replace_runs(bench(results, workload, lang), &factors);
}

/// Writes BASE and NEW into a fresh project.
fn env_with(base: &Value, new: &Value) -> TestEnv {
    let env = TestEnv::new(&[]);
    env.write("base.json", &serde_json::to_string_pretty(base).unwrap());
    env.write("new.json", &serde_json::to_string_pretty(new).unwrap());
    env
}

/// Runs `compare base.json new.json ARGS` and returns (exit code, stdout, stderr).
fn compare(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    let out = env
        .cmd()
        .args(["compare", "base.json", "new.json"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The line of the table naming `name`.
fn line<'a>(stdout: &'a str, name: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.trim_start().starts_with(name))
        .unwrap_or_else(|| panic!("no line for {name} in:\n{stdout}"))
}

#[test]
fn same_file_twice_is_unchanged() {
    let base = all_suites();
    let env = env_with(&base, &base);
    let (code, out, _) = compare(&env, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "35 benchmarks: 0 regressed, 0 improved, 35 unchanged (threshold 5%, metric kernel_time)"
        ),
        "{out}"
    );
}

#[test]
fn a_benchmark_half_again_slower_regresses_with_exit_one() {
    let base = all_suites();
    let mut new = base.clone();
    scale(&mut new, "nbody", "rust", 1.5);
    let env = env_with(&base, &new);
    let (code, out, _) = compare(&env, &[]);
    assert_eq!(code, 1, "{out}");
    let l = line(&out, "nbody/rust (quick)");
    assert!(l.contains("+50.0%") && l.ends_with("regressed"), "{l}");
    assert!(
        out.contains("1 regressed, 0 improved, 34 unchanged"),
        "{out}"
    );
}

#[test]
fn a_benchmark_twice_as_fast_improves_with_exit_zero() {
    let base = all_suites();
    let mut new = base.clone();
    scale(&mut new, "binary-trees", "go", 0.5);
    let env = env_with(&base, &new);
    let (code, out, _) = compare(&env, &[]);
    assert_eq!(code, 0, "{out}");
    let l = line(&out, "binary-trees/go (quick)");
    assert!(l.contains("-50.0%") && l.ends_with("improved"), "{l}");
}

#[test]
fn two_percent_slower_with_noise_is_within_the_threshold() {
    let mut base = all_suites();
    let mut new = base.clone();
    six_noisy_runs(&mut base, "nbody", "go", 1.0);
    six_noisy_runs(&mut new, "nbody", "go", 1.02);
    let env = env_with(&base, &new);
    let (code, out, _) = compare(&env, &["--threshold", "5"]);
    assert_eq!(code, 0, "{out}");
    let l = line(&out, "nbody/go (quick)");
    assert!(l.contains("+2.0% [") && l.ends_with("unchanged"), "{l}");
    // With no threshold the same change is beyond the (tight) interval.
    let (code, out, _) = compare(&env, &["--threshold", "0"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        line(&out, "nbody/go (quick)").ends_with("regressed"),
        "{out}"
    );
}

#[test]
fn a_benchmark_on_one_side_only_is_listed() {
    let base = all_suites();
    let mut new = base.clone();
    new["benchmarks"]
        .as_array_mut()
        .unwrap()
        .retain(|b| !(b["workload"] == "nbody" && b["lang"] == "python"));
    let env = env_with(&base, &new);
    let (code, out, _) = compare(&env, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("34 benchmarks:"), "{out}");
    assert!(
        out.contains("only in BASE (1):\n  nbody/python (quick)\n"),
        "{out}"
    );
}

#[test]
fn no_benchmark_in_common_is_bad_input() {
    let base = all_suites();
    let mut new = base.clone();
    for b in new["benchmarks"].as_array_mut().unwrap() {
        b["size_name"] = Value::from("default");
    }
    let env = env_with(&base, &new);
    let (code, out, err) = compare(&env, &[]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("no benchmark with a kernel_time value is in both files"),
        "{err}"
    );
    assert!(
        err.contains("only in BASE: binary-trees/go (quick)"),
        "{err}"
    );
    assert!(
        err.contains("only in NEW: binary-trees/go (default)"),
        "{err}"
    );
    assert!(err.contains("and 27 more"), "{err}");
}

#[test]
fn fewer_requests_per_second_is_a_regression() {
    let base = all_suites();
    let mut new = base.clone();
    let server = new["servers"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["scenario"] == "http-json" && s["lang"] == "go")
        .unwrap();
    let rps = &mut server["levels"][1]["requests_per_sec"];
    *rps = Value::from(rps.as_f64().unwrap() / 2.0);
    let env = env_with(&base, &new);
    let (code, out, _) = compare(&env, &["--metric", "requests_per_second"]);
    assert_eq!(code, 1, "{out}");
    let l = line(&out, "http-json/go c=16");
    assert!(
        l.contains("-50.0% [") && l.contains("measured once") && l.ends_with("regressed"),
        "{l}"
    );
    assert!(
        line(&out, "http-json/go c=1 ").ends_with("unchanged"),
        "{out}"
    );
    assert!(out.contains("25 benchmarks: 1 regressed"), "{out}");
}

#[test]
fn different_machines_need_force() {
    let base = all_suites();
    let mut new = base.clone();
    new["machine"]["cpu_model"] = Value::from("Intel Xeon");
    let env = env_with(&base, &new);
    let (code, out, err) = compare(&env, &[]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("different machines: CPU model 'AMD EPYC' vs 'Intel Xeon'"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    let (code, out, err) = compare(&env, &["--force"]);
    assert_eq!(code, 0, "{out}");
    assert!(err.contains("warning:"), "{err}");
    assert!(out.contains("35 benchmarks"), "{out}");
}

#[test]
fn unreadable_and_other_schema_files_are_bad_input() {
    let base = all_suites();
    let mut new = base.clone();
    new["schema_version"] = Value::from(99);
    let env = env_with(&base, &new);
    env.cmd()
        .args(["compare", "base.json", "new.json"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("new.json").and(predicate::str::contains("schema_version 99")),
        );
    env.cmd()
        .args(["compare", "missing.json", "base.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.json"));
}

#[test]
fn bad_options_are_bad_input() {
    let base = all_suites();
    let env = env_with(&base, &base);
    for (args, msg) in [
        (&["--threshold", "100"][..], "--threshold 100"),
        (&["--threshold", "-1"][..], "--threshold -1"),
        (
            &["--metric", "speed"][..],
            "unknown --metric value 'speed' (valid: kernel_time,",
        ),
        (
            &["--format", "csv"][..],
            "unknown --format value 'csv' (valid: table, markdown, json)",
        ),
    ] {
        env.cmd()
            .args(["compare", "base.json", "new.json"])
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(msg));
    }
}

#[test]
fn json_format_has_every_field() {
    let base = all_suites();
    let mut new = base.clone();
    scale(&mut new, "nbody", "rust", 1.5);
    let env = env_with(&base, &new);
    let (code, out, _) = compare(&env, &["--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["metric"], "kernel_time");
    assert_eq!(v["threshold_pct"], 5.0);
    let b = v["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "nbody/rust (quick)")
        .unwrap();
    assert_eq!(b["verdict"], "regressed");
    for field in ["base_median", "new_median", "ratio", "ci_low", "ci_high"] {
        assert!(b[field].is_number(), "{field}: {b}");
    }
    assert_eq!(v["only_in_base"], Value::from(Vec::<String>::new()));
}

#[test]
fn markdown_format_is_exact() {
    let mut base = all_suites();
    let mut new = base.clone();
    // Keep the table short: the cpu suite's nbody only, one side with an extra benchmark.
    for f in [&mut base, &mut new] {
        f["benchmarks"]
            .as_array_mut()
            .unwrap()
            .retain(|b| b["workload"] == "nbody");
    }
    scale(&mut new, "nbody", "rust", 1.5);
    scale(&mut new, "nbody", "node", 0.5);
    six_noisy_runs(&mut base, "nbody", "go", 1.0);
    six_noisy_runs(&mut new, "nbody", "go", 1.02);
    new["benchmarks"]
        .as_array_mut()
        .unwrap()
        .retain(|b| b["lang"] != "python");
    let env = env_with(&base, &new);
    let (code, out, _) = compare(&env, &["--format", "markdown"]);
    assert_eq!(code, 1, "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn a_value_measured_once_must_leave_the_noise_band() {
    // One requests/s figure a side: a 12% drop is within the ±10% band and
    // the 5% threshold together; a 20% drop is not.
    for (factor, verdict) in [(0.88, "unchanged"), (0.80, "regressed")] {
        let base = all_suites();
        let mut new = base.clone();
        let server = new["servers"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|s| s["scenario"] == "http-json" && s["lang"] == "go")
            .unwrap();
        let rps = &mut server["levels"][1]["requests_per_sec"];
        *rps = Value::from(rps.as_f64().unwrap() * factor);
        let env = env_with(&base, &new);
        let (code, out, _) = compare(&env, &["--metric", "requests_per_second"]);
        assert_eq!(code, i32::from(verdict == "regressed"), "{out}");
        assert!(line(&out, "http-json/go c=16").ends_with(verdict), "{out}");
    }
}

/// Gives the level at `connections` of http-json/go rounds with these
/// requests/s, the load generator's core busy `generator` of the window.
fn go_rounds(results: &mut Value, connections: u64, rps: &[f64], generator: f64) {
    let server = results["servers"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["scenario"] == "http-json" && s["lang"] == "go")
        .unwrap();
    let level = server["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["connections"] == connections)
        .unwrap()
        .clone();
    let window_ns = 1_000_000_000u64;
    let rounds: Vec<Value> = rps
        .iter()
        .enumerate()
        .map(|(i, &r)| {
            let mut report = level.clone();
            report["requests_per_sec"] = Value::from(r);
            serde_json::json!({
                "round": i,
                "report": report,
                "window_ns": window_ns,
                "server_cpu_ns": window_ns / 2,
                "generator_cpu_ns": (generator * window_ns as f64) as u64,
            })
        })
        .collect();
    let mut sorted = rps.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[(sorted.len() - 1) / 2];
    let e = serde_json::json!({
        "n": rps.len(), "median": median, "mean": median, "std_dev": 0.0,
        "min": sorted[0], "max": sorted[sorted.len() - 1], "mad": 0.0,
        "ci_low": sorted[0], "ci_high": sorted[sorted.len() - 1],
    });
    let entry = serde_json::json!({
        "connections": connections,
        "rounds": rounds,
        "requests_per_sec": e,
        "server_cpu_share": 0.5,
        "generator_cpu_share": generator,
        "server_busy_share": 0.5,
        "generator_busy_share": generator,
        "cpu_bound": false,
        "generator_bound": generator >= 0.9,
    });
    let list = server["level_rounds"].as_array_mut();
    match list {
        Some(list) => list.push(entry),
        None => server["level_rounds"] = Value::from(vec![entry]),
    }
}

#[test]
fn a_level_in_rounds_is_judged_on_its_interval_not_the_band() {
    // The 12% drop that the ±10% band of a value measured once leaves
    // unchanged is a regression when three tight rounds a side measure it.
    let mut base = all_suites();
    let mut new = base.clone();
    go_rounds(&mut base, 16, &[1000.0, 1010.0, 990.0], 0.3);
    go_rounds(&mut new, 16, &[880.0, 889.0, 871.0], 0.3);
    let env = env_with(&base, &new);
    let (code, out, _) = compare(&env, &["--metric", "requests_per_second"]);
    assert_eq!(code, 1, "{out}");
    let l = line(&out, "http-json/go c=16");
    assert!(
        l.contains("-12.0% [") && !l.contains("measured once"),
        "{l}"
    );
    assert!(l.ends_with("regressed"), "{l}");
}

#[test]
fn a_generator_bound_level_is_not_compared_and_listed_so() {
    let base = all_suites();
    let mut new = base.clone();
    go_rounds(&mut new, 16, &[500.0, 510.0, 490.0], 0.97);
    let env = env_with(&base, &new);
    let (code, out, _) = compare(&env, &["--metric", "requests_per_second"]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("http-json/go c=16  "), "{out}");
    assert!(out.contains("not compared (1):"), "{out}");
    assert!(
        out.contains(
            "  http-json/go c=16: NEW: generator-bound: the load generator's core was 97% busy, \
             so its throughput is not compared"
        ),
        "{out}"
    );
    // Latency is still compared.
    let (_, out, _) = compare(&env, &["--metric", "p99_latency"]);
    assert!(
        line(&out, "http-json/go c=16").ends_with("unchanged"),
        "{out}"
    );
}
