//! Source sizes for the claims on code size. `run` records the size of every
//! CPU implementation it is about to build in the results file, so a report
//! made later from that file rests on the code that was measured; `report`
//! takes the sizes from the file and measures today's workloads folder only
//! for the implementations a file does not record (a file written before
//! sizes were recorded), which the report then says.

use std::path::Path;

use anyhow::{Context, Result};

use crate::claims::SourceSizes;
use crate::config::{Paths, RunConfig};
use crate::kinds::Suite;
use crate::lang::{Impl, Toolchain};
use crate::results::{ResultsFile, SourceSize};
use crate::workload::source_size::gzip_source_size;

/// The source size of `imp` of the workload in the folder `workload_dir`.
fn measure(workload: &str, workload_dir: &Path, imp: &Impl) -> Result<SourceSize> {
    let lang = imp.lang;
    let bytes = gzip_source_size(
        &imp.dir(workload_dir),
        lang.source_ext(),
        lang.comment_style(),
    )
    .with_context(|| format!("measuring the source size of {workload}/{}", imp.folder()))?;
    Ok(SourceSize {
        workload: workload.to_string(),
        lang,
        variant: imp.variant.clone(),
        gzip_bytes: bytes as u64,
    })
}

/// The source size of every CPU implementation this run (or its shard) will
/// build: each selected CPU workload's implementations in the languages whose
/// toolchain was found, in the order the cpu suite takes them. One that
/// cannot be measured is left out (the report will measure it again), and
/// the reason is returned as a warning.
pub(super) fn record(
    config: &RunConfig,
    toolchains: &[Toolchain],
) -> (Vec<SourceSize>, Vec<String>) {
    let mut sizes = Vec::new();
    let mut warnings = Vec::new();
    for workload in &config.selection.workloads {
        for tc in toolchains {
            for imp in Impl::find_all(tc.lang, &workload.dir) {
                if !config.takes(Suite::Cpu, &workload.name, &imp) {
                    continue;
                }
                match measure(&workload.name, &workload.dir, &imp) {
                    Ok(size) => sizes.push(size),
                    Err(e) => warnings.push(format!("{e:#}")),
                }
            }
        }
    }
    (sizes, warnings)
}

/// The gzip source bytes of every CPU benchmark in `results`, for the claims:
/// the recorded size, or for a benchmark the file records none for, the size
/// of its implementation in today's workloads folder, if it is still there.
pub(super) fn for_claims(results: &ResultsFile, paths: &Paths) -> SourceSizes {
    let mut sizes: SourceSizes = results
        .sources
        .iter()
        .map(|s| {
            (
                (s.workload.clone(), s.implementation()),
                s.gzip_bytes as f64,
            )
        })
        .collect();
    for b in results.unrecorded_sources() {
        let imp = Impl {
            lang: b.lang,
            variant: b.variant.clone(),
        };
        let dir = paths.workloads_dir.join(&b.workload);
        if let Ok(size) = measure(&b.workload, &dir, &imp) {
            sizes.insert(
                (b.workload.clone(), b.implementation()),
                size.gzip_bytes as f64,
            );
        }
    }
    sizes
}
