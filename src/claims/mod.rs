//! Claims as data: what the article says, the measurement each claim rests
//! on, and the relation expected; and the verdicts a results file gives them.
//!
//! In: a claims file (JSON; `claims/article.json` is built in and is the
//! default) and a [`crate::results::ResultsFile`]. Out: a [`Verdict`] per
//! claim with its evidence (`evaluate.rs`), and the verdicts with each
//! runtime other than a default standing in for its language's
//! (`matrix.rs`). Parsed by hand from a
//! `serde_json::Value`, so every error names the claim and the field.

mod evaluate;
mod level;
mod matrix;
mod metrics;

use serde::Serialize;

use crate::kinds::Metric;
use crate::metrics::derived::Derived;
use serde_json::{Map, Value};

pub use evaluate::{combine, evaluate, ClaimVerdict, Evidence, Verdict};
pub use matrix::{runtime_matrix, Flip, MatrixRow, RuntimeCell, RuntimeColumn, RuntimeMatrix};
pub use metrics::SourceSizes;

/// The article's claims, built into langbench.
pub const ARTICLE_CLAIMS: &str = include_str!("../../claims/article.json");

/// A parsed claims file.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimsFile {
    /// Where the claims come from.
    pub source: String,
    /// Relative noise band put around a value measured once (a load level):
    /// with no repeated runs there is no interval, so one of ± this fraction is used.
    pub single_sample_noise: f64,
    /// The claims, in file order.
    pub claims: Vec<Claim>,
}

/// One claim of the article.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Short stable name.
    pub id: String,
    /// Speed, concurrency, memory...
    pub topic: String,
    /// The article's words it tests.
    pub quote: String,
    /// Set when the measurement is only a weak proxy for the claim: why.
    pub weak_proxy: Option<String>,
    /// The tests, or why none can exist.
    pub body: ClaimBody,
}

/// What a claim is checked against.
#[derive(Debug, Clone, PartialEq)]
pub enum ClaimBody {
    /// Each test gives a verdict; the claim's verdict combines them.
    Tests(Vec<Test>),
    /// Never given a verdict: a benchmark cannot measure it.
    NotMeasurable(String),
}

/// One measurement and the relation expected on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Test {
    /// What is compared.
    pub metric: Measure,
    /// CPU suite: each workload on its own, or their geometric mean.
    pub over: Over,
    /// io suite: the scenario.
    pub scenario: Option<String>,
    /// Concurrency suite: the workload.
    pub workload: Option<String>,
    /// io and concurrency suites: which level.
    pub level: LevelChoice,
    /// The relation expected.
    pub relation: Relation,
    /// A short name for what this test reads (e.g. `cpu-per-request`), shown
    /// with its evidence.
    pub name: Option<String>,
    /// Whether its comparisons enter the claim's verdict (true unless the
    /// file says `"decides": false`: evidence shown beside the verdict).
    pub decides: bool,
}

impl Test {
    /// Every implementation the relation names, each once, in file order.
    pub fn implementations(&self) -> Vec<&str> {
        let names: Vec<&str> = match &self.relation {
            Relation::Better(pairs) | Relation::Similar(pairs, _) => pairs
                .iter()
                .flat_map(|(a, b)| [a.as_str(), b.as_str()])
                .collect(),
            Relation::AtMost(bounds) | Relation::AtLeast(bounds) => {
                bounds.iter().map(|(n, _)| n.as_str()).collect()
            }
        };
        let mut out: Vec<&str> = Vec::new();
        for n in names {
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }
}

/// What a claims file's test compares: the claims file's names for a
/// measured [`crate::kinds::Metric`], a [`Derived`] measure, or the source
/// size, all read through the metric layer ([`Measure::reads`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// CPU suite: steady-state kernel time per run (lower is better).
    KernelTime,
    /// CPU suite: peak RSS per run (lower is better).
    PeakRss,
    /// CPU suite: gzip size of the source, comments removed (lower is better).
    SourceSize,
    /// io suite: requests per second at a level (higher is better).
    RequestsPerSecond,
    /// io suite: requests per second over the ideal at a level (higher is better).
    IdealFraction,
    /// io suite: p99 latency while the CPU load runs (lower is better).
    P99UnderCpuLoad,
    /// Concurrency suite: memory per task at a level (lower is better).
    MemoryPerTask,
    /// Concurrency suite: T(1)/T(W) at a level (higher is better).
    Speedup,
}

