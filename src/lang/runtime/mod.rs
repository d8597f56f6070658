//! Runtimes: a language plus the command that runs (or builds) its
//! implementations. Node 20 and Bun both run `node/main.js`; CPython 3.11 and
//! PyPy both run `python/main.py`; Go 1.26 and Go 1.24 both build `go/`.
//!
//! In: the built-in definitions ([`builtins`]) and, optionally, a user file
//! of more (JSON, see [`parse_user_file`]). Out: a [`Catalog`] of
//! [`RuntimeDef`]s, and through [`Catalog::find`] a [`Toolchain`] (the
//! program found, its version, where it came from) or the reason it is
//! missing. The default runtime of a language is named as the language
//! (`node`, `python`, `go`, `rust`); a benchmark of a default runtime carries
//! no runtime name, so results, keys and labels stay as they were before
//! runtimes existed. Any other runtime shows in labels as `node@bun`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{probe_version, Lang, Toolchain};
use crate::paths::{find_in_path, Paths};

/// A runtime's name: `node`, `bun`, `python3.13t`, `go1.24`. Lowercase
/// letters, digits, `.`, `_` and `-`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RuntimeName(String);

impl RuntimeName {
    /// Checks `name`: the error says what is wrong with it.
    pub fn parse(name: &str) -> Result<RuntimeName, String> {
        let ok = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
            });
        if ok {
            Ok(RuntimeName(name.to_string()))
        } else {
            Err(format!(
                "'{name}' is not a runtime name (lowercase letters, digits, '.', '_' and '-', \
                 starting with a letter)"
            ))
        }
    }

    /// The default runtime's name of `lang`: the language's own name.
    pub fn default_of(lang: Lang) -> RuntimeName {
        RuntimeName(lang.name().to_string())
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True if this is the default runtime of `lang`.
    pub fn is_default_of(&self, lang: Lang) -> bool {
        self.0 == lang.name()
    }
}

impl TryFrom<String> for RuntimeName {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        RuntimeName::parse(&s)
    }
}

impl From<RuntimeName> for String {
    fn from(n: RuntimeName) -> String {
        n.0
    }
}

impl std::fmt::Display for RuntimeName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a definition comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Defined {
    /// Built into langbench.
    BuiltIn,
    /// A user file.
    File(PathBuf),
}

/// An implementation a runtime cannot run, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// The implementation folder, e.g. `python` (of the http workload).
    pub workload: String,
    /// The implementation folder in that workload, e.g. `python`.
    pub implementation: String,
    /// Why, in a few words.
    pub reason: String,
}

/// One runtime: a language and a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeDef {
    /// The name selected with `--runtime`.
    pub name: RuntimeName,
    /// The language whose implementations it runs or builds.
    pub lang: Lang,
    /// The executable: a name, looked up in the build folder's
    /// `runtimes/bin` (where `langbench runtimes install` links what it
    /// installs), then on PATH; or a path (relative to the user file's folder).
    pub program: String,
    /// Arguments put right after the program, before the entry file of an
    /// interpreted language or the build subcommand of a compiled one (e.g.
    /// Deno's `run -A`).
    pub args: Vec<String>,
    /// Environment variables for its version probe, builds and runs (e.g.
    /// `GOTOOLCHAIN=go1.24.0`).
    pub env: Vec<(String, String)>,
    /// Arguments that make the program print its version on its first line.
    pub version_args: Vec<String>,
    /// Environment added for the version probe only (e.g. `GOPROXY=off`, so a
    /// Go toolchain that is not installed is reported missing, not downloaded).
    pub probe_env: Vec<(String, String)>,
    /// How to install it, for the message when it is missing.
    pub install_hint: String,
    /// Implementations it cannot run.
    pub unsupported: Vec<Unsupported>,
    /// Built in or from a user file.
    pub defined: Defined,
}

impl RuntimeDef {
    /// True if this is its language's default runtime.
    pub fn is_default(&self) -> bool {
        self.name.is_default_of(self.lang)
    }

