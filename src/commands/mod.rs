//! One module per subcommand; each takes validated config and returns an
//! [`Outcome`]. Shared here: finding the toolchains of the selected languages.

mod build;
mod compare;
mod doctor;
mod exec;
mod export;
mod history;
mod list;
mod load;
mod merge;
pub mod report;
mod run;
mod runtimes;
mod sources;

use anyhow::Result;

use crate::cli::{Cli, Command, RuntimesCommand};
use crate::config::{Paths, RunConfig, Selection};
use crate::exit::{input_error, Outcome};
use crate::kinds::Suites;
use crate::lang::runtime::{Catalog, RuntimeDef};
use crate::lang::Toolchain;
use crate::results::Skipped;

/// Runs the subcommand the command line asked for.
pub fn dispatch(cli: Cli) -> Result<Outcome> {
    let dir = cli.workloads_dir.as_deref();
    let paths = || Paths::resolve(dir).with_runtimes_file(cli.runtimes_file.clone());
    match &cli.command {
        Command::List { json } => list::run(&paths(), *json),
        Command::Doctor { json } => doctor::run(&paths(), *json),
        Command::Build(select) => {
            let paths = paths();
            let selection = Selection::from_args(select, Suites::All, &paths)?;
            build::run(&paths, &selection, cli.quiet)
        }
        Command::Run(args) => run::run(&RunConfig::from_args(args, paths(), cli.quiet)?),
        Command::Exec(args) => exec::run(&exec::ExecConfig::try_from(args)?),
        Command::Load(args) => load::run(&load::LoadConfig::try_from(args)?),
        Command::Report(args) => report::run(&report::ReportConfig::from_args(args, dir)?),
        Command::Compare(args) => compare::run(&compare::CompareConfig::try_from(args)?),
        Command::Export(args) => export::run(&export::ExportConfig::try_from(args)?),
        Command::Merge(args) => merge::run(&merge::MergeConfig::try_from(args)?, cli.quiet),
        Command::History(args) => history::run(&history::HistoryConfig::try_from(args)?),
        Command::Runtimes {
            command: RuntimesCommand::Install(args),
        } => runtimes::install(
            &Paths::resolve(dir),
            &runtimes::InstallConfig::try_from(args)?,
            cli.quiet,
        ),
    }
}

/// Every runtime the catalog (built-ins and the user file) knows, each with
/// its toolchain found or the reason it is missing.
pub fn probe_runtimes(paths: &Paths) -> Result<Vec<(RuntimeDef, Result<Toolchain, String>)>> {
    let catalog = Catalog::load(paths.runtimes_file.as_deref()).map_err(input_error)?;
    Ok(catalog
        .all()
        .iter()
        .map(|def| (def.clone(), def.find(paths)))
        .collect())
}

/// Finds the toolchain of each selected runtime. A missing one is skipped
/// with a line on stderr, or, for a default runtime (Node, CPython, Go,
/// Rust), is an input error when every toolchain is required.
pub fn find_toolchains(
    runtimes: &[RuntimeDef],
    paths: &Paths,
    require_all: bool,
) -> Result<(Vec<Toolchain>, Vec<Skipped>)> {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    for def in runtimes {
        match def.find(paths) {
            Ok(tc) => found.push(tc),
            Err(reason) if require_all && def.is_default() => {
                return Err(input_error(format!(
                    "{} toolchain missing: {reason} (LANGBENCH_REQUIRE_ALL_TOOLCHAINS is set)",
                    def.lang
                )))
            }
            Err(reason) => {
                let what = if def.is_default() {
                    def.lang.to_string()
                } else {
                    format!("runtime {}", def.name)
                };
                eprintln!("langbench: skipping {what}: {reason}");
                skipped.push(Skipped {
                    lang: def.lang,
                    runtime: (!def.is_default()).then(|| def.name.clone()),
                    workload: None,
                    reason,
                });
            }
        }
    }
    Ok((found, skipped))
}
