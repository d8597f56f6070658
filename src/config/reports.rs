//! Settings of the commands that read results files rather than run
//! anything: `report` (and the report `run` writes at its end) and `compare`.

use std::path::Path;

use anyhow::Result;

use super::Paths;
use crate::claims::{parse_claims, ClaimsFile, ARTICLE_CLAIMS};
use crate::cli::{CompareArgs, ExportArgs, MergeArgs, ReportArgs};
use crate::compare::{Metric, METRICS};
use crate::exit::input_error;
use crate::report::export::ExportFormat;
use crate::results::merge::MergeOptions;
use crate::results::{store, ResultsFile};

/// What a report checks and where it goes.
#[derive(Debug, Clone)]
pub struct ReportSettings {
    /// The claims, parsed and validated.
    pub claims: ClaimsFile,
    /// The report folder; None: next to the results file.
    pub out_dir: Option<std::path::PathBuf>,
}

impl ReportSettings {
    /// The claims of `file`, or the article's; a claims file that cannot be
    /// read or parsed is an input error naming the file, the claim and the field.
    pub fn new(claims: Option<&Path>, out_dir: Option<&Path>) -> Result<ReportSettings> {
        let claims = match claims {
            None => parse_claims(ARTICLE_CLAIMS)
                .map_err(|e| input_error(format!("built-in claims: {e}")))?,
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    input_error(format!("cannot read claims file '{}': {e}", path.display()))
                })?;
                parse_claims(&text)
                    .map_err(|e| input_error(format!("claims file '{}': {e}", path.display())))?
            }
        };
        Ok(ReportSettings {
            claims,
            out_dir: out_dir.map(Path::to_path_buf),
        })
    }

    /// The report folder for the results file `results`.
    pub fn dir_for(&self, results: &Path) -> std::path::PathBuf {
        self.out_dir.clone().unwrap_or_else(|| {
            let stem = results
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "results".into());
            results.with_file_name(format!("{stem}-report"))
        })
    }
}

/// Everything `langbench report` needs.
#[derive(Debug, Clone)]
pub struct ReportConfig {
    /// Folders (for source sizes).
    pub paths: Paths,
    /// The results file.
    pub results: std::path::PathBuf,
    /// Claims and output folder.
    pub settings: ReportSettings,
}

impl ReportConfig {
    /// Validates `report` options.
    pub fn from_args(args: &ReportArgs, workloads_dir: Option<&Path>) -> Result<ReportConfig> {
        let paths = Paths::resolve(workloads_dir);
        let results = args
            .results
            .clone()
            .unwrap_or_else(|| paths.root.join("results").join("latest.json"));
        Ok(ReportConfig {
            settings: ReportSettings::new(args.claims.as_deref(), args.out.as_deref())?,
            paths,
            results,
        })
    }
}

/// How `langbench compare` prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareFormat {
    /// Aligned columns for a terminal.
    Table,
    /// A GitHub Markdown table (CI job summary, PR comment).
    Markdown,
    /// JSON.
    Json,
}

/// Validated `compare` options.
#[derive(Debug, Clone)]
pub struct CompareConfig {
    /// The baseline results file.
    pub base: std::path::PathBuf,
    /// The results file judged against it.
    pub new: std::path::PathBuf,
    /// Noise threshold, in percent (0 ≤ t < 100).
    pub threshold_pct: f64,
    /// The metric compared.
    pub metric: Metric,
    /// Output format.
    pub format: CompareFormat,
    /// Go on when the machines differ.
    pub force: bool,
}

impl TryFrom<&CompareArgs> for CompareConfig {
    type Error = anyhow::Error;

    fn try_from(args: &CompareArgs) -> Result<CompareConfig> {
        check_threshold(args.threshold)?;
        let metric = parse_metric(&args.metric)?;
        let format = CompareFormat::parse(&args.format)?;
        Ok(CompareConfig {
            base: args.base.clone(),
            new: args.new.clone(),
            threshold_pct: args.threshold,
            metric,
            format,
            force: args.force,
        })
    }
}

impl CompareFormat {
    /// `table`, `markdown` or `json`; anything else is an input error.
    fn parse(name: &str) -> Result<CompareFormat> {
        match name {
            "table" => Ok(CompareFormat::Table),
            "markdown" => Ok(CompareFormat::Markdown),
            "json" => Ok(CompareFormat::Json),
            other => Err(input_error(format!(
                "unknown format '{other}' (known: table, markdown, json)"
            ))),
        }
    }
}

/// A threshold in percent must be in [0, 100).
fn check_threshold(pct: f64) -> Result<()> {
    if !(pct.is_finite() && (0.0..100.0).contains(&pct)) {
        return Err(input_error(format!(
            "--threshold {pct} is not a percentage from 0 up to (not including) 100"
        )));
    }
    Ok(())
}

