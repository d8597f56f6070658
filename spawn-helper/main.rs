//! `langbench-spawn PROGRAM [ARGS...]`: the spawn helper, the small program
//! through which langbench starts every child. It starts PROGRAM, times it
//! and reports the program's own resource usage on its standard input,
//! which is the write end of a pipe from langbench (so that langbench can
//! start the helper with `posix_spawn`, which passes no other descriptor
//! on); the program's standard input is /dev/null.
//!
//! Not a module of langbench: `build.rs` compiles this file alone, as a
//! static program without Rust's standard library (about 0.7 MB, of which
//! a fresh process touches about 0.6 MiB), and `src/runner/spawn.rs` embeds
//! it and execs it afresh for each child.
//!
//! Why it exists: Linux keeps a process's `ru_maxrss` as the peak over every
//! address space it has had, the one before its exec included: after a fork
//! that is a copy of the parent's, and after a vfork (or `posix_spawn`) the
//! parent's own, whose peak the exec passes on. A workload started straight
//! from langbench (18 MiB after a load test) would report at least that
//! much. Started from this helper, a fresh exec of a small static program,
//! it reports what GNU time reports: the helper starts it as vfork does
//! (`clone` with `CLONE_VM | CLONE_VFORK`: no copy of an address space, the
//! helper waiting until the exec), so the peak it passes on is the helper's
//! own, below that of any real program (`/bin/true` peaks at about 1 MiB).
//! It times the program itself, from just before the `clone` to `wait4`,
//! with the monotonic clock, so its own start-up is not counted.
//!
//! Report, one line: `exited STATUS wall_ns W user_ns U sys_ns S maxrss_kib M`
//! (STATUS is the raw wait status), or `exec_error ERRNO` when PROGRAM could
//! not be started. SIGTERM, SIGINT and SIGHUP sent to the helper are passed on
//! to the program. The helper then exits as the program did.
//!
//! Only the C library's entry points are used (declared below for 64-bit
//! Linux with glibc), so the program stays small and starts fast.

#![no_std]
#![no_main]

use core::ffi::{c_char, c_int, c_long, c_void};
use core::ptr::{addr_of, null_mut};
use core::sync::atomic::{AtomicI32, Ordering};

#[repr(C)]
struct Timeval {
    sec: c_long,
    usec: c_long,
}

#[repr(C)]
struct Timespec {
    sec: c_long,
    nsec: c_long,
}

#[repr(C)]
struct Rusage {
    utime: Timeval,
    stime: Timeval,
    maxrss: c_long,
    rest: [c_long; 13],
}

/// glibc's `sigset_t` (1024 bits).
#[repr(C)]
struct SigSet([u64; 16]);

#[repr(C)]
struct Rlimit {
    cur: u64,
    max: u64,
}

const SIGHUP: c_int = 1;
const SIGINT: c_int = 2;
const SIGTERM: c_int = 15;
const SIGCHLD: c_int = 17;
const FORWARDED: [c_int; 3] = [SIGTERM, SIGINT, SIGHUP];
const SIG_BLOCK: c_int = 0;
const SIG_UNBLOCK: c_int = 1;
const SIG_SETMASK: c_int = 2;
const SIG_DFL: usize = 0;
const CLONE_VM: c_int = 0x100;
const CLONE_VFORK: c_int = 0x4000;
const PROT_READ_WRITE: c_int = 0x3;
/// MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK.
const MAP_STACK_FLAGS: c_int = 0x02 | 0x20 | 0x4000 | 0x20000;
const CLOCK_MONOTONIC: c_int = 1;
const F_DUPFD_CLOEXEC: c_int = 1030;
const O_RDONLY: c_int = 0;
const RLIMIT_CORE: c_int = 4;
const PR_SET_NAME: c_int = 15;
const EINTR: c_int = 4;

#[link(name = "c")]
extern "C" {
    fn clone(
        entry: extern "C" fn(*mut c_void) -> c_int,
        stack: *mut c_void,
        flags: c_int,
        arg: *mut c_void,
        ...
    ) -> c_int;
    fn execvp(file: *const c_char, argv: *const *const c_char) -> c_int;
    fn getenv(name: *const c_char) -> *const c_char;
    fn strlen(s: *const c_char) -> usize;
    fn mmap(
        addr: *mut c_void,
        len: usize,
        prot: c_int,
        flags: c_int,
        fd: c_int,
        offset: c_long,
    ) -> *mut c_void;
    fn sigemptyset(set: *mut SigSet) -> c_int;
    fn sigaddset(set: *mut SigSet, sig: c_int) -> c_int;
    fn sigprocmask(how: c_int, set: *const SigSet, old: *mut SigSet) -> c_int;
    fn signal(sig: c_int, handler: usize) -> usize;
    fn kill(pid: c_int, sig: c_int) -> c_int;
    fn raise(sig: c_int) -> c_int;
    fn wait4(pid: c_int, status: *mut c_int, options: c_int, usage: *mut Rusage) -> c_int;
    fn clock_gettime(clock: c_int, ts: *mut Timespec) -> c_int;
    fn write(fd: c_int, buf: *const c_void, len: usize) -> isize;
    fn fcntl(fd: c_int, cmd: c_int, ...) -> c_int;
    fn open(path: *const c_char, flags: c_int, ...) -> c_int;
    fn dup2(from: c_int, to: c_int) -> c_int;
    fn close(fd: c_int) -> c_int;
    fn prctl(option: c_int, ...) -> c_int;
    fn setrlimit(resource: c_int, limit: *const Rlimit) -> c_int;
    fn __errno_location() -> *mut c_int;
    fn _exit(code: c_int) -> !;
    fn abort() -> !;
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // SAFETY: abort has no preconditions.
    unsafe { abort() }
}

