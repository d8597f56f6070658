//! Where things live: the workloads folder, the project root above it, and
//! the build folder, and programs on PATH. Shared by configuration, builds,
//! the count runner and the run loop.

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
    /// The user file of more runtimes (`--runtimes-file`), if any.
    pub runtimes_file: Option<PathBuf>,
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
            runtimes_file: None,
        }
    }

    /// The same, with the user file of runtimes `file`.
    pub fn with_runtimes_file(mut self, file: Option<PathBuf>) -> Paths {
        self.runtimes_file = file;
        self
    }

    /// Where `langbench runtimes install` links the runtimes it installs,
    /// looked in before PATH.
    pub fn runtimes_bin(&self) -> PathBuf {
        self.build_dir.join("runtimes").join("bin")
    }
}

/// Looks `program` up on PATH; returns the first executable file.
pub fn find_in_path(program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| {
            p.metadata()
                .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
                .unwrap_or(false)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sh_on_path() {
        assert!(find_in_path("sh").is_some());
        assert!(find_in_path("no-such-program-langbench").is_none());
    }
}
