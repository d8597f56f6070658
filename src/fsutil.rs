//! Writing files so that no reader and no crash ever sees half of one.
//!
//! A leaf: results files, build stamps and exports all write through here.
//! Every write is atomic: the bytes go to a temporary file in the same folder,
//! are flushed to disk, then renamed over the target (and the folder is
//! flushed). A link such as `results/latest.json` is a relative symlink
//! replaced the same way. [`check_writable`] lets a command refuse a bad
//! output path before it runs anything.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

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
}