impl Measure {
    const NAMES: [(&'static str, Measure); 8] = [
        ("kernel_time", Measure::KernelTime),
        ("peak_rss", Measure::PeakRss),
        ("source_size", Measure::SourceSize),
        ("requests_per_second", Measure::RequestsPerSecond),
        ("ideal_fraction", Measure::IdealFraction),
        ("p99_under_cpu_load", Measure::P99UnderCpuLoad),
        ("memory_per_task", Measure::MemoryPerTask),
        ("speedup", Measure::Speedup),
    ];

    /// Where the values come from.
    pub fn reads(self) -> Reads {
        match self {
            Measure::KernelTime => Reads::Measured(Metric::KernelTime),
            Measure::PeakRss => Reads::Measured(Metric::PeakRss),
            Measure::RequestsPerSecond => Reads::Measured(Metric::RequestsPerSecond),
            Measure::IdealFraction => Reads::Derived(Derived::IdealFraction),
            Measure::P99UnderCpuLoad => Reads::Derived(Derived::P99UnderCpuLoad),
            Measure::MemoryPerTask => Reads::Derived(Derived::MemoryPerTask),
            Measure::Speedup => Reads::Derived(Derived::Speedup),
            Measure::SourceSize => Reads::SourceSize,
        }
    }

    /// True when a smaller value is better.
    pub fn lower_is_better(self) -> bool {
        match self.reads() {
            Reads::Measured(m) => !m.higher_is_better(),
            Reads::Derived(d) => matches!(d, Derived::MemoryPerTask | Derived::P99UnderCpuLoad),
            Reads::SourceSize => true,
        }
    }

    /// True for the io suite's measures, read at a level of a scenario.
    pub fn is_io(self) -> bool {
        matches!(
            self,
            Measure::RequestsPerSecond | Measure::IdealFraction | Measure::P99UnderCpuLoad
        )
    }

    /// True for the CPU suite's measures, compared over its workloads.
    pub fn is_cpu(self) -> bool {
        matches!(
            self,
            Measure::KernelTime | Measure::PeakRss | Measure::SourceSize
        )
    }

    /// What one value of the measure is: a run, or a round of an io level.
    pub fn unit_of_repeat(self) -> &'static str {
        if self.is_io() {
            "rounds"
        } else {
            "runs"
        }
    }

    /// The name used in claims files.
    pub fn name(self) -> &'static str {
        Measure::NAMES
            .iter()
            .find(|(_, m)| *m == self)
            .map_or("", |(n, _)| n)
    }
}

/// Where a [`Measure`]'s values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// A measured metric ([`crate::metrics::samples`]).
    Measured(Metric),
    /// A measure derived from measured ones ([`crate::metrics::derived`]).
    Derived(Derived),
    /// The implementations' gzip source sizes, given by the caller.
    SourceSize,
}

/// CPU suite: how workloads are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    /// Each workload gives its own verdict.
    Each,
    /// One verdict on the geometric mean over workloads.
    Geomean,
}

/// Which level of an io scenario or a concurrency workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelChoice {
    /// The highest level measured in every implementation compared.
    Max,
    /// The level equal to the CPU count of the machine that ran (parallel).
    Cores,
    /// This level.
    Value(u64),
    /// io suite: the highest level at which every implementation the test
    /// names has a mark ([`crate::metrics::level_marks`]) neither CPU-bound
    /// nor generator-bound; one level for the whole test.
    IoBound,
}

/// The relation a test expects.
#[derive(Debug, Clone, PartialEq)]
pub enum Relation {
    /// Each `(a, b)`: a is better than b (an `order` gives its adjacent pairs).
    Better(Vec<(String, String)>),
    /// Each `(a, b)`: equal within the tolerance (a fraction, 0.25 = 25%).
    Similar(Vec<(String, String)>, f64),
    /// Each `(implementation, bound)`: the value is at most the bound.
    AtMost(Vec<(String, f64)>),
    /// Each `(implementation, bound)`: the value is at least the bound.
    AtLeast(Vec<(String, f64)>),
}

