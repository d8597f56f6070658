//! Validated settings of `run` (and `build`) built from the command line;
//! clap stops here. Also the checks other commands' settings share
//! (durations, run counts, thresholds); each of those commands keeps its own
//! settings type next to it in `commands/`.
//!
//! Names are checked against the workloads on disk, durations parsed, the
//! output path tested for writability, all before anything runs. Every
//! problem is an input error (exit code 2).

use std::time::Duration;

use anyhow::Result;

use crate::cli::{RunArgs, SelectArgs};
use crate::exit::input_error;
use crate::fsutil;
use crate::kinds::{Measure, Size, Suite, Suites};
use crate::lang::runtime::{Catalog, RuntimeDef};
use crate::lang::Lang;
pub use crate::paths::Paths;
use crate::results::OutputTarget;
use crate::workload::{
    self, ConcurrencyWorkload, Scenario, ServerWorkload, Vary, Workload, MAX_RUNS,
};

mod report;
pub mod shard;
pub use report::{check_threshold, Baseline, ReportSettings};
pub use shard::Shard;

/// The workloads, scenarios and languages chosen.
#[derive(Debug, Clone)]
pub struct Selection {
    /// CPU workloads, sorted by name.
    pub workloads: Vec<Workload>,
    /// Server scenarios with their workload, in manifest order.
    pub scenarios: Vec<(ServerWorkload, Scenario)>,
    /// Concurrency workloads, sorted by name.
    pub concurrency: Vec<ConcurrencyWorkload>,
    /// Languages, in [`Lang::ALL`] order: those of the runtimes.
    pub langs: Vec<Lang>,
    /// Runtimes, by language in [`Lang::ALL`] order, the default first.
    pub runtimes: Vec<RuntimeDef>,
}

impl Selection {
    /// True if something of `suite` was selected.
    pub fn has(&self, suite: Suite) -> bool {
        match suite {
            Suite::Cpu => !self.workloads.is_empty(),
            Suite::Io => !self.scenarios.is_empty(),
            Suite::Concurrency => !self.concurrency.is_empty(),
        }
    }

    /// Loads the workloads and checks every name asked for. A name is a CPU
    /// workload, a scenario, a server workload (all its scenarios) or a
    /// concurrency workload.
    pub fn from_args(args: &SelectArgs, suites: Suites, paths: &Paths) -> Result<Selection> {
        let catalog = workload::discover(&paths.workloads_dir)?;
        let wanted = |name: &str, other: &str| {
            args.workloads.is_empty() || args.workloads.iter().any(|w| w == name || w == other)
        };
        for name in &args.workloads {
            let known = catalog.cpu.iter().any(|w| &w.name == name)
                || catalog
                    .scenarios()
                    .any(|(w, s)| &w.name == name || &s.name == name)
                || catalog.concurrency.iter().any(|w| &w.name == name);
            if !known {
                let mut valid: Vec<&str> = catalog.cpu.iter().map(|w| w.name.as_str()).collect();
                valid.extend(catalog.scenarios().map(|(_, s)| s.name.as_str()));
                valid.extend(catalog.concurrency.iter().map(|w| w.name.as_str()));
                return Err(input_error(format!(
                    "unknown workload '{name}' (valid: {})",
                    valid.join(", ")
                )));
            }
        }
        let scenarios: Vec<(ServerWorkload, Scenario)> = if suites.has(Suite::Io) {
            catalog
                .scenarios()
                .filter(|(w, s)| wanted(&s.name, &w.name))
                .map(|(w, s)| (w.clone(), s.clone()))
                .collect()
        } else {
            Vec::new()
        };
        let workloads: Vec<Workload> = if suites.has(Suite::Cpu) {
            catalog
                .cpu
                .into_iter()
                .filter(|w| wanted(&w.name, &w.name))
                .collect()
        } else {
            Vec::new()
        };
        let concurrency: Vec<ConcurrencyWorkload> = if suites.has(Suite::Concurrency) {
            catalog
                .concurrency
                .into_iter()
                .filter(|w| wanted(&w.name, &w.name))
                .collect()
        } else {
            Vec::new()
        };
        if workloads.is_empty() && scenarios.is_empty() && concurrency.is_empty() {
            return Err(input_error(
                "the names given select nothing in the suites chosen (see --suite)",
            ));
        }
        let catalog = Catalog::load(paths.runtimes_file.as_deref()).map_err(input_error)?;
        let runtimes = select_runtimes(&catalog, &args.runtimes, &args.langs)?;
        let mut langs: Vec<Lang> = runtimes.iter().map(|r| r.lang).collect();
        langs.dedup();
        Ok(Selection {
            workloads,
            scenarios,
            concurrency,
            langs,
            runtimes,
        })
    }

