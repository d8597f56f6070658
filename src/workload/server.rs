//! Server workloads (the I/O suite): one HTTP server per language and the
//! scenarios that load it (`http-json`, `http-io`, ...).
//!
//! A server manifest has `"suite": "io"`, the timing of each size and a list
//! of scenarios: the path to GET, the exact body every response must have,
//! and the concurrency levels of each size.

use std::path::PathBuf;

use serde_json::{Map, Value};

use super::fields::{object, positive_int, string_field};
use super::Size;

/// How long each concurrency level is loaded at one size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// Load before measuring, in seconds (not counted).
    pub warmup_s: f64,
    /// Measured load, in seconds.
    pub duration_s: f64,
}

/// One way of loading the servers.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Name used on the command line and in results (e.g. `http-json`).
    pub name: String,
    /// What it shows.
    pub description: String,
    /// Path and query to GET.
    pub path: String,
    /// The body every response must have.
    pub expected_body: String,
    /// Requests per second one connection could make at best (e.g. 100 for a
    /// 10 ms wait), so throughput can be shown as a fraction of the ideal.
    pub ideal_rps_per_connection: Option<f64>,
    /// Concurrency levels of each size, in size order.
    pub levels: Vec<(Size, Vec<usize>)>,
    /// Open model: requests per second in total at every level; None for the closed model.
    pub rate: Option<f64>,
    /// A second client that keeps the server busy while each level is measured again.
    pub background: Option<Background>,
}

/// The second client of a mixed scenario (e.g. CPU-heavy requests).
#[derive(Debug, Clone, PartialEq)]
pub struct Background {
    /// Path and query it GETs.
    pub path: String,
    /// The body every one of its responses must have.
    pub expected_body: String,
    /// Its connections (closed model: always one request in flight on each).
    pub connections: usize,
}

impl Scenario {
    /// The concurrency levels of `size`.
    pub fn levels(&self, size: Size) -> &[usize] {
        self.levels
            .iter()
            .find(|(n, _)| *n == size)
            .map_or(&[], |(_, l)| l.as_slice())
    }
}

/// A validated server workload.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerWorkload {
    /// Folder name, also the manifest's `name`.
    pub name: String,
    /// Short human title.
    pub title: String,
    /// What the servers do.
    pub description: String,
    /// Where the stacks and scenarios come from.
    pub reference: String,
    /// The folder of the workload.
    pub dir: PathBuf,
    /// Timing of each size, in size order.
    pub timing: Vec<(Size, Timing)>,
    /// The scenarios.
    pub scenarios: Vec<Scenario>,
}

impl ServerWorkload {
    /// The timing of `size`.
    pub fn timing(&self, size: Size) -> Option<Timing> {
        self.timing
            .iter()
            .find(|(n, _)| *n == size)
            .map(|(_, t)| *t)
    }
}

/// Parses the server part of a manifest whose top level is `top`.
pub fn parse_server(top: &Map<String, Value>, name: String) -> Result<ServerWorkload, String> {
    let timing_obj = object(top.get("timing"), "timing")?;
    let mut timing = Vec::new();
    for size in Size::ALL {
        let t = object(timing_obj.get(size.name()), &format!("timing.{size}"))?;
        let prefix = format!("timing.{size}.");
        timing.push((
            size,
            Timing {
                warmup_s: seconds(t, "warmup_s", &prefix, true)?,
                duration_s: seconds(t, "duration_s", &prefix, false)?,
            },
        ));
    }
    let list = top
        .get("scenarios")
        .ok_or("missing field 'scenarios'")?
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or("field 'scenarios' must be a non-empty array")?;
    let scenarios = list
        .iter()
        .enumerate()
        .map(|(i, v)| scenario(v, &format!("scenarios[{i}].")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ServerWorkload {
        title: string_field(top, "title", "")?,
        description: string_field(top, "description", "")?,
        reference: string_field(top, "reference", "")?,
        name,
        dir: PathBuf::new(),
        timing,
        scenarios,
    })
}

fn scenario(value: &Value, prefix: &str) -> Result<Scenario, String> {
    let obj = value
        .as_object()
        .ok_or_else(|| format!("field '{}' must be an object", prefix.trim_end_matches('.')))?;
    let path = string_field(obj, "path", prefix)?;
    if !path.starts_with('/') {
        return Err(format!("field '{prefix}path' must start with '/'"));
    }
    let levels_obj = object(obj.get("levels"), &format!("{prefix}levels"))?;
    let mut levels = Vec::new();
    for size in Size::ALL {
        let key = format!("{prefix}levels.{size}");
        let list = levels_obj
            .get(size.name())
            .ok_or_else(|| format!("missing field '{key}'"))?
            .as_array()
            .filter(|a| !a.is_empty())
            .ok_or_else(|| {
                format!("field '{key}' must be a non-empty array of connection counts")
            })?;
        let counts = list
            .iter()
            .map(|v| v.as_u64().filter(|&n| n > 0).map(|n| n as usize))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| format!("field '{key}' must hold positive integers"))?;
        levels.push((size, counts));
    }
    let ideal = match obj.get("ideal_rps_per_connection") {
        None => None,
        Some(_) => Some(positive_int(obj, "ideal_rps_per_connection", prefix)? as f64),
    };
    let rate = match obj.get("rate") {
        None => None,
        Some(_) => Some(positive_int(obj, "rate", prefix)? as f64),
    };
    let background = match obj.get("background") {
        None => None,
        Some(_) => {
            let field = format!("{prefix}background");
            let b = object(obj.get("background"), &field)?;
            let bprefix = format!("{field}.");
            let path = string_field(b, "path", &bprefix)?;
            if !path.starts_with('/') {
                return Err(format!("field '{bprefix}path' must start with '/'"));
            }
            Some(Background {
                path,
                expected_body: string_field(b, "expected_body", &bprefix)?,
                connections: positive_int(b, "connections", &bprefix)? as usize,
            })
        }
    };
    Ok(Scenario {
        rate,
        background,
        name: string_field(obj, "name", prefix)?,
        description: string_field(obj, "description", prefix)?,
        path,
        expected_body: string_field(obj, "expected_body", prefix)?,
        ideal_rps_per_connection: ideal,
        levels,
    })
}