/// Parses a claims file; errors name the claim and the field.
pub fn parse_claims(text: &str) -> Result<ClaimsFile, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let top = value
        .as_object()
        .ok_or("the top level must be a JSON object")?;
    let source = string(top, "source", "")?;
    let single_sample_noise = match top.get("single_sample_noise") {
        None => crate::stats::SINGLE_MEASUREMENT_NOISE,
        Some(v) => v
            .as_f64()
            .filter(|f| (0.0..1.0).contains(f))
            .ok_or("field 'single_sample_noise' must be a number from 0 to 1")?,
    };
    let list = top
        .get("claims")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or("field 'claims' must be a non-empty array")?;
    let mut claims: Vec<Claim> = Vec::new();
    for (i, v) in list.iter().enumerate() {
        let obj = v
            .as_object()
            .ok_or_else(|| format!("claims[{i}] must be an object"))?;
        let id = string(obj, "id", &format!("claims[{i}]."))?;
        if claims.iter().any(|c| c.id == id) {
            return Err(format!("claim '{id}': id used twice"));
        }
        let claim = parse_claim(obj, &id).map_err(|e| format!("claim '{id}': {e}"))?;
        claims.push(claim);
    }
    Ok(ClaimsFile {
        source,
        single_sample_noise,
        claims,
    })
}

fn parse_claim(obj: &Map<String, Value>, id: &str) -> Result<Claim, String> {
    let body = match (obj.get("tests"), obj.get("not_measurable")) {
        (Some(_), Some(_)) => return Err("has both 'tests' and 'not_measurable'".into()),
        (None, Some(Value::String(why))) => ClaimBody::NotMeasurable(why.clone()),
        (None, Some(_)) => return Err("field 'not_measurable' must be a string".into()),
        (None, None) => return Err("needs 'tests' or 'not_measurable'".into()),
        (Some(tests), None) => {
            let list = tests
                .as_array()
                .filter(|a| !a.is_empty())
                .ok_or("field 'tests' must be a non-empty array")?;
            ClaimBody::Tests(
                list.iter()
                    .enumerate()
                    .map(|(i, t)| parse_test(t, &format!("tests[{i}]")))
                    .collect::<Result<_, _>>()?,
            )
        }
    };
    Ok(Claim {
        id: id.to_string(),
        topic: string(obj, "topic", "")?,
        quote: string(obj, "quote", "")?,
        weak_proxy: match obj.get("weak_proxy") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err("field 'weak_proxy' must be a string".into()),
        },
        body,
    })
}

fn parse_test(value: &Value, at: &str) -> Result<Test, String> {
    let obj = value
        .as_object()
        .ok_or_else(|| format!("field '{at}' must be an object"))?;
    let field = |k: &str| format!("{at}.{k}");
    let metric_name = string(obj, "metric", &format!("{at}."))?;
    let metric = Measure::NAMES
        .iter()
        .find(|(n, _)| *n == metric_name)
        .map(|(_, m)| *m)
        .ok_or_else(|| {
            let names: Vec<&str> = Measure::NAMES.iter().map(|(n, _)| *n).collect();
            format!(
                "field '{}' is '{metric_name}', not a metric (valid: {})",
                field("metric"),
                names.join(", ")
            )
        })?;
    let over = match obj.get("over").map(Value::as_str) {
        None | Some(Some("geomean")) => Over::Geomean,
        Some(Some("each")) => Over::Each,
        Some(_) => {
            return Err(format!(
                "field '{}' must be \"each\" or \"geomean\"",
                field("over")
            ))
        }
    };
    let optional = |k: &str| match obj.get(k) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("field '{}' must be a string", field(k))),
    };
    let scenario = optional("scenario")?;
    let workload = optional("workload")?;
    let needs = match metric {
        m if m.is_io() => scenario.is_none().then_some("scenario"),
        Measure::MemoryPerTask | Measure::Speedup => workload.is_none().then_some("workload"),
        _ => None,
    };
    if let Some(k) = needs {
        return Err(format!(
            "missing field '{}' (metric '{metric_name}' needs it)",
            field(k)
        ));
    }
    let level = match obj.get("level") {
        None => LevelChoice::Max,
        Some(Value::String(s)) if s == "max" => LevelChoice::Max,
        Some(Value::String(s)) if s == "cores" => LevelChoice::Cores,
        Some(Value::String(s)) if s == "io-bound" && metric.is_io() => LevelChoice::IoBound,
        Some(Value::String(s)) if s == "io-bound" => {
            return Err(format!(
                "field '{}' is \"io-bound\", which only an io metric (of a scenario) can use",
                field("level")
            ))
        }
        Some(v) => match v.as_u64() {
            Some(n) if n > 0 => LevelChoice::Value(n),
            _ => {
                return Err(format!(
                    "field '{}' must be \"max\", \"cores\", \"io-bound\" or a positive integer",
                    field("level")
                ))
            }
        },
    };
    let relation = parse_relation(obj, at)?;
    let name = match obj.get("name") {
        None => None,
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(_) => {
            return Err(format!(
                "field '{}' must be a non-empty string",
                field("name")
            ))
        }
    };
    let decides = match obj.get("decides") {
        None => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(format!(
                "field '{}' must be true or false",
                field("decides")
            ))
        }
    };
    Ok(Test {
        metric,
        over,
        scenario,
        workload,
        level,
        relation,
        name,
        decides,
    })
}

