//! The machine's busy CPU time, from `/proc/stat`: read around a measured
//! child, it says how much CPU other work (other processes, the host's
//! steal, the harness itself) took while the child ran.

/// CPU time all CPUs spent busy since boot, in nanoseconds: user, nice,
/// system, irq, softirq and steal (guest time is inside user). None where
/// `/proc/stat` cannot be read.
pub fn busy_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/stat").ok()?;
    busy_ns_of(&text, clock_ticks())
}

/// The busy time of the `cpu` line of a `/proc/stat` text, with `hz` ticks per second.
fn busy_ns_of(text: &str, hz: u64) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("cpu "))?;
    let fields: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    // user nice system idle iowait irq softirq steal ...
    let ticks: u64 = [0, 1, 2, 5, 6, 7]
        .iter()
        .map(|&i| fields.get(i).copied().unwrap_or(0))
        .sum();
    Some(ticks.saturating_mul(1_000_000_000) / hz.max(1))
}

fn clock_ticks() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if hz > 0 {
        hz as u64
    } else {
        100
    }
}

/// CPU time other work took while a child ran: the machine's busy time
/// between `before` and `after` less the child's own CPU time.
pub fn others_ns(before: Option<u64>, after: Option<u64>, child_cpu_ns: u64) -> Option<u64> {
    Some(after?.saturating_sub(before?).saturating_sub(child_cpu_ns))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_the_busy_fields() {
        let text = "cpu  100 20 30 999 7 1 2 3 0 0\ncpu0 1 1 1 1 1 1 1 1 0 0\n";
        // 100 + 20 + 30 + 1 + 2 + 3 ticks at 100 Hz.
        assert_eq!(busy_ns_of(text, 100), Some(1_560_000_000));
        assert_eq!(busy_ns_of("intr 5\n", 100), None);
        assert_eq!(busy_ns_of("cpu  1 x\n", 100), None);
    }

    #[test]
    fn others_is_what_the_child_did_not_use() {
        assert_eq!(others_ns(Some(10), Some(50), 30), Some(10));
        assert_eq!(others_ns(Some(10), Some(20), 30), Some(0));
        assert_eq!(others_ns(None, Some(20), 0), None);
    }

    #[test]
    fn reads_this_machine() {
        assert!(busy_ns().is_some());
    }
}
