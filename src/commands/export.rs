//! `langbench export RESULTS --format F`: one results file in a CI
//! dashboard's format, on standard output or written atomically to `--out`.

use std::io::Write;

use anyhow::Result;

use crate::cli::ExportArgs;
use crate::exit::input_error;
use crate::exit::Outcome;
use crate::fsutil;
use crate::kinds::{ExportFormat, Metric};
use crate::report::export::export;
use crate::results::store;

/// Exports the results file of `config`.
pub fn run(config: &ExportConfig) -> Result<Outcome> {
    let results = store::load(&config.results)?;
    let bytes = export(&results, config.format, &config.metrics);
    match &config.out {
        Some(path) => fsutil::write_atomic(path, &bytes)?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(Outcome::Success)
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
        let format = args.format;
        let metrics = if args.metrics.is_empty() {
            format.default_metrics()
        } else {
            let mut metrics = Vec::new();
            for &metric in &args.metrics {
                if !format.holds(metric) {
                    let (other, better) = if metric.higher_is_better() {
                        (ExportFormat::GithubBigger, "bigger")
                    } else {
                        (ExportFormat::GithubSmaller, "smaller")
                    };
                    return Err(input_error(format!(
                        "format {} cannot hold {}, where {better} is better (use {})",
                        format.name(),
                        metric.name(),
                        other.name()
                    )));
                }
                if !metrics.contains(&metric) {
                    metrics.push(metric);
                }
            }
            metrics
        };
        if let Some(out) = &args.out {
            fsutil::check_writable(out)?;
        }
        Ok(ExportConfig {
            results: args.results.clone(),
            format,
            metrics,
            out: args.out.clone(),
        })
    }
}
