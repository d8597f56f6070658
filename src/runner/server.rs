//! A server under test: started pinned to its CPUs in its own process group,
//! ready when it prints `{"ready":true,"port":N}`, stopped with SIGTERM, and
//! measured like every child: CPU time and peak RSS from `wait4`. While it
//! runs, a [`GroupCpu`] reads the CPU time of its process group from `/proc`,
//! so a level can say how busy the server was.
//!
//! Unlike a timed run, nothing here is on the measured path, so plain reader
//! threads drain its stdout (for the ready line) and stderr (kept as a tail).

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::process::Child;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::interrupt::{self, kill_group};
use super::{child_usage, orphans, spawn, STDERR_TAIL_BYTES};
use crate::cputime::GroupCpu;

/// A running server.
pub struct ServerProcess {
    child: Child,
    /// Reaped already (by `stop` or a failed start); `Drop` has nothing to do.
    finished: bool,
    /// The port it reported in its ready line.
    pub port: u16,
    /// The report pipe of the spawn helper, which started it.
    report: Option<spawn::ReportPipe>,
    stderr: Arc<Mutex<Vec<u8>>>,
}

/// What the server used and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerExit {
    /// User CPU time, in nanoseconds.
    pub user_ns: u64,
    /// System CPU time, in nanoseconds.
    pub sys_ns: u64,
    /// Peak resident set size, in bytes.
    pub max_rss_bytes: u64,
    /// How it ended, in words (`exit status 0`, `killed by signal 9`).
    pub ended: String,
    /// True if it exited with 0 after SIGTERM within the grace period.
    pub clean: bool,
}

/// Why a server could not be started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartError {
    /// One line saying what happened.
    pub message: String,
    /// The tail of its stderr.
    pub stderr_tail: String,
}

