//! The folder counted programs run from: `/tmp/lbc-XXXXXXXX` (eight hex
//! digits), the same length on every machine and in every checkout.
//!
//! Why: a runtime's instruction count depends on where things sit in memory,
//! and the paths a program sees (its script, its working folder) are among the
//! first things it allocates. Measured with `scripts/instruction-spread.py -w
//! json -l node -l python --runs 1 --in-place` (from the checkout, as before
//! this folder) in two clones, at a 7- and an 80-character path: json/node
//! 61.94M and 61.51M instructions per iteration, json/python 212.54M and
//! 212.56M; without `--in-place` (from a stage folder) both clones give
//! 61.23M and 212.38M, to the instruction for CPython and within 40 for Node.
//! `scripts/instruction-counts.py place` does the same for the whole quick
//! suite through langbench: every benchmark within 0.104% (Go) of a count
//! from the repository. So the sources (and binaries) a count runs are copied
//! here, the process starts in this folder, and a count measured in CI's
//! fresh clone agrees with the baseline measured elsewhere.
//!
//! The folder is removed when the [`Stage`] is dropped.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Where stage folders are made: `/tmp`, not `$TMPDIR`, whose length differs
/// between machines.
const PARENT: &str = "/tmp";

/// What is never copied: caches and dependencies a counted CPU workload does
/// not use (Python's bytecode cache would make the first process compile and
/// the next one load, so K1's and K2's start-up would differ).
const SKIPPED: [&str; 3] = ["__pycache__", "node_modules", "target"];

/// A fixed-length folder, removed on drop.
#[derive(Debug)]
pub struct Stage {
    root: PathBuf,
}

