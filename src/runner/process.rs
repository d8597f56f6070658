//! The real executor: spawn, time, `wait4`, kill the process group.
//!
//! The child (the spawn helper, which runs the program: see `spawn.rs`) is
//! started in a new process group with its stdout and stderr on
//! non-blocking pipes. One thread does everything: it `poll`s the two pipes
//! and a pidfd of the child, so the exit is seen the moment it happens (no
//! waiter thread, no sleeping), the timeout is the poll deadline, and a
//! flooding stdout is caught as it arrives. When the pidfd fires the child is
//! an unreaped zombie: the group is killed (only leftovers can still be in it,
//! and the id cannot be reused yet), the pipes are drained, the helper is
//! reaped, and its report gives the program's wait status and its own
//! `wait4` rusage. That rusage is per child, unlike
//! `getrusage(RUSAGE_CHILDREN)`, whose `ru_maxrss` is a high-water mark over
//! all children ever waited for.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

use super::busy;
use super::capture::{Keep, Pipe};
use super::interrupt::{self, kill_group};
use super::{
    child_usage, orphans, spawn, ExecError, Executor, Job, RawOutcome, Termination,
    STDERR_TAIL_BYTES,
};

/// Runs real child processes.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProcessExecutor;

/// How long to keep reading pipes after the child is gone (a process that
/// escaped the group may hold them open).
const PIPE_GRACE: Duration = Duration::from_secs(2);
/// How long a SIGKILLed child may take to die before langbench gives up on it.
const KILL_GRACE: Duration = Duration::from_secs(10);

impl Executor for ProcessExecutor {
    fn execute(&self, job: &Job) -> Result<RawOutcome, ExecError> {
        let (program, args) = job
            .argv
            .split_first()
            .ok_or_else(|| ExecError::Start("empty command line".into()))?;
        let (mut command, report) = spawn::command(program, args)
            .map_err(|e| ExecError::Start(format!("cannot start '{program}': {e}")))?;
        if job.clear_env {
            command.env_clear();
        }
        if let Some(dir) = &job.cwd {
            command.current_dir(dir);
        }
        command.envs(job.env.iter().map(|(k, v)| (k, v)));
        let busy_before = busy::busy_ns();
        let start = Instant::now();
        let mut child = interrupt::spawn_tracked(&mut command)
            .map_err(|e| ExecError::Start(format!("cannot start '{program}': {e}")))?;
        // The command holds langbench's copy of the report pipe's write end (the
        // helper's stdin): dropped now, the read end sees the end of the file
        // once the helper is gone.
        drop(command);
        let pid = child.id() as i32;
        if interrupt::requested() {
            kill_group(pid);
        }
        let setup = (|| -> std::io::Result<_> {
            Ok((
                pidfd_open(pid)?,
                Pipe::new(
                    child.stdout.take().expect("piped"),
                    Keep::Head(job.stdout_limit),
                )?,
                Pipe::new(
                    child.stderr.take().expect("piped"),
                    Keep::Tail(STDERR_TAIL_BYTES),
                )?,
            ))
        })();
        let (pidfd, mut stdout, mut stderr) = match setup {
            Ok(parts) => parts,
            Err(e) => {
                kill_group(pid);
                let _ = interrupt::reap_tracked(pid);
                return Err(ExecError::Lost(format!("cannot watch '{program}': {e}")));
            }
        };

        let watched = watch(pid, &pidfd, &mut stdout, &mut stderr, start + job.timeout);
        let Some(end) = watched.exited_at else {
            return Err(ExecError::Lost(format!(
                "'{program}' did not exit within {} s of SIGKILL; left running",
                KILL_GRACE.as_secs()
            )));
        };
        let status = interrupt::reap_tracked(pid)
            .map_err(|e| ExecError::Lost(format!("cannot reap '{program}': {e}")))?;
        let busy_after = busy::busy_ns();
        let leftovers = orphans::kill_orphans();
        let report = report.read();
        if let Some(spawn::Report::ExecError(errno)) = report {
            let e = std::io::Error::from_raw_os_error(errno);
            return Err(ExecError::Start(format!("cannot start '{program}': {e}")));
        }
        let wall_ns = match report {
            Some(spawn::Report::Exited { wall_ns, .. }) => wall_ns,
            _ => end.duration_since(start).as_nanos() as u64,
        };
        let (status, user_ns, sys_ns, max_rss_bytes) = child_usage(report, status);

        let termination = if watched.timed_out {
            Termination::TimedOut
        } else if stdout.overflowed {
            Termination::StdoutOverflow
        } else if libc::WIFEXITED(status) {
            Termination::Exited(libc::WEXITSTATUS(status))
        } else if interrupt::requested() {
            Termination::Interrupted
        } else {
            Termination::Signaled(libc::WTERMSIG(status))
        };
        Ok(RawOutcome {
            wall_ns,
            user_ns,
            sys_ns,
            max_rss_bytes,
            others_cpu_ns: busy::others_ns(busy_before, busy_after, user_ns + sys_ns),
            termination,
            leftover_processes: leftovers,
            stdout: stdout.bytes,
            stderr_tail: String::from_utf8_lossy(&stderr.bytes).into_owned(),
        })
    }
}

