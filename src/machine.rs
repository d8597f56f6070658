//! What the machine is and what could make its timings unreliable.
//!
//! Read from /proc and /sys (Linux); anything unreadable is left empty
//! rather than guessed. [`warnings`] turns the facts into the advice
//! `langbench doctor` prints and every run records.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// The project's git state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitInfo {
    /// Full commit hash of HEAD.
    pub commit: String,
    /// True if the work tree had uncommitted changes.
    pub dirty: bool,
}

impl GitInfo {
    /// The commit's first 7 characters, with `*` when the tree was dirty.
    pub fn short(&self) -> String {
        let short: String = self.commit.chars().take(7).collect();
        if self.dirty {
            format!("{short}*")
        } else {
            short
        }
    }
}

/// Facts about the machine, read from /proc and /sys where available.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// Host name.
    pub hostname: String,
    /// CPU model name.
    pub cpu_model: String,
    /// Logical CPUs available to this process.
    pub logical_cpus: usize,
    /// Total memory, in bytes.
    pub memory_bytes: u64,
    /// Operating system and kernel release.
    pub kernel: String,
    /// Load average over 1, 5 and 15 minutes when the file was first written.
    pub load_average: [f64; 3],
    /// The cpufreq governor of CPU 0, if readable.
    pub cpu_governor: Option<String>,
    /// True if the CPU flags say this is a virtual machine.
    pub virtualized: bool,
}

/// How two machines differ (CPU model, logical CPUs, hostname), as results
/// files record them; empty if alike. Compare, merge and `run --baseline`
/// refuse (or, forced, warn about) runs of different machines.
pub fn machine_differences(a: &Machine, b: &Machine) -> Vec<String> {
    let mut out = Vec::new();
    if a.cpu_model != b.cpu_model {
        out.push(format!("CPU model '{}' vs '{}'", a.cpu_model, b.cpu_model));
    }
    if a.logical_cpus != b.logical_cpus {
        out.push(format!(
            "logical CPUs {} vs {}",
            a.logical_cpus, b.logical_cpus
        ));
    }
    if a.hostname != b.hostname {
        out.push(format!("hostname '{}' vs '{}'", a.hostname, b.hostname));
    }
    out
}

/// Reads the machine facts.
pub fn probe() -> Machine {
    let cpuinfo = read("/proc/cpuinfo");
    Machine {
        hostname: read("/proc/sys/kernel/hostname").trim().to_string(),
        cpu_model: cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default(),
        logical_cpus: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        memory_bytes: meminfo_kib("MemTotal") * 1024,
        kernel: format!(
            "{} {}",
            read("/proc/sys/kernel/ostype").trim(),
            read("/proc/sys/kernel/osrelease").trim()
        ),
        load_average: load_average(),
        cpu_governor: Some(
            read("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")
                .trim()
                .to_string(),
        )
        .filter(|g| !g.is_empty()),
        virtualized: cpuinfo
            .lines()
            .any(|l| l.starts_with("flags") && l.split_whitespace().any(|f| f == "hypervisor")),
    }
}

/// Things about `m` that make timings less reliable, one sentence each.
pub fn warnings(m: &Machine) -> Vec<String> {
    let mut w = Vec::new();
    let load = m.load_average[0];
    if load > 0.5 * m.logical_cpus as f64 {
        w.push(format!(
            "load average is {load:.2} on {} CPUs: other work competes with the benchmarks",
            m.logical_cpus
        ));
    }
    match m.cpu_governor.as_deref() {
        Some("performance") => {}
        Some(g) => w.push(format!(
            "CPU governor is '{g}', not 'performance': frequency scaling adds variance"
        )),
        None => w.push("CPU governor not readable: frequency scaling cannot be checked".into()),
    }
    if m.virtualized {
        w.push("running in a virtual machine: a noisy neighbour can steal CPU time; compare runs side by side".into());
    }
    if m.logical_cpus < 4 {
        w.push(format!(
            "only {} CPUs: the harness, the OS and the benchmark share them",
            m.logical_cpus
        ));
    }
    if cfg!(debug_assertions) {
        w.push("langbench itself is a debug build: use `cargo run --release`".into());
    }
    w
}

/// The git commit of the checkout holding `dir`, if any.
pub fn git_info(dir: &Path) -> Option<GitInfo> {
    let run = |args: &[&str]| {
        duct::cmd("git", args)
            .dir(dir)
            .stdout_capture()
            .stderr_null()
            .unchecked()
            .run()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let commit = run(&["rev-parse", "HEAD"])?;
    let dirty = run(&["status", "--porcelain"]).is_some_and(|s| !s.is_empty());
    Some(GitInfo { commit, dirty })
}

/// The current time as RFC 3339 (UTC, seconds).
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn meminfo_kib(key: &str) -> u64 {
    read("/proc/meminfo")
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn load_average() -> [f64; 3] {
    let text = read("/proc/loadavg");
    let mut it = text.split_whitespace().map(|v| v.parse().unwrap_or(0.0));
    [
        it.next().unwrap_or(0.0),
        it.next().unwrap_or(0.0),
        it.next().unwrap_or(0.0),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine() -> Machine {
        Machine {
            hostname: "h".into(),
            cpu_model: "cpu".into(),
            logical_cpus: 8,
            memory_bytes: 1,
            kernel: "Linux 6".into(),
            load_average: [0.1, 0.1, 0.1],
            cpu_governor: Some("performance".into()),
            virtualized: false,
        }
    }

    #[test]
    fn a_quiet_machine_has_no_warnings_in_release() {
        let w = warnings(&machine());
        assert_eq!(w.len(), usize::from(cfg!(debug_assertions)));
    }

    #[test]
    fn warns_about_load_governor_and_vm() {
        let mut m = machine();
        m.load_average[0] = 6.0;
        m.cpu_governor = Some("powersave".into());
        m.virtualized = true;
        let w = warnings(&m).join("\n");
        assert!(w.contains("load average is 6.00"));
        assert!(w.contains("'powersave'"));
        assert!(w.contains("virtual machine"));
    }

    #[test]
    fn probe_reads_this_machine() {
        let m = probe();
        assert!(m.logical_cpus >= 1);
        assert!(m.memory_bytes > 0);
        assert!(m.kernel.starts_with("Linux"));
    }
}