    /// The server workloads of the selected scenarios, each once.
    pub fn server_workloads(&self) -> Vec<&ServerWorkload> {
        let mut out: Vec<&ServerWorkload> = Vec::new();
        for (w, _) in &self.scenarios {
            if !out.iter().any(|o| o.name == w.name) {
                out.push(w);
            }
        }
        out
    }
}

/// The runtimes `--runtime` names (`all`: every one of the languages of
/// `--lang`), else the default runtime of each language of `--lang`. A
/// runtime named with a `--lang` that leaves its language out is an error.
/// Ordered by language, the default first, then as the catalog lists them.
pub fn select_runtimes(
    catalog: &Catalog,
    names: &[String],
    lang_names: &[String],
) -> Result<Vec<RuntimeDef>> {
    let langs = parse_langs(lang_names)?;
    let mut chosen: Vec<&RuntimeDef> = Vec::new();
    if names.is_empty() {
        chosen = langs.iter().map(|&l| catalog.default_of(l)).collect();
    } else if names.iter().any(|n| n == "all") {
        chosen = catalog
            .all()
            .iter()
            .filter(|d| langs.contains(&d.lang))
            .collect();
    } else {
        for name in names {
            let def = catalog.get(name).map_err(input_error)?;
            if !langs.contains(&def.lang) {
                return Err(input_error(format!(
                    "runtime '{name}' runs {}, which --lang leaves out",
                    def.lang
                )));
            }
            if !chosen.iter().any(|c| c.name == def.name) {
                chosen.push(def);
            }
        }
    }
    let index = |d: &RuntimeDef| catalog.all().iter().position(|c| c.name == d.name);
    chosen.sort_by_key(|d| (d.lang, !d.is_default(), index(d)));
    Ok(chosen.into_iter().cloned().collect())
}

/// Parses language names; empty means all.
pub fn parse_langs(names: &[String]) -> Result<Vec<Lang>> {
    if names.is_empty() {
        return Ok(Lang::ALL.to_vec());
    }
    let mut langs = Vec::new();
    for name in names {
        let lang = Lang::parse(name).ok_or_else(|| {
            let valid: Vec<&str> = Lang::ALL.iter().map(|l| l.name()).collect();
            input_error(format!(
                "unknown language '{name}' (valid: {})",
                valid.join(", ")
            ))
        })?;
        if !langs.contains(&lang) {
            langs.push(lang);
        }
    }
    langs.sort();
    Ok(langs)
}

/// Everything `langbench run` needs.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Folders.
    pub paths: Paths,
    /// What to run.
    pub selection: Selection,
    /// How long a server may take to print its ready line.
    pub ready_timeout: Duration,
    /// CPUs the servers are pinned to.
    pub server_cpus: Vec<usize>,
    /// CPUs the load generator is pinned to.
    pub client_cpus: Vec<usize>,
    /// Rounds of each io level (`--io-rounds`).
    pub io_rounds: u32,
    /// The problem size of every manifest.
    pub size: Size,
    /// Measured runs per benchmark.
    pub runs: u32,
    /// Warm-up runs per benchmark.
    pub warmup: u32,
    /// `--runs` and `--warmup` as given: the concurrency suite takes its run
    /// counts from its manifests unless these are given.
    pub runs_given: (Option<u32>, Option<u32>),
    /// Per-run timeout.
    pub timeout: Duration,
    /// Kernel time a measured run aims at (`--iteration-budget`); zero: the
    /// manifest's iteration count.
    pub iteration_budget: Duration,
    /// Where results go.
    pub output: OutputTarget,
    /// No progress bar, no informational lines.
    pub quiet: bool,
    /// Use the deterministic mock instead of real processes.
    pub mock: bool,
    /// Every missing toolchain is an error (LANGBENCH_REQUIRE_ALL_TOOLCHAINS=1).
    pub require_all_toolchains: bool,
    /// The full command line, for the results file.
    pub command_line: Vec<String>,
    /// The report written at the end; None with `--no-report`.
    pub report: Option<ReportSettings>,
    /// The results to compare with at the end (`--baseline`).
    pub baseline: Option<Baseline>,
    /// The part of the selection this run takes (`--shard K/N`).
    pub shard: Option<Shard>,
    /// What is measured, each once, time first (`--measure`).
    pub measure: Vec<Measure>,
    /// Repeats of each instruction count (`--count-runs`).
    pub count_runs: u32,
    /// Runs under valgrind at once (`--jobs`).
    pub jobs: usize,
    /// Timeout of one run under valgrind.
    pub count_timeout: Duration,
}

