//! The runtime matrix on synthetic results: a claim that flips with a
//! runtime, claims the runtime cannot change, a runtime missing an
//! implementation, and no matrix without runtimes.

use super::*;
use crate::claims::{parse_claims, ARTICLE_CLAIMS};
use crate::kinds::Size;
use crate::lang::{Impl, Toolchain};
use crate::results::{Benchmark, Level, Run};
use crate::workload::Vary;

fn name(n: &str) -> RuntimeName {
    RuntimeName::parse(n).unwrap()
}

/// `workload` in `lang`-`variant` on `runtime` at `workers` (a CPU
/// benchmark when None), six runs around `kernel_ns`.
fn bench(
    workload: &str,
    lang: Lang,
    variant: Option<&str>,
    runtime: Option<&str>,
    workers: Option<u64>,
    kernel_ns: u64,
) -> Benchmark {
    let imp = Impl {
        lang,
        variant: variant.map(String::from),
        runtime: runtime.map(name),
    };
    let mut b = Benchmark::new(workload, &imp, Size::Default);
    b.level = workers.map(|value| Level {
        vary: Vary::Workers,
        value,
    });
    b.iterations = 3;
    b.runs = [100, 101, 99, 100, 102, 98]
        .iter()
        .enumerate()
        .map(|(i, pct)| {
            let k = kernel_ns * pct / 100;
            Run {
                wall_ns: k * 3,
                max_rss_bytes: 1 << 20,
                ..Run::new(i as u32, false, vec![k * 2, k, k])
            }
        })
        .collect();
    crate::results::summary::summarize_all(std::slice::from_mut(&mut b));
    b
}

/// parallel at W=1 and W=2 in `lang`-`variant` on `runtime`, with this speedup.
fn parallel(lang: Lang, variant: &str, runtime: Option<&str>, speedup: f64) -> [Benchmark; 2] {
    let t1 = 100_000_000;
    let at = |w, t| bench("parallel", lang, Some(variant), runtime, Some(w), t);
    [at(1, t1), at(2, (t1 as f64 / speedup) as u64)]
}

fn toolchain(lang: Lang, runtime: Option<&str>, version: &str) -> Toolchain {
    Toolchain::for_tests(lang, runtime, version)
}

/// python-threads with a speedup at W=2 of 0.9 on CPython and 1.9 on
/// python3.13t, python-processes 1.9 on both; nbody in go, python and
/// python@pypy (twice as fast as go); on a 2-core machine.
fn results() -> ResultsFile {
    let mut r: ResultsFile =
        serde_json::from_str(include_str!("../../../tests/fixtures/results/empty.json")).unwrap();
    r.machine.logical_cpus = 2;
    r.benchmarks = [
        parallel(Lang::Python, "threads", None, 0.9),
        parallel(Lang::Python, "processes", None, 1.9),
        parallel(Lang::Python, "threads", Some("python3.13t"), 1.9),
        parallel(Lang::Python, "processes", Some("python3.13t"), 1.9),
    ]
    .into_iter()
    .flatten()
    .chain([
        bench("nbody", Lang::Go, None, None, None, 10_000_000),
        bench("nbody", Lang::Python, None, None, None, 500_000_000),
        bench("nbody", Lang::Python, None, Some("pypy"), None, 5_000_000),
    ])
    .collect();
    r.toolchains
        .push(toolchain(Lang::Python, Some("pypy"), "PyPy 7.3"));
    r.toolchains.push(toolchain(
        Lang::Python,
        Some("python3.13t"),
        "Python 3.13.1",
    ));
    r
}

fn article() -> ClaimsFile {
    parse_claims(ARTICLE_CLAIMS).unwrap()
}

fn row<'a>(m: &'a RuntimeMatrix, id: &str) -> &'a MatrixRow {
    m.rows.iter().find(|r| r.id == id).unwrap()
}

