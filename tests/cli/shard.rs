//! `run --shard K/N` + `merge`, and `run --baseline`, with the mock runner on
//! fixture workloads (the CPU workload `ok` and the concurrency workload `levels`).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::util::{scale_iterations, TestEnv};

/// `run --quick -l node,python --debug-mock --no-report --out FILE ARGS`.
fn mock_run(env: &TestEnv, out: &str, args: &[&str]) -> std::process::Output {
    env.cmd()
        .args(["-q", "run", "--quick", "-l", "node,python", "--debug-mock"])
        .args(["--no-report", "--out", out])
        .args(args)
        .output()
        .unwrap()
}

fn read(env: &TestEnv, file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(env.root().join(file)).unwrap()).unwrap()
}

fn write(env: &TestEnv, file: &str, v: &Value) {
    env.write(file, &serde_json::to_string_pretty(v).unwrap());
}

/// The identities of a results file's benchmarks: workload/implementation [level].
fn identities(results: &Value) -> BTreeSet<String> {
    results["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            format!(
                "{}/{}{} {}",
                b["workload"].as_str().unwrap(),
                b["lang"].as_str().unwrap(),
                b["variant"]
                    .as_str()
                    .map_or(String::new(), |v| format!("-{v}")),
                b["level"]
            )
        })
        .collect()
}

