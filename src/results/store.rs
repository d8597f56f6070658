//! Writing and reading results files: JSON bytes out, schema-checked
//! [`ResultsFile`] in. The atomic writes themselves are [`crate::fsutil`]'s.

use std::path::Path;

use anyhow::{bail, Result};

use super::{ResultsFile, SCHEMA_VERSION};
use crate::exit::input_error;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_other_schema_versions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("old.json");
        std::fs::write(&p, r#"{"schema_version": 999}"#).unwrap();
        let err = load(&p).unwrap_err();
        assert!(format!("{err:#}").contains("schema_version 999"));
    }
}
