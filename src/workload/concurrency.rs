//! Concurrency workloads: one program run at a sweep of levels, each level a
//! benchmark of its own.
//!
//! A concurrency manifest has `"suite": "concurrency"` and says what the
//! levels vary: `"vary": "size"` passes each level as `--size` (e.g. the number
//! of concurrent tasks), `"vary": "workers"` keeps the size and passes each
//! level as `--workers` (parallel scaling). Every size gives its levels (a
//! list, or `"cores"`: 1, 2, ..., the CPU count, then twice it), the
//! iterations and runs of each level and the expected result, where
//! `{level}` stands for the level. `limits` lists implementations that are
//! not run above some level, with the reason.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::fields::{object, positive_int, string_field};
use super::{size_named, size_names, Size};

/// What the levels of a concurrency workload vary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Vary {
    /// Each level is the `--size` (e.g. the number of tasks).
    Size,
    /// Each level is the `--workers` count; the size stays the same.
    Workers,
}

/// The levels of one size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Levels {
    /// These levels, ascending.
    List(Vec<u64>),
    /// 1, 2, ..., the CPU count, then twice the CPU count.
    Cores,
}

impl Levels {
    /// The levels on a machine with `cpus` CPUs.
    pub fn resolve(&self, cpus: u64) -> Vec<u64> {
        match self {
            Levels::List(l) => l.clone(),
            Levels::Cores => {
                let cpus = cpus.max(1);
                (1..=cpus).chain([2 * cpus]).collect()
            }
        }
    }
}

/// One size of a concurrency workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcurrencySize {
    /// The `--size` when the levels vary the workers.
    pub size: Option<u64>,
    /// The levels.
    pub levels: Levels,
    /// `--iterations` of every run (1 allowed: the process as a whole is measured).
    pub iterations: u64,
    /// Runs of every level.
    pub runs: u32,
    /// The expected result; `{level}` stands for the level.
    pub expected: String,
}

impl ConcurrencySize {
    /// The expected result at `level`.
    pub fn expected_at(&self, level: u64) -> String {
        self.expected.replace("{level}", &level.to_string())
    }
}

/// An implementation that is not run above a level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// Implementation folder (`python-threads`).
    pub implementation: String,
    /// The highest level it runs at.
    pub max_level: u64,
    /// Why.
    pub reason: String,
}

/// A validated concurrency workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcurrencyWorkload {
    /// Folder name, also the manifest's `name`.
    pub name: String,
    /// Short human title.
    pub title: String,
    /// What it measures.
    pub description: String,
    /// What one level means, for tables (`tasks`, `workers`).
    pub level_meaning: String,
    /// Where the design comes from.
    pub reference: String,
    /// What the levels vary.
    pub vary: Vary,
    /// The folder of the workload.
    pub dir: PathBuf,
    /// Sizes `quick`, `default`, `full`, in that order.
    pub sizes: Vec<(Size, ConcurrencySize)>,
    /// Implementations capped at some level.
    pub limits: Vec<Limit>,
}

impl ConcurrencyWorkload {
    /// The spec of `size`.
    pub fn size(&self, size: Size) -> Option<&ConcurrencySize> {
        self.sizes.iter().find(|(n, _)| *n == size).map(|(_, s)| s)
    }

    /// The cap of an implementation folder, if it has one.
    pub fn limit(&self, implementation: &str) -> Option<&Limit> {
        self.limits
            .iter()
            .find(|l| l.implementation == implementation)
    }
}

/// Parses the fields of a `"suite": "concurrency"` manifest.
pub fn parse_concurrency(
    top: &Map<String, Value>,
    name: String,
) -> Result<ConcurrencyWorkload, String> {
    let vary = match top.get("vary").map(|v| v.as_str()) {
        Some(Some("size")) => Vary::Size,
        Some(Some("workers")) => Vary::Workers,
        None => return Err("missing field 'vary'".into()),
        Some(_) => return Err("field 'vary' must be \"size\" or \"workers\"".into()),
    };
    let sizes_obj = object(top.get("sizes"), "sizes")?;
    if let Some(key) = sizes_obj.keys().find(|k| size_named(k).is_none()) {
        return Err(format!(
            "field 'sizes.{key}' is not a size name (valid: {})",
            size_names()
        ));
    }
    let mut sizes = Vec::new();
    for size in Size::ALL {
        let obj = object(sizes_obj.get(size.name()), &format!("sizes.{size}"))?;
        sizes.push((size, size_spec(obj, &format!("sizes.{size}."), vary)?));
    }
    let mut limits = Vec::new();
    if let Some(value) = top.get("limits") {
        let obj = value
            .as_object()
            .ok_or("field 'limits' must be an object")?;
        for (implementation, v) in obj {
            let prefix = format!("limits.{implementation}.");
            let o = object(Some(v), prefix.trim_end_matches('.'))?;
            limits.push(Limit {
                implementation: implementation.clone(),
                max_level: positive_int(o, "max_level", &prefix)?,
                reason: non_empty(o, "reason", &prefix)?,
            });
        }
    }
    Ok(ConcurrencyWorkload {
        title: string_field(top, "title", "")?,
        description: string_field(top, "description", "")?,
        level_meaning: non_empty(top, "level_meaning", "")?,
        reference: string_field(top, "reference", "")?,
        name,
        vary,
        dir: PathBuf::new(),
        sizes,
        limits,
    })
}

