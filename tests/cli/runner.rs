//! The real runner, through the spawn helper (embedded in the library, so
//! these tests start children as langbench does). Exit codes, signals, timeouts that kill the whole
//! process group, stdout floods, per-child CPU time and peak RSS, start
//! errors; and a server's ready line, clean stop and start failures.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use langbench::runner::server::ServerProcess;
use langbench::runner::{ExecError, Executor, Job, ProcessExecutor, Termination};

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
    let out = ProcessExecutor.execute(&job(&["sh", "-c", "yes"])).unwrap();
    assert_eq!(out.termination, Termination::StdoutOverflow);
    assert_eq!(out.stdout.len(), 1024);
}

#[test]
fn reports_signals_and_spawn_errors() {
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
    // Make this process big (256 MiB touched), then run small children: a
    // child forked (or vforked) straight from here would report at least that much.
    let big = vec![1u8; 256 << 20];
    let out = ProcessExecutor
        .execute(&job(&["sh", "-c", "exit 0"]))
        .unwrap();
    assert_eq!(out.termination, Termination::Exited(0));
    assert!(
        out.max_rss_bytes > 0 && out.max_rss_bytes < 32 << 20,
        "sh reported {} bytes of peak RSS",
        out.max_rss_bytes
    );
    // What is reported is the program's own peak: the one the kernel shows
    // it near its end (VmHWM), give or take its last pages and the kernel's
    // per-CPU slack in counting them.
    let own = ProcessExecutor
        .execute(&job(&[
            "python3",
            "-c",
            "import re; print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1])",
        ]))
        .unwrap();
    assert!(big.iter().step_by(4096).all(|&b| b == 1));
    let hwm_kib: u64 = String::from_utf8_lossy(&own.stdout).trim().parse().unwrap();
    let reported_kib = own.max_rss_bytes / 1024;
    assert!(
        reported_kib.abs_diff(hwm_kib) < 512,
        "python3 saw a peak of {hwm_kib} KiB and was reported at {reported_kib} KiB"
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
fn the_program_reads_dev_null_and_holds_no_report_pipe() {
    // Its standard input is /dev/null, and it holds its stdout and stderr
    // and what this process lets every child inherit, nothing else: not the
    // helper's report pipe, which a daemon it left behind would keep open.
    let out = ProcessExecutor
        .execute(&job(&[
            "sh",
            "-c",
            "readlink /proc/$$/fd/0; ls /proc/$$/fd",
        ]))
        .unwrap();
    assert_eq!(out.termination, Termination::Exited(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("/dev/null"));
    let held: BTreeSet<i32> = lines.map(|l| l.parse().unwrap()).collect();
    let mut allowed: BTreeSet<i32> = [0, 1, 2].into();
    for entry in std::fs::read_dir("/proc/self/fd").unwrap() {
        let fd: i32 = entry
            .unwrap()
            .file_name()
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        // SAFETY: F_GETFD only reads the descriptor's flags (a closed one gives -1).
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
        if flags >= 0 && flags & libc::FD_CLOEXEC == 0 {
            allowed.insert(fd);
        }
    }
    assert!(
        held.is_subset(&allowed),
        "the program holds {held:?}; allowed {allowed:?}"
    );
}

#[test]
fn a_missing_program_is_a_start_error() {
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
    let script =
        r#"trap 'exit 0' TERM; echo '{"ready":true,"port":4242}'; while true; do sleep 0.05; done"#;
    let mut s = ServerProcess::start(&argv(script), &[], &[0], Duration::from_secs(5)).unwrap();
    assert_eq!(s.port, 4242);
    assert!(s.is_running());
    let exit = s.stop(Duration::from_secs(5));
    assert!(exit.clean, "{exit:?}");
    assert!(exit.max_rss_bytes > 0);
}

#[test]
fn a_server_runs_on_its_cpus() {
    // The ready line carries the server's CPU list as a port: 1000 + CPU,
    // or less for a list ("0-1" counts as -1).
    let script = r#"cpus=$(grep Cpus_allowed_list /proc/self/status | cut -f2); echo "{\"ready\":true,\"port\":$((1000 + $cpus))}"; sleep 30"#;
    let s = ServerProcess::start(&argv(script), &[], &[0], Duration::from_secs(5)).unwrap();
    assert_eq!(s.port, 1000, "the server ran on CPUs other than 0 alone");
    s.stop(Duration::from_secs(1));
}

#[test]
fn never_ready_and_early_exit_are_errors() {
    let e = ServerProcess::start(&argv("sleep 30"), &[], &[0], Duration::from_millis(300))
        .err()
        .unwrap();
    assert!(
        e.message.contains("no ready line within 0.3 s"),
        "{}",
        e.message
    );
    let e = ServerProcess::start(
        &argv("echo boom >&2; exit 3"),
        &[],
        &[0],
        Duration::from_secs(5),
    )
    .err()
    .unwrap();
    assert!(
        e.message
            .contains("exited before its ready line (exit status 3)"),
        "{}",
        e.message
    );
}
