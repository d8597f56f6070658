//! Instruction counts under valgrind's cachegrind: the measurement core of a
//! regression gate that wall time on a shared VM is too noisy for.
//!
//! In: the argv that runs a workload (from `lang::build::prepare`, with its
//! parameters), the [`Determinism`] settings of its runtime and a path for
//! cachegrind's out file. Out: the [`Invocation`] to start (no shell), the
//! [`Counts`] parsed from the out file, Gungraun's estimated cycles, and the
//! per-iteration figure from two whole-process counts at K1 < K2 iterations
//! ([`PerIteration`]), which leaves start-up and the first iterations out.
//!
//! The command is `setarch <arch> -R valgrind --tool=cachegrind
//! --cache-sim=yes --branch-sim=no --I1=… --D1=… --LL=…
//! --cachegrind-out-file=<file> <program> <args>`. `setarch -R` turns off
//! address-space randomisation, so the simulated cache sees the same addresses
//! each run; the cache geometry is fixed (not the host's), so counts agree
//! across machines; both simulation switches are explicit because valgrind
//! 3.21 turned `--cache-sim` off by default, and `~/.valgrindrc` or
//! `VALGRIND_OPTS` could turn either on or off. `--trace-children` is not
//! given: every program is started directly (Go and Rust binaries, the real
//! Python interpreter, `node`), and valgrind follows `fork` without it, so a
//! forking program (python-processes) is measured too; each process writes its
//! own out file when the name holds `%p`, and the counts add up ([`Counts`]
//! implements `Add`). Without `%p` the processes overwrite one file.
//!
//! What the settings buy, measured with `scripts/instruction-spread.py`
//! (quick sizes, three repeats; spread = (max − min) / median of Ir per
//! iteration, without the settings → with them): Node 14%–3000% → at most
//! 0.06%; Python 0.1%–0.7% → 0.000%; Go's GC-heavy json and binary-trees,
//! 10%–15% over seven repeats with only `GOMAXPROCS=1 asyncpreemptoff=1` →
//! 0.05%–0.7% with stop-the-world collections. Rust needs none: exact, or
//! within 0.01% where a randomly seeded `HashMap` (json) or the number of
//! digits of the printed times moves a few instructions. What is left is
//! Go's: a run starts one runtime thread more or less and now and then
//! searches its page allocator (±10,000 instructions a run, once in a while
//! 80,000), so the smallest kernel (nbody, 0.7M instructions an iteration)
//! spreads up to 9% over three repeats; the median holds.
//!
//! The program sees only the environment [`invocation`] gives it
//! ([`BASE_ENV`] and the runtime's settings), never the caller's: an
//! inherited variable can do work of its own that moves the counts, and the
//! caller's differ between a shell and CI. Measured here: Node 20 parses the
//! bundle `NODE_EXTRA_CA_CERTS` names at start-up (`valgrind --tool=cachegrind
//! node -e 0`: 506M instructions with it set, 90M without), and the heap it
//! leaves behind changes when the collector runs later (json/node 61.94M
//! instructions an iteration counted in the caller's environment, 61.23M in
//! this one: `scripts/instruction-spread.py -w json -l node --runs 1`, with and
//! without `--in-place`); `VALGRIND_OPTS` and `~/.valgrindrc` (read through
//! `HOME`) would change valgrind's own switches. `setarch` and `valgrind` are
//! named by their absolute paths, found on the caller's PATH, so the
//! program's own PATH can be fixed. Where the program's files lie matters
//! too: see [`stage`].

pub mod stage;

use std::ops::Add;
use std::path::{Path, PathBuf};

use crate::paths::find_in_path;

/// valgrind and its tool switches, both simulations named explicitly (3.21
/// turned `--cache-sim` off by default; `VALGRIND_OPTS` could change either).
pub const TOOL: [&str; 4] = [
    "valgrind",
    "--tool=cachegrind",
    "--cache-sim=yes",
    "--branch-sim=no",
];

/// The simulated caches, fixed rather than the host's: 32 KiB 8-way L1
/// instruction and data caches and an 8 MiB 16-way last-level cache, 64-byte lines.
pub const CACHES: [&str; 3] = ["--I1=32768,8,64", "--D1=32768,8,64", "--LL=8388608,16,64"];

