//! Processes that escape a run's process group (`setsid`, a double fork)
//! would outlive it and steal CPU from later runs. With langbench made a
//! child subreaper, such orphans are reparented to it instead of to init;
//! after each run every remaining child of langbench is one of them, and is
//! killed and reaped. Only the binary enables this (runs are sequential
//! there); a library user running jobs in parallel does not.

use std::sync::atomic::{AtomicBool, Ordering};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Makes this process the subreaper of its descendants (Linux 3.4+).
pub fn become_subreaper() -> std::io::Result<()> {
    // SAFETY: prctl with PR_SET_CHILD_SUBREAPER takes an integer flag only.
    if unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    ENABLED.store(true, Ordering::SeqCst);
    Ok(())
}

/// Kills and reaps every child of this process but the runs in progress;
/// returns how many there were. Call only when no build is in progress.
pub fn kill_orphans() -> usize {
    if !ENABLED.load(Ordering::SeqCst) {
        return 0;
    }
    // SAFETY: getpid has no preconditions.
    let me = unsafe { libc::getpid() };
    // Held throughout: no child is started or reaped meanwhile, and the
    // children still running (runs side by side) are not orphans.
    let running = super::interrupt::running();
    let mut killed = 0;
    // Each pass kills one generation; the children of a killed orphan are
    // reparented to us and found by the next pass.
    for _ in 0..64 {
        let mut children = children(me);
        children.retain(|pid| !running.contains(pid));
        if children.is_empty() {
            break;
        }
        for pid in children {
            // SAFETY: signals and reaps a child of this process.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, std::ptr::null_mut(), 0);
            }
            killed += 1;
        }
    }
    killed
}

/// The children of this process (`me`): the `children` lists of its
/// threads (Linux 3.5+ built with them), a read or two; else every process's
/// parent from /proc, which, read after every run, left the next run's
/// caches cold (/bin/true took a sixth longer).
fn children(me: i32) -> Vec<i32> {
    if !std::path::Path::new(&format!("/proc/self/task/{me}/children")).exists() {
        return children_of(me);
    }
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return children_of(me);
    };
    tasks
        .flatten()
        // A thread that ended meanwhile has no list, nor children.
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|list| {
            list.split_whitespace()
                .filter_map(|pid| pid.parse().ok())
                .collect::<Vec<i32>>()
        })
        .collect()
}

/// Pids whose parent is `ppid`, from /proc/<pid>/stat.
fn children_of(ppid: i32) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| parent_of(*pid) == Some(ppid))
        .collect()
}

fn parent_of(pid: i32) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_parent_of_this_process() {
        // SAFETY: getpid and getppid have no preconditions.
        let (me, parent) = unsafe { (libc::getpid(), libc::getppid()) };
        assert_eq!(parent_of(me), Some(parent));
    }

    #[test]
    fn both_ways_find_the_same_children() {
        // SAFETY: getpid has no preconditions.
        let me = unsafe { libc::getpid() };
        let mut listed = children(me);
        let mut scanned = children_of(me);
        listed.sort();
        scanned.sort();
        assert_eq!(listed, scanned);
    }

    #[test]
    fn does_nothing_unless_enabled() {
        assert_eq!(kill_orphans(), 0);
    }
}
