//! The verdicts on fixed results: each verdict kind, intervals, bounds,
//! generator-bound levels, the `io-bound` level and tests that do not decide.

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
        runtime: None,
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
        serde_json::from_str(include_str!("../../../tests/fixtures/results/empty.json")).unwrap();
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

/// A parallel benchmark at `w` workers whose median kernel time is `t`
/// (one measured run).
fn parallel(lang: Lang, variant: Option<&str>, w: u64, t: f64) -> Benchmark {
    let mut b = cpu("parallel", lang, &[t as u64]);
    b.variant = variant.map(String::from);
    b.level = Some(crate::results::Level {
        vary: crate::workload::Vary::Workers,
        value: w,
    });
    b.summary.as_mut().unwrap().kernel_ns.median = t;
    b
}

const GIL: &str = r#"{"source": "s", "claims": [{"id": "gil", "topic": "t", "quote": "q",
    "tests": [{"metric": "speedup", "workload": "parallel", "level": "cores",
               "at_most": [["python-threads", 1.2]]},
              {"metric": "speedup", "workload": "parallel", "level": "cores",
               "at_least": [["python-threads", 1.5]]}]}]}"#;

/// python-threads at 1.02x on two workers, and Go at 100 / `go_at_two`.
fn gil_results(go_at_two: f64) -> ResultsFile {
    let mut r = results(vec![
        parallel(Lang::Python, Some("threads"), 1, 100.0),
        parallel(Lang::Python, Some("threads"), 2, 98.0),
        parallel(Lang::Go, None, 1, 100.0),
        parallel(Lang::Go, None, 2, go_at_two),
    ]);
    r.machine.logical_cpus = 2;
    r
}

#[test]
fn bounds_on_a_single_measurement_use_the_noise_band() {
    let v = verdicts(GIL, &gil_results(52.0));
    assert_eq!(v[0].evidence[0].verdict, Verdict::Supported);
    assert_eq!(v[0].evidence[1].verdict, Verdict::Contradicted);
    assert_eq!(v[0].evidence[0].on, "parallel W=2");
    for e in &v[0].evidence {
        assert!(e.note.contains("noise band"), "{}", e.note);
    }
    assert_eq!(v[0].verdict, Verdict::Contradicted);
}

#[test]
fn a_speedup_bound_is_not_read_when_the_machine_ran_nothing_in_parallel() {
    // Go itself at 1.10x: the machine gave the workers no second core then.
    let v = verdicts(GIL, &gil_results(91.0));
    for e in &v[0].evidence {
        assert_eq!(e.verdict, Verdict::Inconclusive, "{}", e.note);
        assert!(
            e.note.contains("the workers did not run in parallel"),
            "{}",
            e.note
        );
        assert_eq!(e.estimate, Some(100.0 / 98.0));
    }
    let note = &v[0].evidence[0].note;
    assert!(
        note.starts_with("no other implementation reached 1.2x here (best: go 1.10x)"),
        "{note}"
    );
    assert!(v[0].evidence[1]
        .note
        .starts_with("no implementation reached 1.5x here (best: go 1.10x)"));
    assert_eq!(v[0].verdict, Verdict::Inconclusive);
    // Runs that did not record other work say nothing of it.
    assert!(!note.contains("other work"), "{note}");
}

#[test]
fn a_speedup_bound_not_read_names_the_other_work_its_runs_recorded() {
    let mut r = gil_results(91.0);
    for b in &mut r.benchmarks {
        for run in &mut b.runs {
            // Other work took 0.6 of a CPU through every run.
            run.others_cpu_ns = Some(run.wall_ns * 6 / 10);
        }
    }
    let v = verdicts(GIL, &r);
    let note = &v[0].evidence[0].note;
    assert!(
        note.ends_with(
            "(other work on the machine took 0.60 CPUs on average while these runs ran)"
        ),
        "{note}"
    );
    // A little other work (a tenth of a CPU) is not named.
    for b in &mut r.benchmarks {
        for run in &mut b.runs {
            run.others_cpu_ns = Some(run.wall_ns / 10);
        }
    }
    let v = verdicts(GIL, &r);
    assert!(!v[0].evidence[0].note.contains("other work"));
}

