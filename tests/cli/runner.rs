//! The real runner, through the spawn helper: the langbench binary Cargo
//! built for these tests (`util::built_helper`), never one left in `target/`
//! by an earlier build. Exit codes, signals, timeouts that kill the whole
//! process group, stdout floods, per-child CPU time and peak RSS, start
//! errors; and a server's ready line, clean stop and start failures.

use std::time::{Duration, Instant};

use langbench::runner::server::ServerProcess;
use langbench::runner::{ExecError, Executor, Job, ProcessExecutor, Termination};

use crate::util::built_helper;

fn job(argv: &[&str]) -> Job {
    Job {
        env: Vec::new(),
        clear_env: false,
        cwd: None,
        argv: argv.iter().map(|s| s.to_string()).collect(),
        label: "test".into(),
        timeout: Duration::from_secs(10),
        stdout_limit: 1024,
        expected: None,
        iterations: 1,
    }
}

#[test]
fn captures_output_and_exit_code() {
    built_helper();
    let out = ProcessExecutor
        .execute(&job(&["sh", "-c", "echo hi; echo oops >&2; exit 3"]))
        .unwrap();
    assert_eq!(out.termination, Termination::Exited(3));
    assert_eq!(out.stdout, b"hi\n");
    assert_eq!(out.stderr_tail, "oops\n");
    assert!(out.max_rss_bytes > 0);
}

#[test]
fn times_out_and_kills_the_group() {
    built_helper();
    let mut j = job(&["sh", "-c", "sleep 30 & sleep 30"]);
    j.timeout = Duration::from_millis(200);
    let start = Instant::now();
    let out = ProcessExecutor.execute(&j).unwrap();
    assert_eq!(out.termination, Termination::TimedOut);
    // Had only the leader died, the grandchild would hold the pipes open
    // for the 2 s grace period.
    assert!(
        start.elapsed() < Duration::from_millis(1500),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn stops_a_flood() {
    built_helper();
    let out = ProcessExecutor.execute(&job(&["sh", "-c", "yes"])).unwrap();
    assert_eq!(out.termination, Termination::StdoutOverflow);
    assert_eq!(out.stdout.len(), 1024);
}

#[test]
fn reports_signals_and_spawn_errors() {
    built_helper();
    let out = ProcessExecutor
        .execute(&job(&["sh", "-c", "kill -SEGV $$"]))
        .unwrap();
    assert_eq!(out.termination, Termination::Signaled(libc::SIGSEGV));
    assert!(ProcessExecutor
        .execute(&job(&["/no/such/program"]))
        .is_err());
}

#[test]
fn measures_cpu_of_that_child_only() {
    built_helper();
    let busy = ProcessExecutor
        .execute(&job(&[
            "sh",
            "-c",
            "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done",
        ]))
        .unwrap();
    let idle = ProcessExecutor
        .execute(&job(&["sh", "-c", "sleep 0.2"]))
        .unwrap();
    assert!(
        busy.user_ns > 10_000_000,
        "busy loop used {} ns",
        busy.user_ns
    );
    assert!(
        idle.user_ns < busy.user_ns / 2,
        "idle child reported {} ns",
        idle.user_ns
    );
    assert!(idle.wall_ns >= 200_000_000);
}

#[test]
fn peak_rss_is_the_childs_not_langbenchs() {
    built_helper();
    // Make this process big (256 MiB touched), then run a tiny child: a
    // child forked straight from here would report at least that much.
    let big = vec![1u8; 256 << 20];
    let out = ProcessExecutor
        .execute(&job(&["sh", "-c", "exit 0"]))
        .unwrap();
    assert!(big.iter().step_by(4096).all(|&b| b == 1));
    assert_eq!(out.termination, Termination::Exited(0));
    assert!(
        out.max_rss_bytes > 0 && out.max_rss_bytes < 32 << 20,
        "sh reported {} bytes of peak RSS",
        out.max_rss_bytes
    );
    // And a child that does use memory reports it.
    let heavy = ProcessExecutor
        .execute(&job(&[
            "python3",
            "-c",
            "b = bytearray(100 << 20); print(len(b))",
        ]))
        .unwrap();
    assert!(heavy.max_rss_bytes > 100 << 20, "{}", heavy.max_rss_bytes);
}

#[test]
fn a_missing_program_is_a_start_error() {
    built_helper();
    let err = ProcessExecutor
        .execute(&job(&["/no/such/program"]))
        .unwrap_err();
    assert!(
        matches!(&err, ExecError::Start(m) if m.contains("No such file")),
        "{err:?}"
    );
}

fn argv(script: &str) -> Vec<String> {
    vec!["sh".into(), "-c".into(), script.into()]
}

#[test]
fn starts_reports_and_stops_cleanly() {
    built_helper();
    let script =
        r#"trap 'exit 0' TERM; echo '{"ready":true,"port":4242}'; while true; do sleep 0.05; done"#;
    let mut s = ServerProcess::start(&argv(script), &[0], Duration::from_secs(5)).unwrap();
    assert_eq!(s.port, 4242);
    assert!(s.is_running());
    let exit = s.stop(Duration::from_secs(5));
    assert!(exit.clean, "{exit:?}");
    assert!(exit.max_rss_bytes > 0);
}

#[test]
fn never_ready_and_early_exit_are_errors() {
    built_helper();
    let e = ServerProcess::start(&argv("sleep 30"), &[0], Duration::from_millis(300))
        .err()
        .unwrap();
    assert!(
        e.message.contains("no ready line within 0.3 s"),
        "{}",
        e.message
    );
    let e = ServerProcess::start(&argv("echo boom >&2; exit 3"), &[0], Duration::from_secs(5))
        .err()
        .unwrap();
    assert!(
        e.message
            .contains("exited before its ready line (exit status 3)"),
        "{}",
        e.message
    );
}
