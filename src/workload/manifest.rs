//! Parsing and validating `manifest.json`.
//!
//! Parsed by hand from a `serde_json::Value` rather than derived, so each error
//! names the exact field (`sizes.quick.expected`) and says what is wrong.

use std::path::PathBuf;

use serde_json::Value;

use super::concurrency::{parse_concurrency, ConcurrencyWorkload};
use super::fields::{positive_int, string_field};
use super::server::{parse_server, ServerWorkload};
use super::{size_named, size_names, Size, SizeSpec, Workload};

/// A parsed manifest: a CPU workload (the default suite), a server workload
/// or a concurrency workload.
#[derive(Debug, Clone, PartialEq)]
pub enum Manifest {
    /// `"suite": "cpu"` (or no suite): a program run to completion.
    Cpu(Workload),
    /// `"suite": "io"`: servers under load.
    Server(ServerWorkload),
    /// `"suite": "concurrency"`: a program run at a sweep of levels.
    Concurrency(ConcurrencyWorkload),
}

/// Parses a manifest's text; `folder` is the workload's folder name, which
/// `name` must equal. The returned workload's `dir` is empty: the caller sets it.
pub fn parse_manifest(text: &str, folder: &str) -> Result<Manifest, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let top = value
        .as_object()
        .ok_or("the top level must be a JSON object")?;
    let name = string_field(top, "name", "")?;
    if name != folder {
        return Err(format!(
            "field 'name' is '{name}' but the folder is '{folder}'; they must match"
        ));
    }
    match top.get("suite").map(|v| v.as_str()) {
        None | Some(Some("cpu")) => {}
        Some(Some("io")) => return parse_server(top, name).map(Manifest::Server),
        Some(Some("concurrency")) => {
            return parse_concurrency(top, name).map(Manifest::Concurrency)
        }
        Some(_) => return Err("field 'suite' must be \"cpu\", \"io\" or \"concurrency\"".into()),
    }
    let sizes_value = top.get("sizes").ok_or("missing field 'sizes'")?;
    let sizes_obj = sizes_value
        .as_object()
        .ok_or("field 'sizes' must be an object")?;
    for key in sizes_obj.keys() {
        if size_named(key).is_none() {
            return Err(format!(
                "field 'sizes.{key}' is not a size name (valid: {})",
                size_names()
            ));
        }
    }
    let mut sizes = Vec::new();
    for size in Size::ALL {
        let spec = sizes_obj
            .get(size.name())
            .ok_or_else(|| format!("missing field 'sizes.{size}'"))?;
        sizes.push((size, size_spec(spec, size.name())?));
    }
    Ok(Manifest::Cpu(Workload {
        title: string_field(top, "title", "")?,
        description: string_field(top, "description", "")?,
        size_meaning: string_field(top, "size_meaning", "")?,
        reference: string_field(top, "reference", "")?,
        name,
        dir: PathBuf::new(),
        sizes,
    }))
}

fn size_spec(value: &Value, size_name: &str) -> Result<SizeSpec, String> {
    let prefix = format!("sizes.{size_name}.");
    let obj = value
        .as_object()
        .ok_or_else(|| format!("field 'sizes.{size_name}' must be an object"))?;
    let size = positive_int(obj, "size", &prefix)?;
    let iterations = positive_int(obj, "iterations", &prefix)?;
    if iterations < 2 {
        return Err(format!(
            "field '{prefix}iterations' must be at least 2 (the first iteration is the warm-up)"
        ));
    }
    let expected = string_field(obj, "expected", &prefix)?;
    if expected.is_empty() {
        return Err(format!("field '{prefix}expected' must not be empty"));
    }
    Ok(SizeSpec {
        size,
        iterations,
        expected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
        "name": "demo", "title": "Demo", "description": "d", "size_meaning": "n",
        "reference": "r",
        "sizes": {
            "quick": {"size": 1, "iterations": 2, "expected": "a"},
            "default": {"size": 2, "iterations": 3, "expected": "b"},
            "full": {"size": 3, "iterations": 2, "expected": "c"}
        }
    }"#;

    fn cpu(text: &str, folder: &str) -> Result<Workload, String> {
        match parse_manifest(text, folder)? {
            Manifest::Cpu(w) => Ok(w),
            _ => Err("not a CPU manifest".into()),
        }
    }

    #[test]
    fn parses_a_good_manifest() {
        let w = cpu(GOOD, "demo").unwrap();
        assert_eq!(w.name, "demo");
        assert_eq!(w.size(crate::kinds::Size::Default).unwrap().iterations, 3);
        assert_eq!(w.sizes.len(), 3);
    }

    #[test]
    fn names_the_bad_field() {
        let cases = [
            (
                GOOD.replace("\"expected\": \"b\"", "\"expected\": 5"),
                "sizes.default.expected",
            ),
            (GOOD.replace("\"quick\"", "\"tiny\""), "sizes.tiny"),
            (
                GOOD.replace("\"size\": 2,", "\"size\": 0,"),
                "sizes.default.size",
            ),
            (GOOD.replace("\"size\": 2,", ""), "sizes.default.size"),
            (
                GOOD.replace("\"iterations\": 3", "\"iterations\": 1"),
                "sizes.default.iterations",
            ),
            (GOOD.replace("\"title\": \"Demo\",", ""), "'title'"),
        ];
        for (text, field) in cases {
            let err = parse_manifest(&text, "demo").unwrap_err();
            assert!(err.contains(field), "{err} should name {field}");
        }
    }

    #[test]
    fn rejects_non_json_and_wrong_name() {
        assert!(parse_manifest("{nope", "demo")
            .unwrap_err()
            .contains("not valid JSON"));
        assert!(parse_manifest(GOOD, "other")
            .unwrap_err()
            .contains("folder is 'other'"));
    }
}