    /// Finds the program (see [`RuntimeDef::program`]) and asks it for its
    /// version.
    pub fn find(&self, paths: &Paths) -> Result<Toolchain, String> {
        let (path, origin) = locate(self, paths).ok_or_else(|| match self.defined {
            // As before runtimes existed: the default ones come from PATH.
            Defined::BuiltIn if self.is_default() => {
                format!("'{}' not found on PATH", self.program)
            }
            _ => format!(
                "'{}' not found in {} or on PATH ({})",
                self.program,
                paths.runtimes_bin().display(),
                self.install_hint
            ),
        })?;
        let mut probe_env = self.env.clone();
        probe_env.extend(self.probe_env.iter().cloned());
        let with_args = |extra: &[&str]| -> Vec<String> {
            self.args
                .iter()
                .cloned()
                .chain(extra.iter().map(|s| s.to_string()))
                .collect()
        };
        // pyenv and similar put a shell shim on PATH; time the interpreter
        // itself. Another runtime's link (`runtimes/bin/python3.13t`) is
        // followed to the interpreter in its own prefix, which a virtual
        // environment made from it needs to find its standard library; the
        // default's path is kept as it was (a count moves with the paths a
        // program sees).
        let executable = if self.is_default() {
            "import sys; print(sys.executable)"
        } else {
            "import os, sys; print(os.path.realpath(sys.executable))"
        };
        let path = match self.lang {
            Lang::Python => probe_version(&path, &with_args(&["-c", executable]), &probe_env)
                .map(PathBuf::from)
                .ok()
                .filter(|p| p.is_file())
                .unwrap_or(path),
            _ => path,
        };
        let version_args: Vec<&str> = self.version_args.iter().map(String::as_str).collect();
        // Deno's `run -A` would take `--version` as a script name: the probe
        // runs the program with the version arguments alone, but for Rust,
        // whose `+toolchain` argument picks the compiler.
        let version_argv = if self.lang == Lang::Rust {
            with_args(&version_args)
        } else {
            self.version_args.clone()
        };
        let mut version = probe_version(&path, &version_argv, &probe_env)?;
        if self.lang == Lang::Rust {
            let rustc = find_in_path("rustc").ok_or("'rustc' not found on PATH")?;
            let rustc_version = probe_version(&rustc, &with_args(&["--version"]), &probe_env)?;
            version = format!("{rustc_version}; {version}");
        }
        Ok(Toolchain {
            lang: self.lang,
            runtime: (!self.is_default()).then(|| self.name.clone()),
            path,
            args: self.args.clone(),
            env: self.env.clone(),
            version,
            origin: origin.to_string(),
            unsupported: self.unsupported.clone(),
        })
    }
}

/// The Go toolchain versions langbench knows how to fetch through
/// `GOTOOLCHAIN` (`runtimes install` fetches the same).
const GO_VERSIONS: [(&str, &str); 1] = [("go1.24", super::install::go::TOOLCHAIN)];

