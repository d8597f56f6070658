//! Running one child process and measuring it.
//!
//! In: a [`Job`] (argv, timeout, stdout limit). Out: a [`RawOutcome`] with
//! wall time from the monotonic clock, user/system CPU time and peak RSS of
//! that child from `wait4`, how it ended, its stdout (bounded) and the tail of
//! its stderr. The child leads its own process group, so a timeout, an
//! overflowing stdout or Ctrl-C kills it and everything it started.
//!
//! [`Executor`] is the seam for tests: [`ProcessExecutor`] runs real
//! processes, [`mock::MockExecutor`] returns deterministic outcomes.
//! [`cachegrind`] builds the valgrind command line for instruction counts and
//! reads what it writes (`run --measure instructions`).

pub mod busy;
pub mod cachegrind;
mod capture;
pub mod interrupt;
pub mod mock;
pub mod orphans;
mod process;
pub mod server;
pub mod spawn;
pub mod verify;

use std::time::Duration;

pub use process::ProcessExecutor;

/// One process to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Program and arguments; run directly, never through a shell.
    pub argv: Vec<String>,
    /// Environment variables set for the program, over the inherited ones
    /// or, with `clear_env`, the only ones it sees.
    pub env: Vec<(String, String)>,
    /// Start the program with `env` alone, nothing inherited (a count under
    /// cachegrind, whose figures an inherited variable can move).
    pub clear_env: bool,
    /// The folder to start in; None: langbench's own.
    pub cwd: Option<std::path::PathBuf>,
    /// A stable name for the job (e.g. `nbody/go`), used by the mock and in messages.
    pub label: String,
    /// Kill the process group after this long.
    pub timeout: Duration,
    /// Keep at most this many bytes of stdout; more kills the child.
    pub stdout_limit: usize,
    /// The result a correct implementation prints (used only by the mock).
    pub expected: Option<String>,
    /// The `--iterations` passed (used only by the mock).
    pub iterations: u64,
}

/// How a child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termination {
    /// Exited with this status code.
    Exited(i32),
    /// Killed by this signal (not by langbench).
    Signaled(i32),
    /// Killed by langbench after the timeout.
    TimedOut,
    /// Killed by langbench because stdout passed the limit.
    StdoutOverflow,
    /// Killed by langbench because the user interrupted the run.
    Interrupted,
}

/// Everything measured about one finished child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawOutcome {
    /// Wall time from the program's start to its exit, in nanoseconds
    /// (monotonic clock, taken by the spawn helper around its `clone` and
    /// `wait4`; from spawn to exit if it could not report).
    pub wall_ns: u64,
    /// User CPU time of the child (and the children it waited for), in nanoseconds.
    pub user_ns: u64,
    /// System CPU time of the child (and the children it waited for), in nanoseconds.
    pub sys_ns: u64,
    /// Peak resident set size, in bytes.
    pub max_rss_bytes: u64,
    /// CPU time other work took on the machine while the child ran (the
    /// machine's busy time less the child's), in nanoseconds; None when
    /// `/proc/stat` could not be read.
    pub others_cpu_ns: Option<u64>,
    /// How it ended.
    pub termination: Termination,
    /// Processes that escaped its process group and were still running after it exited (killed).
    pub leftover_processes: usize,
    /// Captured stdout (at most the job's limit).
    pub stdout: Vec<u8>,
    /// The last few KiB of stderr.
    pub stderr_tail: String,
}

/// Why a job produced no outcome at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecError {
    /// The program could not be started (missing, not executable, empty argv).
    Start(String),
    /// It started, but langbench lost track of it (could not watch or reap it,
    /// or it did not die after SIGKILL): no measurement exists.
    Lost(String),
}

impl std::fmt::Display for ExecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExecError::Start(m) | ExecError::Lost(m) => f.write_str(m),
        }
    }
}

/// Runs jobs. Implemented by real processes and by a deterministic mock.
/// Shared between threads: instruction counts run side by side.
pub trait Executor: Sync {
    /// Runs `job` to completion.
    fn execute(&self, job: &Job) -> Result<RawOutcome, ExecError>;
}

/// How many bytes of stderr a failure keeps.
pub const STDERR_TAIL_BYTES: usize = 4096;

/// A command for a measured child: run directly, stdin closed, stdout and
/// stderr piped, leading a new process group (so the group can be killed).
/// Reaps `pid` and returns its wait status. Its resource usage is not
/// needed: the child is the spawn helper, whose report carries the program's.
pub(crate) fn reap(pid: i32) -> std::io::Result<i32> {
    let mut status = 0;
    loop {
        // SAFETY: reaps our own child; the status pointer is valid and a null
        // rusage pointer is allowed.
        let rc = unsafe { libc::wait4(pid, &mut status, 0, std::ptr::null_mut()) };
        if rc == pid {
            return Ok(status);
        }
        let err = std::io::Error::last_os_error();
        if err.raw_os_error() != Some(libc::EINTR) {
            // ECHILD here means someone else reaped it (SIGCHLD ignored):
            // no status and no report, so no measurement.
            return Err(err);
        }
    }
}

/// The wait status, CPU times (ns) and peak RSS (bytes) of a reaped helper's
/// child, from the helper's report. Without one (the helper was killed before
/// its child ended: a timeout, Ctrl-C) the status is the helper's and the
/// usage is unknown, given as zeros: the helper's own rusage would count its
/// copy of langbench and not the child at all.
pub(crate) fn child_usage(report: Option<spawn::Report>, status: i32) -> (i32, u64, u64, u64) {
    match report {
        Some(spawn::Report::Exited {
            status,
            user_ns,
            sys_ns,
            maxrss_kib,
            ..
        }) => (status, user_ns, sys_ns, maxrss_kib * 1024),
        _ => (status, 0, 0, 0),
    }
}
