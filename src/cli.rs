//! Command-line syntax: clap derive types only.
//!
//! Nothing here knows about the rest of the crate but the closed sets of
//! [`crate::kinds`] (sizes, suites, metrics, formats), which clap parses and
//! lists in `--help` and errors; `config/` and each command's own settings
//! turn these raw values into validated ones, so flags stop at this edge.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::kinds::{ExportFormat, Measure, Metric, OutputFormat, Size, Suites};

/// Build, run and measure equivalent workloads in Node.js, Python, Go and Rust.
#[derive(Debug, Parser)]
#[command(name = "langbench", version, about, long_about = None)]
pub struct Cli {
    /// Folder holding one sub-folder per workload (default: ./workloads, else the
    /// checkout this binary was built from).
    #[arg(long, global = true, value_name = "DIR")]
    pub workloads_dir: Option<PathBuf>,

    /// No progress bar and no informational lines on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// A JSON file of more runtimes (a language plus a command; see README,
    /// "Other runtimes"), besides the built-in ones.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "LANGBENCH_RUNTIMES_FILE"
    )]
    pub runtimes_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
// One value per process, parsed once: the size of its largest variant
// (`run`'s settings) costs nothing, and boxing it would only complicate clap's
// derive and every match.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List workloads and languages: availability and gzip source size.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show toolchains, machine facts and what would make timings unreliable.
    Doctor {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Build what needs building (Go and Rust binaries); up-to-date builds are skipped.
    Build(SelectArgs),
    /// Build what is missing, run the workloads, verify and measure them.
    Run(RunArgs),
    /// Time any command with the same runner (like `hyperfine -N`).
    Exec(ExecArgs),
    /// Load an HTTP server like wrk: keep-alive GETs on C connections, every response checked.
    Load(LoadArgs),
    /// Give each claim of the article a verdict from a results file; write REPORT.md,
    /// index.html and the charts.
    Report(ReportArgs),
    /// Compare two results files: change of each benchmark's median with a 95%
    /// bootstrap interval; exit 1 if any regressed beyond the threshold.
    Compare(CompareArgs),
    /// Export a results file for CI dashboards: github-action-benchmark,
    /// Bencher (BMF), CSV or a Markdown summary.
    Export(ExportArgs),
    /// Join the results files of `run --shard K/N` into one.
    Merge(MergeArgs),
    /// Trend of each benchmark across results files (oldest first by start time):
    /// a chart per benchmark and the runs where its level stepped up or down;
    /// exits 0 whatever it finds.
    History(HistoryArgs),
    /// Extra runtimes of the languages (Bun, Deno, other Node.js versions, PyPy,
    /// a free-threaded CPython, an older Go).
    Runtimes {
        #[command(subcommand)]
        command: RuntimesCommand,
    },
}

/// The subcommands of `langbench runtimes`.
#[derive(Debug, Subcommand)]
pub enum RuntimesCommand {
    /// Install runtimes from the npm registry, Debian and the Go module proxy,
    /// each at a pinned version; exit 1 if any failed.
    Install(RuntimesInstallArgs),
}

/// Options of `langbench runtimes install`.
#[derive(Debug, Args)]
pub struct RuntimesInstallArgs {
    /// Runtimes to install, or `all` (an unknown name lists the installable ones).
    #[arg(value_name = "NAME", required = true, num_args = 1..)]
    pub names: Vec<String>,

    /// Print one JSON object per runtime (an array) instead of lines.
    #[arg(long)]
    pub json: bool,
}

/// Options of `langbench compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The baseline results file.
    #[arg(value_name = "BASE")]
    pub base: PathBuf,

    /// The results file to judge against BASE.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,

    /// Noise threshold in percent: a change counts only when its whole
    /// interval is beyond it; on a deterministic count (instructions,
    /// estimated_cycles), when the ratio of medians is (default: 5, and 1 on
    /// a count).
    #[arg(long, value_name = "PCT", allow_negative_numbers = true)]
    pub threshold: Option<f64>,

    /// The metric compared (default: kernel_time; instructions when the files
    /// hold instruction counts and no times).
    #[arg(long, value_enum, value_name = "NAME")]
    pub metric: Option<Metric>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table, value_name = "FORMAT")]
    pub format: OutputFormat,

    /// Go on (with a warning) when the two files come from different machines.
    #[arg(long)]
    pub force: bool,
}

/// Options of `langbench history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Two or more results files. Runs are ordered by their start time
    /// (`started_at`), not by the order given here.
    #[arg(value_name = "FILES", required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,

    /// The metric followed (default: kernel_time; instructions when the files
    /// hold instruction counts and no times).
    #[arg(long, value_enum, value_name = "NAME")]
    pub metric: Option<Metric>,

    /// A step counts only when the medians before and after it differ by more
    /// than this, in percent (default: 5, and 1 on a deterministic count).
    #[arg(long, value_name = "PCT", allow_negative_numbers = true)]
    pub threshold: Option<f64>,

    /// Folder for the charts (<benchmark>.svg and .png) and HISTORY.md.
    #[arg(long, default_value = "history", value_name = "DIR")]
    pub out: PathBuf,

    /// Output format of the steps.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table, value_name = "FORMAT")]
    pub format: OutputFormat,
}

