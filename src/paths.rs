//! Where things live: the workloads folder, the project root above it, and
//! the build folder. Shared by configuration, builds and the run loop.

use std::path::{Path, PathBuf};

/// Where workloads, builds and results live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The folder of workloads.
    pub workloads_dir: PathBuf,
    /// The project root: the parent of the workloads folder.
    pub root: PathBuf,
    /// Where Go binaries and build stamps go.
    pub build_dir: PathBuf,
}

impl Paths {
    /// Resolves the workloads folder: the option, else `./workloads`, else the
    /// checkout this binary was built from.
    pub fn resolve(workloads_dir: Option<&Path>) -> Paths {
        let dir = match workloads_dir {
            Some(d) => d.to_path_buf(),
            None if Path::new("workloads").is_dir() => PathBuf::from("workloads"),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join("workloads"),
        };
        let dir = std::path::absolute(&dir).unwrap_or(dir);
        let root = dir
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Paths {
            build_dir: root.join("target").join("langbench"),
            workloads_dir: dir,
            root,
        }
    }
}