fn merge(env: &TestEnv, files: &[&str]) -> std::process::Output {
    env.cmd()
        .arg("merge")
        .args(files)
        .args(["--out", "merged.json"])
        .output()
        .unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn shards_merge_into_the_set_of_one_run() {
    let env = TestEnv::new(&["ok", "levels"]);
    assert!(mock_run(&env, "full.json", &[]).status.success());
    for k in 1..=3 {
        let out = mock_run(&env, &format!("s{k}.json"), &["--shard", &format!("{k}/3")]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let full = identities(&read(&env, "full.json"));
    let parts: Vec<BTreeSet<String>> = (1..=3)
        .map(|k| identities(&read(&env, &format!("s{k}.json"))))
        .collect();
    // A partition: no shard is empty, none overlaps another.
    for (i, p) in parts.iter().enumerate() {
        assert!(!p.is_empty(), "shard {} is empty", i + 1);
        for q in &parts[i + 1..] {
            assert!(p.is_disjoint(q), "{p:?} / {q:?}");
        }
    }
    assert_eq!(
        read(&env, "s2.json")["settings"]["shard"],
        serde_json::json!({"parts": [2], "count": 3})
    );
    let out = merge(&env, &["s3.json", "s1.json", "s2.json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let merged = read(&env, "merged.json");
    assert_eq!(identities(&merged), full);
    // Each shard recorded its own implementations' source sizes; merged, they are the run's.
    let sizes = |v: &Value| -> BTreeSet<String> {
        v["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(Value::to_string)
            .collect()
    };
    assert_eq!(sizes(&merged), sizes(&read(&env, "full.json")));
    assert!(!sizes(&merged).is_empty());
    assert!(merged["settings"].get("shard").is_none());
    // A suite's time in the merged file is the sum of its shards' times.
    for suite in ["cpu", "io", "concurrency"] {
        let ms = |file: &str| {
            read(&env, file)["suite_wall_ms"][suite]
                .as_u64()
                .unwrap_or(0)
        };
        let shards = ms("s1.json") + ms("s2.json") + ms("s3.json");
        assert_eq!(ms("merged.json"), shards, "{suite}");
    }
    assert!(merged["suite_wall_ms"]["cpu"].as_u64().is_some());
    assert_eq!(merged["status"], "complete");
    // Summaries (and ratios to the fastest, which span shards) are recomputed.
    for b in merged["benchmarks"].as_array().unwrap() {
        if b["failures"].as_array().unwrap().is_empty() {
            assert!(b["summary"].is_object(), "{b}");
        }
    }
    // The merged file is a results file every command reads.
    let report = env
        .cmd()
        .args(["compare", "full.json", "merged.json", "--threshold", "50"])
        .output()
        .unwrap();
    assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
}

#[test]
fn a_missing_shard_is_refused_unless_partial() {
    let env = TestEnv::new(&["ok", "levels"]);
    assert!(mock_run(&env, "full.json", &[]).status.success());
    for k in 1..=3 {
        assert!(
            mock_run(&env, &format!("s{k}.json"), &["--shard", &format!("{k}/3")])
                .status
                .success()
        );
    }
    let out = merge(&env, &["s1.json", "s2.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("shards 3/3 are missing"),
        "{}",
        stderr(&out)
    );
    // --partial merges what there is and records which shards the file holds;
    // merging the last shard into it makes the whole run.
    let out = env
        .cmd()
        .args([
            "merge",
            "s1.json",
            "s2.json",
            "--partial",
            "--out",
            "part.json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let part = read(&env, "part.json");
    assert_eq!(
        part["settings"]["shard"],
        serde_json::json!({"parts": [1, 2], "count": 3})
    );
    let out = merge(&env, &["part.json", "s3.json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let merged = read(&env, "merged.json");
    assert!(merged["settings"].get("shard").is_none());
    assert_eq!(identities(&merged), identities(&read(&env, "full.json")));
}

#[test]
fn merge_refuses_what_is_not_one_run() {
    let env = TestEnv::new(&["ok", "levels"]);
    for k in 1..=2 {
        assert!(
            mock_run(&env, &format!("s{k}.json"), &["--shard", &format!("{k}/2")])
                .status
                .success()
        );
    }
    let s2 = read(&env, "s2.json");
    let mut other_schema = s2.clone();
    other_schema["schema_version"] = Value::from(2);
    write(&env, "v2.json", &other_schema);
    let mut other_size = s2.clone();
    other_size["settings"]["size"] = Value::from("default");
    write(&env, "big.json", &other_size);
    let mut other_n = s2.clone();
    other_n["settings"]["shard"] = serde_json::json!({"parts": [2], "count": 3});
    write(&env, "n3.json", &other_n);
    let mut unsharded = s2.clone();
    unsharded["settings"]["shard"] = Value::Null;
    write(&env, "plain.json", &unsharded);
    let mut other_selection = s2.clone();
    other_selection["settings"]["concurrency"] = serde_json::json!([]);
    write(&env, "sel.json", &other_selection);
    let mut other_version = s2.clone();
    other_version["toolchains"][0]["version"] = Value::from("v0.0.1");
    write(&env, "tc.json", &other_version);
    let mut elsewhere = s2.clone();
    elsewhere["machine"]["hostname"] = Value::from("elsewhere");
    write(&env, "elsewhere.json", &elsewhere);
    for (files, says) in [
        (
            &["s1.json", "v2.json"][..],
            "mixed schema versions: 's1.json' has 1, 'v2.json' has 2",
        ),
        (
            &["s1.json", "big.json"][..],
            "size \"quick\" vs \"default\"",
        ),
        (
            &["s1.json", "sel.json"][..],
            "concurrency [\"levels\"] vs []",
        ),
        (&["s1.json", "tc.json"][..], "v0.0.1"),
        (&["s1.json", "elsewhere.json"][..], "pass --force"),
        (
            &["s1.json", "n3.json"][..],
            "holds shards of 3, other files shards of 2",
        ),
        (&["s1.json", "s1.json"][..], "both hold shard 1/2"),
        (&["s2.json", "plain.json"][..], "holds a whole run"),
        (&["s1.json", "nothing.json"][..], "nothing.json"),
    ] {
        let out = merge(&env, files);
        assert_eq!(out.status.code(), Some(2), "{files:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(says) && err.lines().count() == 1,
            "{files:?}: {err}"
        );
    }
    // Different machines with --force: merged, with a warning.
    let out = env
        .cmd()
        .args([
            "merge",
            "s1.json",
            "elsewhere.json",
            "--force",
            "--out",
            "forced.json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("ratios across machines mean little"));
    assert!(!env.root().join("merged.json").exists());
    let out = mock_run(&env, "x.json", &["--shard", "3/2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--shard '3/2' is not K/N"));
}

/// Multiplies every iteration time of every CPU benchmark by `factor`.
fn scale_all(results: &mut Value, factor: f64) {
    for b in results["benchmarks"].as_array_mut().unwrap() {
        for run in b["runs"].as_array_mut().unwrap() {
            scale_iterations(run, factor);
        }
    }
}

#[test]
fn run_with_a_baseline_compares_at_the_end() {
    let env = TestEnv::new(&["ok"]);
    assert!(mock_run(&env, "base.json", &[]).status.success());
    // The same (mock) figures: nothing regressed.
    let summary = env.root().join("summary.md");
    let out = mock_run(&env, "new.json", &["--baseline", "base.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        stdout.contains("compared with baseline base.json"),
        "{stdout}"
    );
    assert!(stdout.contains("0 regressed"), "{stdout}");
    // A baseline twice as fast: every benchmark regressed, exit 1, and the
    // Markdown goes to the GitHub job summary.
    let mut fast = read(&env, "base.json");
    scale_all(&mut fast, 0.5);
    write(&env, "fast.json", &fast);
    let out = env
        .cmd()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["-q", "run", "--quick", "-l", "node,python", "--debug-mock"])
        .args([
            "--no-report",
            "--out",
            "new.json",
            "--baseline",
            "fast.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(stdout.contains("2 benchmarks: 2 regressed"), "{stdout}");
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("### langbench compare: kernel_time"), "{md}");
    // A baseline of another machine is refused before anything runs.
    let mut elsewhere = read(&env, "base.json");
    elsewhere["machine"]["hostname"] = Value::from("elsewhere");
    write(&env, "elsewhere.json", &elsewhere);
    let out = mock_run(&env, "never.json", &["--baseline", "elsewhere.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("comes from another machine"),
        "{}",
        stderr(&out)
    );
    assert!(!env.root().join("never.json").exists());
    // With --force it runs, warns and compares.
    let out = mock_run(
        &env,
        "forced.json",
        &["--baseline", "elsewhere.json", "--force"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: baseline"),
        "{}",
        stderr(&out)
    );
    // An unreadable baseline too.
    let out = mock_run(&env, "never.json", &["--baseline", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.json"));
}