/// What watching a child found.
struct Watched {
    /// When the pidfd reported the exit; None if it never came after SIGKILL.
    exited_at: Option<Instant>,
    /// The deadline passed and langbench killed the group.
    timed_out: bool,
}

/// Polls the pidfd and both pipes until the child has exited and the pipes
/// are closed (or their grace period is over). Kills the group on the
/// deadline or a stdout overflow.
fn watch(
    pid: i32,
    pidfd: &OwnedFd,
    stdout: &mut Pipe,
    stderr: &mut Pipe,
    deadline: Instant,
) -> Watched {
    let mut exited_at: Option<Instant> = None;
    let mut killed_at: Option<Instant> = None;
    let mut timed_out = false;
    let kill = |killed_at: &mut Option<Instant>| {
        kill_group(pid);
        killed_at.get_or_insert_with(Instant::now);
    };
    loop {
        if exited_at.is_some() && stdout.fd().is_none() && stderr.fd().is_none() {
            break;
        }
        let until = match (exited_at, killed_at) {
            (Some(t), _) => t + PIPE_GRACE,
            (None, Some(k)) => k + KILL_GRACE,
            (None, None) => deadline,
        };
        let watch_exit = exited_at.is_none().then(|| pidfd.as_raw_fd());
        let Some(ready) = poll_ready([watch_exit, stdout.fd(), stderr.fd()], until) else {
            // A deadline passed: pipes' grace, the kill's grace, or the timeout.
            if exited_at.is_some() || killed_at.is_some() {
                break;
            }
            timed_out = true;
            kill(&mut killed_at);
            continue;
        };
        if ready[0] {
            exited_at = Some(Instant::now());
            // Leftovers in the group; the zombie leader keeps the id reserved.
            kill_group(pid);
        }
        if ready[1] {
            stdout.drain();
            if stdout.overflowed && killed_at.is_none() {
                kill(&mut killed_at);
            }
        }
        if ready[2] {
            stderr.drain();
        }
    }
    Watched {
        exited_at,
        timed_out,
    }
}

/// A pidfd for `pid`: readable once the process has exited (Linux 5.3+).
fn pidfd_open(pid: i32) -> std::io::Result<OwnedFd> {
    // SAFETY: the pidfd_open system call takes a pid and flags and returns a new descriptor.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: the kernel just returned this descriptor and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
}

/// Polls the given descriptors (None = not watched) until one is ready or
/// `until` passes. Returns which are ready (readable, closed or in error), or
/// None at the deadline.
fn poll_ready(fds: [Option<RawFd>; 3], until: Instant) -> Option<[bool; 3]> {
    loop {
        let mut pfds = fds.map(|fd| libc::pollfd {
            fd: fd.unwrap_or(-1),
            events: libc::POLLIN,
            revents: 0,
        });
        let left = until.saturating_duration_since(Instant::now());
        // Round up so a deadline in under 1 ms does not spin.
        let timeout_ms = left.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32;
        // SAFETY: `pfds` is a valid array of pollfd for the length passed; negative fds are ignored.
        let rc = unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, timeout_ms) };
        if rc < 0 {
            if std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            // An unexpected poll error: treat every watched descriptor as ready,
            // so the caller reads (and sees EOF or an error) instead of spinning.
            return Some(fds.map(|fd| fd.is_some()));
        }
        if rc == 0 {
            if Instant::now() >= until {
                return None;
            }
            continue;
        }
        let mut ready = [false; 3];
        for (r, p) in ready.iter_mut().zip(&pfds) {
            *r = p.fd >= 0 && p.revents != 0;
        }
        return Some(ready);
    }
}
