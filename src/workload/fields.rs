//! Reading one field of a manifest's JSON, with an error that names the
//! field (`missing field 'sizes.quick.expected'`). Shared by the three kinds
//! of manifest, which otherwise know nothing of each other.

use serde_json::{Map, Value};

/// The string at `key`; `prefix` is the path of `obj` for errors (`sizes.quick.`).
pub(super) fn string_field(
    obj: &Map<String, Value>,
    key: &str,
    prefix: &str,
) -> Result<String, String> {
    match obj.get(key) {
        None => Err(format!("missing field '{prefix}{key}'")),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(format!("field '{prefix}{key}' must be a string")),
    }
}

/// The positive integer at `key`; `prefix` as for [`string_field`].
pub(super) fn positive_int(
    obj: &Map<String, Value>,
    key: &str,
    prefix: &str,
) -> Result<u64, String> {
    match obj.get(key) {
        None => Err(format!("missing field '{prefix}{key}'")),
        Some(v) => match v.as_u64() {
            Some(n) if n > 0 => Ok(n),
            _ => Err(format!(
                "field '{prefix}{key}' must be a positive integer, got {v}"
            )),
        },
    }
}

/// The object `value`, which the manifest has at `field`.
pub(super) fn object<'a>(
    value: Option<&'a Value>,
    field: &str,
) -> Result<&'a Map<String, Value>, String> {
    value
        .ok_or_else(|| format!("missing field '{field}'"))?
        .as_object()
        .ok_or_else(|| format!("field '{field}' must be an object"))
}
