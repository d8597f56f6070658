//! `langbench __spawn FD PROGRAM [ARGS...]`: the helper mode of the
//! langbench binary, which langbench runs to start every child. It starts
//! PROGRAM from a small process and reports the child's own resource usage
//! on file descriptor FD.
//!
//! Why it exists: on Linux, a process's `ru_maxrss` is the peak over every
//! address space it has had, including the one it had between fork and exec,
//! which is a copy of its parent's (or, with vfork, the parent's itself). A
//! workload forked straight from langbench would report at least langbench's
//! own peak memory (18 MiB after a load test) as its peak RSS. Forked from
//! this helper, a fresh exec of langbench that has done nothing yet and holds
//! a few hundred KiB, it reports what GNU time reports. The helper also times the child itself (fork to `wait4`), so its
//! own start-up is not counted either.
//!
//! Report, one line: `exited STATUS wall_ns W user_ns U sys_ns S maxrss_kib M`
//! (STATUS is the raw wait status), or `exec_error ERRNO` when PROGRAM could
//! not be started. SIGTERM, SIGINT and SIGHUP sent to the helper are passed on
//! to the child. The helper then exits as the child did.

use std::ffi::{CString, OsString};
use std::io::Write;
use std::os::fd::FromRawFd;
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Instant;

/// The child's pid, for the signal handler.
static CHILD: AtomicI32 = AtomicI32::new(0);

extern "C" fn forward(sig: libc::c_int) {
    let pid = CHILD.load(Ordering::Relaxed);
    if pid > 0 {
        // SAFETY: kill is async-signal-safe.
        unsafe {
            libc::kill(pid, sig);
        }
    }
}

/// The argument that selects the helper mode.
pub const MODE: &str = "__spawn";

/// Runs the helper with `args` (after `__spawn`) and exits as the child did.
pub fn main(args: Vec<OsString>) -> ! {
    let fd: i32 = match args.first().and_then(|a| a.to_str()?.parse().ok()) {
        Some(fd) if fd > 2 && args.len() >= 2 => fd,
        _ => {
            eprintln!("usage: langbench __spawn FD PROGRAM [ARGS...] (run by langbench itself)");
            std::process::exit(2);
        }
    };
    let argv: Vec<CString> = args[1..]
        .iter()
        .map(|a| CString::new(a.as_bytes()).unwrap_or_default())
        .collect();
    let mut ptrs: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
    ptrs.push(std::ptr::null());
    // SAFETY: `fd` was handed to us open by langbench; from here on this
    // process owns it (and it is not passed on to the child).
    let mut report = unsafe { std::fs::File::from_raw_fd(fd) };
    // SAFETY: plain fcntl on our own descriptor.
    unsafe {
        libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
    }
    let mut err_pipe = [0i32; 2];
    // SAFETY: pipe2 fills the two-element array.
    if unsafe { libc::pipe2(err_pipe.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        std::process::exit(127);
    }
    for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
        // SAFETY: installs an async-signal-safe handler; exec resets it in the child.
        unsafe {
            libc::signal(
                sig,
                forward as extern "C" fn(libc::c_int) as libc::sighandler_t,
            );
        }
    }
    // Hold the forwarded signals until the child's pid is known, so a SIGTERM
    // that comes right after the fork is passed on, not lost.
    // SAFETY: sigset operations on stack-allocated sets.
    let (blocked, previous) = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
            libc::sigaddset(&mut set, sig);
        }
        libc::sigprocmask(libc::SIG_BLOCK, &set, &mut old);
        (set, old)
    };
    let start = Instant::now();
    // SAFETY: this process is single-threaded, so the child may run any code
    // before exec; it only restores the signal mask and calls execvp, write and _exit.
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        // SAFETY: argv is NUL-terminated and outlives the call.
        unsafe {
            libc::sigprocmask(libc::SIG_SETMASK, &previous, std::ptr::null_mut());
            libc::execvp(ptrs[0], ptrs.as_ptr());
            let errno = *libc::__errno_location();
            let bytes = errno.to_ne_bytes();
            libc::write(err_pipe[1], bytes.as_ptr().cast(), bytes.len());
            libc::_exit(127);
        }
    }
    if pid < 0 {
        let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        let _ = writeln!(report, "exec_error {errno}");
        std::process::exit(127);
    }
    CHILD.store(pid, Ordering::Relaxed);
    // SAFETY: unblocks what was blocked above; a pending signal is forwarded now.
    unsafe {
        libc::sigprocmask(libc::SIG_UNBLOCK, &blocked, std::ptr::null_mut());
    }
    // SAFETY: closing our copy of the write end, reading the read end.
    let exec_errno = unsafe {
        libc::close(err_pipe[1]);
        let mut buf = [0u8; 4];
        let mut got = 0usize;
        loop {
            let n = libc::read(err_pipe[0], buf[got..].as_mut_ptr().cast(), 4 - got);
            if n > 0 {
                got += n as usize;
                if got == 4 {
                    break;
                }
            } else if n == 0 || *libc::__errno_location() != libc::EINTR {
                break;
            }
        }
        (got == 4).then(|| i32::from_ne_bytes(buf))
    };
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid out-parameter for wait4.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: reaps our own child; both pointers are valid.
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if rc == pid || std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            break;
        }
    }
    let wall_ns = start.elapsed().as_nanos();
    if let Some(errno) = exec_errno {
        let _ = writeln!(report, "exec_error {errno}");
        std::process::exit(127);
    }
    let ns = |tv: libc::timeval| {
        tv.tv_sec.max(0) as u64 * 1_000_000_000 + tv.tv_usec.max(0) as u64 * 1000
    };
    let _ = writeln!(
        report,
        "exited {status} wall_ns {wall_ns} user_ns {} sys_ns {} maxrss_kib {}",
        ns(usage.ru_utime),
        ns(usage.ru_stime),
        usage.ru_maxrss.max(0)
    );
    drop(report);
    if libc::WIFEXITED(status) {
        std::process::exit(libc::WEXITSTATUS(status));
    }
    // Die of the same signal, without a core dump of this helper.
    let sig = libc::WTERMSIG(status);
    // SAFETY: restores the default action and re-raises the child's signal.
    unsafe {
        let limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &limit);
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
    std::process::exit(128 + sig);
}
