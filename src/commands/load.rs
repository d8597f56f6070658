//! `langbench load URL`: the load generator on its own, like wrk or oha.

use anyhow::{Context, Result};

use crate::config::LoadConfig;
use crate::exit::{input_error, Outcome};
use crate::report::load::load_summary;
use crate::{affinity, load};

/// Runs the load and prints the report; exit 1 if any response failed a check.
pub fn run(config: &LoadConfig) -> Result<Outcome> {
    load::ensure_fd_limit(config.spec.connections as u64 + load::SPARE_FDS).map_err(input_error)?;
    if let Some(cpus) = &config.cpus {
        affinity::pin(0, cpus).with_context(|| format!("pinning to CPUs {cpus:?}"))?;
    }
    let report = load::run(&config.spec).context("starting the load generator")?;
    if config.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", load_summary(&report));
    }
    Ok(if report.errors() > 0 || report.responses == 0 {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}
