//! The four languages: where their toolchains are, which version they are,
//! how an implementation is built and what command line runs it.
//!
//! In: a [`Lang`] and a workload folder. Out: a [`Toolchain`] (or the reason
//! it is missing) and, through [`build::prepare`], the argv that runs the
//! implementation. Version probes and builds run through duct; the timed
//! runs do not (see `runner`). [`install`] provisions the extra runtimes
//! (Bun, Deno, other Node.js versions, PyPy, a free-threaded CPython, an
//! older Go).

pub mod build;
pub mod install;
pub mod runtime;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::runner::cachegrind::Determinism;
use crate::workload::source_size::CommentStyle;
use runtime::RuntimeName;

/// A language langbench knows how to build and run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Node.js, running `node/main.js`.
    Node,
    /// CPython, running `python/main.py`.
    Python,
    /// Go, building `go/` with `go build`.
    Go,
    /// Rust, building `rust/` with cargo in the `workload` profile.
    Rust,
}

impl Lang {
    /// Every language, in the order tables show them.
    pub const ALL: [Lang; 4] = [Lang::Node, Lang::Python, Lang::Go, Lang::Rust];

    /// The lowercase name used on the command line and in folders.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Node => "node",
            Lang::Python => "python",
            Lang::Go => "go",
            Lang::Rust => "rust",
        }
    }

    /// Parses a language name (also accepts `nodejs`, `js`, `py`, `golang`, `rs`).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "node" | "nodejs" | "js" => Some(Lang::Node),
            "python" | "py" | "python3" => Some(Lang::Python),
            "go" | "golang" => Some(Lang::Go),
            "rust" | "rs" => Some(Lang::Rust),
            _ => None,
        }
    }

    /// The program looked up on PATH.
    pub fn program(self) -> &'static str {
        match self {
            Lang::Node => "node",
            Lang::Python => "python3",
            Lang::Go => "go",
            Lang::Rust => "cargo",
        }
    }

    /// True when a build makes a binary that runs alone (Go, Rust); false
    /// when the toolchain's interpreter runs the sources (Node, Python).
    pub fn is_compiled(self) -> bool {
        matches!(self, Lang::Go | Lang::Rust)
    }

    /// The file that marks an implementation as present in `<workload>/<lang>/`.
    pub fn entry_file(self) -> &'static str {
        match self {
            Lang::Node => "main.js",
            Lang::Python => "main.py",
            Lang::Go => "main.go",
            Lang::Rust => "Cargo.toml",
        }
    }

    /// Extension of the source files counted for source size.
    pub fn source_ext(self) -> &'static str {
        match self {
            Lang::Node => "js",
            Lang::Python => "py",
            Lang::Go => "go",
            Lang::Rust => "rs",
        }
    }

    /// Comment syntax, for source size.
    pub fn comment_style(self) -> CommentStyle {
        match self {
            Lang::Python => CommentStyle::Python,
            Lang::Rust => CommentStyle::CLike {
                quote_strings: false,
            },
            Lang::Node | Lang::Go => CommentStyle::CLike {
                quote_strings: true,
            },
        }
    }

    /// What makes this language's instruction counts repeatable under
    /// cachegrind: env vars and interpreter flags (see `runner::cachegrind`).
    pub fn determinism(self) -> Determinism {
        match self {
            Lang::Node => Determinism::NODE,
            Lang::Python => Determinism::CPYTHON,
            Lang::Go => Determinism::GO,
            Lang::Rust => Determinism::NONE,
        }
    }

    /// Whether the workload in `workload_dir` has an implementation in this
    /// language (in `<lang>/` or in a variant folder `<lang>-<variant>/`).
    pub fn has_impl(self, workload_dir: &Path) -> bool {
        !Impl::find_all(self, workload_dir).is_empty()
    }
}

/// One implementation of a workload: a language and, when a workload has more
/// than one in that language, a variant (folder `<lang>-<variant>`, e.g.
/// `python-threads`). The plain folder `<lang>` has no variant. Run by a
/// runtime other than the language's default, it carries that runtime's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Impl {
    /// The language, which gives the toolchain and the entry file.
    pub lang: Lang,
    /// The variant name, without the language prefix.
    pub variant: Option<String>,
    /// The runtime, unless it is the language's default.
    pub runtime: Option<RuntimeName>,
}