/// The built-in runtimes: the four defaults, then the others by language.
pub fn builtins() -> Vec<RuntimeDef> {
    let def = |name: &str, lang: Lang, program: &str, hint: &str| RuntimeDef {
        name: RuntimeName(name.to_string()),
        lang,
        program: program.to_string(),
        args: Vec::new(),
        env: Vec::new(),
        version_args: vec![if lang == Lang::Go {
            "version"
        } else {
            "--version"
        }
        .to_string()],
        probe_env: Vec::new(),
        install_hint: hint.to_string(),
        unsupported: Vec::new(),
        defined: Defined::BuiltIn,
    };
    let install = |name: &str| format!("`langbench runtimes install {name}`");
    let mut all = vec![
        def("node", Lang::Node, "node", "install Node.js"),
        def("python", Lang::Python, "python3", "install Python 3"),
        def("go", Lang::Go, "go", "install Go"),
        def("rust", Lang::Rust, "cargo", "install Rust (rustup)"),
    ];
    for major in ["22", "24", "26"] {
        let name = format!("node{major}");
        all.push(def(&name, Lang::Node, &name, &install(&name)));
    }
    all.push(def("bun", Lang::Node, "bun", &install("bun")));
    let mut deno = def("deno", Lang::Node, "deno", &install("deno"));
    // The implementations are CommonJS (`require`); Deno runs them as such
    // with this flag, and needs -A for files, network and subprocesses.
    deno.args = ["run", "-A", "--unstable-detect-cjs"]
        .map(String::from)
        .to_vec();
    // Never reach for Deno's update server from a measured run.
    deno.env = vec![("DENO_NO_UPDATE_CHECK".to_string(), "1".to_string())];
    all.push(deno);
    let cannot = |implementation: &str, reason: &str| Unsupported {
        workload: "http".to_string(),
        implementation: implementation.to_string(),
        reason: reason.to_string(),
    };
    let mut pypy = def("pypy", Lang::Python, "pypy3", &install("pypy"));
    pypy.unsupported = vec![
        cannot(
            "python",
            "FastAPI's pydantic-core has no wheel for PyPy 3.9 and does not build for it \
             (PyO3 needs PyPy 3.11)",
        ),
        cannot(
            "python-flask",
            "the pinned click 8.5.1 needs Python 3.10; PyPy 7.3.11 is Python 3.9",
        ),
    ];
    all.push(pypy);
    let mut free_threaded = def(
        "python3.13t",
        Lang::Python,
        "python3.13t",
        &install("python3.13t"),
    );
    free_threaded.unsupported = vec![cannot(
        "python",
        "the pinned pydantic-core, uvloop and httptools have no free-threaded wheels",
    )];
    all.push(free_threaded);
    for (name, version) in GO_VERSIONS {
        let mut go = def(name, Lang::Go, "go", &install(name));
        go.env = vec![("GOTOOLCHAIN".to_string(), version.to_string())];
        go.probe_env = vec![("GOPROXY".to_string(), "off".to_string())];
        all.push(go);
    }
    all
}

/// Every runtime langbench knows of: the built-ins, then a user file's (one
/// of a built-in's name replaces it).
#[derive(Debug, Clone)]
pub struct Catalog {
    defs: Vec<RuntimeDef>,
}

impl Catalog {
    /// The built-ins and, if given, the runtimes of the user file `file`.
    /// A file that cannot be read or parsed is an error naming the file and
    /// the field.
    pub fn load(file: Option<&Path>) -> Result<Catalog, String> {
        let mut defs = builtins();
        if let Some(file) = file {
            let text = std::fs::read_to_string(file)
                .map_err(|e| format!("{}: cannot read: {e}", file.display()))?;
            for user in parse_user_file(&text, file)? {
                match defs.iter_mut().find(|d| d.name == user.name) {
                    Some(d) => *d = user,
                    None => defs.push(user),
                }
            }
        }
        Ok(Catalog { defs })
    }

    /// Every definition, built-ins first.
    pub fn all(&self) -> &[RuntimeDef] {
        &self.defs
    }

    /// The definition named `name`, or an error listing the known names.
    pub fn get(&self, name: &str) -> Result<&RuntimeDef, String> {
        self.defs
            .iter()
            .find(|d| d.name.as_str() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = self.defs.iter().map(|d| d.name.as_str()).collect();
                format!("unknown runtime '{name}' (known: {})", known.join(", "))
            })
    }

    /// The default runtime of `lang`.
    pub fn default_of(&self, lang: Lang) -> &RuntimeDef {
        self.defs
            .iter()
            .find(|d| d.lang == lang && d.is_default())
            .expect("every language has a built-in default runtime")
    }
}

/// Where the program of `def` is: (path, how it was found).
fn locate(def: &RuntimeDef, paths: &Paths) -> Option<(PathBuf, String)> {
    if def.program.contains('/') {
        let base = match &def.defined {
            Defined::File(file) => file.parent().map(Path::to_path_buf).unwrap_or_default(),
            Defined::BuiltIn => PathBuf::new(),
        };
        let path = base.join(&def.program);
        return path.is_file().then(|| {
            let from = match &def.defined {
                Defined::File(file) => format!("path from {}", file.display()),
                Defined::BuiltIn => "path".to_string(),
            };
            (path, from)
        });
    }
    let installed = paths.runtimes_bin().join(&def.program);
    if installed.is_file() {
        return Some((installed, "build folder".to_string()));
    }
    find_in_path(&def.program).map(|p| (p, "PATH".to_string()))
}