fn seconds(
    obj: &Map<String, Value>,
    key: &str,
    prefix: &str,
    zero_ok: bool,
) -> Result<f64, String> {
    let v = obj
        .get(key)
        .ok_or_else(|| format!("missing field '{prefix}{key}'"))?;
    match v.as_f64() {
        Some(s) if s.is_finite() && (s > 0.0 || (zero_ok && s == 0.0)) && s <= 3600.0 => Ok(s),
        _ => Err(format!(
            "field '{prefix}{key}' must be a number of seconds between 0 and 3600, got {v}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::manifest::{parse_manifest, Manifest};

    const GOOD: &str = r#"{
        "name": "web", "suite": "io", "title": "t", "description": "d", "reference": "r",
        "timing": {"quick": {"warmup_s": 0, "duration_s": 1}, "default": {"warmup_s": 1, "duration_s": 2},
                   "full": {"warmup_s": 1, "duration_s": 5}},
        "scenarios": [{"name": "web-json", "description": "d", "path": "/json", "expected_body": "{}",
                       "ideal_rps_per_connection": 100,
                       "levels": {"quick": [1, 2], "default": [4], "full": [8]}}]
    }"#;

    #[test]
    fn parses_a_server_manifest() {
        let Manifest::Server(w) = parse_manifest(GOOD, "web").unwrap() else {
            panic!("not a server")
        };
        assert_eq!(w.scenarios[0].levels(crate::kinds::Size::Quick), [1, 2]);
        assert_eq!(w.scenarios[0].ideal_rps_per_connection, Some(100.0));
        assert_eq!(
            w.timing(crate::kinds::Size::Default).unwrap().duration_s,
            2.0
        );
        assert_eq!(w.scenarios[0].background, None);
    }

    #[test]
    fn parses_a_mixed_scenario() {
        let text = GOOD.replace(
            "\"ideal_rps_per_connection\": 100,",
            "\"rate\": 200, \"background\": {\"path\": \"/cpu?n=9\", \"expected_body\": \"x\", \"connections\": 2},",
        );
        let Manifest::Server(w) = parse_manifest(&text, "web").unwrap() else {
            panic!("not a server")
        };
        let s = &w.scenarios[0];
        assert_eq!(s.rate, Some(200.0));
        assert_eq!(s.background.as_ref().unwrap().connections, 2);
        let bad = text.replace("\"connections\": 2", "\"connections\": 0");
        assert!(parse_manifest(&bad, "web")
            .unwrap_err()
            .contains("scenarios[0].background.connections"));
    }

    #[test]
    fn names_the_bad_field() {
        let cases = [
            (
                GOOD.replace("\"path\": \"/json\"", "\"path\": \"json\""),
                "scenarios[0].path",
            ),
            (
                GOOD.replace("\"quick\": [1, 2]", "\"quick\": []"),
                "scenarios[0].levels.quick",
            ),
            (
                GOOD.replace("\"quick\": [1, 2]", "\"quick\": [0]"),
                "scenarios[0].levels.quick",
            ),
            (
                GOOD.replace("\"duration_s\": 2", "\"duration_s\": 0"),
                "timing.default.duration_s",
            ),
            (
                GOOD.replace("\"expected_body\": \"{}\",", ""),
                "scenarios[0].expected_body",
            ),
            (
                GOOD.replace("\"suite\": \"io\"", "\"suite\": \"gpu\""),
                "'suite'",
            ),
        ];
        for (text, field) in cases {
            let err = parse_manifest(&text, "web").unwrap_err();
            assert!(err.contains(field), "{err} should name {field}");
        }
    }
}