/// Named by the precompiled `core`; never called, since nothing unwinds
/// (the helper is built with `panic=abort`).
#[no_mangle]
extern "C" fn rust_eh_personality() {}

/// The program's pid, for the signal handler.
static CHILD: AtomicI32 = AtomicI32::new(0);

extern "C" fn forward(sig: c_int) {
    let pid = CHILD.load(Ordering::Relaxed);
    if pid > 0 {
        // SAFETY: kill is async-signal-safe.
        unsafe {
            kill(pid, sig);
        }
    }
}

/// The program's process until its exec: what it needs, and why its exec
/// failed. It runs in the helper's memory, on a stack of its own (as in
/// glibc's `posix_spawn`), while the helper waits.
struct Launch {
    argv: *const *const c_char,
    /// The signal mask the program starts with.
    mask: SigSet,
    /// The top of its stack.
    stack_top: *mut c_void,
    /// The errno of a failed exec, set before that process exits.
    exec_errno: AtomicI32,
}

impl Launch {
    /// Prepares the launch of `argv` with the signal mask `mask`: maps its
    /// stack, room for what `execvp` puts there (the path it tries, built
    /// from PATH, and, for a script without `#!`, an argv for /bin/sh).
    ///
    /// # Safety
    /// `argv` is a null-terminated array of NUL-terminated strings.
    unsafe fn new(argv: *const *const c_char, mask: SigSet) -> Option<Launch> {
        let mut argc = 0;
        while !(*argv.add(argc)).is_null() {
            argc += 1;
        }
        let path = getenv(c"PATH".as_ptr());
        let path_len = if path.is_null() { 0 } else { strlen(path) };
        let len =
            (64 * 1024 + path_len + (argc + 2) * core::mem::size_of::<usize>() + 4095) & !4095;
        let stack = mmap(null_mut(), len, PROT_READ_WRITE, MAP_STACK_FLAGS, -1, 0);
        if stack as isize == -1 {
            return None;
        }
        Some(Launch {
            argv,
            mask,
            stack_top: stack.cast::<u8>().add(len).cast(),
            exec_errno: AtomicI32::new(0),
        })
    }

    /// Starts the program; its pid, or the errno of a failed start (the
    /// process whose exec failed is reaped).
    ///
    /// # Safety
    /// Call once.
    unsafe fn start(&mut self) -> Result<c_int, c_int> {
        // The helper resumes once the program's exec (or exit) has released
        // its memory, so nothing is copied, and the exec passes on the
        // helper's own small peak RSS.
        let pid = clone(
            Launch::exec,
            self.stack_top,
            CLONE_VM | CLONE_VFORK | SIGCHLD,
            (self as *mut Launch).cast(),
        );
        if pid < 0 {
            return Err(*__errno_location());
        }
        match self.exec_errno.load(Ordering::Relaxed) {
            0 => Ok(pid),
            errno => {
                wait4(pid, null_mut(), 0, null_mut());
                Err(errno)
            }
        }
    }

    /// The new process: restore the signal mask, exec, or say why not.
    extern "C" fn exec(launch: *mut c_void) -> c_int {
        // SAFETY: `launch` is the helper's `Launch`, which outlives this
        // process's use of the shared memory; only async-signal-safe calls.
        unsafe {
            let launch = &*(launch as *const Launch);
            sigprocmask(SIG_SETMASK, &launch.mask, null_mut());
            execvp(*launch.argv, launch.argv);
            launch
                .exec_errno
                .store(*__errno_location(), Ordering::Relaxed);
            _exit(127)
        }
    }
}

/// The monotonic clock, in nanoseconds.
fn now_ns() -> u64 {
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: clock_gettime fills the timespec it is given.
    unsafe { clock_gettime(CLOCK_MONOTONIC, &mut ts) };
    ts.sec.max(0) as u64 * 1_000_000_000 + ts.nsec.max(0) as u64
}