#[test]
fn the_gil_claim_flips_with_a_free_threaded_python() {
    let m = runtime_matrix(&article(), &results(), &SourceSizes::new());
    let runtimes: Vec<(&str, Option<&str>)> = m
        .columns
        .iter()
        .map(|c| (c.runtime.as_str(), c.version.as_deref()))
        .collect();
    assert_eq!(
        runtimes,
        [
            ("pypy", Some("PyPy 7.3")),
            ("python3.13t", Some("Python 3.13.1"))
        ],
        "as the toolchains list them"
    );
    let gil = row(&m, "python-gil");
    assert_eq!(
        gil.default,
        Verdict::Supported,
        "0.9x at W=2: the GIL holds"
    );
    assert_eq!(
        gil.cells,
        [
            RuntimeCell::Read(Verdict::NotTested),
            RuntimeCell::Read(Verdict::Contradicted)
        ],
        "PyPy ran no parallel; 1.9x on python3.13t"
    );
    let flips: Vec<(&str, &str, Verdict, Verdict)> = m
        .flips()
        .iter()
        .map(|f| (f.id, f.column.runtime.as_str(), f.default, f.with_runtime))
        .collect();
    assert!(
        flips.contains(&(
            "python-gil",
            "python3.13t",
            Verdict::Supported,
            Verdict::Contradicted
        )),
        "{flips:?}"
    );
    assert!(flips.iter().all(|f| f.2 != f.3), "{flips:?}");
    assert!(
        flips.contains(&("python-gil", "pypy", Verdict::Supported, Verdict::NotTested)),
        "NOT TESTED differs from the default too"
    );
}

#[test]
fn a_faster_python_changes_the_speed_claims_and_leaves_the_others() {
    let m = runtime_matrix(&article(), &results(), &SourceSizes::new());
    // python-slower-than-compiled compares go and rust with python: rust
    // has no data, so CPython's is not tested; PyPy beats go, which
    // contradicts it.
    let slower = row(&m, "python-slower-than-compiled");
    assert_eq!(slower.default, Verdict::NotTested);
    assert_eq!(slower.cells[0], RuntimeCell::Read(Verdict::Contradicted));
    assert_eq!(
        slower.cells[1],
        RuntimeCell::Read(Verdict::NotTested),
        "python3.13t ran no nbody"
    );
    // go-goroutines names python (memory per task): read again, no data.
    assert_eq!(
        row(&m, "go-goroutines").cells[0],
        RuntimeCell::Read(Verdict::NotTested)
    );
    // node-not-for-cpu compares node with go and rust: a python runtime
    // cannot change it. Every other testable claim of the article names
    // python and is read again.
    for r in &m.rows {
        let involved = r.id != "node-not-for-cpu";
        for c in &r.cells {
            assert_eq!(*c != RuntimeCell::NotInvolved, involved, "{}", r.id);
        }
    }
    assert_eq!(m.rows.len(), 9, "the two claims not measurable have no row");
}

#[test]
fn a_claim_without_the_runtimes_language_keeps_the_default_unread() {
    let claims = parse_claims(
        r#"{"source": "s", "claims": [
        {"id": "go-vs-rust", "topic": "t", "quote": "q",
         "tests": [{"metric": "kernel_time", "better": [["go", "rust"]]}]},
        {"id": "threads", "topic": "t", "quote": "q",
         "tests": [{"metric": "speedup", "workload": "parallel", "level": 2,
                    "at_least": [["python-threads@python3.13t", 1.5]]}]}]}"#,
    )
    .unwrap();
    let m = runtime_matrix(&claims, &results(), &SourceSizes::new());
    assert_eq!(
        row(&m, "go-vs-rust").cells,
        [RuntimeCell::NotInvolved, RuntimeCell::NotInvolved]
    );
    // A claim that names a runtime itself already reads it as measured.
    let threads = row(&m, "threads");
    assert_eq!(threads.default, Verdict::Supported);
    assert_eq!(
        threads.cells,
        [RuntimeCell::NotInvolved, RuntimeCell::NotInvolved]
    );
}

#[test]
fn no_runtime_but_the_defaults_gives_no_matrix() {
    let mut r = results();
    r.benchmarks.retain(|b| b.runtime.is_none());
    let m = runtime_matrix(&article(), &r, &SourceSizes::new());
    assert!(m.is_empty());
    assert!(m.rows.is_empty());
    assert!(m.flips().is_empty());
}

#[test]
fn implementation_names_belong_to_their_language() {
    assert!(names_lang("python", Lang::Python));
    assert!(names_lang("python-threads", Lang::Python));
    assert!(!names_lang("node@bun", Lang::Node), "names its runtime");
    assert!(!names_lang("pythonic", Lang::Python));
    assert!(!names_lang("go", Lang::Python));
}