impl Impl {
    /// The folder name: `node`, `python-threads`.
    pub fn folder(&self) -> String {
        implementation_name(self.lang, self.variant.as_deref(), None)
    }

    /// The name tables and keys use: the folder, then `@runtime` for a
    /// runtime other than the default (`node@bun`, `python-threads@pypy`).
    pub fn name(&self) -> String {
        implementation_name(self.lang, self.variant.as_deref(), self.runtime.as_ref())
    }

    /// The same implementation run by `toolchain`'s runtime.
    pub fn run_by(mut self, toolchain: &Toolchain) -> Impl {
        self.runtime = toolchain.runtime.clone();
        self
    }

    /// The implementation's folder in a workload folder.
    pub fn dir(&self, workload_dir: &Path) -> PathBuf {
        workload_dir.join(self.folder())
    }

    /// The gzip size of the implementation's sources in the workload folder
    /// `workload_dir`, in bytes, as the Benchmarks Game counts it (see
    /// [`crate::workload::source_size`]).
    pub fn source_size(&self, workload_dir: &Path) -> anyhow::Result<usize> {
        let lang = self.lang;
        crate::workload::source_size::gzip_source_size(
            &self.dir(workload_dir),
            lang.source_ext(),
            lang.comment_style(),
        )
    }

    /// Every implementation in `lang` of the workload in `workload_dir`: the
    /// folders `<lang>` and `<lang>-<variant>` holding the entry file, plain
    /// folder first, then variants by name.
    pub fn find_all(lang: Lang, workload_dir: &Path) -> Vec<Impl> {
        let Ok(entries) = std::fs::read_dir(workload_dir) else {
            return Vec::new();
        };
        let mut found: Vec<Impl> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let variant = if name == lang.name() {
                    None
                } else {
                    let v = name.strip_prefix(lang.name())?.strip_prefix('-')?;
                    if v.is_empty() {
                        return None;
                    }
                    Some(v.to_string())
                };
                e.path().join(lang.entry_file()).is_file().then_some(Impl {
                    lang,
                    variant,
                    runtime: None,
                })
            })
            .collect();
        found.sort();
        found
    }
}

impl std::fmt::Display for Impl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

