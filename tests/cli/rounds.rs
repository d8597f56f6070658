//! io levels measured in rounds, and who was the bottleneck: two fixture
//! servers of one scenario (one waits 20 ms per request, one burns 10 ms of
//! CPU per request) loaded in turn, three rounds per level. Checks
//! behaviour only: the rounds, the interval around the median, the CPU
//! shares and marks (a server that burns CPU per request, kept busy by four
//! connections, is CPU-bound on any machine: its busy share counts the time
//! it waited for its core), never a speed.

use serde_json::Value;

use crate::util::TestEnv;

fn server<'a>(results: &'a Value, implementation: &str) -> &'a Value {
    results["servers"]
        .as_array()
        .expect("servers")
        .iter()
        .find(|s| {
            let variant = s["variant"].as_str().map(|v| format!("-{v}"));
            format!(
                "{}{}",
                s["lang"].as_str().unwrap(),
                variant.unwrap_or_default()
            ) == implementation
        })
        .unwrap_or_else(|| panic!("no server {implementation}"))
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn levels_in_rounds_have_an_interval_cpu_shares_and_marks() {
    let env = TestEnv::new(&["web-rounds"]);
    let assert = env
        .cmd()
        .args([
            "run",
            "--suite",
            "io",
            "--quick",
            "--io-rounds",
            "3",
            "-l",
            "python",
        ])
        .args(["--no-report", "--out"])
        .arg(env.out())
        .assert()
        .code(0);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let r = env.results();
    assert_eq!(r["settings"]["io_rounds"], 3);
    for implementation in ["python", "python-burn"] {
        let s = server(&r, implementation);
        assert!(
            s["failures"].as_array().unwrap().is_empty(),
            "{}",
            s["failures"]
        );
        assert_eq!(s["server"]["ended"], "exit status 0");
        let levels = s["level_rounds"].as_array().unwrap();
        let connections: Vec<u64> = levels
            .iter()
            .map(|l| l["connections"].as_u64().unwrap())
            .collect();
        assert_eq!(connections, [2, 4]);
        for (i, level) in levels.iter().enumerate() {
            let rounds = level["rounds"].as_array().unwrap();
            let numbers: Vec<u64> = rounds
                .iter()
                .map(|r| r["round"].as_u64().unwrap())
                .collect();
            assert_eq!(numbers, [0, 1, 2], "{implementation}");
            let values: Vec<f64> = rounds
                .iter()
                .map(|r| f(&r["report"]["requests_per_sec"]))
                .collect();
            let e = &level["requests_per_sec"];
            assert_eq!(e["n"], 3);
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            assert_eq!(f(&e["median"]), sorted[1], "{implementation}: {values:?}");
            assert!(
                f(&e["ci_low"]) <= sorted[1] && sorted[1] <= f(&e["ci_high"]),
                "{e}"
            );
            // The level's report is its median round.
            assert_eq!(f(&s["levels"][i]["requests_per_sec"]), sorted[1]);
            for round in rounds {
                assert!(round["window_ns"].as_u64().unwrap() > 0, "{round}");
                assert!(round["server_cpu_ns"].is_u64(), "{round}");
                assert!(round["generator_cpu_ns"].is_u64(), "{round}");
            }
            assert!(f(&level["server_cpu_share"]) >= 0.0);
            assert!(f(&level["generator_cpu_share"]) > 0.0);
            // Neither server is fast enough to keep the generator busy.
            assert_eq!(level["generator_bound"], false, "{implementation}: {level}");
        }
    }
    let waiting = server(&r, "python");
    for level in waiting["level_rounds"].as_array().unwrap() {
        assert_eq!(level["cpu_bound"], false, "{level}");
        assert!(f(&level["server_cpu_share"]) < 0.5, "{level}");
    }
    let burning = &server(&r, "python-burn")["level_rounds"][1];
    assert_eq!(burning["connections"], 4);
    assert_eq!(burning["cpu_bound"], true, "{burning}");
    assert!(f(&burning["server_busy_share"]) >= 0.9, "{burning}");

    assert!(
        stdout.contains("3 rounds (servers loaded in turn)"),
        "{stdout}"
    );
    assert!(stdout.contains("c=4: server / load"), "{stdout}");
    let burn_row = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("python-burn ") && l.contains(" / "))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(burn_row.ends_with("CPU-bound"), "{burn_row}");

    // compare reads the rounds: an interval, not the ±10% band.
    let out = env
        .cmd()
        .args([
            "compare",
            "out.json",
            "out.json",
            "--metric",
            "requests_per_second",
        ])
        .args(["--format", "json"])
        .output()
        .unwrap();
    let c: Value = serde_json::from_slice(&out.stdout).expect("compare JSON");
    let changes = c["benchmarks"].as_array().unwrap();
    assert_eq!(changes.len(), 4, "{c}");
    assert!(
        changes.iter().all(|ch| ch["single_measurement"] == false),
        "{c}"
    );
    assert!(
        env.leftover_processes().is_empty(),
        "left behind: {:?}",
        env.leftover_processes()
    );
}

#[test]
fn ctrl_c_between_rounds_keeps_the_rounds_and_leaves_no_server() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let env = TestEnv::new(&["web-rounds"]);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("langbench"))
        .current_dir(env.root())
        .arg("--workloads-dir")
        .arg(env.workloads())
        .args([
            "run",
            "--suite",
            "io",
            "--quick",
            "--io-rounds",
            "50",
            "-l",
            "python",
        ])
        .args(["--no-report", "--out"])
        .arg(env.out())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until a round of both servers is saved (the file is replaced atomically).
    let deadline = Instant::now() + Duration::from_secs(120);
    let rounds = |r: &Value| {
        r["servers"].as_array().map_or(0, |s| {
            s.iter().filter(|s| s["level_rounds"].is_array()).count()
        })
    };
    loop {
        assert!(Instant::now() < deadline, "no round was saved");
        let saved = std::fs::read_to_string(env.out()).ok();
        if saved
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            .is_some_and(|r| rounds(&r) == 2)
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: sends SIGINT to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let r = env.results();
    assert_eq!(r["status"], "interrupted");
    for implementation in ["python", "python-burn"] {
        let s = server(&r, implementation);
        assert!(
            s["failures"].as_array().unwrap().is_empty(),
            "an interrupted run is not a failure: {}",
            s["failures"]
        );
        let level = &s["level_rounds"][0];
        assert!(!level["rounds"].as_array().unwrap().is_empty(), "{s}");
        assert_eq!(
            s["levels"].as_array().unwrap().len(),
            s["level_rounds"].as_array().unwrap().len()
        );
        assert!(s["server"]["ended"].is_string(), "usage recorded: {s}");
    }
    assert!(
        env.leftover_processes().is_empty(),
        "left behind: {:?}",
        env.leftover_processes()
    );
}
