//! The source size of each CPU implementation a run measured, recorded in
//! the results file as the CPU suite builds it, so the report's verdicts on code
//! size rest on the code that was measured rather than on today's tree.
//!
//! In: what the CPU suite measured as it built each implementation
//! ([`SourceSize::measure`]). Out: the
//! [`SourceSize`] entries of [`ResultsFile::sources`], and which CPU
//! benchmarks a file holds no size for (files written before sizes were
//! recorded: the report then measures today's tree and says so).

use serde::{Deserialize, Serialize};

use super::{Benchmark, ResultsFile};
use std::path::Path;

use crate::lang::{implementation_name, Impl, Lang};

/// The source size of one implementation of one CPU workload, as the
/// Computer Language Benchmarks Game counts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceSize {
    /// Workload name.
    pub workload: String,
    /// Language.
    pub lang: Lang,
    /// The implementation's variant (folder `<lang>-<variant>`), if it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Size of the implementation's sources, in bytes: every file with the
    /// language's extension in its folder, comments and Rust test modules
    /// removed, whitespace runs collapsed, then gzip-compressed (level 9).
    pub gzip_bytes: u64,
}

impl SourceSize {
    /// The implementation's name: `python`, `python-threads`.
    pub fn implementation(&self) -> String {
        implementation_name(self.lang, self.variant.as_deref(), None)
    }

    /// Measures `imp` of `workload`, whose folder is `workload_dir`.
    pub fn measure(workload: &str, workload_dir: &Path, imp: &Impl) -> anyhow::Result<SourceSize> {
        use anyhow::Context;
        let bytes = imp
            .source_size(workload_dir)
            .with_context(|| format!("measuring the source size of {workload}/{imp}"))?;
        Ok(SourceSize {
            workload: workload.to_string(),
            lang: imp.lang,
            variant: imp.variant.clone(),
            gzip_bytes: bytes as u64,
        })
    }

    /// True if this is the size of `bench`'s implementation (a CPU benchmark).
    fn is_of(&self, bench: &Benchmark) -> bool {
        bench.level.is_none()
            && self.workload == bench.workload
            && self.lang == bench.lang
            && self.variant == bench.variant
    }
}

impl ResultsFile {
    /// The CPU benchmarks whose source size this file does not record, in
    /// file order: all of them in a file written before sizes were recorded.
    pub fn unrecorded_sources(&self) -> Vec<&Benchmark> {
        self.benchmarks
            .iter()
            .filter(|b| b.level.is_none() && !self.sources.iter().any(|s| s.is_of(b)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(workload: &str, lang: Lang, variant: Option<&str>) -> SourceSize {
        SourceSize {
            workload: workload.into(),
            lang,
            variant: variant.map(Into::into),
            gzip_bytes: 500,
        }
    }

    #[test]
    fn reads_and_writes_the_documented_fields() {
        let s = size("nbody", Lang::Python, Some("numpy"));
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"workload": "nbody", "lang": "python", "variant": "numpy", "gzip_bytes": 500})
        );
        assert_eq!(s.implementation(), "python-numpy");
        let plain = serde_json::to_value(size("nbody", Lang::Go, None)).unwrap();
        assert!(plain.get("variant").is_none(), "{plain}");
        assert_eq!(serde_json::from_value::<SourceSize>(json).unwrap(), s);
    }

    /// The all-suites fixture, written before sizes were recorded: 8 CPU
    /// benchmarks (binary-trees and nbody in node, python, go and rust).
    fn old_file() -> ResultsFile {
        serde_json::from_str(include_str!("../../tests/fixtures/results/all-suites.json")).unwrap()
    }

    #[test]
    fn an_old_file_loads_with_every_cpu_benchmark_unrecorded() {
        let r = old_file();
        assert!(r.sources.is_empty());
        let unrecorded: Vec<String> = r.unrecorded_sources().iter().map(|b| b.label()).collect();
        assert_eq!(unrecorded.len(), 8, "{unrecorded:?}");
        assert_eq!(unrecorded[0], "binary-trees/node");
    }

    #[test]
    fn recorded_sizes_cover_their_benchmarks_only() {
        let mut r = old_file();
        r.sources = vec![
            size("nbody", Lang::Go, None),
            size("nbody", Lang::Go, Some("generic")),
            size("tasks", Lang::Rust, None),
        ];
        let unrecorded: Vec<String> = r.unrecorded_sources().iter().map(|b| b.label()).collect();
        assert_eq!(unrecorded.len(), 7);
        assert!(!unrecorded.contains(&"nbody/go".to_string()));
    }
}
