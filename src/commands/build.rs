//! `langbench build`: build what needs building, skip what is up to date.

use anyhow::Result;

use super::find_toolchains;
use crate::config::{require_all_toolchains, Paths, Selection};
use crate::exit::Outcome;
use crate::lang::build::prepare;
use crate::lang::Impl;

/// Builds the selected implementations of compiled languages (and Python
/// virtual environments), in every suite.
pub fn run(paths: &Paths, selection: &Selection, quiet: bool) -> Result<Outcome> {
    let (toolchains, _) = find_toolchains(&selection.runtimes, paths, require_all_toolchains())?;
    let mut outcome = Outcome::Success;
    // (name, folder) of every selected workload, CPU and server.
    let folders: Vec<(&str, &std::path::Path)> = selection
        .workloads
        .iter()
        .map(|w| (w.name.as_str(), w.dir.as_path()))
        .chain(
            selection
                .server_workloads()
                .into_iter()
                .map(|w| (w.name.as_str(), w.dir.as_path())),
        )
        .chain(
            selection
                .concurrency
                .iter()
                .map(|w| (w.name.as_str(), w.dir.as_path())),
        )
        .collect();
    for (name, dir) in folders {
        for tc in &toolchains {
            for imp in Impl::find_all(tc.lang, dir) {
                let imp = imp.run_by(tc);
                if let Some(why) = tc.cannot_run(name, &imp) {
                    if !quiet {
                        println!("{name}/{imp}: not built: {why}");
                    }
                    continue;
                }
                match prepare(tc, &imp, dir, paths) {
                    Ok(p) => match p.build {
                        Some(b) if !quiet && b.up_to_date => {
                            println!("{name}/{imp}: up to date ({})", b.binary.display())
                        }
                        Some(b) if !quiet => println!(
                            "{name}/{imp}: built in {:.1} s ({})",
                            b.duration_ms as f64 / 1000.0,
                            b.binary.display()
                        ),
                        _ => {}
                    },
                    Err(e) => {
                        println!("{name}/{imp}: FAILED: {}\n{}", e.message, e.output_tail);
                        outcome = Outcome::Failed;
                    }
                }
            }
        }
    }
    Ok(outcome)
}