impl Stage {
    /// Makes a new, empty stage folder.
    pub fn new() -> io::Result<Stage> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let mut seed = std::process::id().wrapping_mul(2_654_435_761) ^ nanos;
        loop {
            let root = Path::new(PARENT).join(format!("lbc-{seed:08x}"));
            match std::fs::create_dir(&root) {
                Ok(()) => return Ok(Stage { root }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    seed = seed.wrapping_add(0x9e37_79b9);
                }
                Err(e) => {
                    return Err(io::Error::new(
                        e.kind(),
                        format!("creating '{}': {e}", root.display()),
                    ))
                }
            }
        }
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Copies the folder `from` to `relative` under the stage (once: a folder
    /// already there is kept), leaving out [`SKIPPED`] names.
    fn copy_dir(&self, from: &Path, relative: &Path) -> io::Result<PathBuf> {
        let to = self.root.join(relative);
        if !to.exists() {
            copy_tree(from, &to)?;
        }
        Ok(to)
    }

    /// Copies the file `from` to `relative` under the stage, permissions kept.
    fn copy_file(&self, from: &Path, relative: &Path) -> io::Result<PathBuf> {
        let to = self.root.join(relative);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(from, &to).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("copying '{}' to '{}': {e}", from.display(), to.display()),
            )
        })?;
        Ok(to)
    }

    /// `command` with its program, a binary (argv\[0\]), copied to
    /// `bin/<folder>/` here.
    pub fn binary(&self, command: &[String], folder: &str) -> io::Result<Vec<String>> {
        let mut argv = command.to_vec();
        if let Some(binary) = argv.first_mut() {
            let from = PathBuf::from(binary.as_str());
            let name = from.file_name().unwrap_or_default();
            let to = self.copy_file(&from, &Path::new("bin").join(folder).join(name))?;
            *binary = to.to_string_lossy().into_owned();
        }
        Ok(argv)
    }

    /// `command` with its script (the first argument inside `workloads`)
    /// run from here: the script's folder copied to the same place relative
    /// to the stage, beside a copy of `workloads/protocol/`, which scripts
    /// load by a relative path.
    pub fn script(&self, command: &[String], workloads: &Path) -> io::Result<Vec<String>> {
        let mut argv = command.to_vec();
        // The script, and its path below the workloads folder (a folder, then the file).
        let found = argv.iter_mut().skip(1).find_map(|a| {
            let relative = Path::new(a.as_str()).strip_prefix(workloads).ok()?;
            let folder = relative.parent().filter(|f| !f.as_os_str().is_empty())?;
            Some((folder.to_path_buf(), relative.to_path_buf(), a))
        });
        let Some((folder, relative, entry)) = found else {
            return Err(io::Error::other(format!(
                "no argument of '{}' is a script in a folder of the workloads folder '{}'",
                command.join(" "),
                workloads.display()
            )));
        };
        self.copy_dir(&workloads.join(&folder), &folder)?;
        let protocol = workloads.join("protocol");
        if protocol.is_dir() {
            self.copy_dir(&protocol, Path::new("protocol"))?;
        }
        *entry = self.root.join(relative).to_string_lossy().into_owned();
        Ok(argv)
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::create_dir_all(to)?;
    let entries = std::fs::read_dir(from)
        .map_err(|e| io::Error::new(e.kind(), format!("reading '{}': {e}", from.display())))?;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        if SKIPPED.iter().any(|s| name == *s) {
            continue;
        }
        let kind = entry.file_type()?;
        let target = to.join(&name);
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_has_a_fixed_length_path_copies_without_caches_and_goes_away() {
        let src = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(src.path().join("node/__pycache__")).unwrap();
        std::fs::write(src.path().join("node/main.js"), "x").unwrap();
        std::fs::write(src.path().join("node/__pycache__/m.pyc"), "c").unwrap();
        let (a, b) = (Stage::new().unwrap(), Stage::new().unwrap());
        assert_ne!(a.root(), b.root());
        for s in [&a, &b] {
            assert_eq!(s.root().as_os_str().len(), "/tmp/lbc-".len() + 8);
        }
        let dir = a.copy_dir(src.path(), Path::new("w")).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("node/main.js")).unwrap(),
            "x"
        );
        assert!(!dir.join("node/__pycache__").exists());
        let file = a
            .copy_file(&src.path().join("node/main.js"), Path::new("bin/rust/x"))
            .unwrap();
        assert!(file.is_file());
        let root = a.root().to_path_buf();
        drop(a);
        assert!(!root.exists());
    }

    #[test]
    fn a_program_is_staged_with_what_it_loads_and_its_arguments_kept() {
        let workloads = tempfile::tempdir().unwrap();
        let w = workloads.path();
        for (file, text) in [
            ("json/python/main.py", "import protocol"),
            ("protocol/python/protocol.py", "p"),
            ("bin/json", "\x7fELF"),
        ] {
            std::fs::create_dir_all(w.join(file).parent().unwrap()).unwrap();
            std::fs::write(w.join(file), text).unwrap();
        }
        let stage = Stage::new().unwrap();
        let root = stage.root().to_path_buf();
        let arg = |p: &Path| p.to_string_lossy().into_owned();
        let python = stage
            .script(
                &[
                    "/usr/bin/python3".into(),
                    arg(&w.join("json/python/main.py")),
                    "--size".into(),
                    "1".into(),
                ],
                w,
            )
            .unwrap();
        assert_eq!(
            python,
            [
                "/usr/bin/python3".into(),
                arg(&root.join("json/python/main.py")),
                "--size".to_string(),
                "1".into()
            ]
        );
        assert!(root.join("protocol/python/protocol.py").is_file());
        let go = stage
            .binary(&[arg(&w.join("bin/json")), "--size".into()], "go")
            .unwrap();
        assert_eq!(go, [arg(&root.join("bin/go/json")), "--size".to_string()]);
        assert!(root.join("bin/go/json").is_file());
        let outside = stage.script(&["/usr/bin/node".into(), "/elsewhere/main.js".into()], w);
        assert!(outside.unwrap_err().to_string().contains("no argument of"));
        // A file right in the workloads folder is no implementation's script.
        let loose = stage.script(&["/usr/bin/node".into(), arg(&w.join("main.js"))], w);
        assert!(loose.unwrap_err().to_string().contains("no argument of"));
    }
}
