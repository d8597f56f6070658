//! Writing and reading results files.
//!
//! Every write is atomic: the bytes go to a temporary file in the same folder,
//! are flushed to disk, then renamed over the target (and the folder is
//! flushed), so a reader (or a crash) never sees half a file. `latest.json` is a relative symlink replaced the
//! same way.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::{ResultsFile, SCHEMA_VERSION};
use crate::exit::input_error;

/// Writes `bytes` to `path` atomically (temp file in the same folder, fsync, rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = parent_dir(path);
    let tmp = temp_path(path);
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        // Make the rename itself durable.
        std::fs::File::open(&dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("writing '{}' (in '{}')", path.display(), dir.display()))
}

/// Points the symlink `link` at `target` (relative to the link's folder), atomically.
pub fn update_link(link: &Path, target: &Path) -> Result<()> {
    let dir = parent_dir(link);
    let relative = target.strip_prefix(&dir).unwrap_or(target);
    let tmp = temp_path(link);
    let _ = std::fs::remove_file(&tmp);
    std::os::unix::fs::symlink(relative, &tmp)
        .and_then(|_| std::fs::rename(&tmp, link))
        .with_context(|| format!("updating link '{}'", link.display()))
}

/// Fails unless a file can be created in `path`'s folder (creating the folder if needed).
pub fn check_writable(path: &Path) -> Result<()> {
    let dir = parent_dir(path);
    std::fs::create_dir_all(&dir).map_err(|e| {
        input_error(format!(
            "output folder '{}' cannot be created: {e}",
            dir.display()
        ))
    })?;
    if path.is_dir() {
        return Err(input_error(format!(
            "output '{}' is a folder, not a file",
            path.display()
        )));
    }
    let probe = temp_path(path);
    std::fs::File::create(&probe)
        .map_err(|e| input_error(format!("output '{}' is not writable: {e}", path.display())))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Serialises a results file as pretty JSON (with a final newline).
pub fn to_bytes(results: &ResultsFile) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(results).expect("results serialise");
    bytes.push(b'\n');
    bytes
}

/// Reads a results file, refusing other schema versions.
pub fn load(path: &Path) -> Result<ResultsFile> {
    from_json(path, read_json(path)?)
}

/// Reads a file as JSON (any JSON); errors name the file.
pub fn read_json(path: &Path) -> Result<serde_json::Value> {
    let bytes = std::fs::read(path)
        .map_err(|e| input_error(format!("cannot read results '{}': {e}", path.display())))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| input_error(format!("results '{}' is not JSON: {e}", path.display())))
}

/// The results file `value` read from `path`, refusing other schema versions.
pub fn from_json(path: &Path, value: serde_json::Value) -> Result<ResultsFile> {
    match value.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) if v == SCHEMA_VERSION as u64 => {}
        Some(v) => bail!(input_error(format!(
            "results '{}' has schema_version {v}; this langbench reads {SCHEMA_VERSION}",
            path.display()
        ))),
        None => bail!(input_error(format!(
            "results '{}' has no schema_version",
            path.display()
        ))),
    }
    serde_json::from_value(value).map_err(|e| {
        input_error(format!(
            "results '{}' does not match the schema: {e}",
            path.display()
        ))
    })
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent_dir(path).join(format!(".{name}.tmp-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn link_points_at_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let runs = dir.path().join("runs");
        std::fs::create_dir(&runs).unwrap();
        for name in ["a.json", "b.json"] {
            let target = runs.join(name);
            std::fs::write(&target, name).unwrap();
            update_link(&dir.path().join("latest.json"), &target).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(dir.path().join("latest.json")).unwrap(),
            "b.json"
        );
        assert_eq!(
            std::fs::read_link(dir.path().join("latest.json")).unwrap(),
            PathBuf::from("runs/b.json")
        );
    }

    #[test]
    fn refuses_other_schema_versions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("old.json");
        std::fs::write(&p, r#"{"schema_version": 999}"#).unwrap();
        let err = load(&p).unwrap_err();
        assert!(format!("{err:#}").contains("schema_version 999"));
    }
}
