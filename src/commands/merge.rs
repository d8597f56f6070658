//! `langbench merge FILES... --out FILE`: joins the results files of the
//! shards of one run (see `results::merge` for what is refused).

use anyhow::Result;

use crate::config::MergeConfig;
use crate::exit::Outcome;
use crate::results::{merge, store};

/// Merges the files of `config` into its output file.
pub fn run(config: &MergeConfig, quiet: bool) -> Result<Outcome> {
    // Each file is read once: every schema version is checked before any
    // file is read as results, so mixed versions are reported as such.
    let raw = config
        .files
        .iter()
        .map(|path| Ok((path.clone(), store::read_json(path)?)))
        .collect::<Result<Vec<_>>>()?;
    merge::check_schemas(&raw)?;
    let files = raw
        .into_iter()
        .map(|(path, value)| {
            let results = store::from_json(&path, value)?;
            Ok((path, results))
        })
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
