//! Implementations that misbehave: each is a failed run with its reason, the
//! rest of the suite goes on, and no process is left behind.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{bench, TestEnv};

const FAULTS: [(&str, &str, &str); 7] = [
    (
        "stuck",
        "timeout",
        "timed out after 3s; process group killed",
    ),
    ("crash", "signal", "killed by signal 11 (SIGSEGV)"),
    ("exit-code", "exit_code", "exited with status 4"),
    ("garbage", "bad_output", "stdout is not a protocol line"),
    (
        "wrong",
        "wrong_result",
        "wrong result: expected '42', got '41'",
    ),
    (
        "flood",
        "stdout_overflow",
        "stdout passed 1048576 bytes; process group killed",
    ),
    (
        "escapee",
        "left_processes",
        "left 1 process(es) running after it exited; killed",
    ),
];

#[test]
fn every_fault_is_a_failed_run_and_the_suite_goes_on() {
    let names: Vec<&str> = FAULTS.iter().map(|f| f.0).chain(["ok"]).collect();
    let env = TestEnv::new(&names);
    let assert = env
        .cmd()
        .args([
            "run",
            "--quick",
            "--lang",
            "python",
            "--runs",
            "2",
            "--timeout",
            "3s",
            "--out",
        ])
        .arg(env.out())
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("1 of 8 benchmarks passed"), "{stdout}");

    let results = env.results();
    assert_eq!(results["status"], "complete");
    for (workload, kind, message) in FAULTS {
        let b = bench(&results, workload, "python");
        let failures = b["failures"].as_array().unwrap();
        // A benchmark stops at its first failure.
        assert_eq!(failures.len(), 1, "{workload}: {failures:?}");
        assert_eq!(failures[0]["kind"], kind, "{workload}");
        let got = failures[0]["message"].as_str().unwrap();
        assert!(got.starts_with(message), "{workload}: {got}");
        assert!(b["summary"].is_null(), "{workload} must not be summarised");
        assert!(
            stdout.contains(&format!("FAILED {workload}/python")),
            "{stdout}"
        );
    }
    let ok = bench(&results, "ok", "python");
    assert!(ok["failures"].as_array().unwrap().is_empty());
    assert_eq!(
        ok["runs"].as_array().unwrap().len(),
        3,
        "1 warm-up + 2 measured"
    );
    assert_eq!(ok["summary"]["kernel_ns"]["median"], 1000.0);
    assert_eq!(ok["summary"]["first_iteration_ns"]["median"], 2000.0);
    assert!(
        env.leftover_processes().is_empty(),
        "left behind: {:?}",
        env.leftover_processes()
    );
}

#[test]
fn stderr_tail_of_a_failure_is_kept() {
    let env = TestEnv::new(&[]);
    env.write(
        "workloads/noisy/manifest.json",
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/ok/manifest.json"),
        )
        .unwrap()
        .replace("\"ok\"", "\"noisy\""),
    );
    env.write(
        "workloads/noisy/python/main.py",
        "import sys\nsys.stderr.write('first line\\n' + 'x' * 10000 + '\\nTraceback: the real reason\\n')\nsys.exit(1)\n",
    );
    env.cmd()
        .args(["run", "--quick", "-l", "python", "--out"])
        .arg(env.out())
        .assert()
        .code(1);
    let results = env.results();
    let tail = bench(&results, "noisy", "python")["failures"][0]["stderr_tail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(tail.ends_with("Traceback: the real reason\n"), "{tail}");
    assert!(tail.len() <= 4096 && !tail.contains("first line"));
}

#[test]
fn ctrl_c_keeps_what_was_measured_and_kills_the_child() {
    let env = TestEnv::new(&["ok", "stuck"]);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("langbench"))
        .current_dir(env.root())
        .arg("--workloads-dir")
        .arg(env.workloads())
        .args([
            "run",
            "--quick",
            "-l",
            "python",
            "--timeout",
            "60s",
            "--out",
        ])
        .arg(env.out())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the stuck workload (which runs after "ok") has started its grandchild.
    let deadline = Instant::now() + Duration::from_secs(60);
    let marker = env.workloads().join("stuck").join("python").join("main.py");
    while env.processes_matching(&marker.to_string_lossy()).len() < 2 {
        assert!(Instant::now() < deadline, "stuck workload never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: sends SIGINT to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let results = env.results();
    assert_eq!(results["status"], "interrupted");
    let ok = bench(&results, "ok", "python");
    assert_eq!(
        ok["runs"].as_array().unwrap().len(),
        4,
        "1 warm-up + 3 measured"
    );
    assert!(ok["summary"]["kernel_ns"]["median"].is_number());
    let stuck = bench(&results, "stuck", "python");
    assert!(
        stuck["failures"].as_array().unwrap().is_empty(),
        "an interrupted run is not a failure"
    );
    assert!(
        env.leftover_processes().is_empty(),
        "left behind: {:?}",
        env.leftover_processes()
    );
}
