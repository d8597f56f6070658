//! Workloads on disk: manifests turned into validated [`Workload`] values.
//!
//! A workload is a folder `<workloads-dir>/<name>/` holding `manifest.json`
//! (sizes and expected results) and one sub-folder per language. Folders
//! without a manifest (such as `protocol/`) are not workloads. Every problem
//! with a manifest is an input error naming the file and the field.

mod manifest;
pub mod source_size;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub use manifest::parse_manifest;

use crate::exit::input_error;

/// The three problem sizes every manifest defines.
pub const SIZE_NAMES: [&str; 3] = ["quick", "default", "full"];

/// One problem size of a workload and the result every implementation must print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SizeSpec {
    /// The value passed as `--size`.
    pub size: u64,
    /// The value passed as `--iterations` (at least 2: the first is the warm-up iteration).
    pub iterations: u64,
    /// The canonical result, compared byte for byte.
    pub expected: String,
}

/// A validated workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    /// Folder name, also the manifest's `name`.
    pub name: String,
    /// Short human title.
    pub title: String,
    /// What it computes and what it stresses.
    pub description: String,
    /// What `--size` means for this workload.
    pub size_meaning: String,
    /// Where the expected results come from.
    pub reference: String,
    /// The folder of the workload.
    pub dir: PathBuf,
    /// Sizes `quick`, `default`, `full`, in that order.
    pub sizes: Vec<(String, SizeSpec)>,
}

impl Workload {
    /// The spec of the size called `name`, if the manifest has it.
    pub fn size(&self, name: &str) -> Option<&SizeSpec> {
        self.sizes.iter().find(|(n, _)| n == name).map(|(_, s)| s)
    }
}

/// Loads every workload under `dir`, sorted by name.
pub fn discover(dir: &Path) -> Result<Vec<Workload>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        input_error(format!(
            "cannot read workloads folder '{}': {e}",
            dir.display()
        ))
    })?;
    let mut workloads = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("listing '{}'", dir.display()))?;
        let manifest = entry.path().join("manifest.json");
        if entry.path().is_dir() && manifest.is_file() {
            workloads.push(load(&entry.path())?);
        }
    }
    workloads.sort_by(|a, b| a.name.cmp(&b.name));
    if workloads.is_empty() {
        return Err(input_error(format!(
            "no workloads in '{}' (no sub-folder has a manifest.json)",
            dir.display()
        )));
    }
    Ok(workloads)
}

/// Loads the workload in `dir` from its `manifest.json`.
pub fn load(dir: &Path) -> Result<Workload> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| input_error(format!("cannot read manifest '{}': {e}", path.display())))?;
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parse_manifest(&text, &folder)
        .map(|parsed| Workload {
            dir: dir.to_path_buf(),
            ..parsed
        })
        .map_err(|e| input_error(format!("manifest '{}': {e}", path.display())))
}
