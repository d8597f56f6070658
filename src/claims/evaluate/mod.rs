//! Verdicts: each test's comparisons, decided on the 95% confidence interval
//! of a ratio, and the claim's verdict combined from them.
//!
//! A comparison of `a` against `b` uses the *advantage* of a: b / a for a
//! metric where lower is better, a / b where higher is better, so above 1
//! always means a is better. SUPPORTED when the whole interval lies on the
//! claimed side, CONTRADICTED when it lies on the other side, INCONCLUSIVE
//! when it straddles, NOT TESTED when the data is missing. The interval is a
//! percentile bootstrap over the measured runs (ratio of medians; over
//! workloads, of their geometric mean). A value measured once (a load level)
//! has no interval of its own: the claims file's `single_sample_noise` band
//! is put around it, and the evidence says so (an io level measured in
//! rounds has its rounds). The throughput of an io level where the load
//! generator's core was saturated is not compared: NOT TESTED, saying so.
//! A test the claims file marks `"decides": false` is evaluated and shown
//! like the others but left out of the claim's verdict; each piece of
//! evidence says what it read ([`Evidence::reading`]).

use serde::Serialize;

use super::level::{how_read, TestLevel};
use super::metrics::{not_compared, samples_by_implementation, BySlot, Slot, SourceSizes};
use super::{Claim, ClaimBody, ClaimsFile, Measure, Over, Relation, Test};
use crate::results::ResultsFile;
use crate::stats::{bootstrap_ratio_ci, Sample, CONFIDENCE, RESAMPLES, SEED};

/// What the measurements say of a claim (or of one comparison).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    /// The whole 95% interval lies on the claimed side.
    Supported,
    /// The whole 95% interval lies on the other side.
    Contradicted,
    /// The interval straddles the line.
    Inconclusive,
    /// The data is missing (a language skipped, a suite not run).
    NotTested,
    /// A benchmark cannot measure it; never given a verdict.
    NotMeasurable,
}

impl Verdict {
    /// As the report prints it.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Supported => "SUPPORTED",
            Verdict::Contradicted => "CONTRADICTED",
            Verdict::Inconclusive => "INCONCLUSIVE",
            Verdict::NotTested => "NOT TESTED",
            Verdict::NotMeasurable => "NOT MEASURABLE",
        }
    }
}

/// One comparison and its numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Index of the test in the claim.
    pub test: usize,
    /// The metric compared.
    pub metric: Measure,
    /// What it was measured on: workloads, a scenario and level, a workload and level.
    pub on: String,
    /// The statement checked, e.g. `rust better than go` or `python-threads <= 1.2`.
    pub statement: String,
    /// Median of the first implementation (in the metric's unit: ns, bytes, req/s, ms, ratio).
    pub a_median: Option<f64>,
    /// Median of the second implementation, for comparisons.
    pub b_median: Option<f64>,
    /// The advantage of the first over the second (or the value, for a bound).
    pub estimate: Option<f64>,
    /// Lower end of its 95% interval.
    pub ci_low: Option<f64>,
    /// Upper end of its 95% interval.
    pub ci_high: Option<f64>,
    /// The verdict of this comparison.
    pub verdict: Verdict,
    /// How the interval was made, or why nothing was tested.
    pub note: String,
    /// What was read, in words: the test's name if it has one, the measure,
    /// what it was measured on and how the workloads or the level were
    /// chosen, e.g. `ideal_fraction, http-io c=100 (highest I/O-bound level)`
    /// or `cpu-per-request: ideal_fraction, http-io c=1000 (max)`.
    pub reading: String,
    /// Whether this comparison enters the claim's verdict (its test's
    /// `decides`); evidence that does not is shown beside the verdict.
    pub decides: bool,
}

/// A claim with its verdict and evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimVerdict {
    /// The claim's id.
    pub id: String,
    /// Its topic.
    pub topic: String,
    /// The article's words.
    pub quote: String,
    /// Why the measurement is only a weak proxy, if it is.
    pub weak_proxy: Option<String>,
    /// The combined verdict.
    pub verdict: Verdict,
    /// Every comparison made.
    pub evidence: Vec<Evidence>,
    /// Why a claim cannot be measured.
    pub reason: Option<String>,
}

/// Gives every claim of `claims` its verdict on `results`.
pub fn evaluate(
    claims: &ClaimsFile,
    results: &ResultsFile,
    sources: &SourceSizes,
) -> Vec<ClaimVerdict> {
    claims
        .claims
        .iter()
        .map(|c| evaluate_claim(c, claims.single_sample_noise, results, sources))
        .collect()
}

