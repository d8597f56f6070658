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

use serde::Serialize;

use super::metrics::{not_compared, samples_by_implementation, BySlot, Slot, SourceSizes};
use super::{Claim, ClaimBody, ClaimsFile, LevelChoice, Measure, Over, Relation, Test};
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
            verdict.verdict = combine(verdict.evidence.iter().map(|e| e.verdict));
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
    let none = BySlot::new();
    let data = |imp: &str| all.get(imp).unwrap_or(&none);
    let blank = |statement: String, on: String, note: String| Evidence {
        test: index,
        metric: test.metric,
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
                let (da, db) = (data(a), data(b));
                let keys = common_keys(test, results, da, db);
                if keys.is_empty() {
                    let missing = if da.is_empty() { a } else { b };
                    out.push(blank(
                        statement,
                        String::new(),
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
                let d = data(imp);
                let Some(key) = pick_level(test, results, d.keys().cloned().collect()) else {
                    out.push(blank(
                        statement,
                        String::new(),
                        format!("no {} data for {imp}", test.metric.name()),
                    ));
                    continue;
                };
                let (on, s) = &d[&key];
                if let Some(why) = excluded_at(imp, &key) {
                    out.push(blank(statement, on.clone(), why));
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

/// The keys both implementations have: every workload for the CPU suite, or
/// the one level the test asks for.
fn common_keys(test: &Test, results: &ResultsFile, a: &BySlot, b: &BySlot) -> Vec<Slot> {
    let both: Vec<Slot> = a.keys().filter(|k| b.contains_key(k)).cloned().collect();
    if test.metric.is_cpu() {
        both
    } else {
        pick_level(test, results, both).into_iter().collect()
    }
}

fn pick_level(test: &Test, results: &ResultsFile, slots: Vec<Slot>) -> Option<Slot> {
    let levels = slots.iter().filter_map(Slot::level);
    let level = match test.level {
        LevelChoice::Max => levels.into_iter().max(),
        LevelChoice::Cores => {
            let cores = results.machine.logical_cpus as u64;
            levels.into_iter().find(|l| *l == cores)
        }
        LevelChoice::Value(v) => levels.into_iter().find(|l| *l == v),
    };
    level.map(Slot::Level)
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
mod tests {
    use super::*;
    use crate::claims::parse_claims;
    use crate::lang::Lang;
    use crate::results::{BenchSummary, Benchmark, Estimate, Run};

    /// A CPU benchmark whose measured runs have these steady kernel times.
    fn cpu(workload: &str, lang: Lang, kernel_ns: &[u64]) -> Benchmark {
        let runs = kernel_ns
            .iter()
            .enumerate()
            .map(|(i, &k)| Run {
                wall_ns: k * 3,
                user_ns: k * 3,
                max_rss_bytes: 1 << 20,
                ..Run::new(i as u32, false, vec![k * 2, k, k])
            })
            .collect();
        let e = |v: f64| Estimate {
            n: 1,
            median: v,
            mean: v,
            std_dev: 0.0,
            min: v,
            max: v,
            mad: 0.0,
            ci_low: v,
            ci_high: v,
        };
        let imp = crate::lang::Impl {
            lang,
            variant: None,
        };
        Benchmark {
            size: 1,
            iterations: 3,
            expected: "x".into(),
            runs,
            summary: Some(BenchSummary {
                runs: kernel_ns.len(),
                kernel_ns: e(1.0),
                first_iteration_ns: e(1.0),
                wall_ns: e(1.0),
                cpu_ns: e(1.0),
                max_rss_bytes: e(1.0),
                classes: Vec::new(),
                warmup_iterations: None,
                warmup_ns: None,
                kernel_ratio: None,
                wall_ratio: None,
            }),
            ..crate::results::Benchmark::new(workload, &imp, crate::kinds::Size::Default)
        }
    }

    fn results(benchmarks: Vec<Benchmark>) -> ResultsFile {
        let mut r: ResultsFile =
            serde_json::from_str(include_str!("../../tests/fixtures/results/empty.json")).unwrap();
        r.benchmarks = benchmarks;
        r
    }

    fn verdicts(claims: &str, r: &ResultsFile) -> Vec<ClaimVerdict> {
        evaluate(&parse_claims(claims).unwrap(), r, &SourceSizes::new())
    }

    const ORDER: &str = r#"{"source": "s", "claims": [
        {"id": "order", "topic": "t", "quote": "q",
         "tests": [{"metric": "kernel_time", "over": "each", "order": ["rust", "go"]}]},
        {"id": "similar", "topic": "t", "quote": "q",
         "tests": [{"metric": "kernel_time", "similar": [["rust", "go"]], "tolerance": 0.1}]},
        {"id": "never", "topic": "t", "quote": "q", "not_measurable": "why"}
    ]}"#;

    #[test]
    fn each_verdict_kind() {
        // Rust clearly faster: supported; clearly slower: contradicted;
        // overlapping runs: inconclusive.
        let fast = results(vec![
            cpu("a", Lang::Rust, &[10, 11, 12, 10, 11, 12]),
            cpu("a", Lang::Go, &[20, 21, 22, 20, 21, 22]),
        ]);
        let slow = results(vec![
            cpu("a", Lang::Rust, &[30, 31, 32, 30, 31, 32]),
            cpu("a", Lang::Go, &[20, 21, 22, 20, 21, 22]),
        ]);
        let close = results(vec![
            cpu("a", Lang::Rust, &[10, 30, 20, 12, 28, 21]),
            cpu("a", Lang::Go, &[11, 29, 20, 13, 27, 19]),
        ]);
        let v = verdicts(ORDER, &fast);
        assert_eq!(v[0].verdict, Verdict::Supported);
        assert_eq!(v[1].verdict, Verdict::Contradicted, "2x is not within 10%");
        assert_eq!(v[2].verdict, Verdict::NotMeasurable);
        assert_eq!(v[2].reason.as_deref(), Some("why"));
        let e = &v[0].evidence[0];
        assert_eq!(e.on, "a");
        assert_eq!(e.statement, "rust better than go");
        assert_eq!((e.a_median, e.b_median), (Some(11.0), Some(21.0)));
        assert!(e.ci_low.unwrap() > 1.0 && e.estimate.unwrap() > 1.8);
        assert_eq!(verdicts(ORDER, &slow)[0].verdict, Verdict::Contradicted);
        let v = verdicts(ORDER, &close);
        assert_eq!(v[0].verdict, Verdict::Inconclusive);
        assert!(v[0].evidence[0].ci_low.unwrap() < 1.0 && v[0].evidence[0].ci_high.unwrap() > 1.0);
    }

    #[test]
    fn a_missing_language_is_not_tested() {
        let r = results(vec![cpu("a", Lang::Rust, &[10, 11, 12])]);
        let v = verdicts(ORDER, &r);
        assert_eq!(v[0].verdict, Verdict::NotTested);
        assert_eq!(v[0].evidence[0].note, "no kernel_time data for go");
    }

    #[test]
    fn geomean_over_workloads_and_combination() {
        let r = results(vec![
            cpu("a", Lang::Rust, &[10, 10, 10]),
            cpu("a", Lang::Go, &[40, 40, 40]),
            cpu("b", Lang::Rust, &[10, 10, 10]),
            cpu("b", Lang::Go, &[10, 10, 10]),
        ]);
        let claims = r#"{"source": "s", "claims": [{"id": "g", "topic": "t", "quote": "q",
            "tests": [{"metric": "kernel_time", "over": "geomean", "better": [["rust", "go"]]}]}]}"#;
        let v = verdicts(claims, &r);
        let e = &v[0].evidence[0];
        assert_eq!(e.on, "a, b");
        assert!((e.estimate.unwrap() - 2.0).abs() < 1e-9, "{e:?}");
        assert_eq!(
            combine([Verdict::Supported, Verdict::Contradicted].into_iter()),
            Verdict::Contradicted
        );
        assert_eq!(
            combine([Verdict::Supported, Verdict::NotTested].into_iter()),
            Verdict::NotTested
        );
        assert_eq!(
            combine([Verdict::Supported, Verdict::Inconclusive].into_iter()),
            Verdict::Inconclusive
        );
        assert_eq!(
            combine([Verdict::Supported].into_iter()),
            Verdict::Supported
        );
        assert_eq!(combine(std::iter::empty()), Verdict::NotTested);
    }

    #[test]
    fn bounds_on_a_single_measurement_use_the_noise_band() {
        let mut r = results(vec![]);
        let speedups = [(1, 100.0), (2, 98.0)];
        for (w, t) in speedups {
            let mut b = cpu("parallel", Lang::Python, &[t as u64, t as u64, t as u64]);
            b.variant = Some("threads".into());
            b.level = Some(crate::results::Level {
                vary: crate::workload::Vary::Workers,
                value: w,
            });
            let s = b.summary.as_mut().unwrap();
            s.kernel_ns.median = t;
            r.benchmarks.push(b);
        }
        r.machine.logical_cpus = 2;
        let claims = r#"{"source": "s", "claims": [{"id": "gil", "topic": "t", "quote": "q",
            "tests": [{"metric": "speedup", "workload": "parallel", "level": "cores",
                       "at_most": [["python-threads", 1.2]]},
                      {"metric": "speedup", "workload": "parallel", "level": "cores",
                       "at_least": [["python-threads", 1.5]]}]}]}"#;
        let v = verdicts(claims, &r);
        assert_eq!(v[0].evidence[0].verdict, Verdict::Supported);
        assert_eq!(v[0].evidence[1].verdict, Verdict::Contradicted);
        assert_eq!(v[0].evidence[0].on, "parallel W=2");
        assert_eq!(v[0].verdict, Verdict::Contradicted);
    }
    /// The all-suites fixture with http-io's go and rust at c=100 measured in
    /// rounds with these requests/s, the generator's core busy `generator`.
    fn io_rounds(go: &[f64], rust: &[f64], generator: f64) -> ResultsFile {
        use crate::results::LevelRound;
        let text = include_str!("../../tests/fixtures/results/all-suites.json");
        let mut r: ResultsFile = serde_json::from_str(text).expect("fixture parses");
        for s in r.servers.iter_mut().filter(|s| s.scenario == "http-io") {
            let rps = match s.lang {
                Lang::Go => go,
                Lang::Rust => rust,
                _ => continue,
            };
            let template = s.levels[1].clone();
            for (i, &v) in rps.iter().enumerate() {
                let mut report = template.clone();
                report.requests_per_sec = v;
                let round = LevelRound {
                    round: i as u32,
                    report,
                    loaded: None,
                    background: None,
                    window_ns: 1_000_000_000,
                    server_cpu_ns: Some(500_000_000),
                    server_wait_ns: None,
                    generator_cpu_ns: Some((generator * 1e9) as u64),
                    generator_wait_ns: None,
                };
                s.add_round(template.connections, round, 1);
            }
        }
        r
    }

    const RUST_OVER_GO: &str = r#"{"source": "s", "claims": [{"id": "io", "topic": "t", "quote": "q",
        "tests": [{"metric": "requests_per_second", "scenario": "http-io", "level": 100,
                   "better": [["rust", "go"]]},
                  {"metric": "requests_per_second", "scenario": "http-io", "level": 100,
                   "at_least": [["rust", 5000]]}]}]}"#;

    #[test]
    fn a_level_in_rounds_gets_a_bootstrap_interval() {
        let r = io_rounds(&[6000.0, 6100.0, 5900.0], &[8000.0, 8100.0, 7900.0], 0.3);
        let v = verdicts(RUST_OVER_GO, &r);
        let e = &v[0].evidence[0];
        assert_eq!(e.on, "http-io c=100");
        assert_eq!(e.verdict, Verdict::Supported, "{e:?}");
        assert!(e.note.contains("(3+3 rounds)"), "{}", e.note);
        assert_eq!(v[0].evidence[1].verdict, Verdict::Supported);
        assert!(v[0].evidence[1].note.contains("over 3 rounds"));
    }

    #[test]
    fn a_generator_bound_level_is_not_tested_saying_why() {
        let r = io_rounds(&[6000.0, 6100.0, 5900.0], &[8000.0, 8100.0, 7900.0], 0.95);
        let v = verdicts(RUST_OVER_GO, &r);
        assert_eq!(v[0].verdict, Verdict::NotTested);
        for e in &v[0].evidence {
            assert_eq!(e.verdict, Verdict::NotTested);
            assert_eq!(e.on, "http-io c=100");
            assert_eq!(
                e.note,
                "rust: generator-bound: the load generator's core was 95% busy, \
                 so its throughput is not compared"
            );
        }
    }
}
