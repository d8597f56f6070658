//! Building implementations and the command lines that run them.
//!
//! Node.js and Python run from source; a Python implementation with a
//! `requirements.txt` gets its own virtual environment with those exact pins
//! (`python3 -m venv`, then `pip install -r`). Go is built with a plain `go build`,
//! Rust with `cargo build --profile workload` (release, fat LTO, one codegen
//! unit). A build is skipped when a stamp file records the same hash of its
//! inputs (sources, protocol helper, module files, toolchain version, command)
//! and the binary still exists.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Impl, Lang, Toolchain};
use crate::paths::Paths;

/// What a build did, as the results file records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildRecord {
    /// Commands run before the build command, in order (e.g. creating a virtual environment).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setup: Vec<Vec<String>>,
    /// The exact build command.
    pub command: Vec<String>,
    /// Folder the command ran in.
    pub cwd: PathBuf,
    /// The binary it produced.
    pub binary: PathBuf,
    /// True when the stamp matched and nothing was rebuilt.
    pub up_to_date: bool,
    /// Wall time of the build in milliseconds (0 when up to date).
    pub duration_ms: u64,
}

/// A runnable implementation: the argv prefix (parameters are appended) and its build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// Program and leading arguments.
    pub argv: Vec<String>,
    /// Environment variables set for each run, over the inherited ones.
    pub env: Vec<(String, String)>,
    /// The build, for compiled languages.
    pub build: Option<BuildRecord>,
}

/// A failed build: what failed and the tail of its output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// One line saying what failed.
    pub message: String,
    /// The last lines of the build's stderr.
    pub output_tail: String,
}

#[derive(Serialize, Deserialize)]
struct Stamp {
    hash: String,
    binary: PathBuf,
}

/// Builds (if needed) the implementation `imp` of the workload in
/// `workload_dir`, with `toolchain` (of `imp`'s language).
pub fn prepare(
    toolchain: &Toolchain,
    imp: &Impl,
    workload_dir: &Path,
    ctx: &Paths,
) -> Result<Prepared, BuildError> {
    let lang = toolchain.lang;
    debug_assert_eq!(lang, imp.lang);
    let impl_dir = absolute(&imp.dir(workload_dir));
    // Names binaries, virtual environments and stamps: `tasks`, `tasks-threads`.
    let mut name = workload_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(variant) = &imp.variant {
        name = format!("{name}-{variant}");
    }
    // A runtime other than the default builds into its own binary, stamp and
    // virtual environment: `nbody@go1.24`.
    if let Some(runtime) = &toolchain.runtime {
        name = format!("{name}@{runtime}");
    }
    let program = toolchain.path.to_string_lossy().into_owned();
    // The program and the runtime's own arguments (e.g. Deno's `run -A`).
    let call = |rest: &[String]| -> Vec<String> {
        std::iter::once(program.clone())
            .chain(toolchain.args.iter().cloned())
            .chain(rest.iter().cloned())
            .collect()
    };
    let entry = impl_dir
        .join(lang.entry_file())
        .to_string_lossy()
        .into_owned();
    let mut prepared = match lang {
        Lang::Python if impl_dir.join("requirements.txt").is_file() => {
            // A virtual environment per workload and runtime, with the pinned requirements.
            let venv = absolute(&ctx.build_dir.join("venv").join(&name));
            let python = venv.join("bin").join("python");
            let setup = vec![call(&[
                "-m".into(),
                "venv".into(),
                venv.to_string_lossy().into_owned(),
            ])];
            let command = vec![
                python.to_string_lossy().into_owned(),
                "-m".into(),
                "pip".into(),
                "install".into(),
                "--disable-pip-version-check".into(),
                "--quiet".into(),
                "-r".into(),
                "requirements.txt".into(),
            ];
            let mut prepared = compiled(toolchain, &impl_dir, ctx, &name, setup, command, |_| {
                Some(python.clone())
            })?;
            prepared.argv.extend(toolchain.args.iter().cloned());
            prepared.argv.push(entry);
            prepared
        }
        Lang::Node | Lang::Python => Prepared {
            argv: call(&[entry]),
            env: Vec::new(),
            build: None,
        },
        Lang::Go => {
            let binary = absolute(&ctx.build_dir.join("go").join(&name));
            let command = call(&[
                "build".into(),
                "-o".into(),
                binary.to_string_lossy().into_owned(),
                ".".into(),
            ]);
            compiled(
                toolchain,
                &impl_dir,
                ctx,
                &name,
                Vec::new(),
                command,
                |_| Some(binary.clone()),
            )?
        }
        Lang::Rust => {
            let manifest = impl_dir.join("Cargo.toml");
            let command = call(&[
                "build".into(),
                "--profile".into(),
                "workload".into(),
                "--manifest-path".into(),
                manifest.to_string_lossy().into_owned(),
                "--message-format".into(),
                "json-render-diagnostics".into(),
            ]);
            compiled(
                toolchain,
                &impl_dir,
                ctx,
                &name,
                Vec::new(),
                command,
                cargo_executable,
            )?
        }
    };
    // An interpreter is run with the runtime's environment; so is a binary
    // (a Go binary does not read GOTOOLCHAIN, and the record stays honest).
    prepared.env = toolchain.env.clone();
    Ok(prepared)
}

