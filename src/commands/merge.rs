//! `langbench merge FILES... --out FILE`: joins the results files of the
//! shards of one run (see `results::merge` for what is refused).

use anyhow::Result;

use crate::config::MergeConfig;
use crate::exit::{input_error, Outcome};
use crate::results::{merge, store};

/// Merges the files of `config` into its output file.
pub fn run(config: &MergeConfig, quiet: bool) -> Result<Outcome> {
    let mut raw = Vec::new();
    for path in &config.files {
        let bytes = std::fs::read(path)
            .map_err(|e| input_error(format!("cannot read results '{}': {e}", path.display())))?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| input_error(format!("results '{}' is not JSON: {e}", path.display())))?;
        raw.push((path.clone(), value));
    }
    merge::check_schemas(&raw)?;
    let files = config
        .files
        .iter()
        .map(|path| Ok((path.clone(), store::load(path)?)))
        .collect::<Result<Vec<_>>>()?;
    let merged = merge::merge(files, config.options, std::env::args().collect())?;
    for w in &merged.warnings {
        eprintln!("langbench: warning: {w}");
    }
    store::write_atomic(&config.out, &store::to_bytes(&merged.results))?;
    if !quiet {
        eprintln!(
            "langbench: merged {} files ({} benchmarks, {} servers) into {}",
            config.files.len(),
            merged.results.benchmarks.len(),
            merged.results.servers.len(),
            config.out.display()
        );
    }
    Ok(Outcome::Success)
}
