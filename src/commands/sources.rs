//! Source sizes for the claims on code size. The CPU suite records the size
//! of every implementation it builds in the results file, so a report made
//! later from that file rests on the code that was measured; the report takes
//! the sizes from the file and measures today's workloads folder only for
//! the passed CPU benchmarks a file does not record (a file written before
//! sizes were recorded), and says which.

use crate::claims::SourceSizes;
use crate::config::Paths;
use crate::results::{ResultsFile, SourceSize};

/// The sizes the claims read, and where they came from.
pub(super) struct Sources {
    /// gzip source bytes per (workload, implementation).
    pub sizes: SourceSizes,
    /// Which sizes were measured from today's workloads folder, for the
    /// report to say so; None when the file recorded every one used.
    pub note: Option<String>,
}

/// The gzip source bytes of every passed CPU benchmark in `results`: the
/// recorded size, or for a benchmark the file records none for, the size of
/// its implementation in today's workloads folder, if it is still there.
pub(super) fn for_claims(results: &ResultsFile, paths: &Paths) -> Sources {
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
    let (mut today, mut gone) = (Vec::new(), Vec::new());
    for b in results
        .unrecorded_sources()
        .into_iter()
        .filter(|b| b.summary.is_some())
    {
        let dir = paths.workloads_dir.join(&b.workload);
        match SourceSize::measure(&b.workload, &dir, &b.imp()) {
            Ok(size) => {
                let key = (b.workload.clone(), b.implementation());
                sizes.insert(key, size.gzip_bytes as f64);
                today.push(b.label());
            }
            Err(_) => gone.push(b.label()),
        }
    }
    // Which benchmarks a sentence is about: all of them when the file
    // records no size at all.
    let which = |labels: &[String]| {
        if results.sources.is_empty() {
            String::new()
        } else {
            format!(" for {}", labels.join(", "))
        }
    };
    let mut notes = Vec::new();
    if !today.is_empty() {
        notes.push(format!(
            "Source sizes: not recorded in this results file{}; measured from the workloads folder today.",
            which(&today)
        ));
    }
    if !gone.is_empty() {
        notes.push(format!(
            "Source sizes: not recorded in this results file{} nor found in the workloads folder today: not tested.",
            which(&gone)
        ));
    }
    let note = (!notes.is_empty()).then(|| notes.join(" "));
    Sources { sizes, note }
}