/// Runs the setup steps and the build command unless the stamp says the
/// build is up to date.
fn compiled(
    toolchain: &Toolchain,
    impl_dir: &Path,
    ctx: &Paths,
    name: &str,
    setup: Vec<Vec<String>>,
    command: Vec<String>,
    find_binary: impl Fn(&str) -> Option<PathBuf>,
) -> Result<Prepared, BuildError> {
    let lang = toolchain.lang;
    let stamp_path = ctx
        .build_dir
        .join("stamps")
        .join(format!("{}-{name}.json", lang.name()));
    let all_steps: Vec<String> = setup
        .iter()
        .chain([&command])
        .map(|c| c.join(" "))
        .collect();
    let hash = input_hash(toolchain, impl_dir, ctx, &all_steps);
    if let Some(stamp) = read_stamp(&stamp_path) {
        if stamp.hash == hash && stamp.binary.is_file() {
            return Ok(Prepared {
                argv: vec![stamp.binary.to_string_lossy().into_owned()],
                env: Vec::new(),
                build: Some(BuildRecord {
                    setup,
                    command,
                    cwd: impl_dir.to_path_buf(),
                    binary: stamp.binary,
                    up_to_date: true,
                    duration_ms: 0,
                }),
            });
        }
    }
    let fail = |message: String, output_tail: String| BuildError {
        message,
        output_tail,
    };
    let start = Instant::now();
    let mut out = None;
    for step in setup.iter().chain([&command]) {
        let mut cmd = duct::cmd(&step[0], &step[1..]);
        for (k, v) in &toolchain.env {
            cmd = cmd.env(k, v);
        }
        let o = cmd
            .dir(impl_dir)
            .stdout_capture()
            .stderr_capture()
            .unchecked()
            .run()
            .map_err(|e| fail(format!("cannot run '{}': {e}", step[0]), String::new()))?;
        if !o.status.success() {
            return Err(fail(
                format!(
                    "{} build failed ({}): {}",
                    lang.name(),
                    o.status,
                    step.join(" ")
                ),
                tail_lines(&String::from_utf8_lossy(&o.stderr), 30),
            ));
        }
        out = Some(o);
    }
    let out = out.expect("at least the build command ran");
    let duration_ms = start.elapsed().as_millis() as u64;
    let stderr_tail = tail_lines(&String::from_utf8_lossy(&out.stderr), 30);
    let binary = find_binary(&String::from_utf8_lossy(&out.stdout))
        .filter(|b| b.is_file())
        .ok_or_else(|| {
            fail(
                format!("{} build produced no binary", lang.name()),
                stderr_tail,
            )
        })?;
    write_stamp(
        &stamp_path,
        &Stamp {
            hash,
            binary: binary.clone(),
        },
    );
    Ok(Prepared {
        argv: vec![binary.to_string_lossy().into_owned()],
        env: Vec::new(),
        build: Some(BuildRecord {
            setup,
            command,
            cwd: impl_dir.to_path_buf(),
            binary,
            up_to_date: false,
            duration_ms,
        }),
    })
}

/// The executable named by cargo's `compiler-artifact` JSON messages.
fn cargo_executable(stdout: &str) -> Option<PathBuf> {
    stdout
        .lines()
        .rev()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["reason"] == "compiler-artifact")
        .find_map(|v| v["executable"].as_str().map(PathBuf::from))
}

/// Hash of everything a build depends on.
fn input_hash(toolchain: &Toolchain, impl_dir: &Path, ctx: &Paths, command: &[String]) -> String {
    let mut h = Sha256::new();
    h.update(toolchain.version.as_bytes());
    h.update(command.join("\0").as_bytes());
    let mut files = Vec::new();
    collect(impl_dir, &mut files);
    collect(
        &ctx.workloads_dir
            .join("protocol")
            .join(toolchain.lang.name()),
        &mut files,
    );
    match toolchain.lang {
        Lang::Go => files.push(ctx.workloads_dir.join("go.mod")),
        Lang::Rust => {
            files.push(ctx.root.join("Cargo.toml"));
            files.push(ctx.root.join("Cargo.lock"));
        }
        _ => {}
    }
    files.sort();
    for f in files {
        h.update(f.to_string_lossy().as_bytes());
        h.update(std::fs::read(&f).unwrap_or_default());
    }
    format!("{:x}", h.finalize())
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                collect(&path, out);
            }
        } else {
            out.push(path);
        }
    }
}

fn read_stamp(path: &Path) -> Option<Stamp> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

fn write_stamp(path: &Path, stamp: &Stamp) {
    // A stamp that cannot be written only costs a rebuild next time.
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Ok(bytes) = serde_json::to_vec(stamp) {
        let _ = crate::fsutil::write_atomic(path, &bytes);
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The last `n` lines of `text`.
pub fn tail_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cargo_executable() {
        let out = r#"{"reason":"compiler-artifact","executable":null}
{"reason":"compiler-artifact","executable":"/t/workload/wl-x"}
{"reason":"build-finished","success":true}"#;
        assert_eq!(
            cargo_executable(out),
            Some(PathBuf::from("/t/workload/wl-x"))
        );
        assert_eq!(cargo_executable("garbage"), None);
    }

    #[test]
    fn tail_keeps_last_lines() {
        assert_eq!(tail_lines("a\nb\nc", 2), "b\nc");
        assert_eq!(tail_lines("a", 5), "a");
    }
}
