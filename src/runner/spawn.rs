//! Starting children through the spawn helper, so their peak RSS is theirs.
//!
//! Linux keeps a process's `ru_maxrss` as the peak over every address space
//! it has had, and the one it has between fork (or vfork) and exec is a copy
//! of langbench's (or langbench's own): a workload started straight from
//! langbench reports at least langbench's own peak RSS. So every child is
//! started by the spawn helper (`spawn-helper/main.rs`), a small static
//! program that `build.rs` compiles and this module embeds: a fresh exec of
//! it starts the real program as vfork does, from its own small address
//! space, times it from that start to `wait4`, and writes the program's wait
//! status and rusage on a pipe, its standard input. The helper is the direct
//! child (process group, pipes, pidfd and timeout work on it); its report
//! replaces its own status and usage.
//!
//! The helper's bytes go once into a sealed memfd, from which each child's
//! helper is a fresh exec (`/proc/self/fd/N`): no file on disk to find, to
//! go stale or to be removed, and any program linking this library (a test
//! binary included) starts children the same way.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// What the helper reported about the program it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// The program ran and was reaped.
    Exited {
        /// Raw wait status.
        status: i32,
        /// The program's start (`clone`) to `wait4`, in nanoseconds (monotonic clock).
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

/// The spawn helper, built by `build.rs`.
const HELPER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/langbench-spawn"));

/// The descriptor of the helper's memfd, made on first use.
fn helper_fd() -> std::io::Result<RawFd> {
    static FD: OnceLock<Result<OwnedFd, String>> = OnceLock::new();
    match FD.get_or_init(|| load_helper().map_err(|e| format!("cannot load the spawn helper: {e}")))
    {
        Ok(fd) => Ok(fd.as_raw_fd()),
        Err(message) => Err(std::io::Error::other(message.clone())),
    }
}

/// The helper's bytes in a sealed memfd, reopened read-only: the kernel
/// refuses to exec a file that is open for writing.
fn load_helper() -> std::io::Result<OwnedFd> {
    // Linux 6.3+: asks for an executable memfd where `vm.memfd_noexec` = 1
    // would give a non-executable one; older kernels refuse the flag.
    const MFD_EXEC: libc::c_uint = 0x10;
    let flags = libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING;
    // SAFETY: memfd_create takes a NUL-terminated name and flags.
    let mut fd = unsafe { libc::memfd_create(c"langbench-spawn".as_ptr(), flags | MFD_EXEC) };
    if fd < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINVAL) {
        // SAFETY: as above.
        fd = unsafe { libc::memfd_create(c"langbench-spawn".as_ptr(), flags) };
    }
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: the kernel just returned this descriptor and nothing else owns it.
    let mut writable = File::from(unsafe { OwnedFd::from_raw_fd(fd) });
    writable.write_all(HELPER)?;
    let seals = libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_WRITE | libc::F_SEAL_SEAL;
    // SAFETY: fcntl on our own descriptor.
    if unsafe { libc::fcntl(fd, libc::F_ADD_SEALS, seals) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let readable = File::open(format!("/proc/self/fd/{fd}"))?;
    Ok(readable.into())
}

/// A command that runs `program args` through the helper, in a new process
/// group, stdin from /dev/null, stdout and stderr piped; and the read end of
/// the helper's report pipe. Without a `pre_exec` of the caller's, the
/// standard library starts the helper with `posix_spawn`: langbench is not
/// copied, and is not left to take copy-on-write faults on the other core
/// while the helper times the program.
pub fn command(program: &str, args: &[String]) -> std::io::Result<(Command, ReportPipe)> {
    use std::os::unix::process::CommandExt;
    let helper = format!("/proc/self/fd/{}", helper_fd()?);
    let mut fds = [0i32; 2];
    // SAFETY: pipe2 fills the two-element array with two new descriptors.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just created and are owned here alone.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let mut command = Command::new(helper);
    command
        .arg0("langbench-spawn")
        .arg(program)
        .args(args)
        // The report pipe, which the helper moves off, giving the program /dev/null.
        .stdin(Stdio::from(write))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    Ok((
        command,
        ReportPipe {
            read: File::from(read),
        },
    ))
}

/// The langbench end of a helper's report pipe.
pub struct ReportPipe {
    read: File,
}

impl ReportPipe {
    /// Reads the report, once the helper has exited; None if it wrote none
    /// (it was killed before its child ended).
    pub fn read(mut self) -> Option<Report> {
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
}