/// Options of `langbench report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Results file (default: results/latest.json).
    #[arg(value_name = "RESULTS")]
    pub results: Option<PathBuf>,

    /// Claims file (default: the article's claims, claims/article.json).
    #[arg(long, value_name = "FILE")]
    pub claims: Option<PathBuf>,

    /// Folder for REPORT.md, index.html and charts/ (default: the results file's
    /// path without .json, plus -report).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Which workloads and languages to take.
#[derive(Debug, Args, Clone, Default)]
pub struct SelectArgs {
    /// Workloads to take (repeat or comma-separate); default: all.
    #[arg(
        long = "workload",
        short = 'w',
        value_delimiter = ',',
        value_name = "NAME"
    )]
    pub workloads: Vec<String>,

    /// Languages to take: node, python, go, rust (repeat or comma-separate); default: all.
    #[arg(long = "lang", short = 'l', value_delimiter = ',', value_name = "LANG")]
    pub langs: Vec<String>,

    /// Runtimes to take by name, e.g. bun, pypy, go1.24 (repeat or
    /// comma-separate), or `all` for every runtime of the languages taken;
    /// default: each language's default runtime. `langbench list` shows them.
    #[arg(
        long = "runtime",
        visible_alias = "runtimes",
        value_delimiter = ',',
        value_name = "NAME"
    )]
    pub runtimes: Vec<String>,
}

/// Options of `langbench run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub select: SelectArgs,

    /// Suites to run: cpu (programs run to completion), io (servers under load),
    /// concurrency (tasks and parallel scaling, at a sweep of levels) or all.
    #[arg(long, value_enum, default_value_t = Suites::All, value_name = "SUITE")]
    pub suite: Suites,

    /// Same as `--size quick`.
    #[arg(long, conflicts_with = "size")]
    pub quick: bool,

    /// Problem size from each manifest (default: default).
    #[arg(long, value_enum, value_name = "NAME")]
    pub size: Option<Size>,

    /// Measured runs per workload and language (default: 3 quick, 6 default, 3 full;
    /// the concurrency suite: what each manifest gives per level).
    #[arg(long, value_name = "N")]
    pub runs: Option<u32>,

    /// Warm-up runs, verified but not measured (default: 1 quick and default, 0 full;
    /// the concurrency suite: none).
    #[arg(long, value_name = "N")]
    pub warmup: Option<u32>,

    /// Kernel time each measured run of the cpu and concurrency suites aims
    /// at, e.g. 2s, 500ms: its iteration count is this budget over the time
    /// of one iteration on the warm-up run (at least the manifest's count, at
    /// most 500), so a fast kernel makes enough iterations for its steady
    /// state to be classified; 0: the manifest's count (default: 200ms quick,
    /// 2s default and full).
    #[arg(long, value_name = "DURATION")]
    pub iteration_budget: Option<String>,

    /// Kill a run that takes longer, e.g. 90s, 2m (default: 60s quick, 120s default, 30m full;
    /// a run under valgrind: 10m, 30m full).
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,

    /// What to measure: time (every suite; what claims are decided on),
    /// instructions (instructions and estimated cycles per kernel iteration
    /// under valgrind's cachegrind: the CPU suite and parallel at W=1;
    /// deterministic, for regression gates), or both (time,instructions).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "time",
        value_name = "WHAT"
    )]
    pub measure: Vec<Measure>,

    /// Repeats of each instruction count (each two runs under valgrind, at K1
    /// and K2 iterations); from 2 on, a spread beyond the runtime's tolerance
    /// is flagged non-deterministic (default: 1 quick, 2 default and full).
    #[arg(long, value_name = "N")]
    pub count_runs: Option<u32>,

    /// Runs under valgrind at once (default: one per CPU). Counts do not
    /// depend on what else runs; timed runs are always one at a time.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Rounds of each io level: the servers of a scenario all started, then
    /// at each level loaded in turn, in a shuffled order per round; the
    /// level's median and interval come from the rounds (default: 1 quick,
    /// 3 default and full).
    #[arg(long, value_name = "N")]
    pub io_rounds: Option<u32>,

    /// How long a server of the io suite may take to print its ready line.
    #[arg(long, default_value = "30s", value_name = "DURATION")]
    pub server_ready_timeout: String,

    /// CPUs the servers of the io suite are pinned to (default: 0).
    #[arg(long, value_name = "LIST")]
    pub server_cpus: Option<String>,

    /// CPUs the load generator is pinned to (default: the last CPU).
    #[arg(long, value_name = "LIST")]
    pub client_cpus: Option<String>,

    /// Results file (default: results/runs/<time>.json, and results/latest.json points at it).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Do not write the report (verdicts, charts) at the end.
    #[arg(long)]
    pub no_report: bool,

    /// Claims file for the report (default: the article's claims, claims/article.json).
    #[arg(long, value_name = "FILE")]
    pub claims: Option<PathBuf>,

    /// Folder for the report (default: the results file's path without .json, plus -report).
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,

    /// Compare the run with this results file at the end (like `langbench
    /// compare BASELINE NEW` on kernel time); exit 1 on a regression.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Noise threshold of the comparison with --baseline, in percent
    /// (default: 5 on kernel time, 1 on instructions).
    #[arg(long, value_name = "PCT", requires = "baseline")]
    pub threshold: Option<f64>,

    /// With --baseline: go on (with a warning) when the baseline comes from
    /// another machine.
    #[arg(long, requires = "baseline")]
    pub force: bool,

    /// Run only part K of N of the selected benchmarks (e.g. 2/3), for a CI
    /// matrix; `langbench merge` joins the parts. No report is written for a part.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,

    /// Replace every child by a deterministic stand-in (for exact output tests).
    #[arg(long, hide = true)]
    pub debug_mock: bool,
}

