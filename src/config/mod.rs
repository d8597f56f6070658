//! Validated settings built from the command line; clap stops here.
//!
//! Names are checked against the workloads on disk, sizes against the
//! manifests, durations parsed, the output path tested for writability, all
//! before anything runs. Every problem is an input error (exit code 2).

use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use crate::cli::{ExecArgs, LoadArgs, RunArgs, SelectArgs};
use crate::exit::input_error;
use crate::lang::Lang;
use crate::load::LoadSpec;
pub use crate::paths::Paths;
use crate::results::{store, OutputTarget};
use crate::workload::{self, ConcurrencyWorkload, Scenario, ServerWorkload, Workload, SIZE_NAMES};

mod reports;
pub mod shard;
pub use reports::{
    Baseline, CompareConfig, CompareFormat, ExportConfig, HistoryConfig, MergeConfig, ReportConfig,
    ReportSettings,
};
pub use shard::{Shard, UnitSuite};

/// Which suites a run takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suites {
    /// Only the CPU suite.
    Cpu,
    /// Only the I/O suite (servers under load).
    Io,
    /// Only the concurrency suite (tasks, parallel scaling).
    Concurrency,
    /// Every suite.
    All,
}

impl Suites {
    /// Parses `cpu`, `io`, `concurrency` or `all`.
    pub fn parse(s: &str) -> Result<Suites> {
        match s {
            "cpu" => Ok(Suites::Cpu),
            "io" => Ok(Suites::Io),
            "concurrency" => Ok(Suites::Concurrency),
            "all" => Ok(Suites::All),
            _ => Err(input_error(format!(
                "unknown suite '{s}' (valid: cpu, io, concurrency, all)"
            ))),
        }
    }

    fn has(self, one: Suites) -> bool {
        self == Suites::All || self == one
    }
}

/// The workloads, scenarios and languages chosen.
#[derive(Debug, Clone)]
pub struct Selection {
    /// CPU workloads, sorted by name.
    pub workloads: Vec<Workload>,
    /// Server scenarios with their workload, in manifest order.
    pub scenarios: Vec<(ServerWorkload, Scenario)>,
    /// Concurrency workloads, sorted by name.
    pub concurrency: Vec<ConcurrencyWorkload>,
    /// Languages, in [`Lang::ALL`] order.
    pub langs: Vec<Lang>,
}