/// The metric called `name`, or an input error listing the known ones.
fn parse_metric(name: &str) -> Result<Metric> {
    Metric::parse(name).ok_or_else(|| {
        let known: Vec<&str> = METRICS.iter().map(|m| m.name()).collect();
        input_error(format!(
            "unknown metric '{name}' (known: {})",
            known.join(", ")
        ))
    })
}

/// `run --baseline FILE`: the results the run is compared with at its end, on
/// kernel time. Loaded before anything runs, so a bad file costs no run.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The baseline file.
    pub path: std::path::PathBuf,
    /// Its contents.
    pub results: ResultsFile,
    /// Noise threshold, in percent.
    pub threshold_pct: f64,
    /// Go on when the baseline comes from another machine.
    pub force: bool,
}

impl Baseline {
    /// Reads and checks the baseline file.
    pub fn load(path: &Path, threshold_pct: f64, force: bool) -> Result<Baseline> {
        check_threshold(threshold_pct)?;
        Ok(Baseline {
            path: path.to_path_buf(),
            results: store::load(path)?,
            threshold_pct,
            force,
        })
    }
}

/// Validated `export` options.
#[derive(Debug, Clone)]
pub struct ExportConfig {
    /// The results file.
    pub results: std::path::PathBuf,
    /// The format.
    pub format: ExportFormat,
    /// The metrics, each fit for the format.
    pub metrics: Vec<Metric>,
    /// The output file; None: standard output.
    pub out: Option<std::path::PathBuf>,
}

impl TryFrom<&ExportArgs> for ExportConfig {
    type Error = anyhow::Error;

    fn try_from(args: &ExportArgs) -> Result<ExportConfig> {
        let format = ExportFormat::parse(&args.format).ok_or_else(|| {
            input_error(format!(
                "unknown export format '{}' (known: {})",
                args.format,
                ExportFormat::NAMES.join(", ")
            ))
        })?;
        let metrics = if args.metrics.is_empty() {
            format.default_metrics()
        } else {
            let mut metrics = Vec::new();
            for name in &args.metrics {
                let metric = parse_metric(name)?;
                if !format.holds(metric) {
                    let (other, better) = if metric.higher_is_better() {
                        ("github-bigger", "bigger")
                    } else {
                        ("github-smaller", "smaller")
                    };
                    return Err(input_error(format!(
                        "format {} cannot hold {}, where {better} is better (use {other})",
                        format.name(),
                        metric.name()
                    )));
                }
                if !metrics.contains(&metric) {
                    metrics.push(metric);
                }
            }
            metrics
        };
        if let Some(out) = &args.out {
            store::check_writable(out)?;
        }
        Ok(ExportConfig {
            results: args.results.clone(),
            format,
            metrics,
            out: args.out.clone(),
        })
    }
}

/// Validated `merge` options.
#[derive(Debug, Clone)]
pub struct MergeConfig {
    /// The shards' results files, in the order given.
    pub files: Vec<std::path::PathBuf>,
    /// The merged file.
    pub out: std::path::PathBuf,
    /// What the merge lets through.
    pub options: MergeOptions,
}

impl TryFrom<&MergeArgs> for MergeConfig {
    type Error = anyhow::Error;

    fn try_from(args: &MergeArgs) -> Result<MergeConfig> {
        store::check_writable(&args.out)?;
        Ok(MergeConfig {
            files: args.files.clone(),
            out: args.out.clone(),
            options: MergeOptions {
                force: args.force,
                partial: args.partial,
            },
        })
    }
}

/// Validated `history` options.
#[derive(Debug, Clone)]
pub struct HistoryConfig {
    /// The results files, in the order given (the command orders them by start time).
    pub files: Vec<std::path::PathBuf>,
    /// The metric followed.
    pub metric: Metric,
    /// A step must change the median by more than this, in percent (0 ≤ t < 100).
    pub threshold_pct: f64,
    /// Folder for the charts and HISTORY.md.
    pub out: std::path::PathBuf,
    /// Output format of the steps (the same three as `compare`).
    pub format: CompareFormat,
}

impl TryFrom<&crate::cli::HistoryArgs> for HistoryConfig {
    type Error = anyhow::Error;

    fn try_from(args: &crate::cli::HistoryArgs) -> Result<HistoryConfig> {
        if args.files.len() < 2 {
            let given: Vec<String> = args
                .files
                .iter()
                .map(|f| format!("'{}'", f.display()))
                .collect();
            return Err(input_error(format!(
                "history needs at least 2 results files, got {}: {} (use `langbench compare` \
                 or add runs)",
                args.files.len(),
                given.join(", ")
            )));
        }
        check_threshold(args.threshold)?;
        let metric = parse_metric(&args.metric)?;
        let format = CompareFormat::parse(&args.format)?;
        Ok(HistoryConfig {
            files: args.files.clone(),
            metric,
            threshold_pct: args.threshold,
            out: args.out.clone(),
            format,
        })
    }
}