/// A line of at most 256 bytes, written with one `write` (a pipe takes it whole).
struct Line {
    buf: [u8; 256],
    len: usize,
}

impl Line {
    fn new() -> Line {
        Line {
            buf: [0; 256],
            len: 0,
        }
    }

    fn text(&mut self, s: &str) -> &mut Line {
        for &b in s.as_bytes() {
            if self.len < self.buf.len() {
                self.buf[self.len] = b;
                self.len += 1;
            }
        }
        self
    }

    fn num(&mut self, mut v: u64) -> &mut Line {
        let mut digits = [0u8; 20];
        let mut n = 0;
        loop {
            digits[n] = b'0' + (v % 10) as u8;
            n += 1;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        while n > 0 {
            n -= 1;
            if self.len < self.buf.len() {
                self.buf[self.len] = digits[n];
                self.len += 1;
            }
        }
        self
    }

    fn send(&self, fd: c_int) {
        // SAFETY: writes initialised bytes of our own buffer.
        unsafe {
            write(fd, self.buf.as_ptr().cast(), self.len);
        }
    }
}

fn fail(message: &str) -> ! {
    Line::new()
        .text("langbench-spawn: ")
        .text(message)
        .text("\n")
        .send(2);
    // SAFETY: _exit has no preconditions.
    unsafe { _exit(127) }
}

/// Runs the helper: start the program, wait, report, exit as it did.
#[no_mangle]
pub extern "C" fn main(argc: c_int, argv: *const *const c_char) -> c_int {
    if argc < 2 {
        fail("usage: langbench-spawn PROGRAM [ARGS...] < REPORT_PIPE (run by langbench itself)");
    }
    // SAFETY: argv holds argc NUL-terminated strings and a null pointer, as
    // the C runtime passes them; every call below is a C library call on
    // values owned by this function.
    unsafe {
        // Started from a memfd, the helper would be named after its
        // descriptor ("4"); ps and top show this instead.
        prctl(PR_SET_NAME, c"langbench-spawn".as_ptr());
        // The report pipe moves off standard input, kept from the program,
        // and /dev/null takes its place.
        let report = fcntl(0, F_DUPFD_CLOEXEC, 3);
        let null = open(c"/dev/null".as_ptr(), O_RDONLY);
        if report < 0 || null < 0 || dup2(null, 0) < 0 {
            fail("no report pipe on standard input, or no /dev/null");
        }
        close(null);
        // Hold the forwarded signals until the program's pid is known, so a
        // SIGTERM that comes right after the start is passed on, not lost.
        let mut blocked = SigSet([0; 16]);
        let mut previous = SigSet([0; 16]);
        sigemptyset(&mut blocked);
        for sig in FORWARDED {
            sigaddset(&mut blocked, sig);
        }
        sigprocmask(SIG_BLOCK, &blocked, &mut previous);
        for sig in FORWARDED {
            // glibc's signal() restarts interrupted calls (wait4 below); the
            // program gets the default actions back at exec.
            signal(sig, forward as extern "C" fn(c_int) as usize);
        }
        let Some(mut launch) = Launch::new(argv.add(1), previous) else {
            fail("cannot map a stack");
        };

        let started = now_ns();
        let pid = match launch.start() {
            Ok(pid) => pid,
            Err(errno) => {
                Line::new()
                    .text("exec_error ")
                    .num(errno as u64)
                    .text("\n")
                    .send(report);
                _exit(127);
            }
        };
        CHILD.store(pid, Ordering::Relaxed);
        // A signal that came meanwhile is forwarded now.
        sigprocmask(SIG_UNBLOCK, &blocked, null_mut());
        let mut status: c_int = 0;
        let mut usage: Rusage = core::mem::zeroed();
        loop {
            let rc = wait4(pid, &mut status, 0, &mut usage);
            if rc == pid || *__errno_location() != EINTR {
                break;
            }
        }
        let wall_ns = now_ns().saturating_sub(started);

        let ns = |tv: &Timeval| tv.sec.max(0) as u64 * 1_000_000_000 + tv.usec.max(0) as u64 * 1000;
        Line::new()
            .text("exited ")
            .num(status as u32 as u64)
            .text(" wall_ns ")
            .num(wall_ns)
            .text(" user_ns ")
            .num(ns(&usage.utime))
            .text(" sys_ns ")
            .num(ns(&usage.stime))
            .text(" maxrss_kib ")
            .num(usage.maxrss.max(0) as u64)
            .text("\n")
            .send(report);
        let termsig = status & 0x7f;
        if termsig == 0 {
            _exit((status >> 8) & 0xff);
        }
        // Die of the same signal, without a core dump of this helper.
        let limit = Rlimit { cur: 0, max: 0 };
        setrlimit(RLIMIT_CORE, addr_of!(limit));
        signal(termsig, SIG_DFL);
        raise(termsig);
        _exit(128 + termsig)
    }
}