/// The events read from an out file, in cachegrind's order.
pub const EVENTS: [&str; 9] = [
    "Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw",
];

/// What makes one runtime's counts repeatable: env vars to set and flags that
/// go between the interpreter and its script.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Determinism {
    /// Environment variables to set, as (name, value).
    pub env: &'static [(&'static str, &'static str)],
    /// Flags placed right after the interpreter (argv\[0\]), before the script.
    pub interpreter_flags: &'static [&'static str],
    /// The iterations of the first run, K1: start-up and the iterations that
    /// still compile or warm up end before it, so the difference leaves them out.
    pub k1: u64,
    /// The iterations of the second run, K2 > K1 (raised when the window
    /// between them holds fewer than [`MIN_WINDOW`] instructions).
    pub k2: u64,
    /// The run-to-run spread of instructions per iteration, (max − min) /
    /// median in percent, beyond which a benchmark is flagged
    /// non-deterministic: what `scripts/instruction-spread.py` measured for
    /// the runtime, with room.
    pub tolerance_pct: f64,
    /// The fewest instructions the window between K1 and K2 should hold
    /// (see [`widened_k2`]).
    pub min_window: f64,
    /// About how long counting one benchmark of this runtime takes at the
    /// quick size here, in seconds: the median valgrind time of a benchmark's
    /// runs that `scripts/instruction-counts.py wall` prints (Node 22.9 s,
    /// CPython 15.6, Go 2.4, Rust 1.0). Side-by-side counts start the longest
    /// first, so the last to finish is a short one.
    pub typical_secs: u32,
}

impl Determinism {
    /// No settings: native binaries with no runtime of their own (Rust).
    pub const NONE: Determinism = Determinism {
        env: &[],
        interpreter_flags: &[],
        k1: 2,
        k2: 4,
        tolerance_pct: 0.01,
        min_window: MIN_WINDOW,
        typical_secs: 1,
    };

    /// CPython: a fixed string-hash seed, so set and dict iteration orders
    /// (and the work they imply) are the same each run; no bytecode cache
    /// written, so the K2 process does not load what the K1 one compiled. K1 = 1: imports and
    /// the specialising interpreter's quickening are done within the first
    /// iteration; the second agrees with the mean of the third and fourth
    /// within 0.8% (binary-trees; 0.2% or less elsewhere), and one iteration
    /// fewer per run halves the cost of CPython's large kernels under valgrind.
    pub const CPYTHON: Determinism = Determinism {
        env: &[("PYTHONHASHSEED", "0"), ("PYTHONDONTWRITEBYTECODE", "1")],
        interpreter_flags: &[],
        k1: 1,
        k2: 2,
        tolerance_pct: 0.01,
        min_window: MIN_WINDOW,
        typical_secs: 16,
    };

    /// Node.js (V8): compile and collect on the main thread, in a repeatable
    /// order (`--single-threaded`, `--predictable`), with fixed hash and
    /// `Math.random` seeds. Without them the spread of Ir per iteration
    /// reaches 36% (binary-trees) to 3000% (nbody). CodSpeed's
    /// `--predictable-gc-schedule --no-concurrent-sweeping` are left out: with
    /// or without them every workload stays within 0.02%, and they change the
    /// figures (json 65.8M instructions per iteration with, 61.2M without).
    /// K1 = 8: V8 still compiles hot functions in iterations 3 and 4 at the
    /// quick sizes (nbody counts 10x its steady figure at K1 = 2).
    pub const NODE: Determinism = Determinism {
        env: &[],
        interpreter_flags: &[
            "--single-threaded",
            "--predictable",
            "--hash-seed=1",
            "--random-seed=1",
        ],
        k1: 8,
        k2: 16,
        tolerance_pct: 0.1,
        min_window: MIN_WINDOW,
        typical_secs: 23,
    };

