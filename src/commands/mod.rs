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
use crate::lang::{find_toolchain, Lang, Toolchain};
use crate::results::Skipped;

/// Runs the subcommand the command line asked for.
pub fn dispatch(cli: Cli) -> Result<Outcome> {
    let dir = cli.workloads_dir.as_deref();
    match &cli.command {
        Command::List { json } => list::run(&Paths::resolve(dir), *json),
        Command::Doctor { json } => doctor::run(*json),
        Command::Build(select) => {
            let paths = Paths::resolve(dir);
            let selection = Selection::from_args(select, Suites::All, &paths)?;
            build::run(&paths, &selection, cli.quiet)
        }
        Command::Run(args) => run::run(&RunConfig::from_args(args, dir, cli.quiet)?),
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

/// Finds the toolchain of each language. A missing one is skipped with a line
/// on stderr, or is an input error when every toolchain is required.
pub fn find_toolchains(
    langs: &[Lang],
    require_all: bool,
) -> Result<(Vec<Toolchain>, Vec<Skipped>)> {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    for &lang in langs {
        match find_toolchain(lang) {
            Ok(tc) => found.push(tc),
            Err(reason) if require_all => {
                return Err(input_error(format!(
                    "{lang} toolchain missing: {reason} (LANGBENCH_REQUIRE_ALL_TOOLCHAINS is set)"
                )))
            }
            Err(reason) => {
                eprintln!("langbench: skipping {lang}: {reason}");
                skipped.push(Skipped {
                    lang,
                    workload: None,
                    reason,
                });
            }
        }
    }
    Ok((found, skipped))
}
