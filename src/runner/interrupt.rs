//! Ctrl-C (and SIGTERM/SIGHUP): remember that the user asked to stop and
//! kill the process group of every running child at once, so nothing is left
//! behind; the caller then saves what was measured and exits.
//!
//! The running children (each the leader of its group) are kept in one set,
//! under one lock that is also held while a child is started and added, while
//! one is reaped and removed, and while [`super::orphans`] kills what escaped:
//! so runs going on side by side (instruction counts under valgrind) neither
//! miss Ctrl-C nor take each other for orphans.

use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static RUNNING: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// Installs the handler; call once, before the first child starts.
pub fn install() -> anyhow::Result<()> {
    ctrlc::set_handler(|| {
        INTERRUPTED.store(true, Ordering::SeqCst);
        for &group in running().iter() {
            kill_group(group);
        }
    })?;
    Ok(())
}

/// Whether the user asked to stop.
pub fn requested() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// The set of running group leaders, locked (a panic elsewhere does not
/// make it unusable: the set stays consistent between statements).
pub(crate) fn running() -> MutexGuard<'static, Vec<i32>> {
    RUNNING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts `command` (which makes its child a group leader) and records it
/// as running, in one step under the lock.
pub(crate) fn spawn_tracked(command: &mut Command) -> std::io::Result<Child> {
    let mut running = running();
    let child = command.spawn()?;
    running.push(child.id() as i32);
    Ok(child)
}

/// Reaps the child `pid` and forgets it, in one step under the lock (once
/// reaped, its id may be reused, so it must not be killed after).
pub(crate) fn reap_tracked(pid: i32) -> std::io::Result<i32> {
    let mut running = running();
    let reaped = super::reap(pid);
    running.retain(|&p| p != pid);
    reaped
}

/// Sends SIGKILL to a whole process group; a group that is gone already is fine.
pub(crate) fn kill_group(pgid: i32) {
    // SAFETY: killpg only sends a signal; a stale or empty group gives ESRCH, which is ignored.
    unsafe {
        libc::killpg(pgid, libc::SIGKILL);
    }
}