fn size_spec(
    obj: &Map<String, Value>,
    prefix: &str,
    vary: Vary,
) -> Result<ConcurrencySize, String> {
    let size = match vary {
        Vary::Workers => Some(positive_int(obj, "size", prefix)?),
        Vary::Size if obj.contains_key("size") => {
            return Err(format!(
            "field '{prefix}size' is not allowed: with \"vary\": \"size\" the levels are the sizes"
        ))
        }
        Vary::Size => None,
    };
    let levels = match obj.get("levels") {
        Some(Value::String(s)) if s == "cores" => Levels::Cores,
        Some(Value::Array(items)) if !items.is_empty() => {
            let mut levels = Vec::new();
            for (i, v) in items.iter().enumerate() {
                match v.as_u64() {
                    Some(n) if n > 0 && levels.last().is_none_or(|&l| l < n) => levels.push(n),
                    _ => {
                        return Err(format!(
                        "field '{prefix}levels[{i}]' must be a positive integer above the one before it, got {v}"
                    ))
                    }
                }
            }
            Levels::List(levels)
        }
        None => return Err(format!("missing field '{prefix}levels'")),
        Some(v) => {
            return Err(format!(
                "field '{prefix}levels' must be a non-empty array of levels or \"cores\", got {v}"
            ))
        }
    };
    let runs = positive_int(obj, "runs", prefix)?;
    Ok(ConcurrencySize {
        size,
        levels,
        iterations: positive_int(obj, "iterations", prefix)?,
        runs: u32::try_from(runs)
            .ok()
            .filter(|&r| r <= super::MAX_RUNS)
            .ok_or_else(|| format!("field '{prefix}runs' must be at most {}", super::MAX_RUNS))?,
        expected: non_empty(obj, "expected", prefix)?,
    })
}

fn non_empty(obj: &Map<String, Value>, key: &str, prefix: &str) -> Result<String, String> {
    let s = string_field(obj, key, prefix)?;
    if s.trim().is_empty() {
        return Err(format!("field '{prefix}{key}' must not be empty"));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::super::{parse_manifest, Manifest};
    use super::*;

    const TASKS: &str = r#"{
        "name": "demo", "suite": "concurrency", "vary": "size",
        "title": "T", "description": "d", "level_meaning": "tasks", "reference": "r",
        "sizes": {
            "quick": {"levels": [10, 100], "iterations": 1, "runs": 1, "expected": "{level} tasks"},
            "default": {"levels": [10, 100, 1000], "iterations": 1, "runs": 3, "expected": "{level} tasks"},
            "full": {"levels": [10], "iterations": 2, "runs": 1, "expected": "{level} tasks"}
        },
        "limits": {"python-threads": {"max_level": 100, "reason": "slow"}}
    }"#;

    fn parse(text: &str) -> Result<ConcurrencyWorkload, String> {
        match parse_manifest(text, "demo")? {
            Manifest::Concurrency(w) => Ok(w),
            _ => Err("another kind".into()),
        }
    }

    #[test]
    fn parses_levels_limits_and_expected() {
        let w = parse(TASKS).unwrap();
        assert_eq!(w.vary, Vary::Size);
        let d = w.size(crate::kinds::Size::Default).unwrap();
        assert_eq!(d.levels.resolve(8), [10, 100, 1000]);
        assert_eq!(d.runs, 3);
        assert_eq!(d.expected_at(100), "100 tasks");
        assert_eq!(w.limit("python-threads").unwrap().max_level, 100);
        assert!(w.limit("go").is_none());
    }

    #[test]
    fn cores_levels() {
        assert_eq!(Levels::Cores.resolve(2), [1, 2, 4]);
        assert_eq!(Levels::Cores.resolve(4), [1, 2, 3, 4, 8]);
        assert_eq!(Levels::Cores.resolve(0), [1, 2]);
    }

    #[test]
    fn names_the_bad_field() {
        let cases = [
            (TASKS.replace("\"vary\": \"size\",", ""), "'vary'"),
            (
                TASKS.replace("\"vary\": \"size\"", "\"vary\": \"threads\""),
                "'vary'",
            ),
            (
                TASKS.replace("[10, 100, 1000]", "[10, 10]"),
                "sizes.default.levels[1]",
            ),
            (
                TASKS.replace("[10, 100, 1000]", "[]"),
                "sizes.default.levels",
            ),
            (
                TASKS.replace("\"runs\": 3", "\"runs\": 0"),
                "sizes.default.runs",
            ),
            (
                TASKS.replace("\"max_level\": 100", "\"max_level\": -1"),
                "limits.python-threads.max_level",
            ),
            (
                TASKS.replace("\"reason\": \"slow\"", "\"reason\": \"\""),
                "limits.python-threads.reason",
            ),
            (
                TASKS.replace("\"levels\": [10], ", "\"size\": 5, \"levels\": [10], "),
                "sizes.full.size",
            ),
            (
                TASKS.replace("\"vary\": \"size\"", "\"vary\": \"workers\""),
                "sizes.quick.size",
            ),
        ];
        for (text, field) in cases {
            let err = parse(&text).unwrap_err();
            assert!(err.contains(field), "{err} should name {field}");
        }
    }
}