/// Options of `langbench exec`.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Measured runs.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub runs: u32,

    /// Warm-up runs, not measured.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub warmup: u32,

    /// Kill a run that takes longer, e.g. 10s.
    #[arg(long, default_value = "10m", value_name = "DURATION")]
    pub timeout: String,

    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,

    /// Replace the child by a deterministic stand-in (for exact output tests).
    #[arg(long, hide = true)]
    pub debug_mock: bool,

    /// The command and its arguments, run directly (no shell).
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<String>,
}

/// Options of `langbench load`.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// The URL to GET, e.g. http://127.0.0.1:8080/json (loopback only unless --allow-remote).
    pub url: String,

    /// Concurrent connections (closed model: one request in flight on each).
    #[arg(long, short = 'c', default_value_t = 64, value_name = "N")]
    pub connections: usize,

    /// Measured duration, e.g. 10s.
    #[arg(long, short = 'd', default_value = "10s", value_name = "DURATION")]
    pub duration: String,

    /// Load before measuring, not counted (JIT and connection warm-up); 0 for none.
    #[arg(long, default_value = "1s", value_name = "DURATION")]
    pub warmup: String,

    /// Open model: this many requests per second in total, latency counted
    /// from each request's intended send time.
    #[arg(long, value_name = "RPS")]
    pub rate: Option<f64>,

    /// A response slower than this is a timeout.
    #[arg(long, default_value = "5s", value_name = "DURATION")]
    pub timeout: String,

    /// The exact body every 2xx response must have; others are counted as mismatches.
    #[arg(long, value_name = "TEXT")]
    pub expect_body: Option<String>,

    /// Allow a host that is not on this machine's loopback interface.
    #[arg(long)]
    pub allow_remote: bool,

    /// Pin the generator to these CPUs, e.g. 1 or 0-1.
    #[arg(long, value_name = "LIST")]
    pub cpus: Option<String>,

    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Options of `langbench export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The results file.
    #[arg(value_name = "RESULTS")]
    pub results: PathBuf,

    /// The format: github-smaller and github-bigger are github-action-benchmark's
    /// customSmallerIsBetter and customBiggerIsBetter, bencher the Bencher Metric Format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: ExportFormat,

    /// Metrics to export (repeat or comma-separate; default: every metric the
    /// format can hold).
    #[arg(
        long = "metric",
        value_enum,
        value_delimiter = ',',
        value_name = "NAME"
    )]
    pub metrics: Vec<Metric>,

    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Options of `langbench merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Results files of the shards of one run.
    #[arg(value_name = "FILES", required = true, num_args = 2..)]
    pub files: Vec<PathBuf>,

    /// The merged results file.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// Go on (with a warning) when the files come from different machines.
    #[arg(long)]
    pub force: bool,

    /// Merge even if shards are missing; the file records the shards it holds.
    #[arg(long)]
    pub partial: bool,
}

/// A bad value of a closed set (`--size huge`) as one line that says what
/// and where and lists the valid values; None for every other clap error
/// (help, version, a missing argument), which clap prints itself.
pub fn one_line(err: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if err.kind() != ErrorKind::InvalidValue {
        return None;
    }
    let text = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg)?;
    let flag = arg.split_whitespace().next().unwrap_or(&arg);
    let value = text(ContextKind::InvalidValue)?;
    let valid = match err.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(v)) => v.join(", "),
        _ => return None,
    };
    Some(format!("unknown {flag} value '{value}' (valid: {valid})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_bad_closed_set_value_is_one_line() {
        let err = Cli::try_parse_from(["langbench", "run", "--size", "huge"]).unwrap_err();
        assert_eq!(
            one_line(&err).as_deref(),
            Some("unknown --size value 'huge' (valid: quick, default, full)")
        );
        let help = Cli::try_parse_from(["langbench", "--help"]).unwrap_err();
        assert_eq!(one_line(&help), None);
    }

    #[test]
    fn comma_separated_lists() {
        let cli = Cli::parse_from([
            "langbench",
            "run",
            "-l",
            "go,rust",
            "-w",
            "nbody",
            "--quick",
        ]);
        let Command::Run(run) = cli.command else {
            panic!("not run")
        };
        assert_eq!(run.select.langs, ["go", "rust"]);
        assert_eq!(run.select.workloads, ["nbody"]);
        assert!(run.quick);
    }
}