impl ServerProcess {
    /// Starts `argv` (the server's port argument included) with `env` added
    /// to the inherited environment, pinned to `cpus`, and waits up to
    /// `ready_timeout` for its ready line.
    pub fn start(
        argv: &[String],
        env: &[(String, String)],
        cpus: &[usize],
        ready_timeout: Duration,
    ) -> Result<ServerProcess, StartError> {
        let fail = |message: String, stderr_tail: String| StartError {
            message,
            stderr_tail,
        };
        let (program, args) = argv
            .split_first()
            .ok_or_else(|| fail("empty command line".into(), String::new()))?;
        let (mut command, report) = spawn::command(program, args)
            .map_err(|e| fail(format!("cannot start '{program}': {e}"), String::new()))?;
        command.envs(env.iter().map(|(k, v)| (k, v)));
        let cpus = cpus.to_vec();
        // SAFETY: the closure runs in the child between fork and exec and only
        // makes the sched_setaffinity system call on a stack-allocated set.
        unsafe {
            command.pre_exec(move || crate::affinity::pin(0, &cpus));
        }
        let mut child = interrupt::spawn_tracked(&mut command)
            .map_err(|e| fail(format!("cannot start '{program}': {e}"), String::new()))?;
        // The command holds langbench's copy of the report pipe's write end (the
        // helper's stdin): dropped now, the read end sees the end of the file
        // once the helper is gone.
        drop(command);

        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&stderr);
        let mut err_pipe = child.stderr.take().expect("piped");
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut tail = sink.lock().expect("stderr lock");
                tail.extend_from_slice(&buf[..n]);
                if tail.len() > 2 * STDERR_TAIL_BYTES {
                    let cut = tail.len() - STDERR_TAIL_BYTES;
                    tail.drain(..cut);
                }
            }
        });
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().expect("piped");
        std::thread::spawn(move || {
            let mut lines = BufReader::new(out).lines();
            let first = lines.next();
            let _ = tx.send(first);
            // Keep draining so a chatty server never blocks on a full pipe.
            for _ in lines {}
        });
        let mut server = ServerProcess {
            child,
            finished: false,
            port: 0,
            report: Some(report),
            stderr,
        };
        let line = match rx.recv_timeout(ready_timeout) {
            Ok(Some(Ok(line))) => line,
            Ok(_) => {
                let ended = server.stop_now();
                return Err(fail(
                    format!("server exited before its ready line ({ended})"),
                    server.stderr_tail(),
                ));
            }
            Err(_) => {
                server.stop_now();
                return Err(fail(
                    format!(
                        "server printed no ready line within {} s; killed",
                        ready_timeout.as_secs_f64()
                    ),
                    server.stderr_tail(),
                ));
            }
        };
        match parse_ready(&line) {
            Some(port) => {
                server.port = port;
                Ok(server)
            }
            None => {
                server.stop_now();
                Err(fail(
                    format!("bad ready line: {line:?}"),
                    server.stderr_tail(),
                ))
            }
        }
    }

    /// The process id.
    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// The CPU time reader of every process now in its group: the spawn
    /// helper (idle: it waits) and the server, with any process the server
    /// started. Taken before a level, outside its measured window.
    pub fn group_cpu(&self) -> GroupCpu {
        GroupCpu::of_group(self.pid())
    }

    /// Whether it is still running (not exited or crashed).
    pub fn is_running(&mut self) -> bool {
        // SAFETY: a zeroed siginfo_t is a valid out-parameter for waitid.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: asks about our own child without reaping it.
        let rc = unsafe {
            libc::waitid(
                libc::P_PID,
                self.pid() as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
            )
        };
        // SAFETY: si_pid is valid to read once waitid filled the struct.
        rc == 0 && unsafe { info.si_pid() } == 0
    }

    /// The last few KiB of its stderr.
    pub fn stderr_tail(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().expect("stderr lock")).into_owned()
    }

    /// Sends SIGTERM, waits up to `grace` for it to exit, then kills the group.
    pub fn stop(mut self, grace: Duration) -> ServerExit {
        // SAFETY: signals our own child.
        unsafe { libc::kill(self.pid(), libc::SIGTERM) };
        let deadline = std::time::Instant::now() + grace;
        while self.is_running() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        let timely = !self.is_running();
        let mut exit = self.finish();
        exit.clean &= timely;
        exit
    }

    /// Kills the group at once and reaps; returns how it ended.
    fn stop_now(&mut self) -> String {
        self.finish().ended
    }

    /// Kills what is left of the group, reaps the server and returns its usage.
    fn finish(&mut self) -> ServerExit {
        self.finished = true;
        kill_group(self.pid());
        let reaped = interrupt::reap_tracked(self.pid());
        orphans::kill_orphans();
        let report = self.report.take().and_then(spawn::ReportPipe::read);
        let status = match reaped {
            Ok(status) => status,
            Err(e) => {
                return ServerExit {
                    user_ns: 0,
                    sys_ns: 0,
                    max_rss_bytes: 0,
                    ended: format!("could not be reaped ({e}); usage unknown"),
                    clean: false,
                }
            }
        };
        let known = matches!(report, Some(spawn::Report::Exited { .. }));
        let (status, user_ns, sys_ns, max_rss_bytes) = child_usage(report, status);
        let (mut ended, clean) = if libc::WIFEXITED(status) {
            (
                format!("exit status {}", libc::WEXITSTATUS(status)),
                libc::WEXITSTATUS(status) == 0,
            )
        } else {
            (
                format!("killed by signal {}", libc::WTERMSIG(status)),
                false,
            )
        };
        if !known {
            ended.push_str("; usage unknown (killed before it was reaped by its spawn helper)");
        }
        ServerExit {
            user_ns,
            sys_ns,
            max_rss_bytes,
            ended,
            clean,
        }
    }
}

impl Drop for ServerProcess {
    /// A server dropped without `stop` (an error or a panic on the way) is
    /// killed with its group, never left running.
    fn drop(&mut self) {
        if !self.finished {
            self.finish();
        }
    }
}

/// The port of a ready line `{"ready":true,"port":N}`.
fn parse_ready(line: &str) -> Option<u16> {
    let v: serde_json::Value = serde_json::from_str(line.trim()).ok()?;
    if v["ready"] != true {
        return None;
    }
    u16::try_from(v["port"].as_u64()?).ok().filter(|&p| p > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_line() {
        assert_eq!(parse_ready(r#"{"ready":true,"port":8080}"#), Some(8080));
        assert_eq!(parse_ready(r#"{"ready":false,"port":8080}"#), None);
        assert_eq!(parse_ready(r#"{"ready":true,"port":0}"#), None);
        assert_eq!(parse_ready("listening on 8080"), None);
    }
}