impl Selection {
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
        let scenarios: Vec<(ServerWorkload, Scenario)> = if suites.has(Suites::Io) {
            catalog
                .scenarios()
                .filter(|(w, s)| wanted(&s.name, &w.name))
                .map(|(w, s)| (w.clone(), s.clone()))
                .collect()
        } else {
            Vec::new()
        };
        let workloads: Vec<Workload> = if suites.has(Suites::Cpu) {
            catalog
                .cpu
                .into_iter()
                .filter(|w| wanted(&w.name, &w.name))
                .collect()
        } else {
            Vec::new()
        };
        let concurrency: Vec<ConcurrencyWorkload> = if suites.has(Suites::Concurrency) {
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
        Ok(Selection {
            workloads,
            scenarios,
            concurrency,
            langs: parse_langs(&args.langs)?,
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
    /// Size name: quick, default or full.
    pub size_name: String,
    /// Measured runs per benchmark.
    pub runs: u32,
    /// Warm-up runs per benchmark.
    pub warmup: u32,
    /// `--runs` and `--warmup` as given: the concurrency suite takes its run
    /// counts from its manifests unless these are given.
    pub runs_given: (Option<u32>, Option<u32>),
    /// Per-run timeout.
    pub timeout: Duration,
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
}

impl RunConfig {
    /// True if this run (or its shard) takes `imp` of `workload` in `suite`.
    pub fn takes(&self, suite: UnitSuite, workload: &str, imp: &crate::lang::Impl) -> bool {
        self.shard
            .as_ref()
            .is_none_or(|s| s.takes(suite, workload, imp))
    }
}

impl RunConfig {
    /// Validates `run` options.
    pub fn from_args(
        args: &RunArgs,
        workloads_dir: Option<&Path>,
        quiet: bool,
    ) -> Result<RunConfig> {
        let paths = Paths::resolve(workloads_dir);
        let size_name = match (args.quick, args.size.as_deref()) {
            (true, _) => "quick".to_string(),
            (false, None) => "default".to_string(),
            (false, Some(s)) if SIZE_NAMES.contains(&s) => s.to_string(),
            (false, Some(s)) => {
                return Err(input_error(format!(
                    "unknown size '{s}' (valid: {})",
                    SIZE_NAMES.join(", ")
                )))
            }
        };
        let (runs, warmup, timeout) = match size_name.as_str() {
            "quick" => (3, 1, "60s"),
            "default" => (6, 1, "120s"),
            _ => (3, 0, "30m"),
        };
        let runs = args.runs.unwrap_or(runs);
        let warmup = args.warmup.unwrap_or(warmup);
        check_counts(runs, warmup)?;
        let timeout = parse_duration(args.timeout.as_deref().unwrap_or(timeout), "--timeout")?;
        let selection = Selection::from_args(&args.select, Suites::parse(&args.suite)?, &paths)?;
        let last_cpu = std::thread::available_parallelism().map_or(0, |n| n.get() - 1);
        let cpus = |given: &Option<String>, flag: &str, default: usize| {
            let list = match given {
                Some(text) => crate::affinity::parse_cpu_list(text)
                    .map_err(|e| input_error(format!("{flag} {e}")))?,
                None => vec![default],
            };
            crate::affinity::check_cpus(&list).map_err(|e| input_error(format!("{flag}: {e}")))?;
            Ok::<_, anyhow::Error>(list)
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
                    file: results.join("runs").join(run_file_name(&size_name)),
                    latest_link: Some(results.join("latest.json")),
                }
            }
        };
        store::check_writable(&output.file)?;
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
            shard,
            baseline,
            paths,
            selection,
            ready_timeout: parse_duration(&args.server_ready_timeout, "--server-ready-timeout")?,
            server_cpus,
            client_cpus,
            size_name,
            runs,
            warmup,
            runs_given: (args.runs, args.warmup),
            timeout,
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

/// Everything `langbench exec` needs.
#[derive(Debug, Clone)]
pub struct ExecConfig {
    /// The command to time.
    pub argv: Vec<String>,
    /// Measured runs.
    pub runs: u32,
    /// Warm-up runs.
    pub warmup: u32,
    /// Per-run timeout.
    pub timeout: Duration,
    /// Print JSON.
    pub json: bool,
    /// Use the deterministic mock.
    pub mock: bool,
}

impl TryFrom<&ExecArgs> for ExecConfig {
    type Error = anyhow::Error;

    fn try_from(args: &ExecArgs) -> Result<ExecConfig> {
        check_counts(args.runs, args.warmup)?;
        Ok(ExecConfig {
            argv: args.command.clone(),
            runs: args.runs,
            warmup: args.warmup,
            timeout: parse_duration(&args.timeout, "--timeout")?,
            json: args.json,
            mock: args.debug_mock,
        })
    }
}

/// Everything `langbench load` needs.
#[derive(Debug, Clone)]
pub struct LoadConfig {
    /// The validated load.
    pub spec: LoadSpec,
    /// CPUs to pin the generator to.
    pub cpus: Option<Vec<usize>>,
    /// Print JSON.
    pub json: bool,
}

impl TryFrom<&LoadArgs> for LoadConfig {
    type Error = anyhow::Error;

    fn try_from(args: &LoadArgs) -> Result<LoadConfig> {
        let target = crate::load::target(&args.url, args.allow_remote).map_err(input_error)?;
        if args.connections == 0 {
            return Err(input_error("--connections must be at least 1"));
        }
        if args.rate.is_some_and(|r| !(r.is_finite() && r > 0.0)) {
            return Err(input_error(
                "--rate must be a positive number of requests per second",
            ));
        }
        Ok(LoadConfig {
            spec: LoadSpec {
                url: args.url.clone(),
                addr: target.addr,
                host_header: target.host_header,
                path: target.path,
                connections: args.connections,
                duration: parse_duration(&args.duration, "--duration")?,
                warmup: if args.warmup.trim() == "0" {
                    Duration::ZERO
                } else {
                    parse_duration(&args.warmup, "--warmup")?
                },
                rate: args.rate,
                timeout: parse_duration(&args.timeout, "--timeout")?,
                expected_body: args.expect_body.clone(),
            },
            cpus: args
                .cpus
                .as_deref()
                .map(|text| {
                    crate::affinity::parse_cpu_list(text)
                        .and_then(|l| crate::affinity::check_cpus(&l).map(|()| l))
                })
                .transpose()
                .map_err(|e| input_error(format!("--cpus {e}")))?,
            json: args.json,
        })
    }
}

/// The most runs, or warm-up runs, one benchmark may ask for.
pub const MAX_RUNS: u32 = 100_000;

/// The longest timeout accepted (one week): longer is surely a typo.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(7 * 24 * 3600);

/// Checks run counts: at least one measured run, neither above [`MAX_RUNS`].
fn check_counts(runs: u32, warmup: u32) -> Result<()> {
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

fn run_file_name(size_name: &str) -> String {
    let stamp = humantime::format_rfc3339_seconds(std::time::SystemTime::now())
        .to_string()
        .replace(':', "-");
    format!("{stamp}-{size_name}-{}.json", std::process::id())
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
