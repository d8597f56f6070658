//! Starting children through `langbench __spawn`, so their peak RSS is theirs.
//!
//! Linux keeps a process's `ru_maxrss` as the peak over every address space
//! it has had, and the one it has between fork (or vfork) and exec is
//! langbench's: a workload started straight from langbench reports at least
//! langbench's own peak RSS. So every child is started by a fresh exec of
//! the langbench binary in its helper mode, `langbench __spawn`
//! (`spawn_helper.rs`), which forks the real program from its own small
//! address space, times it from fork to `wait4`, and writes the child's wait
//! status and rusage on a pipe. The helper is the direct child (process
//! group, pipes, pidfd and timeout work on it as before); its report replaces
//! its own status and usage.

use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// What the helper reported about the program it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// The program ran and was reaped.
    Exited {
        /// Raw wait status.
        status: i32,
        /// Fork to `wait4`, in nanoseconds (monotonic clock).
        wall_ns: u64,
        /// User CPU time, in nanoseconds.
        user_ns: u64,
        /// System CPU time, in nanoseconds.
        sys_ns: u64,
        /// Peak resident set size, in KiB (`ru_maxrss`).
        maxrss_kib: u64,
    },
    /// exec failed with this errno.
    ExecError(i32),
}

/// Parses the helper's report line; None if it is not one.
pub fn parse_report(text: &str) -> Option<Report> {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        ["exec_error", errno] => Some(Report::ExecError(errno.parse().ok()?)),
        ["exited", status, "wall_ns", wall, "user_ns", user, "sys_ns", sys, "maxrss_kib", rss] => {
            Some(Report::Exited {
                status: status.parse().ok()?,
                wall_ns: wall.parse().ok()?,
                user_ns: user.parse().ok()?,
                sys_ns: sys.parse().ok()?,
                maxrss_kib: rss.parse().ok()?,
            })
        }
        _ => None,
    }
}

/// The helper a program embedding the library named ([`set_helper_path`]).
static NAMED: OnceLock<PathBuf> = OnceLock::new();

/// Names the langbench binary that serves as the spawn helper, for a program
/// that embeds the library and is not langbench itself: the integration
/// tests pass `env!("CARGO_BIN_EXE_langbench")`, the binary Cargo built for
/// them. Call it before the first child starts; naming the same path again
/// is fine, another one is an error.
pub fn set_helper_path(path: PathBuf) -> Result<(), String> {
    let named = NAMED.get_or_init(|| path.clone());
    if *named == path {
        Ok(())
    } else {
        Err(format!(
            "the spawn helper is '{}' already, not '{}'",
            named.display(),
            path.display()
        ))
    }
}

/// The langbench binary that serves as the helper: the one named by
/// [`set_helper_path`], else `LANGBENCH_SPAWN_HELPER`, else the running
/// executable, unless that is a test binary: then an error that says what
/// to do, never a guess at a `langbench` nearby, which could be stale.
fn helper_path() -> Result<PathBuf, String> {
    static RESOLVED: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    if let Some(named) = NAMED.get() {
        return Ok(named.clone());
    }
    RESOLVED
        .get_or_init(|| {
            resolve(
                std::env::var_os("LANGBENCH_SPAWN_HELPER"),
                std::env::current_exe(),
            )
        })
        .clone()
}

/// The helper given `LANGBENCH_SPAWN_HELPER` (`from_env`) and the running
/// executable. A test binary (Cargo puts those in `deps/`) has no helper
/// mode, and guessing the `langbench` next to it could pick a binary older
/// than the code under test, so that is an error saying what to do.
fn resolve(
    from_env: Option<std::ffi::OsString>,
    exe: std::io::Result<PathBuf>,
) -> Result<PathBuf, String> {
    if let Some(p) = from_env {
        return Ok(PathBuf::from(p));
    }
    let exe = exe.map_err(|e| format!("cannot find langbench's own path: {e}"))?;
    if exe.parent().is_some_and(|dir| dir.ends_with("deps")) {
        return Err(format!(
            "'{}' is a test binary, which cannot serve as the spawn helper: tests that start \
             children belong in tests/cli, which name the freshly built langbench with \
             runner::spawn::set_helper_path(env!(\"CARGO_BIN_EXE_langbench\").into())",
            exe.display()
        ));
    }
    Ok(exe)
}

/// A command that runs `program args` through the helper, in a new process
/// group, stdin from /dev/null, stdout and stderr piped; and the read end of
/// the helper's report pipe.
pub fn command(program: &str, args: &[String]) -> std::io::Result<(Command, ReportPipe)> {
    use std::os::unix::process::CommandExt;
    let helper = helper_path().map_err(std::io::Error::other)?;
    let mut fds = [0i32; 2];
    // SAFETY: pipe2 fills the two-element array with two new descriptors.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just created and are owned here alone.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let write_fd = write.as_raw_fd();
    let mut command = Command::new(helper);
    command
        .arg(super::spawn_helper::MODE)
        .arg(write_fd.to_string())
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    // SAFETY: runs in the child between fork and exec; only fcntl, which is
    // async-signal-safe, to let the helper inherit its end of the pipe.
    unsafe {
        command.pre_exec(move || {
            if libc::fcntl(write_fd, libc::F_SETFD, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    Ok((
        command,
        ReportPipe {
            read: File::from(read),
            write: Some(write),
        },
    ))
}

/// The langbench end of a helper's report pipe.
pub struct ReportPipe {
    read: File,
    /// Kept open until the helper has started, then closed.
    write: Option<OwnedFd>,
}

impl ReportPipe {
    /// Closes langbench's copy of the write end; call right after spawning.
    pub fn started(&mut self) {
        self.write = None;
    }

    /// Reads the report, once the helper has exited; None if it wrote none
    /// (it was killed before its child ended).
    pub fn read(mut self) -> Option<Report> {
        self.write = None;
        let mut text = String::new();
        self.read.read_to_string(&mut text).ok()?;
        parse_report(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_reports() {
        assert_eq!(
            parse_report("exited 256 wall_ns 5 user_ns 6 sys_ns 7 maxrss_kib 8\n"),
            Some(Report::Exited {
                status: 256,
                wall_ns: 5,
                user_ns: 6,
                sys_ns: 7,
                maxrss_kib: 8
            })
        );
        assert_eq!(parse_report("exec_error 2"), Some(Report::ExecError(2)));
        assert_eq!(parse_report(""), None);
        assert_eq!(parse_report("exited x"), None);
    }

    #[test]
    fn a_test_binary_is_never_the_helper() {
        let test_binary = PathBuf::from("/p/target/debug/deps/langbench-0123abcd");
        let err = resolve(None, Ok(test_binary.clone())).unwrap_err();
        assert!(err.contains("is a test binary"), "{err}");
        assert!(err.contains("set_helper_path"), "{err}");
        // LANGBENCH_SPAWN_HELPER names one outright; a real langbench is its own.
        assert_eq!(
            resolve(Some("/opt/langbench".into()), Ok(test_binary)),
            Ok(PathBuf::from("/opt/langbench"))
        );
        assert_eq!(
            resolve(None, Ok(PathBuf::from("/p/target/debug/langbench"))),
            Ok(PathBuf::from("/p/target/debug/langbench"))
        );
    }
}