fn evaluate_claim(
    claim: &Claim,
    noise: f64,
    results: &ResultsFile,
    sources: &SourceSizes,
) -> ClaimVerdict {
    let mut verdict = ClaimVerdict {
        id: claim.id.clone(),
        topic: claim.topic.clone(),
        quote: claim.quote.clone(),
        weak_proxy: claim.weak_proxy.clone(),
        verdict: Verdict::NotMeasurable,
        evidence: Vec::new(),
        reason: None,
    };
    match &claim.body {
        ClaimBody::NotMeasurable(why) => verdict.reason = Some(why.clone()),
        ClaimBody::Tests(tests) => {
            for (i, test) in tests.iter().enumerate() {
                verdict
                    .evidence
                    .extend(evaluate_test(i, test, noise, results, sources));
            }
            let deciding = verdict.evidence.iter().filter(|e| e.decides);
            verdict.verdict = combine(deciding.map(|e| e.verdict));
        }
    }
    verdict
}

/// A claim holds only if every comparison does: any contradiction
/// contradicts it; otherwise missing data leaves it not tested; otherwise
/// it is supported only if every comparison is.
pub fn combine(verdicts: impl Iterator<Item = Verdict>) -> Verdict {
    let all: Vec<Verdict> = verdicts.collect();
    if all.is_empty() || all.iter().all(|v| *v == Verdict::NotTested) {
        Verdict::NotTested
    } else if all.contains(&Verdict::Contradicted) {
        Verdict::Contradicted
    } else if all.contains(&Verdict::NotTested) {
        Verdict::NotTested
    } else if all.iter().all(|v| *v == Verdict::Supported) {
        Verdict::Supported
    } else {
        Verdict::Inconclusive
    }
}

