//! CPU pinning: parse CPU lists (`0`, `0,2`, `1-3`) and pin a process to them,
//! so a server and its load generator do not compete for the same core.

/// Parses a CPU list such as `0`, `0,2` or `1-3`.
pub fn parse_cpu_list(text: &str) -> Result<Vec<usize>, String> {
    let mut cpus = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || format!("'{text}' is not a CPU list (e.g. 0, 0,2 or 1-3)");
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (usize, usize) =
                    (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
                if a > b {
                    return Err(bad());
                }
                cpus.extend(a..=b);
            }
            None => cpus.push(part.parse().map_err(|_| bad())?),
        }
    }
    if cpus.is_empty() {
        return Err(format!("'{text}' names no CPU"));
    }
    cpus.sort_unstable();
    cpus.dedup();
    Ok(cpus)
}

/// Checks that every CPU exists on this machine (and fits a `cpu_set_t`).
pub fn check_cpus(cpus: &[usize]) -> Result<(), String> {
    // SAFETY: sysconf has no preconditions.
    let online = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) }.max(1) as usize;
    let limit = online.min(libc::CPU_SETSIZE as usize);
    match cpus.iter().find(|&&c| c >= limit) {
        Some(c) => Err(format!(
            "CPU {c} does not exist (this machine has CPUs 0-{})",
            limit - 1
        )),
        None => Ok(()),
    }
}

/// Pins thread `pid` (0: the calling thread, and the threads it starts later;
/// in a child before exec, the whole new process) to `cpus`.
pub fn pin(pid: i32, cpus: &[usize]) -> std::io::Result<()> {
    // SAFETY: a zeroed cpu_set_t is the empty set; CPU_SET writes inside it.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    for &cpu in cpus.iter().filter(|&&c| c < libc::CPU_SETSIZE as usize) {
        // SAFETY: `set` is a valid cpu_set_t and `cpu` is within its size.
        unsafe { libc::CPU_SET(cpu, &mut set) };
    }
    // SAFETY: passes a valid cpu_set_t of the size given.
    if unsafe { libc::sched_setaffinity(pid, std::mem::size_of::<libc::cpu_set_t>(), &set) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists_and_ranges() {
        assert_eq!(parse_cpu_list("1").unwrap(), [1]);
        assert_eq!(parse_cpu_list("3,0-1,1").unwrap(), [0, 1, 3]);
        for bad in ["", "a", "2-1", "1-", ","] {
            assert!(parse_cpu_list(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cpus_must_exist() {
        assert!(check_cpus(&[0]).is_ok());
        assert!(check_cpus(&[5000])
            .unwrap_err()
            .contains("CPU 5000 does not exist"));
    }
}