fn parse_relation(obj: &Map<String, Value>, at: &str) -> Result<Relation, String> {
    let kinds = ["order", "better", "similar", "at_most", "at_least"];
    let present: Vec<&str> = kinds
        .iter()
        .copied()
        .filter(|k| obj.contains_key(*k))
        .collect();
    let [kind] = present.as_slice() else {
        return Err(format!(
            "field '{at}' needs exactly one relation of {} (has {})",
            kinds.join(", "),
            if present.is_empty() {
                "none".to_string()
            } else {
                present.join(", ")
            }
        ));
    };
    let field = format!("{at}.{kind}");
    let value = &obj[*kind];
    let names = |v: &Value| -> Option<Vec<String>> {
        v.as_array()?
            .iter()
            .map(|n| n.as_str().map(String::from))
            .collect()
    };
    let pairs = || -> Result<Vec<(String, String)>, String> {
        let list = value.as_array().filter(|a| !a.is_empty());
        list.and_then(|l| {
            l.iter()
                .map(|p| match names(p)?.as_slice() {
                    [a, b] => Some((a.clone(), b.clone())),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| format!("field '{field}' must be a non-empty array of [\"a\", \"b\"] pairs"))
    };
    let bounds = || -> Result<Vec<(String, f64)>, String> {
        value
            .as_array()
            .filter(|a| !a.is_empty())
            .and_then(|l| {
                l.iter()
                    .map(|p| match p.as_array()?.as_slice() {
                        [Value::String(a), b] => Some((a.clone(), b.as_f64()?)),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()
            })
            .ok_or_else(|| {
                format!("field '{field}' must be a non-empty array of [\"name\", number] pairs")
            })
    };
    Ok(match *kind {
        "order" => {
            let order = names(value).filter(|o| o.len() >= 2).ok_or_else(|| {
                format!("field '{field}' must list at least two names, best first")
            })?;
            Relation::Better(
                order
                    .windows(2)
                    .map(|w| (w[0].clone(), w[1].clone()))
                    .collect(),
            )
        }
        "better" => Relation::Better(pairs()?),
        "similar" => {
            let tolerance = obj
                .get("tolerance")
                .and_then(Value::as_f64)
                .filter(|t| *t > 0.0)
                .ok_or_else(|| {
                    format!("field '{at}.tolerance' must be a positive number (0.25 = 25%)")
                })?;
            Relation::Similar(pairs()?, tolerance)
        }
        "at_most" => Relation::AtMost(bounds()?),
        _ => Relation::AtLeast(bounds()?),
    })
}

fn string(obj: &Map<String, Value>, key: &str, prefix: &str) -> Result<String, String> {
    match obj.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Value::String(_)) => Err(format!("field '{prefix}{key}' must not be empty")),
        Some(_) => Err(format!("field '{prefix}{key}' must be a string")),
        None => Err(format!("missing field '{prefix}{key}'")),
    }
}

#[cfg(test)]
mod tests;