/// The name of an implementation as labels and tables show it: its folder
/// (`python`, `python-threads`), then `@runtime` when a runtime other than
/// the language's default runs it (`python-threads@pypy`).
pub fn implementation_name(
    lang: Lang,
    variant: Option<&str>,
    runtime: Option<&RuntimeName>,
) -> String {
    let folder = match variant {
        Some(v) => format!("{}-{v}", lang.name()),
        None => lang.name().to_string(),
    };
    match runtime {
        Some(r) => format!("{folder}@{r}"),
        None => folder,
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A runtime found on this machine: its toolchain (the program that runs
/// or builds the language's implementations), how it is called and its version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Toolchain {
    /// The language.
    pub lang: Lang,
    /// The runtime's name, unless it is the language's default (added within
    /// schema version 1: older files have none, and were all default runtimes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<RuntimeName>,
    /// Absolute path of the program (`node`, `python3`, `go`, `cargo`, `bun`).
    pub path: PathBuf,
    /// Arguments right after the program (e.g. Deno's `run -A`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// Environment variables for its builds and runs (e.g. `GOTOOLCHAIN`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<(String, String)>,
    /// What the program says of its version (for Rust: cargo's and rustc's).
    pub version: String,
    /// Where the program was found: `PATH`, `build folder`, or the user file.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub origin: String,
    /// Implementations this runtime cannot run (from its definition; not
    /// written to results files: the run records them as skipped).
    #[serde(skip)]
    pub unsupported: Vec<runtime::Unsupported>,
}

impl Toolchain {
    /// The runtime's name: its own, or the language's for a default runtime.
    pub fn runtime_name(&self) -> RuntimeName {
        self.runtime
            .clone()
            .unwrap_or_else(|| RuntimeName::default_of(self.lang))
    }

    /// Why this runtime cannot run `imp` of `workload`, if it cannot.
    pub fn cannot_run(&self, workload: &str, imp: &Impl) -> Option<&str> {
        self.unsupported
            .iter()
            .find(|u| u.workload == workload && u.implementation == imp.folder())
            .map(|u| u.reason.as_str())
    }

    /// True if both are the same runtime of the same language.
    pub fn same_runtime(&self, other: &Toolchain) -> bool {
        self.lang == other.lang && self.runtime == other.runtime
    }
}

#[cfg(test)]
impl Toolchain {
    /// A toolchain for tests: `lang` run by `runtime` (None: the default) at `version`.
    pub fn for_tests(lang: Lang, runtime: Option<&str>, version: &str) -> Toolchain {
        Toolchain {
            lang,
            runtime: runtime.map(|r| RuntimeName::parse(r).expect("a runtime name")),
            path: "/usr/bin/x".into(),
            args: Vec::new(),
            env: Vec::new(),
            version: version.into(),
            origin: String::new(),
            unsupported: Vec::new(),
        }
    }
}

/// The runtimes both lists hold at different versions, with the runtime's
/// name, the version in `a` and in `b` (merge refuses such files; a count
/// compared across them is no gate).
pub fn toolchain_differences<'a>(
    a: &'a [Toolchain],
    b: &'a [Toolchain],
) -> Vec<(RuntimeName, &'a str, &'a str)> {
    a.iter()
        .filter_map(|t| {
            let u = b.iter().find(|u| u.same_runtime(t))?;
            (u.version != t.version).then_some((
                t.runtime_name(),
                t.version.as_str(),
                u.version.as_str(),
            ))
        })
        .collect()
}

/// Runs `program args` with `env` added and returns the first line it
/// prints (stdout, else stderr), or why it failed.
fn probe_version(
    program: &Path,
    args: &[String],
    env: &[(String, String)],
) -> Result<String, String> {
    let mut cmd = duct::cmd(program, args)
        .stdout_capture()
        .stderr_capture()
        .unchecked();
    for (k, v) in env {
        cmd = cmd.env(k, v);
    }
    let out = cmd
        .run()
        .map_err(|e| format!("cannot run '{}': {e}", program.display()))?;
    let text = String::from_utf8_lossy(if out.stdout.is_empty() {
        &out.stderr
    } else {
        &out.stdout
    });
    let first = text.lines().next().unwrap_or("").trim().to_string();
    if !out.status.success() || first.is_empty() {
        let said = String::from_utf8_lossy(&out.stderr);
        let said = said.lines().next().unwrap_or("").trim();
        return Err(format!(
            "'{} {}' failed ({}){}",
            program.display(),
            args.join(" "),
            out.status,
            if said.is_empty() {
                String::new()
            } else {
                format!(": {said}")
            }
        ));
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.name()), Some(lang));
        }
        assert_eq!(Lang::parse("JS"), Some(Lang::Node));
        assert_eq!(Lang::parse("cobol"), None);
    }

    #[test]
    fn finds_implementations_and_variants() {
        let dir = tempfile::tempdir().unwrap();
        for (folder, file) in [
            ("python", "main.py"),
            ("python-threads", "main.py"),
            ("python-", "main.py"),
            ("pythonic", "main.py"),
            ("rust-threads", "Cargo.toml"),
            ("go-empty", "README.md"),
        ] {
            std::fs::create_dir(dir.path().join(folder)).unwrap();
            std::fs::write(dir.path().join(folder).join(file), "").unwrap();
        }
        let names = |lang| -> Vec<String> {
            Impl::find_all(lang, dir.path())
                .iter()
                .map(Impl::folder)
                .collect()
        };
        assert_eq!(names(Lang::Python), ["python", "python-threads"]);
        assert_eq!(names(Lang::Rust), ["rust-threads"]);
        assert!(names(Lang::Go).is_empty());
        assert!(Lang::Rust.has_impl(dir.path()));
        assert!(!Lang::Node.has_impl(dir.path()));
    }
}
