//! `langbench merge FILES... --out FILE`: joins the results files of the
//! shards of one run (see `results::merge` for what is refused).

use anyhow::Result;

use crate::cli::MergeArgs;
use crate::exit::Outcome;
use crate::fsutil;
use crate::results::merge::MergeOptions;
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
    fsutil::write_atomic(&config.out, &store::to_bytes(&merged.results))?;
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
        fsutil::check_writable(&args.out)?;
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