    /// Go: one P, no signal-based preemption (its timing is wall-clock), and
    /// stop-the-world collections: a concurrent GC splits its work between
    /// background workers and allocating goroutines by the clock, which moves
    /// the next cycle's trigger (binary-trees spread 15% without, 0.7–1.4% with).
    /// GOGC=off would be tighter still (0.1%) but leaves collection out.
    /// What is left moves by whole collections (binary-trees: 0.6% over a
    /// window of 127M instructions), so Go's window is wider: 500M.
    pub const GO: Determinism = Determinism {
        env: &[
            ("GOMAXPROCS", "1"),
            ("GODEBUG", "asyncpreemptoff=1,gcstoptheworld=1"),
        ],
        interpreter_flags: &[],
        k1: 2,
        k2: 4,
        tolerance_pct: 0.5,
        min_window: 5.0 * MIN_WINDOW,
        typical_secs: 2,
    };

    /// `program` (argv\[0\] the interpreter or binary, then its arguments) with
    /// the interpreter flags inserted after argv\[0\] (an empty argv stays empty).
    pub fn apply(&self, program: &[String]) -> Vec<String> {
        let Some((first, rest)) = program.split_first() else {
            return Vec::new();
        };
        let mut argv = Vec::with_capacity(program.len() + self.interpreter_flags.len());
        argv.push(first.clone());
        argv.extend(self.interpreter_flags.iter().map(|f| f.to_string()));
        argv.extend(rest.iter().cloned());
        argv
    }
}

/// `valgrind --version` (e.g. `valgrind-3.19.0`), after checking that
/// valgrind and `setarch` can be started; else one line saying what is
/// missing and how to get it.
pub fn probe() -> Result<String, String> {
    let version = |program: &str| {
        std::process::Command::new(program)
            .arg("--version")
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let valgrind = version("valgrind").ok_or(
        "--measure instructions needs valgrind, which is not on PATH \
         (Debian: apt-get install valgrind)",
    )?;
    version("setarch").ok_or(
        "--measure instructions needs setarch (to turn address randomisation off), \
         which is not on PATH (Debian: package util-linux)",
    )?;
    Ok(valgrind)
}

/// A process to start, directly: its argv and its whole environment (nothing
/// is inherited).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// `setarch <arch> -R valgrind …` followed by the program.
    pub argv: Vec<String>,
    /// The environment, as (name, value): [`BASE_ENV`], then the runtime's
    /// settings.
    pub env: Vec<(String, String)>,
}

/// The variables every counted process gets besides its runtime's settings:
/// the same on every machine (programs are named by absolute paths).
pub const BASE_ENV: [(&str, &str); 2] = [
    ("LC_ALL", "C.UTF-8"),
    ("PATH", "/usr/local/bin:/usr/bin:/bin"),
];

/// `setarch`'s and `valgrind`'s absolute paths on the caller's PATH, looked
/// up once; a bare name when one is not there (the start then fails with the
/// name in the message).
fn tool_paths() -> &'static [String; 2] {
    static PATHS: std::sync::OnceLock<[String; 2]> = std::sync::OnceLock::new();
    PATHS.get_or_init(|| {
        ["setarch", TOOL[0]].map(|program| {
            find_in_path(program)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|| program.to_string())
        })
    })
}

/// The cachegrind command for `program` (interpreter or binary, then its
/// arguments) with `settings`, writing its counts to `out_file` (`%p` in the
/// name stands for the process id, one file per process).
pub fn invocation(program: &[String], settings: &Determinism, out_file: &Path) -> Invocation {
    let [setarch, valgrind] = tool_paths().clone();
    let mut argv = vec![
        setarch,
        std::env::consts::ARCH.to_string(),
        "-R".to_string(),
        valgrind,
    ];
    argv.extend(TOOL[1..].iter().chain(CACHES.iter()).map(|s| s.to_string()));
    argv.push(format!("--cachegrind-out-file={}", out_file.display()));
    argv.extend(settings.apply(program));
    let env = BASE_ENV
        .iter()
        .chain(settings.env.iter())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Invocation { argv, env }
}