fn evaluate_test(
    index: usize,
    test: &Test,
    noise: f64,
    results: &ResultsFile,
    sources: &SourceSizes,
) -> Vec<Evidence> {
    let all = samples_by_implementation(results, test, sources);
    let excluded = not_compared(results, test);
    // Why `imp`'s value at `slot` is not compared, if it is not.
    let excluded_at = |imp: &str, slot: &Slot| {
        let why = excluded.get(&(imp.to_string(), slot.clone()))?;
        Some(format!("{imp}: {why}"))
    };
    let level = TestLevel::of(test, results);
    // What a comparison with no level or no data to read was measured on.
    let subject = test
        .scenario
        .clone()
        .or_else(|| test.workload.clone())
        .unwrap_or_default();
    let none = BySlot::new();
    let data = |imp: &str| all.get(imp).unwrap_or(&none);
    let read = |on: &str| reading(test, on);
    let blank = |statement: String, on: String, note: String| Evidence {
        test: index,
        metric: test.metric,
        reading: read(&on),
        decides: test.decides,
        on,
        statement,
        a_median: None,
        b_median: None,
        estimate: None,
        ci_low: None,
        ci_high: None,
        verdict: Verdict::NotTested,
        note,
    };
    let mut out = Vec::new();
    match &test.relation {
        Relation::Better(pairs) | Relation::Similar(pairs, _) => {
            let tolerance = match &test.relation {
                Relation::Similar(_, t) => Some(*t),
                _ => None,
            };
            for (a, b) in pairs {
                let statement = match tolerance {
                    Some(t) => format!("{a} similar to {b} (within {:.0}%)", t * 100.0),
                    None => format!("{a} better than {b}"),
                };
                if let Some(why) = level.unavailable() {
                    out.push(blank(statement, subject.clone(), why.to_string()));
                    continue;
                }
                let (da, db) = (data(a), data(b));
                let keys = common_keys(test, &level, results, da, db);
                if keys.is_empty() {
                    let missing = if da.is_empty() { a } else { b };
                    out.push(blank(
                        statement,
                        subject.clone(),
                        format!("no {} data for {missing}", test.metric.name()),
                    ));
                    continue;
                }
                let groups: Vec<Vec<Slot>> = match test.over {
                    Over::Each if test.metric.is_cpu() => {
                        keys.iter().map(|k| vec![k.clone()]).collect()
                    }
                    _ => vec![keys],
                };
                for group in groups {
                    let on: Vec<&str> = group.iter().map(|k| da[k].0.as_str()).collect();
                    let on = on.join(", ");
                    let why = group
                        .iter()
                        .find_map(|k| excluded_at(a, k).or_else(|| excluded_at(b, k)));
                    if let Some(why) = why {
                        out.push(blank(statement.clone(), on, why));
                        continue;
                    }
                    let mut pairs_of_samples = Vec::new();
                    for k in &group {
                        let (sa, sb) = (da[k].1.clone(), db[k].1.clone());
                        if sa.median() <= 0.0 || sb.median() <= 0.0 {
                            continue;
                        }
                        // (x, y) with y / x the advantage of a.
                        pairs_of_samples.push(if test.metric.lower_is_better() {
                            (sa, sb)
                        } else {
                            (sb, sa)
                        });
                    }
                    if pairs_of_samples.len() != group.len() {
                        out.push(blank(
                            statement.clone(),
                            on,
                            "a median is zero or negative: no ratio".into(),
                        ));
                        continue;
                    }
                    let a_median = geo(group.iter().map(|k| da[k].1.median()));
                    let b_median = geo(group.iter().map(|k| db[k].1.median()));
                    let (est, low, high, note) = interval(&pairs_of_samples, test.metric, noise);
                    let verdict = match tolerance {
                        None => decide(low, high, 1.0, f64::INFINITY),
                        Some(t) => decide_within(low, high, 1.0 / (1.0 + t), 1.0 + t),
                    };
                    out.push(Evidence {
                        test: index,
                        metric: test.metric,
                        reading: read(&on),
                        decides: test.decides,
                        on,
                        statement: statement.clone(),
                        a_median,
                        b_median,
                        estimate: Some(est),
                        ci_low: Some(low),
                        ci_high: Some(high),
                        verdict,
                        note,
                    });
                }
            }
        }
        Relation::AtMost(bounds) | Relation::AtLeast(bounds) => {
            let at_most = matches!(test.relation, Relation::AtMost(_));
            for (imp, bound) in bounds {
                let statement = format!("{imp} {} {bound}", if at_most { "<=" } else { ">=" });
                if let Some(why) = level.unavailable() {
                    out.push(blank(statement, subject.clone(), why.to_string()));
                    continue;
                }
                let d = data(imp);
                let Some(key) = level.pick(results, d.keys().cloned().collect()) else {
                    out.push(blank(
                        statement,
                        subject.clone(),
                        format!("no {} data for {imp}", test.metric.name()),
                    ));
                    continue;
                };
                let (on, s) = &d[&key];
                if let Some(why) = excluded_at(imp, &key) {
                    out.push(blank(statement, on.clone(), why));
                    continue;
                }
                if let Some(why) = no_parallelism(test, &all, imp, &key, *bound, at_most)
                    .map(|why| why + &others_note(test, results, &key))
                {
                    out.push(Evidence {
                        verdict: Verdict::Inconclusive,
                        a_median: Some(s.median()),
                        estimate: Some(s.median()),
                        ..blank(statement, on.clone(), why)
                    });
                    continue;
                }
                let (low, high, note) = if s.len() == 1 {
                    let m = s.median();
                    (m / (1.0 + noise), m * (1.0 + noise), noise_note(noise))
                } else {
                    let sum = s.summarize(RESAMPLES, SEED);
                    (
                        sum.ci_low,
                        sum.ci_high,
                        format!(
                            "95% bootstrap interval of the median over {} {}",
                            s.len(),
                            test.metric.unit_of_repeat()
                        ),
                    )
                };
                let verdict = if at_most {
                    decide(-high, -low, -bound, f64::INFINITY)
                } else {
                    decide(low, high, *bound, f64::INFINITY)
                };
                out.push(Evidence {
                    test: index,
                    metric: test.metric,
                    reading: read(on),
                    decides: test.decides,
                    on: on.clone(),
                    statement,
                    a_median: Some(s.median()),
                    b_median: None,
                    estimate: Some(s.median()),
                    ci_low: Some(low),
                    ci_high: Some(high),
                    verdict,
                    note,
                });
            }
        }
    }
    out
}

/// Why a bound on a parallel speedup says nothing of the language at `key`,
/// if it does not: the workers did not run in parallel then (a noisy VM
/// can give a program far less than its cores, and no implementation could
/// show a speedup). A bound
/// `imp >= b` is only read if some implementation reached b there; a bound
/// `imp <= b` only if another implementation went beyond b, so a speedup
/// held down by the machine does not pass for the language's.
fn no_parallelism(
    test: &Test,
    all: &std::collections::BTreeMap<String, BySlot>,
    imp: &str,
    key: &Slot,
    bound: f64,
    at_most: bool,
) -> Option<String> {
    if test.metric != Measure::Speedup {
        return None;
    }
    let (best, name) = all
        .iter()
        .filter(|(other, _)| !at_most || other.as_str() != imp)
        .filter_map(|(other, by)| Some((by.get(key)?.1.median(), other.as_str())))
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    let reached = if at_most { best > bound } else { best >= bound };
    (!reached).then(|| {
        let whom = if at_most { "other " } else { "" };
        format!(
            "no {whom}implementation reached {bound}x here (best: {name} {best:.2}x): \
             the workers did not run in parallel then, so this bound \
             says nothing of {imp}"
        )
    })
}