impl RunConfig {
    /// True if this run (or its shard) takes `imp` of `workload` in `suite`.
    pub fn takes(&self, suite: Suite, workload: &str, imp: &crate::lang::Impl) -> bool {
        self.shard
            .as_ref()
            .is_none_or(|s| s.takes(suite, workload, imp))
    }
}

impl RunConfig {
    /// Validates `run` options.
    pub fn from_args(args: &RunArgs, paths: Paths, quiet: bool) -> Result<RunConfig> {
        let size = match (args.quick, args.size) {
            (true, _) => Size::Quick,
            (false, size) => size.unwrap_or(Size::Default),
        };
        let (runs, warmup, timeout) = match size {
            Size::Quick => (3, 1, "60s"),
            Size::Default => (6, 1, "120s"),
            Size::Full => (3, 0, "30m"),
        };
        let runs = args.runs.unwrap_or(runs);
        let warmup = args.warmup.unwrap_or(warmup);
        check_counts(runs, warmup)?;
        let timeout = parse_duration(args.timeout.as_deref().unwrap_or(timeout), "--timeout")?;
        let budget = if size == Size::Quick { "200ms" } else { "2s" };
        let iteration_budget = parse_duration_or_zero(
            args.iteration_budget.as_deref().unwrap_or(budget),
            "--iteration-budget",
        )?;
        let mut measure = args.measure.clone();
        measure.sort();
        measure.dedup();
        let counts_only = Measure::counts_only(&measure);
        if counts_only && args.suite == Suites::Io {
            return Err(input_error(
                "--measure instructions counts the CPU suite and parallel at one worker; \
                 the io suite has no instruction count (add time, or choose another --suite)",
            ));
        }
        let count_runs = args
            .count_runs
            .unwrap_or(if size == Size::Quick { 1 } else { 2 });
        if count_runs == 0 || count_runs > MAX_RUNS {
            return Err(input_error(format!(
                "--count-runs must be from 1 to {MAX_RUNS}"
            )));
        }
        let io_rounds = args
            .io_rounds
            .unwrap_or(if size == Size::Quick { 1 } else { 3 });
        if io_rounds == 0 || io_rounds > MAX_RUNS {
            return Err(input_error(format!(
                "--io-rounds must be from 1 to {MAX_RUNS}"
            )));
        }
        let jobs = match args.jobs {
            Some(0) => return Err(input_error("--jobs must be at least 1")),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let count_timeout = match (&args.timeout, size) {
            (Some(_), _) => timeout,
            (None, Size::Full) => Duration::from_secs(30 * 60),
            (None, _) => Duration::from_secs(10 * 60),
        };
        let mut selection = Selection::from_args(&args.select, args.suite, &paths)?;
        if counts_only {
            // Counted: the CPU workloads and the concurrency workloads that
            // vary the workers (at one worker); nothing of the io suite.
            selection.scenarios.clear();
            selection.concurrency.retain(|w| w.vary == Vary::Workers);
            if selection.workloads.is_empty() && selection.concurrency.is_empty() {
                return Err(input_error(
                    "the names given select nothing that --measure instructions counts \
                     (CPU workloads, and parallel at one worker)",
                ));
            }
        }
        let last_cpu = std::thread::available_parallelism().map_or(0, |n| n.get() - 1);
        let cpus = |given: &Option<String>, flag: &str, default: usize| match given {
            Some(text) => parse_cpus(text, flag),
            None => Ok(vec![default]),
        };
        let server_cpus = cpus(&args.server_cpus, "--server-cpus", 0)?;
        let client_cpus = cpus(&args.client_cpus, "--client-cpus", last_cpu)?;
        let output = match &args.out {
            Some(file) => OutputTarget {
                file: file.clone(),
                latest_link: None,
            },
            None => {
                let results = paths.root.join("results");
                OutputTarget {
                    file: results.join("runs").join(run_file_name(size)),
                    latest_link: Some(results.join("latest.json")),
                }
            }
        };
        fsutil::check_writable(&output.file)?;
        let shard = args
            .shard
            .as_deref()
            .map(|text| Shard::new(text, &selection))
            .transpose()?;
        let baseline = args
            .baseline
            .as_deref()
            .map(|path| Baseline::load(path, args.threshold, args.force))
            .transpose()?;
        Ok(RunConfig {
            measure,
            count_runs,
            jobs,
            count_timeout,
            shard,
            baseline,
            paths,
            selection,
            ready_timeout: parse_duration(&args.server_ready_timeout, "--server-ready-timeout")?,
            server_cpus,
            client_cpus,
            io_rounds,
            size,
            runs,
            warmup,
            runs_given: (args.runs, args.warmup),
            timeout,
            iteration_budget,
            output,
            quiet,
            mock: args.debug_mock,
            require_all_toolchains: require_all_toolchains(),
            command_line: std::env::args().collect(),
            report: if args.no_report {
                None
            } else {
                Some(ReportSettings::new(
                    args.claims.as_deref(),
                    args.report_dir.as_deref(),
                )?)
            },
        })
    }
}

/// Whether LANGBENCH_REQUIRE_ALL_TOOLCHAINS asks for every toolchain.
pub fn require_all_toolchains() -> bool {
    std::env::var("LANGBENCH_REQUIRE_ALL_TOOLCHAINS").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// The longest timeout accepted (one week): longer is surely a typo.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(7 * 24 * 3600);

/// Checks run counts: at least one measured run, neither above [`MAX_RUNS`].
pub fn check_counts(runs: u32, warmup: u32) -> Result<()> {
    if runs == 0 {
        return Err(input_error("--runs must be at least 1"));
    }
    if runs > MAX_RUNS || warmup > MAX_RUNS {
        return Err(input_error(format!(
            "--runs and --warmup must be at most {MAX_RUNS}"
        )));
    }
    Ok(())
}

/// Parses `90s`, `2m`, `1h 30m`, `500ms`, or a bare number of seconds; at most a week.
pub fn parse_duration(text: &str, flag: &str) -> Result<Duration> {
    let parsed = match text.trim().parse::<f64>() {
        Ok(secs) => Duration::try_from_secs_f64(secs).map_err(|_| ()),
        Err(_) => humantime::parse_duration(text.trim()).map_err(|_| ()),
    };
    match parsed {
        Ok(d) if d > MAX_TIMEOUT => Err(input_error(format!(
            "{flag} '{text}' is longer than a week"
        ))),
        Ok(d) if !d.is_zero() => Ok(d),
        _ => Err(input_error(format!(
            "{flag} '{text}' is not a positive duration (e.g. 90s, 2m, 500ms)"
        ))),
    }
}

/// [`parse_duration`], but zero (`0`, `0s`) is allowed too: "none".
pub fn parse_duration_or_zero(text: &str, flag: &str) -> Result<Duration> {
    let zero = match text.trim().parse::<f64>() {
        Ok(secs) => secs == 0.0,
        Err(_) => humantime::parse_duration(text.trim()).is_ok_and(|d| d.is_zero()),
    };
    if zero {
        return Ok(Duration::ZERO);
    }
    parse_duration(text, flag)
}

/// A CPU list given with `flag` (`0`, `0,2`, `1-3`), every CPU checked to exist.
pub fn parse_cpus(text: &str, flag: &str) -> Result<Vec<usize>> {
    let list =
        crate::affinity::parse_cpu_list(text).map_err(|e| input_error(format!("{flag} {e}")))?;
    crate::affinity::check_cpus(&list).map_err(|e| input_error(format!("{flag}: {e}")))?;
    Ok(list)
}

fn run_file_name(size: Size) -> String {
    let stamp = humantime::format_rfc3339_seconds(std::time::SystemTime::now())
        .to_string()
        .replace(':', "-");
    format!("{stamp}-{size}-{}.json", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(
            parse_duration("90s", "--t").unwrap(),
            Duration::from_secs(90)
        );
        assert_eq!(
            parse_duration("2m", "--t").unwrap(),
            Duration::from_secs(120)
        );
        assert_eq!(
            parse_duration("1.5", "--t").unwrap(),
            Duration::from_millis(1500)
        );
        assert_eq!(
            parse_duration("500ms", "--t").unwrap(),
            Duration::from_millis(500)
        );
        for bad in [
            "0", "0s", "-1", "soon", "", "1e20", "1e19", "NaN", "inf", "8d",
        ] {
            assert!(parse_duration(bad, "--t").is_err(), "{bad}");
        }
    }

    #[test]
    fn zero_is_none_only_where_allowed() {
        for zero in ["0", "0s", "0ms", " 0.0 "] {
            assert_eq!(parse_duration_or_zero(zero, "--w").unwrap(), Duration::ZERO);
            assert!(parse_duration(zero, "--w").is_err(), "{zero}");
        }
        assert_eq!(
            parse_duration_or_zero("1s", "--w").unwrap(),
            Duration::from_secs(1)
        );
        for bad in ["-1", "soon", "8d"] {
            assert!(parse_duration_or_zero(bad, "--w").is_err(), "{bad}");
        }
    }

    #[test]
    fn languages_sorted_and_unknown_rejected() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse_langs(&names(&["rust", "node", "rs"])).unwrap(),
            [Lang::Node, Lang::Rust]
        );
        let err = parse_langs(&names(&["java"])).unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown language 'java' (valid: node, python, go, rust)"
        );
    }
}
