//! `langbench build`: build what needs building, skip what is up to date.

use anyhow::Result;

use super::find_toolchains;
use crate::config::{require_all_toolchains, Paths, Selection};
use crate::exit::Outcome;
use crate::lang::build::prepare;

/// Builds the selected implementations of compiled languages (and Python
/// virtual environments), CPU and server workloads alike.
pub fn run(paths: &Paths, selection: &Selection, quiet: bool) -> Result<Outcome> {
    let (toolchains, _) = find_toolchains(&selection.langs, require_all_toolchains())?;
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
        .collect();
    for (name, dir) in folders {
        for tc in toolchains.iter().filter(|tc| tc.lang.has_impl(dir)) {
            match prepare(tc, dir, paths) {
                Ok(p) => match p.build {
                    Some(b) if !quiet && b.up_to_date => {
                        println!("{}/{}: up to date ({})", name, tc.lang, b.binary.display())
                    }
                    Some(b) if !quiet => println!(
                        "{}/{}: built in {:.1} s ({})",
                        name,
                        tc.lang,
                        b.duration_ms as f64 / 1000.0,
                        b.binary.display()
                    ),
                    _ => {}
                },
                Err(e) => {
                    println!(
                        "{}/{}: FAILED: {}\n{}",
                        name, tc.lang, e.message, e.output_tail
                    );
                    outcome = Outcome::Failed;
                }
            }
        }
    }
    Ok(outcome)
}