/// What other work took while the runs of a speedup ran (its workload at
/// one worker and at the slot's level), when that is enough to have slowed
/// them; else nothing.
fn others_note(test: &Test, results: &ResultsFile, key: &Slot) -> String {
    let (Some(workload), Some(level)) = (test.workload.as_deref(), key.level()) else {
        return String::new();
    };
    let cpus = results.others_cpus_of(|b| {
        b.workload == workload && b.level.is_some_and(|l| l.value == 1 || l.value == level)
    });
    match cpus {
        Some(c) if c >= crate::results::OTHERS_WARN_CPUS => {
            format!(" (other work on the machine took {c:.2} CPUs on average while these runs ran)")
        }
        _ => String::new(),
    }
}

/// The keys both implementations have: every workload for the CPU suite, or
/// the one level the test asks for.
fn common_keys(
    test: &Test,
    level: &TestLevel,
    results: &ResultsFile,
    a: &BySlot,
    b: &BySlot,
) -> Vec<Slot> {
    let both: Vec<Slot> = a.keys().filter(|k| b.contains_key(k)).cloned().collect();
    if test.metric.is_cpu() {
        both
    } else {
        level.pick(results, both).into_iter().collect()
    }
}

/// What a comparison of `test` measured on `on` read, in words (see
/// [`Evidence::reading`]); a test over each CPU workload reads the same way
/// on every workload, so the workload is left to `on`.
fn reading(test: &Test, on: &str) -> String {
    let on = match (test.metric.is_cpu(), test.over) {
        (true, Over::Each) => String::new(),
        _ if on.is_empty() => String::new(),
        _ => format!(", {on}"),
    };
    let name = test
        .name
        .as_ref()
        .map(|n| format!("{n}: "))
        .unwrap_or_default();
    format!("{name}{}{on} ({})", test.metric.name(), how_read(test))
}

/// The estimate and 95% interval of the advantage, and how it was made.
fn interval(pairs: &[(Sample, Sample)], metric: Measure, noise: f64) -> (f64, f64, f64, String) {
    let single = pairs.iter().all(|(x, y)| x.len() == 1 && y.len() == 1);
    let (est, low, high) = bootstrap_ratio_ci(pairs, CONFIDENCE, RESAMPLES, SEED);
    if single && metric != Measure::SourceSize {
        (
            est,
            est / (1.0 + noise),
            est * (1.0 + noise),
            noise_note(noise),
        )
    } else if single {
        (est, est, est, "exact: source sizes do not vary".into())
    } else {
        let runs: Vec<String> = pairs
            .iter()
            .map(|(x, y)| format!("{}+{}", x.len(), y.len()))
            .collect();
        (
            est,
            low,
            high,
            format!(
                "95% percentile-bootstrap interval of the ratio of medians{} ({} {})",
                if pairs.len() > 1 {
                    ", geometric mean over workloads"
                } else {
                    ""
                },
                runs.join(", "),
                metric.unit_of_repeat()
            ),
        )
    }
}

fn noise_note(noise: f64) -> String {
    format!(
        "measured once per implementation: a ±{:.0}% noise band stands in for the interval",
        noise * 100.0
    )
}

/// Supported when [low, high] lies inside (min, max); contradicted when it
/// lies wholly on the other side of min.
fn decide(low: f64, high: f64, min: f64, max: f64) -> Verdict {
    if low > min && high < max {
        Verdict::Supported
    } else if high < min {
        Verdict::Contradicted
    } else {
        Verdict::Inconclusive
    }
}

/// Supported when [low, high] lies within [min, max]; contradicted when it
/// lies wholly outside.
fn decide_within(low: f64, high: f64, min: f64, max: f64) -> Verdict {
    if low >= min && high <= max {
        Verdict::Supported
    } else if high < min || low > max {
        Verdict::Contradicted
    } else {
        Verdict::Inconclusive
    }
}

fn geo(values: impl Iterator<Item = f64>) -> Option<f64> {
    match values.collect::<Vec<f64>>().as_slice() {
        [one] => Some(*one),
        v => crate::stats::geometric_mean(v),
    }
}

#[cfg(test)]
mod tests;
