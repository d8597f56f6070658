//! The I/O suite with fixture servers: a good one passes; one that never
//! gets ready, crashes under load, cannot bind or sends wrong bodies fails
//! with its reason; the suite goes on and no process is left behind.

use crate::util::TestEnv;

fn server_bench<'a>(results: &'a serde_json::Value, scenario: &str) -> &'a serde_json::Value {
    results["servers"]
        .as_array()
        .expect("servers")
        .iter()
        .find(|b| b["scenario"] == scenario)
        .unwrap_or_else(|| panic!("no server benchmark {scenario}"))
}

#[test]
fn fixture_servers_pass_or_fail_with_their_reason() {
    let env = TestEnv::new(&[
        "web-ok",
        "web-never-ready",
        "web-crash",
        "web-wrong-body",
        "web-port-in-use",
    ]);
    let assert = env
        .cmd()
        .args([
            "run",
            "--suite",
            "io",
            "--quick",
            "-l",
            "python",
            "--server-ready-timeout",
            "2s",
            "--out",
        ])
        .arg(env.out())
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("1 of 5 benchmarks passed"), "{stdout}");

    let r = env.results();
    assert_eq!(r["status"], "complete");
    let ok = server_bench(&r, "web-ok-json");
    assert!(
        ok["failures"].as_array().unwrap().is_empty(),
        "{}",
        ok["failures"]
    );
    let levels = ok["levels"].as_array().unwrap();
    assert_eq!(
        levels
            .iter()
            .map(|l| l["connections"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [1, 4]
    );
    assert!(levels
        .iter()
        .all(|l| l["responses"].as_u64().unwrap() > 0 && l["body_mismatches"] == 0));
    assert!(ok["server"]["max_rss_bytes"].as_u64().unwrap() > 0);
    assert_eq!(ok["server"]["ended"], "exit status 0");

    let cases = [
        (
            "web-never-ready-json",
            "server_start",
            "server printed no ready line within 2 s; killed",
        ),
        (
            "web-crash-json",
            "server_exited",
            "server exited during the c=1 level",
        ),
        ("web-wrong-body-json", "load_errors", "c=1: 0 non-2xx,"),
        (
            "web-port-in-use-json",
            "server_start",
            "server exited before its ready line (exit status 1)",
        ),
    ];
    for (scenario, kind, message) in cases {
        let b = server_bench(&r, scenario);
        let f = &b["failures"][0];
        assert_eq!(f["kind"], kind, "{scenario}: {f}");
        assert!(
            f["message"].as_str().unwrap().starts_with(message),
            "{scenario}: {f}"
        );
        assert!(
            stdout.contains(&format!("FAILED {scenario}/python")),
            "{stdout}"
        );
    }
    let crash_tail = server_bench(&r, "web-crash-json")["failures"][0]["stderr_tail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(crash_tail.contains("crashing on purpose"), "{crash_tail}");
    let bind_tail = server_bench(&r, "web-port-in-use-json")["failures"][0]["stderr_tail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(bind_tail.contains("Address already in use"), "{bind_tail}");
    assert!(
        env.leftover_processes().is_empty(),
        "left behind: {:?}",
        env.leftover_processes()
    );
}

#[test]
fn unknown_suite_and_cpu_lists_are_input_errors() {
    let env = TestEnv::new(&["web-ok"]);
    env.cmd()
        .args(["run", "--suite", "gpu"])
        .assert()
        .code(2)
        .stderr("error: unknown --suite value 'gpu' (valid: cpu, io, concurrency, all)\n");
    env.cmd()
        .args(["run", "--server-cpus", "x"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--server-cpus 'x' is not a CPU list",
        ));
    env.cmd()
        .args(["run", "--client-cpus", "5000"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--client-cpus: CPU 5000 does not exist",
        ));
    env.cmd()
        .args(["run", "--suite", "cpu"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "select nothing in the suites chosen",
        ));
}
