//! The concurrency suite on fixture workloads: levels, resource limits,
//! manifest caps, failures that stop the levels above, workers.

use crate::util::TestEnv;

fn failure_kinds(results: &serde_json::Value, imp: &str) -> Vec<(u64, String)> {
    results["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| {
            let name = match b["variant"].as_str() {
                Some(v) => format!("{}-{v}", b["lang"].as_str().unwrap()),
                None => b["lang"].as_str().unwrap().to_string(),
            };
            name == imp
        })
        .map(|b| {
            let kind = b["failures"][0]["kind"].as_str().unwrap_or("passed");
            (b["level"]["value"].as_u64().unwrap(), kind.to_string())
        })
        .collect()
}

/// `run --suite concurrency ARGS --out <out>` in `env`, which must exit with
/// `code`; returns stdout and the results file.
fn run(env: &TestEnv, args: &[&str], code: i32) -> (String, serde_json::Value) {
    let out = env
        .cmd()
        .args(["run", "--suite", "concurrency"])
        .args(args)
        .arg("--out")
        .arg(env.out())
        .assert()
        .code(code)
        .get_output()
        .clone();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        env.results(),
    )
}

#[test]
fn limits_are_results_and_stop_the_levels_above() {
    let env = TestEnv::new(&["levels"]);
    let (stdout, results) = run(&env, &["--quick", "--lang", "python"], 0);
    let passed = |n: u64| (n, "passed".to_string());
    assert_eq!(
        failure_kinds(&results, "python"),
        [
            passed(10),
            passed(20),
            (30, "resource_limit".into()),
            (40, "not_run".into())
        ]
    );
    assert_eq!(
        failure_kinds(&results, "python-capped"),
        [
            passed(10),
            passed(20),
            (30, "not_run".into()),
            (40, "not_run".into())
        ]
    );
    // Two runs per level from the manifest; the limit stops a level at its first run.
    let runs: Vec<usize> = results["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["runs"].as_array().unwrap().len())
        .collect();
    assert_eq!(runs, [2, 2, 0, 0, 2, 2, 0, 0]);
    // Only the suite that ran has a time, and the run says it.
    let times = results["suite_wall_ms"].as_object().unwrap();
    assert_eq!(times.keys().collect::<Vec<_>>(), ["concurrency"]);
    assert!(times["concurrency"].as_u64().unwrap() > 0);
    assert!(stdout.contains("time per suite: concurrency "), "{stdout}");
    // Each run records the CPU other work took meanwhile, and the run sums it up.
    for bench in results["benchmarks"].as_array().unwrap() {
        for r in bench["runs"].as_array().unwrap() {
            assert!(r["others_cpu_ns"].is_u64(), "{r}");
        }
    }
    assert!(
        stdout.contains("other work on the machine during the runs: concurrency "),
        "{stdout}"
    );
    for needle in [
        "python N=30: stopped at a resource limit (exit 4): error: could not start thread 30 of 30",
        "python N=40: not run: stopped at a resource limit at tasks=30",
        "python-capped N=30: not run above tasks=20: too slow above 20",
        "4 of 4 benchmarks passed (4 concurrency levels stopped at a limit, see above)",
    ] {
        assert!(stdout.contains(needle), "{needle}\n{stdout}");
    }
    assert!(stdout.contains("  impl           N=10"), "{stdout}");
}

#[test]
fn a_failed_level_fails_the_run_and_stops_the_levels_above() {
    let env = TestEnv::new(&["levels"]);
    let (stdout, results) = run(&env, &["--quick", "--lang", "node"], 1);
    assert_eq!(
        failure_kinds(&results, "node"),
        [
            (10, "passed".to_string()),
            (20, "wrong_result".into()),
            (30, "not_run".into()),
            (40, "not_run".into())
        ]
    );
    assert!(stdout.contains("FAILED levels/node N=20"), "{stdout}");
    assert!(stdout.contains("not run: failed at tasks=20"), "{stdout}");
}

#[test]
fn workers_levels_pass_workers_and_show_speedup() {
    let env = TestEnv::new(&["scaling"]);
    let (stdout, results) = run(&env, &["--size", "default"], 0);
    let benches = results["benchmarks"].as_array().unwrap();
    assert_eq!(benches.len(), 2);
    let command = benches[1]["command"].as_array().unwrap();
    let tail: Vec<&str> = command[command.len() - 6..]
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    // 2.67 ms an iteration on the warm-up run: the 2 s budget would take
    // 750, the cap is 500; the manifest's 3 is the least.
    assert_eq!(
        tail,
        ["--size", "8", "--iterations", "500", "--workers", "3"]
    );
    assert_eq!(benches[1]["min_iterations"], 3);
    assert_eq!(benches[0]["iterations"], 250);
    let runs = benches[1]["runs"].as_array().unwrap();
    assert_eq!(runs.iter().filter(|r| r["warmup"] == true).count(), 1);
    assert_eq!(runs[0]["iterations_ns"].as_array().unwrap().len(), 3);
    assert_eq!(runs[1]["iterations_ns"].as_array().unwrap().len(), 500);
    assert_eq!(runs[1]["steady"]["class"], "warmup");
    assert_eq!(
        benches[1]["level"],
        serde_json::json!({"vary": "workers", "value": 3})
    );
    assert!(
        stdout.contains("8.00 ms") && stdout.contains("2.67 ms (3.00x, 100%)"),
        "{stdout}"
    );
}

#[test]
fn cores_levels_follow_the_cpu_count() {
    let env = TestEnv::new(&["scaling"]);
    let (_, results) = run(&env, &["--quick"], 0);
    let cpus = std::thread::available_parallelism().unwrap().get() as u64;
    let levels: Vec<u64> = results["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["level"]["value"].as_u64().unwrap())
        .collect();
    let expected: Vec<u64> = (1..=cpus).chain([2 * cpus]).collect();
    assert_eq!(levels, expected);
}

#[test]
fn a_limit_naming_no_implementation_is_an_input_error() {
    let env = TestEnv::new(&["levels"]);
    let manifest = env.workloads().join("levels").join("manifest.json");
    let text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("\"python-capped\": {", "\"python-gone\": {");
    std::fs::write(&manifest, text).unwrap();
    env.cmd()
        .args(["run", "--suite", "concurrency"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "field 'limits.python-gone' names no implementation folder",
        ));
}

#[test]
fn a_manifest_cap_holds_for_every_runtime_of_its_folder() {
    let env = TestEnv::new(&["levels"]);
    env.write(
        "rt.json",
        &serde_json::json!({"runtimes": [
            {"name": "cpython-again", "lang": "python", "program": crate::util::real_python()}
        ]})
        .to_string(),
    );
    let file = env.root().join("rt.json");
    let (stdout, results) = run(
        &env,
        &[
            "--quick",
            "--lang",
            "python",
            "--runtimes-file",
            file.to_str().unwrap(),
            "--runtime",
            "python,cpython-again",
        ],
        0,
    );
    let capped: Vec<(u64, String)> = results["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["variant"] == "capped" && b["runtime"] == "cpython-again")
        .map(|b| {
            let kind = b["failures"][0]["kind"].as_str().unwrap_or("passed");
            (b["level"]["value"].as_u64().unwrap(), kind.to_string())
        })
        .collect();
    assert_eq!(
        capped,
        [
            (10, "passed".to_string()),
            (20, "passed".into()),
            (30, "not_run".into()),
            (40, "not_run".into())
        ]
    );
    assert!(
        stdout.contains(
            "python-capped@cpython-again N=30: not run above tasks=20: too slow above 20"
        ),
        "{stdout}"
    );
}
