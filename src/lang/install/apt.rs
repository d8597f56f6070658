//! A private apt configuration for fetching a Debian *source* package from a
//! release other than the system's: its own sources list (one `deb-src`
//! line), source parts folder, package lists, cache and (empty) status file,
//! all under `<build>/runtimes/apt/`, passed to `apt-get` as `-o` options.
//! The system's apt configuration, lists and locks are never written: only
//! its keyrings and `apt.conf` are read.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The one line of the private sources list: Debian trixie's source packages.
pub const SOURCES_LIST: &str = "deb-src http://deb.debian.org/debian trixie main\n";

/// The folders and files of the private configuration, under one root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateApt {
    root: PathBuf,
}

impl PrivateApt {
    /// The configuration under `root` (`<build>/runtimes/apt`).
    pub fn new(root: &Path) -> PrivateApt {
        PrivateApt {
            root: root.to_path_buf(),
        }
    }

    fn sources_list(&self) -> PathBuf {
        self.root.join("sources.list")
    }

    fn source_parts(&self) -> PathBuf {
        self.root.join("sources.list.d")
    }

    fn lists(&self) -> PathBuf {
        self.root.join("lists")
    }

    fn cache(&self) -> PathBuf {
        self.root.join("cache")
    }

    fn status(&self) -> PathBuf {
        self.root.join("status")
    }

    /// Where `apt-get source` downloads to.
    pub fn downloads(&self) -> PathBuf {
        self.root.join("source")
    }

    /// The `-o` options that point `apt-get` at this configuration. As root,
    /// apt drops to the `_apt` user to download, who cannot write in a
    /// root-owned build folder: `as_root` keeps the download as root.
    pub fn options(&self, as_root: bool) -> Vec<String> {
        let mut settings = vec![
            ("Dir::Etc::SourceList", self.sources_list()),
            ("Dir::Etc::SourceParts", self.source_parts()),
            ("Dir::State::Lists", self.lists()),
            ("Dir::State::status", self.status()),
            ("Dir::Cache", self.cache()),
        ]
        .into_iter()
        .map(|(k, v)| format!("{k}={}", v.display()))
        .collect::<Vec<_>>();
        if as_root {
            settings.push("APT::Sandbox::User=root".into());
        }
        settings
            .into_iter()
            .flat_map(|s| ["-o".to_string(), s])
            .collect()
    }

    /// Creates the folders and files the options name.
    pub fn prepare(&self) -> Result<()> {
        for dir in [
            self.source_parts(),
            self.lists().join("partial"),
            self.cache().join("archives").join("partial"),
            self.downloads(),
        ] {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("creating '{}'", dir.display()))?;
        }
        crate::fsutil::write_atomic(&self.sources_list(), SOURCES_LIST.as_bytes())?;
        if !self.status().exists() {
            crate::fsutil::write_atomic(&self.status(), b"")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_point_every_folder_at_the_private_root() {
        let apt = PrivateApt::new(Path::new("/b/runtimes/apt"));
        assert_eq!(
            apt.options(false),
            [
                "-o",
                "Dir::Etc::SourceList=/b/runtimes/apt/sources.list",
                "-o",
                "Dir::Etc::SourceParts=/b/runtimes/apt/sources.list.d",
                "-o",
                "Dir::State::Lists=/b/runtimes/apt/lists",
                "-o",
                "Dir::State::status=/b/runtimes/apt/status",
                "-o",
                "Dir::Cache=/b/runtimes/apt/cache",
            ]
        );
        let root = apt.options(true);
        assert_eq!(root[root.len() - 2..], ["-o", "APT::Sandbox::User=root"]);
        assert_eq!(apt.downloads(), Path::new("/b/runtimes/apt/source"));
    }

    #[test]
    fn prepare_writes_the_one_source_line() {
        let dir = tempfile::tempdir().unwrap();
        let apt = PrivateApt::new(dir.path());
        apt.prepare().unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("sources.list")).unwrap(),
            "deb-src http://deb.debian.org/debian trixie main\n"
        );
        assert!(dir.path().join("lists/partial").is_dir());
        assert!(dir.path().join("cache/archives/partial").is_dir());
        assert_eq!(std::fs::read(dir.path().join("status")).unwrap(), b"");
    }
}