/// The all-suites fixture with http-io's go and rust at c=100 measured in
/// rounds with these requests/s, the generator's core busy `generator`.
fn io_rounds(go: &[f64], rust: &[f64], generator: f64) -> ResultsFile {
    use crate::results::LevelRound;
    let text = include_str!("../../../tests/fixtures/results/all-suites.json");
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

/// Adds to `r` rounds of http-io's `lang` server at level `index` (0:
/// c=10, 1: c=100) with these requests/s and the server's core busy
/// `server` of the window (0.95 marks it CPU-bound).
fn add_rounds(r: &mut ResultsFile, lang: Lang, index: usize, rps: &[f64], server: f64) {
    use crate::results::LevelRound;
    let s = r
        .servers
        .iter_mut()
        .find(|s| s.scenario == "http-io" && s.lang == lang && s.variant.is_none())
        .expect("fixture server");
    let template = s.levels[index].clone();
    let mut levels = s.levels.clone();
    for (i, &v) in rps.iter().enumerate() {
        let mut report = template.clone();
        report.requests_per_sec = v;
        let round = LevelRound {
            round: i as u32,
            report,
            loaded: None,
            background: None,
            window_ns: 1_000_000_000,
            server_cpu_ns: Some((server * 1e9) as u64),
            server_wait_ns: Some(0),
            generator_cpu_ns: Some(300_000_000),
            generator_wait_ns: Some(0),
        };
        s.add_round(template.connections, round, 1);
    }
    // Keep the levels not yet in rounds, as a file with both would.
    levels.retain(|l| s.rounds_of(l.connections).is_none());
    s.levels.extend(levels);
    s.levels.sort_by_key(|l| l.connections);
}

fn all_suites() -> ResultsFile {
    let text = include_str!("../../../tests/fixtures/results/all-suites.json");
    serde_json::from_str(text).expect("fixture parses")
}

/// go faster than rust at c=10, both waiting; at c=100 rust faster and
/// CPU-bound.
fn rust_cpu_bound_at_100() -> ResultsFile {
    let mut r = all_suites();
    add_rounds(&mut r, Lang::Go, 0, &[1000.0, 1010.0, 990.0], 0.3);
    add_rounds(&mut r, Lang::Rust, 0, &[800.0, 810.0, 790.0], 0.2);
    add_rounds(&mut r, Lang::Go, 1, &[5000.0, 5100.0, 4900.0], 0.6);
    add_rounds(&mut r, Lang::Rust, 1, &[8000.0, 8100.0, 7900.0], 0.95);
    r
}

const IO_BOUND: &str = r#"{"source": "s", "claims": [{"id": "io", "topic": "t", "quote": "q",
    "tests": [{"metric": "requests_per_second", "scenario": "http-io", "level": "io-bound",
               "better": [["go", "rust"]]},
              {"metric": "requests_per_second", "scenario": "http-io", "level": "io-bound",
               "at_least": [["go", 900]]},
              {"metric": "requests_per_second", "scenario": "http-io", "level": "max",
               "name": "cpu-per-request", "decides": false,
               "better": [["go", "rust"]]}]}]}"#;

#[test]
fn io_bound_reads_the_highest_level_below_every_named_servers_cpu_mark() {
    let r = rust_cpu_bound_at_100();
    let v = verdicts(IO_BOUND, &r);
    let [io, bound, cpu] = v[0].evidence.as_slice() else {
        panic!("three comparisons: {:?}", v[0].evidence)
    };
    assert_eq!(io.on, "http-io c=10", "c=100 is CPU-bound for rust");
    assert_eq!(io.verdict, Verdict::Supported, "{io:?}");
    assert_eq!(
        io.reading,
        "requests_per_second, http-io c=10 (highest I/O-bound level)"
    );
    assert!(io.decides);
    assert_eq!(bound.on, "http-io c=100", "go alone waits at c=100");
    assert_eq!(bound.verdict, Verdict::Supported);
    assert_eq!(cpu.on, "http-io c=100");
    assert_eq!(cpu.verdict, Verdict::Contradicted);
    assert_eq!(
        cpu.reading,
        "cpu-per-request: requests_per_second, http-io c=100 (max)"
    );
    assert!(!cpu.decides);
    assert_eq!(
        v[0].verdict,
        Verdict::Supported,
        "the contradiction at c=100 does not decide"
    );
    let deciding = IO_BOUND.replace("\"decides\": false", "\"decides\": true");
    assert_eq!(verdicts(&deciding, &r)[0].verdict, Verdict::Contradicted);
}

#[test]
fn io_bound_takes_the_highest_qualifying_level_when_all_wait() {
    let mut r = all_suites();
    add_rounds(&mut r, Lang::Go, 0, &[1000.0, 1010.0, 990.0], 0.3);
    add_rounds(&mut r, Lang::Rust, 0, &[800.0, 810.0, 790.0], 0.2);
    add_rounds(&mut r, Lang::Go, 1, &[5000.0, 5100.0, 4900.0], 0.6);
    add_rounds(&mut r, Lang::Rust, 1, &[8000.0, 8100.0, 7900.0], 0.5);
    let v = verdicts(IO_BOUND, &r);
    assert_eq!(v[0].evidence[0].on, "http-io c=100");
    assert_eq!(v[0].verdict, Verdict::Contradicted);
}

#[test]
fn no_io_bound_level_is_not_tested_saying_why() {
    // Every level CPU-bound for rust.
    let mut r = rust_cpu_bound_at_100();
    add_rounds(&mut r, Lang::Rust, 0, &[800.0, 810.0, 790.0, 800.0], 0.99);
    let v = verdicts(IO_BOUND, &r);
    assert_eq!(v[0].verdict, Verdict::NotTested);
    let e = &v[0].evidence[0];
    assert_eq!(e.verdict, Verdict::NotTested);
    assert_eq!(
        e.note,
        "no level of http-io where go and rust were both below the CPU-bound mark \
         (90% busy) and not generator-bound"
    );
    assert_eq!(
        e.reading,
        "requests_per_second, http-io (highest I/O-bound level)"
    );
    assert_eq!(
        v[0].evidence[1].verdict,
        Verdict::Supported,
        "go alone waits at c=100"
    );
    assert_eq!(v[0].evidence[1].on, "http-io c=100");
    // A file written before rounds has no marks at all.
    let v = verdicts(IO_BOUND, &all_suites());
    assert_eq!(v[0].verdict, Verdict::NotTested);
    assert_eq!(
        v[0].evidence[0].note,
        "no I/O-bound level: no level of http-io was measured in rounds for go and \
         rust, so none carries the CPU-bound mark"
    );
    assert_eq!(v[0].evidence[2].on, "http-io c=100", "max needs no mark");
    // Nor does an implementation not measured in rounds.
    let mut r = all_suites();
    add_rounds(&mut r, Lang::Rust, 0, &[800.0, 810.0, 790.0], 0.2);
    let v = verdicts(IO_BOUND, &r);
    assert_eq!(
        v[0].evidence[0].note,
        "no I/O-bound level: no level of http-io was measured in rounds for go, \
         so none carries the CPU-bound mark"
    );
}
