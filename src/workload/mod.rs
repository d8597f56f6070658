//! Workloads on disk: manifests turned into validated [`Workload`] values.
//!
//! A workload is a folder `<workloads-dir>/<name>/` holding `manifest.json`
//! and one sub-folder per language. A CPU workload's manifest gives sizes and
//! expected results; a server workload's (`"suite": "io"`) gives scenarios.
//! Folders without a manifest (such as `protocol/`) are not workloads. Every problem
//! with a manifest is an input error naming the file and the field.

pub mod concurrency;
mod fields;
mod manifest;
pub mod server;
pub mod source_size;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub use concurrency::{ConcurrencyWorkload, Vary};
pub use manifest::{parse_manifest, Manifest};
pub use server::{Background, Scenario, ServerWorkload, Timing};

use crate::exit::input_error;

pub use crate::kinds::Size;

/// The most runs, or warm-up runs, one benchmark may ask for.
pub const MAX_RUNS: u32 = 100_000;

/// The names of the three sizes every manifest defines, in manifest order.
fn size_names() -> String {
    let names: Vec<&str> = Size::ALL.iter().map(|s| s.name()).collect();
    names.join(", ")
}

/// The size a manifest key names, if any.
fn size_named(key: &str) -> Option<Size> {
    Size::ALL.into_iter().find(|s| s.name() == key)
}

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
    pub sizes: Vec<(Size, SizeSpec)>,
}

impl Workload {
    /// The spec of `size`, if the manifest has it.
    pub fn size(&self, size: Size) -> Option<&SizeSpec> {
        self.sizes.iter().find(|(n, _)| *n == size).map(|(_, s)| s)
    }
}

/// Every workload of a workloads folder, by kind, each list sorted by name.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    /// Programs run to completion (the CPU suite).
    pub cpu: Vec<Workload>,
    /// Servers under load (the I/O suite).
    pub servers: Vec<ServerWorkload>,
    /// Programs run at a sweep of levels (the concurrency suite).
    pub concurrency: Vec<ConcurrencyWorkload>,
}

impl Catalog {
    /// Every scenario of every server workload, with its workload.
    pub fn scenarios(&self) -> impl Iterator<Item = (&ServerWorkload, &Scenario)> {
        self.servers
            .iter()
            .flat_map(|w| w.scenarios.iter().map(move |s| (w, s)))
    }
}

/// Loads every workload under `dir`.
pub fn discover(dir: &Path) -> Result<Catalog> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        input_error(format!(
            "cannot read workloads folder '{}': {e}",
            dir.display()
        ))
    })?;
    let mut catalog = Catalog {
        cpu: Vec::new(),
        servers: Vec::new(),
        concurrency: Vec::new(),
    };
    for entry in entries {
        let entry = entry.with_context(|| format!("listing '{}'", dir.display()))?;
        let manifest = entry.path().join("manifest.json");
        if entry.path().is_dir() && manifest.is_file() {
            match load(&entry.path())? {
                Manifest::Cpu(w) => catalog.cpu.push(w),
                Manifest::Server(w) => catalog.servers.push(w),
                Manifest::Concurrency(w) => catalog.concurrency.push(w),
            }
        }
    }
    catalog.cpu.sort_by(|a, b| a.name.cmp(&b.name));
    catalog.servers.sort_by(|a, b| a.name.cmp(&b.name));
    catalog.concurrency.sort_by(|a, b| a.name.cmp(&b.name));
    if catalog.cpu.is_empty() && catalog.servers.is_empty() && catalog.concurrency.is_empty() {
        return Err(input_error(format!(
            "no workloads in '{}' (no sub-folder has a manifest.json)",
            dir.display()
        )));
    }
    Ok(catalog)
}

/// Loads the workload in `dir` from its `manifest.json`.
pub fn load(dir: &Path) -> Result<Manifest> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| input_error(format!("cannot read manifest '{}': {e}", path.display())))?;
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let manifest = parse_manifest(&text, &folder)
        .map_err(|e| input_error(format!("manifest '{}': {e}", path.display())))?;
    Ok(match manifest {
        Manifest::Cpu(w) => Manifest::Cpu(Workload {
            dir: dir.to_path_buf(),
            ..w
        }),
        Manifest::Server(w) => Manifest::Server(ServerWorkload {
            dir: dir.to_path_buf(),
            ..w
        }),
        Manifest::Concurrency(w) => {
            if let Some(l) = w
                .limits
                .iter()
                .find(|l| !dir.join(&l.implementation).is_dir())
            {
                return Err(input_error(format!(
                    "manifest '{}': field 'limits.{}' names no implementation folder",
                    path.display(),
                    l.implementation
                )));
            }
            Manifest::Concurrency(ConcurrencyWorkload {
                dir: dir.to_path_buf(),
                ..w
            })
        }
    })
}
