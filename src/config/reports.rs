//! Settings of the commands that read results files rather than run
//! anything: `report` (and the report `run` writes at its end) and `compare`.

use std::path::Path;

use anyhow::Result;

use super::Paths;
use crate::claims::{parse_claims, ClaimsFile, ARTICLE_CLAIMS};
use crate::cli::{CompareArgs, ReportArgs};
use crate::compare::{Metric, METRICS};
use crate::exit::input_error;

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
        if !(args.threshold.is_finite() && (0.0..100.0).contains(&args.threshold)) {
            return Err(input_error(format!(
                "--threshold {} is not a percentage from 0 up to (not including) 100",
                args.threshold
            )));
        }
        let metric = Metric::parse(&args.metric).ok_or_else(|| {
            let known: Vec<&str> = METRICS.iter().map(|m| m.name()).collect();
            input_error(format!(
                "unknown metric '{}' (known: {})",
                args.metric,
                known.join(", ")
            ))
        })?;
        let format = match args.format.as_str() {
            "table" => CompareFormat::Table,
            "markdown" => CompareFormat::Markdown,
            "json" => CompareFormat::Json,
            other => {
                return Err(input_error(format!(
                    "unknown format '{other}' (known: table, markdown, json)"
                )))
            }
        };
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
