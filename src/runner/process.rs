//! The real executor: spawn, time, `wait4`, kill the process group.
//!
//! The child is started in a new process group. A waiter thread blocks in
//! `waitid(WNOWAIT)` until the child exits *without reaping it*, so the main
//! thread can enforce the timeout; then the group is killed (only leftovers
//! can still be in it, and the group id cannot be reused while the leader is
//! an unreaped zombie), and `wait4` reaps the child and returns its own
//! rusage. That rusage is per child, unlike `getrusage(RUSAGE_CHILDREN)`,
//! whose `ru_maxrss` is a high-water mark over all children ever waited for.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use super::capture::Reader;
use super::interrupt::{self, kill_group};
use super::{Executor, Job, RawOutcome, Termination, STDERR_TAIL_BYTES};

/// Runs real child processes.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProcessExecutor;

/// How long to wait for pipes after the child is gone.
const PIPE_GRACE: Duration = Duration::from_secs(2);

impl Executor for ProcessExecutor {
    fn execute(&self, job: &Job) -> Result<RawOutcome, String> {
        let (program, args) = job.argv.split_first().ok_or("empty command line")?;
        let mut command = Command::new(program);
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);

        let start = Instant::now();
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start '{program}': {e}"))?;
        let pid = child.id() as i32;
        interrupt::set_current_group(pid);
        if interrupt::requested() {
            kill_group(pid);
        }

        let overflowed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&overflowed);
        let stdout = Reader::head(
            child.stdout.take().expect("piped"),
            job.stdout_limit,
            move || {
                flag.store(true, Ordering::SeqCst);
                kill_group(pid);
            },
        );
        let stderr = Reader::tail(child.stderr.take().expect("piped"), STDERR_TAIL_BYTES);

        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            wait_exit_without_reaping(pid);
            let _ = tx.send(Instant::now());
        });
        let mut timed_out = false;
        let end = match rx.recv_timeout(job.timeout) {
            Ok(end) => end,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                timed_out = true;
                kill_group(pid);
                rx.recv().unwrap_or_else(|_| Instant::now())
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => Instant::now(),
        };
        kill_group(pid);
        let (status, usage) = reap(pid);
        interrupt::set_current_group(0);

        let out = stdout.finish(PIPE_GRACE);
        let err = stderr.finish(PIPE_GRACE);
        let termination = if timed_out {
            Termination::TimedOut
        } else if overflowed.load(Ordering::SeqCst) || out.overflowed {
            Termination::StdoutOverflow
        } else if libc::WIFEXITED(status) {
            Termination::Exited(libc::WEXITSTATUS(status))
        } else if interrupt::requested() {
            Termination::Interrupted
        } else {
            Termination::Signaled(libc::WTERMSIG(status))
        };
        Ok(RawOutcome {
            wall_ns: end.duration_since(start).as_nanos() as u64,
            user_ns: timeval_ns(usage.ru_utime),
            sys_ns: timeval_ns(usage.ru_stime),
            // Linux reports ru_maxrss in KiB.
            max_rss_bytes: (usage.ru_maxrss.max(0) as u64) * 1024,
            termination,
            stdout: out.bytes,
            stderr_tail: String::from_utf8_lossy(&err.bytes).into_owned(),
        })
    }
}

/// Blocks until `pid` has exited, leaving it a zombie (WNOWAIT).
fn wait_exit_without_reaping(pid: i32) {
    loop {
        // SAFETY: a zeroed siginfo_t is a valid out-parameter for waitid.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: waits on our own child; `info` is a valid pointer.
        let rc = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if rc == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return;
        }
    }
}

/// Reaps `pid` and returns its wait status and its own resource usage.
fn reap(pid: i32) -> (i32, libc::rusage) {
    let mut status = 0;
    loop {
        // SAFETY: a zeroed rusage is a valid out-parameter for wait4.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: reaps our own child; both pointers are valid for the call.
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if rc == pid || std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return (status, usage);
        }
    }
}

fn timeval_ns(tv: libc::timeval) -> u64 {
    (tv.tv_sec.max(0) as u64) * 1_000_000_000 + (tv.tv_usec.max(0) as u64) * 1_000
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(argv: &[&str]) -> Job {
        Job {
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
        assert!(start.elapsed() < Duration::from_secs(5));
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
}