/// Parses a user file of runtimes:
///
/// ```json
/// {"runtimes": [
///   {"name": "python3.14", "lang": "python", "program": "/opt/py314/bin/python3",
///    "args": ["-X", "importtime"], "env": {"PYTHON_GIL": "0"},
///    "version_args": ["--version"],
///    "unsupported": [{"workload": "http", "implementation": "python", "reason": "no wheels"}]}
/// ]}
/// ```
///
/// `name`, `lang` and `program` are required; the rest may be left out.
/// Every error names the file, the runtime (by index and name) and the field.
pub fn parse_user_file(text: &str, file: &Path) -> Result<Vec<RuntimeDef>, String> {
    let at = |what: String| format!("{}: {what}", file.display());
    let root: Value = serde_json::from_str(text).map_err(|e| at(format!("not valid JSON: {e}")))?;
    let list = root
        .get("runtimes")
        .and_then(Value::as_array)
        .ok_or_else(|| at("needs a \"runtimes\" array".to_string()))?;
    let mut defs: Vec<RuntimeDef> = Vec::new();
    for (i, entry) in list.iter().enumerate() {
        let name_field = entry.get("name").and_then(Value::as_str);
        let here = match name_field {
            Some(n) => format!("runtimes[{i}] ({n})"),
            None => format!("runtimes[{i}]"),
        };
        let field = |f: &str, why: &str| at(format!("{here}: field \"{f}\" {why}"));
        let obj = entry
            .as_object()
            .ok_or_else(|| at(format!("{here}: must be an object")))?;
        for key in obj.keys() {
            if !matches!(
                key.as_str(),
                "name" | "lang" | "program" | "args" | "env" | "version_args" | "unsupported"
            ) {
                return Err(field(
                    key,
                    "is not known (name, lang, program, args, env, version_args, unsupported)",
                ));
            }
        }
        let name = name_field.ok_or_else(|| field("name", "is required (a string)"))?;
        let name =
            RuntimeName::parse(name).map_err(|e| field("name", &format!("is not valid: {e}")))?;
        if defs.iter().any(|d| d.name == name) {
            return Err(field("name", "repeats an earlier runtime's name"));
        }
        let lang = obj
            .get("lang")
            .and_then(Value::as_str)
            .ok_or_else(|| field("lang", "is required (node, python, go or rust)"))?;
        let lang =
            Lang::parse(lang).ok_or_else(|| field("lang", "must be node, python, go or rust"))?;
        let program = obj
            .get("program")
            .and_then(Value::as_str)
            .filter(|p| !p.is_empty())
            .ok_or_else(|| field("program", "is required (a name on PATH or a path)"))?;
        let strings = |f: &str| -> Result<Option<Vec<String>>, String> {
            let Some(v) = obj.get(f) else {
                return Ok(None);
            };
            v.as_array()
                .and_then(|a| {
                    a.iter()
                        .map(|s| s.as_str().map(String::from))
                        .collect::<Option<Vec<_>>>()
                })
                .map(Some)
                .ok_or_else(|| field(f, "must be an array of strings"))
        };
        let args = strings("args")?.unwrap_or_default();
        let version_args = strings("version_args")?.unwrap_or_else(|| {
            vec![if lang == Lang::Go {
                "version"
            } else {
                "--version"
            }
            .into()]
        });
        let env = match obj.get("env") {
            None => Vec::new(),
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| field("env", "must map names to strings"))?,
            Some(_) => return Err(field("env", "must be an object of strings")),
        };
        let unsupported = match obj.get("unsupported") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|u| {
                    let s = |k: &str| u.get(k).and_then(Value::as_str).map(String::from);
                    Some(Unsupported {
                        workload: s("workload")?,
                        implementation: s("implementation")?,
                        reason: s("reason")?,
                    })
                })
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    field(
                        "unsupported",
                        "must be an array of {\"workload\", \"implementation\", \"reason\"} strings",
                    )
                })?,
            Some(_) => return Err(field("unsupported", "must be an array")),
        };
        defs.push(RuntimeDef {
            name,
            lang,
            program: program.to_string(),
            args,
            env,
            version_args,
            probe_env: Vec::new(),
            install_hint: format!("defined in {}", file.display()),
            unsupported,
            defined: Defined::File(file.to_path_buf()),
        });
    }
    Ok(defs)
}

#[cfg(test)]
mod tests;
