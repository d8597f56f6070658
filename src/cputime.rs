//! CPU time and run-queue wait of a thread or of a group of processes, from
//! the kernel's own accounting, so the io suite can tell who was the
//! bottleneck of a level: the server or the load generator.
//!
//! CPU time is what a thread ran. On a machine shared with other work a
//! saturated process may also spend part of the window ready to run but
//! waiting for its core (the scheduler gave the core to someone else); that
//! run-queue wait (`/proc/<pid>/task/<tid>/schedstat`, second field) is read
//! too, since such a process was just as bound by its core.

/// CPU time and run-queue wait, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CpuTimes {
    /// Time on a CPU (user + system), in nanoseconds.
    pub cpu_ns: u64,
    /// Time runnable but waiting for a CPU, in nanoseconds; None when the
    /// kernel keeps no schedstat.
    pub wait_ns: Option<u64>,
}

impl CpuTimes {
    /// What was used from `self` to `later`.
    pub fn until(self, later: CpuTimes) -> CpuTimes {
        CpuTimes {
            cpu_ns: later.cpu_ns.saturating_sub(self.cpu_ns),
            wait_ns: later
                .wait_ns
                .zip(self.wait_ns)
                .map(|(b, a)| b.saturating_sub(a)),
        }
    }
}

/// The calling thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`) and run-queue
/// wait (`/proc/thread-self/schedstat`).
pub fn this_thread() -> Option<CpuTimes> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into a valid timespec.
    if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } != 0 {
        return None;
    }
    let wait_ns = std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| schedstat_wait(&s));
    Some(CpuTimes {
        cpu_ns: ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64,
        wait_ns,
    })
}

/// Reads the CPU time of a fixed set of processes (a server and what it
/// started), found once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCpu {
    pids: Vec<i32>,
}

impl GroupCpu {
    /// The processes whose process group is `pgid`, found by one scan of `/proc`.
    pub fn of_group(pgid: i32) -> GroupCpu {
        let pids = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
            .filter(|&pid| {
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"));
                stat.ok().and_then(|s| stat_field(&s, 5)) == Some(pgid as u64)
            })
            .collect();
        GroupCpu { pids }
    }

    /// CPU time of the processes, every thread (live or ended) of each:
    /// fields 14 and 15 (user, system) of `/proc/<pid>/stat`, in clock ticks
    /// (10 ms at the usual 100 Hz); and the run-queue wait of their live
    /// threads. None when a process is gone or none was found: an unknown
    /// time, never a smaller one.
    pub fn read(&self) -> Option<CpuTimes> {
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        if hz <= 0 || self.pids.is_empty() {
            return None;
        }
        let mut ticks = 0;
        let mut wait_ns = Some(0);
        for pid in &self.pids {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            ticks += stat_field(&stat, 14)? + stat_field(&stat, 15)?;
            wait_ns = wait_ns.zip(threads_wait(*pid)).map(|(a, b)| a + b);
        }
        Some(CpuTimes {
            cpu_ns: ticks * 1_000_000_000 / hz as u64,
            wait_ns,
        })
    }
}

/// The run-queue wait of every live thread of `pid`, in nanoseconds.
fn threads_wait(pid: i32) -> Option<u64> {
    let mut total = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))
        .ok()?
        .flatten()
    {
        // A thread that ended since the listing has nothing more to add.
        if let Ok(s) = std::fs::read_to_string(task.path().join("schedstat")) {
            total += schedstat_wait(&s)?;
        }
    }
    Some(total)
}

/// The second field of a schedstat line: time spent waiting on a run
/// queue, in nanoseconds.
fn schedstat_wait(line: &str) -> Option<u64> {
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Field `n` (1-based, as proc(5) numbers them) of a `/proc/<pid>/stat`
/// line, from field 3 on: the command name (field 2) may hold spaces and
/// parentheses, so the fields are counted after its last `)`.
fn stat_field(stat: &str, n: usize) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(n.checked_sub(3)?)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_fields_are_counted_after_the_command_name() {
        let stat = "4242 (a (b) c) S 1 4240 4240 0 -1 4194560 10 0 0 0 37 5 0 0 20 0 3 0";
        assert_eq!(stat_field(stat, 3), None, "the state is not a number");
        assert_eq!(stat_field(stat, 4), Some(1));
        assert_eq!(stat_field(stat, 5), Some(4240));
        assert_eq!(stat_field(stat, 14), Some(37));
        assert_eq!(stat_field(stat, 15), Some(5));
        assert_eq!(schedstat_wait("113173 3362504 2\n"), Some(3_362_504));
    }

    #[test]
    fn a_difference_without_a_wait_on_either_side_has_none() {
        let a = CpuTimes {
            cpu_ns: 10,
            wait_ns: Some(5),
        };
        let b = CpuTimes {
            cpu_ns: 30,
            wait_ns: Some(9),
        };
        assert_eq!(
            a.until(b),
            CpuTimes {
                cpu_ns: 20,
                wait_ns: Some(4)
            }
        );
        let c = CpuTimes {
            cpu_ns: 30,
            wait_ns: None,
        };
        assert_eq!(a.until(c).wait_ns, None);
    }
}
