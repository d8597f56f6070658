//! `langbench export RESULTS --format F`: one results file in a CI
//! dashboard's format, on standard output or written atomically to `--out`.

use std::io::Write;

use anyhow::Result;

use crate::config::ExportConfig;
use crate::exit::Outcome;
use crate::report::export::export;
use crate::results::store;

/// Exports the results file of `config`.
pub fn run(config: &ExportConfig) -> Result<Outcome> {
    let results = store::load(&config.results)?;
    let bytes = export(&results, config.format, &config.metrics);
    match &config.out {
        Some(path) => store::write_atomic(path, &bytes)?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(Outcome::Success)
}
