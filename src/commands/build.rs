//! `langbench build`: build what needs building, skip what is up to date.

use anyhow::Result;

use super::find_toolchains;
use crate::config::{require_all_toolchains, Paths, Selection};
use crate::exit::Outcome;
use crate::lang::build::prepare;

/// Builds the selected implementations of compiled languages.
pub fn run(paths: &Paths, selection: &Selection, quiet: bool) -> Result<Outcome> {
    let (toolchains, _) = find_toolchains(&selection.langs, require_all_toolchains())?;
    let mut outcome = Outcome::Success;
    for w in &selection.workloads {
        for tc in toolchains.iter().filter(|tc| tc.lang.has_impl(&w.dir)) {
            match prepare(tc, &w.dir, paths) {
                Ok(p) => match p.build {
                    Some(b) if !quiet && b.up_to_date => println!(
                        "{}/{}: up to date ({})",
                        w.name,
                        tc.lang,
                        b.binary.display()
                    ),
                    Some(b) if !quiet => println!(
                        "{}/{}: built in {:.1} s ({})",
                        w.name,
                        tc.lang,
                        b.duration_ms as f64 / 1000.0,
                        b.binary.display()
                    ),
                    _ => {}
                },
                Err(e) => {
                    println!(
                        "{}/{}: FAILED: {}\n{}",
                        w.name, tc.lang, e.message, e.output_tail
                    );
                    outcome = Outcome::Failed;
                }
            }
        }
    }
    Ok(outcome)
}