/// What went wrong reading counts or deriving a per-iteration figure.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// The out file could not be read.
    #[error("reading cachegrind out file '{path}': {message}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        message: String,
    },
    /// A required line (`events:` or `summary:`) is not in the file.
    #[error("no '{0}:' line in the cachegrind out file (was it cut short?)")]
    MissingLine(&'static str),
    /// A line appears twice (two files concatenated?).
    #[error("two '{0}:' lines in the cachegrind out file")]
    DuplicateLine(&'static str),
    /// An event the formulas need was not collected.
    #[error("event {0} is not in the 'events:' line (was --cache-sim=yes given?)")]
    MissingEvent(&'static str),
    /// The summary has a different number of values than there are events.
    #[error("'summary:' has {values} values for {events} events")]
    LengthMismatch {
        /// Events named by the `events:` line.
        events: usize,
        /// Values on the `summary:` line.
        values: usize,
    },
    /// A summary value is not a non-negative integer.
    #[error("'summary:' value '{0}' is not a count")]
    BadValue(String),
    /// K1 must be below K2.
    #[error("iteration counts must rise: K1 = {k1} is not below K2 = {k2}")]
    IterationOrder {
        /// Iterations of the first run.
        k1: u64,
        /// Iterations of the second run.
        k2: u64,
    },
    /// The run with more iterations counted less: not one program, or not deterministic.
    #[error("the count fell from {low} at K1 = {k1} to {high} at K2 = {k2}")]
    NegativeDifference {
        /// Iterations of the first run.
        k1: u64,
        /// Its count.
        low: u64,
        /// Iterations of the second run.
        k2: u64,
        /// Its count.
        high: u64,
    },
}

/// The whole-process totals of a cachegrind run (the `summary:` line).
/// Every field is a number of events: instructions or data accesses, or
/// misses of the simulated caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Instructions executed.
    pub ir: u64,
    /// L1 instruction-cache read misses.
    pub i1mr: u64,
    /// Last-level cache instruction read misses.
    pub ilmr: u64,
    /// Data reads.
    pub dr: u64,
    /// L1 data-cache read misses.
    pub d1mr: u64,
    /// Last-level cache data read misses.
    pub dlmr: u64,
    /// Data writes.
    pub dw: u64,
    /// L1 data-cache write misses.
    pub d1mw: u64,
    /// Last-level cache data write misses.
    pub dlmw: u64,
}

impl Counts {
    /// Reads and parses a cachegrind out file.
    pub fn read(path: &Path) -> Result<Counts, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        Counts::parse(&text)
    }

    /// Parses the text of a cachegrind out file: the `events:` line names
    /// the columns (extra events such as branch counts are ignored) and the
    /// `summary:` line holds the totals.
    pub fn parse(text: &str) -> Result<Counts, Error> {
        let events = only_line(text, "events")?;
        let values = only_line(text, "summary")?;
        if events.len() != values.len() {
            return Err(Error::LengthMismatch {
                events: events.len(),
                values: values.len(),
            });
        }
        let mut found = [0u64; EVENTS.len()];
        for (slot, name) in found.iter_mut().zip(EVENTS) {
            let at = events
                .iter()
                .position(|e| *e == name)
                .ok_or(Error::MissingEvent(name))?;
            *slot = values[at]
                .parse()
                .map_err(|_| Error::BadValue(values[at].to_string()))?;
        }
        let [ir, i1mr, ilmr, dr, d1mr, dlmr, dw, d1mw, dlmw] = found;
        Ok(Counts {
            ir,
            i1mr,
            ilmr,
            dr,
            d1mr,
            dlmr,
            dw,
            d1mw,
            dlmw,
        })
    }

    /// Accesses that hit L1: Ir + Dr + Dw − (I1mr + D1mr + D1mw).
    pub fn l1_hits(&self) -> u64 {
        (self.ir + self.dr + self.dw).saturating_sub(self.l1_misses())
    }

    /// Accesses that missed L1 and hit the last-level cache:
    /// (I1mr + D1mr + D1mw) − (ILmr + DLmr + DLmw).
    pub fn ll_hits(&self) -> u64 {
        self.l1_misses().saturating_sub(self.ram_hits())
    }

    /// Accesses that missed every cache: ILmr + DLmr + DLmw.
    pub fn ram_hits(&self) -> u64 {
        self.ilmr + self.dlmr + self.dlmw
    }

    /// Gungraun's estimated cycles: L1 hits + 5 × LL hits + 35 × RAM hits.
    pub fn estimated_cycles(&self) -> u64 {
        self.l1_hits() + 5 * self.ll_hits() + 35 * self.ram_hits()
    }

    fn l1_misses(&self) -> u64 {
        self.i1mr + self.d1mr + self.d1mw
    }
}

/// Counts of two processes added (the processes of a forking program).
impl Add for Counts {
    type Output = Counts;

