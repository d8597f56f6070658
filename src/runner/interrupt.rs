//! Ctrl-C (and SIGTERM/SIGHUP): remember that the user asked to stop and
//! kill the process group of the running child at once, so nothing is left
//! behind; the caller then saves what was measured and exits.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static CURRENT_GROUP: AtomicI32 = AtomicI32::new(0);

/// Installs the handler; call once, before the first child starts.
pub fn install() -> anyhow::Result<()> {
    ctrlc::set_handler(|| {
        INTERRUPTED.store(true, Ordering::SeqCst);
        let group = CURRENT_GROUP.load(Ordering::SeqCst);
        if group > 0 {
            kill_group(group);
        }
    })?;
    Ok(())
}

/// Whether the user asked to stop.
pub fn requested() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Records the process group now running (0 for none).
pub(crate) fn set_current_group(pgid: i32) {
    CURRENT_GROUP.store(pgid, Ordering::SeqCst);
}

/// Sends SIGKILL to a whole process group; a group that is gone already is fine.
pub(crate) fn kill_group(pgid: i32) {
    // SAFETY: killpg only sends a signal; a stale or empty group gives ESRCH, which is ignored.
    unsafe {
        libc::killpg(pgid, libc::SIGKILL);
    }
}