    fn add(self, o: Counts) -> Counts {
        Counts {
            ir: self.ir + o.ir,
            i1mr: self.i1mr + o.i1mr,
            ilmr: self.ilmr + o.ilmr,
            dr: self.dr + o.dr,
            d1mr: self.d1mr + o.d1mr,
            dlmr: self.dlmr + o.dlmr,
            dw: self.dw + o.dw,
            d1mw: self.d1mw + o.d1mw,
            dlmw: self.dlmw + o.dlmw,
        }
    }
}

/// The values of the one line starting `<name>:`.
fn only_line<'a>(text: &'a str, name: &'static str) -> Result<Vec<&'a str>, Error> {
    let prefix = format!("{name}:");
    let mut lines = text.lines().filter_map(|l| l.strip_prefix(prefix.as_str()));
    let line = lines.next().ok_or(Error::MissingLine(name))?;
    if lines.next().is_some() {
        return Err(Error::DuplicateLine(name));
    }
    Ok(line.split_whitespace().collect())
}

/// The fewest instructions the window between K1 and K2 iterations should
/// hold. A runtime's run-to-run noise is a number of instructions per process
/// (Go's: one runtime thread more or less, a page-allocator search: up to
/// 80,000), not a share of the kernel, so a small kernel (Go's nbody at the
/// quick size, 0.7M instructions an iteration) needs more iterations between
/// the two runs for that noise to stay under 0.1%.
pub const MIN_WINDOW: f64 = 100e6;

/// The most iterations the second run may be given when the window is widened.
pub const MAX_K2: u64 = 2_000;

/// K2 for a kernel of `per_iteration` instructions measured between `k1` and
/// `k2`: `k2` when the window already holds `min_window` instructions
/// ([`MIN_WINDOW`], or the runtime's), else the K2 whose window does (at most
/// [`MAX_K2`]).
pub fn widened_k2(k1: u64, k2: u64, per_iteration: f64, min_window: f64) -> u64 {
    if per_iteration <= 0.0 || per_iteration * (k2 - k1) as f64 >= min_window {
        return k2;
    }
    let needed = (min_window / per_iteration).ceil() as u64;
    (k1 + needed).clamp(k2, MAX_K2.max(k2))
}

/// (max − min) / median of `values`, in percent (0 for fewer than two values).
pub fn spread_pct(values: &[f64]) -> f64 {
    match crate::stats::Sample::new(values.to_vec()) {
        Ok(s) if s.len() >= 2 && s.median() > 0.0 => (s.max() - s.min()) / s.median() * 100.0,
        _ => 0.0,
    }
}

/// The counts of one whole run and the `--iterations` it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountedRun {
    /// Iterations the program ran (K).
    pub iterations: u64,
    /// Its whole-process counts.
    pub counts: Counts,
}

/// Events per iteration, from two whole-process counts at K1 < K2
/// iterations: (count(K2) − count(K1)) / (K2 − K1), in events per iteration.
pub fn per_iteration(k1: u64, count_k1: u64, k2: u64, count_k2: u64) -> Result<f64, Error> {
    if k1 >= k2 {
        return Err(Error::IterationOrder { k1, k2 });
    }
    if count_k2 < count_k1 {
        return Err(Error::NegativeDifference {
            k1,
            low: count_k1,
            k2,
            high: count_k2,
        });
    }
    Ok((count_k2 - count_k1) as f64 / (k2 - k1) as f64)
}

/// What one iteration costs, start-up and the first K1 iterations left out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PerIteration {
    /// Instructions per iteration.
    pub instructions: f64,
    /// Gungraun's estimated cycles per iteration.
    pub estimated_cycles: f64,
}

impl PerIteration {
    /// The figures between `low` (K1 iterations) and `high` (K2 > K1).
    pub fn between(low: &CountedRun, high: &CountedRun) -> Result<PerIteration, Error> {
        let (k1, k2) = (low.iterations, high.iterations);
        Ok(PerIteration {
            instructions: per_iteration(k1, low.counts.ir, k2, high.counts.ir)?,
            estimated_cycles: per_iteration(
                k1,
                low.counts.estimated_cycles(),
                k2,
                high.counts.estimated_cycles(),
            )?,
        })
    }
}

#[cfg(test)]
mod tests;
