//! The cachegrind command of `runner::cachegrind` run for real, on `seq`
//! (small, deterministic, linear in its argument): it starts, writes the out
//! file it was told to, the counts parse, repeat exactly and grow with the
//! work. valgrind and setarch are required here (`.ci/run` installs
//! valgrind where it is missing): a missing one fails the test with the
//! reason. And the spread script measures with the same tool switches,
//! caches, events and per-language settings as the module.

use std::path::Path;
use std::process::Command;

use langbench::lang::Lang;
use langbench::paths::find_in_path;
use langbench::runner::cachegrind::{
    invocation, per_iteration, CountedRun, Counts, Determinism, PerIteration, BASE_ENV, CACHES,
    EVENTS, TOOL,
};

/// Runs `seq 1 n` under cachegrind and returns its counts.
fn counted_seq(dir: &Path, n: u64) -> Counts {
    let out = dir.join(format!("seq-{n}.%p"));
    let seq = find_in_path("seq").expect("seq on PATH");
    let program = vec![
        seq.to_string_lossy().into_owned(),
        "1".into(),
        n.to_string(),
    ];
    let inv = invocation(&program, &Determinism::NONE, &out);
    let output = Command::new(&inv.argv[0])
        .args(&inv.argv[1..])
        .envs(inv.env.iter().map(|(k, v)| (k, v)))
        .output()
        .expect("setarch starts");
    assert!(
        output.status.success(),
        "{:?}: {}",
        inv.argv,
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        output.stdout.iter().filter(|&&b| b == b'\n').count() as u64,
        n
    );
    let files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(&format!("seq-{n}.")))
        .collect();
    assert_eq!(files.len(), 1, "one process, one out file: {files:?}");
    let counts = Counts::read(&files[0]).expect("counts parse");
    std::fs::remove_file(&files[0]).unwrap();
    counts
}

#[test]
fn cachegrind_counts_repeat_and_grow_with_the_work() {
    let missing: Vec<_> = ["valgrind", "setarch"]
        .into_iter()
        .filter(|p| find_in_path(p).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "{} not on PATH: install valgrind (Debian package `valgrind`; .ci/run does)",
        missing.join(" and ")
    );
    let dir = tempfile::tempdir().unwrap();
    let small = counted_seq(dir.path(), 1000);
    let again = counted_seq(dir.path(), 1000);
    let large = counted_seq(dir.path(), 3000);
    assert_eq!(
        small, again,
        "no ASLR, same input: the same counts, all nine"
    );
    assert!(small.ir > 0 && small.dr > 0 && small.dw > 0, "{small:?}");
    let per_line = per_iteration(1000, small.ir, 3000, large.ir).unwrap();
    assert!(per_line > 10.0 && per_line < 10_000.0, "{per_line}");
    let figures = PerIteration::between(
        &CountedRun {
            iterations: 1000,
            counts: small,
        },
        &CountedRun {
            iterations: 3000,
            counts: large,
        },
    )
    .unwrap();
    assert_eq!(figures.instructions, per_line);
}

const SCRIPT: &str = include_str!("../../scripts/instruction-spread.py");

/// The Python list literal of `items`, as the script writes it.
fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

#[test]
fn the_spread_script_measures_like_the_module() {
    for (name, items) in [
        ("TOOL", &TOOL[..]),
        ("CACHES", &CACHES),
        ("EVENTS", &EVENTS),
    ] {
        let line = format!("{name} = {}", list(items));
        assert!(SCRIPT.lines().any(|l| l == line), "script lacks: {line}");
    }
    assert!(
        SCRIPT.contains("\"-R\", shutil.which(TOOL[0])]")
            && SCRIPT.contains("[*tools, *TOOL[1:], *CACHES,"),
        "the script's command"
    );
    let base: Vec<String> = BASE_ENV
        .iter()
        .map(|(k, v)| format!("\"{k}\": \"{v}\""))
        .collect();
    let line = format!("BASE_ENV = {{{}}}", base.join(", "));
    assert!(SCRIPT.lines().any(|l| l == line), "script lacks: {line}");
    let settings = SCRIPT
        .split("SETTINGS = {")
        .nth(1)
        .and_then(|s| s.split("\n}\n").next())
        .expect("SETTINGS block in the script");
    let start = |lang: Lang| {
        let at = settings.find(&format!("\"{}\":", lang.name()));
        at.unwrap_or_else(|| panic!("no {lang} in SETTINGS"))
    };
    for lang in Lang::ALL {
        let from = start(lang);
        let to = Lang::ALL
            .into_iter()
            .map(start)
            .filter(|&p| p > from)
            .min()
            .unwrap_or(settings.len());
        let block = &settings[from..to];
        let d: Determinism = lang.determinism();
        for (k, v) in d.env {
            assert!(
                block.contains(&format!("\"{k}\": \"{v}\"")),
                "{lang}: {k}={v}"
            );
        }
        assert!(
            block.contains(&format!("\"flags\": {}", list(d.interpreter_flags))),
            "{lang}: flags in {block}"
        );
        assert!(
            block.contains(&format!("\"k\": [{}, {}]", d.k1, d.k2)),
            "{lang}: K"
        );
        let quoted = block.matches('"').count() / 2;
        let own = 4 + 2 * d.env.len() + d.interpreter_flags.len();
        assert_eq!(
            quoted, own,
            "{lang}: the script has other settings: {block}"
        );
    }
}

/// `run --quick --measure instructions -l python` on `fixture`, with `args`.
fn counted_for_real(env: &crate::util::TestEnv, args: &[&str]) -> assert_cmd::assert::Assert {
    env.cmd()
        .args([
            "run",
            "--quick",
            "--measure",
            "instructions",
            "-l",
            "python",
        ])
        .args(["--no-report", "--out"])
        .arg(env.out())
        .args(args)
        .assert()
}

#[test]
fn a_count_that_differs_between_identical_runs_is_flagged_not_averaged() {
    let env = crate::util::TestEnv::new(&["nondeterministic"]);
    counted_for_real(&env, &["--count-runs", "2"])
        .success()
        .stdout(predicates::str::contains(
            "NON-DETERMINISTIC (spread > 0.01%)",
        ));
    let r = env.results();
    let s = &r["benchmarks"][0]["counting"]["summary"];
    assert_eq!(s["deterministic"], false, "{s}");
    assert!(s["spread_pct"].as_f64().unwrap() > 0.01, "{s}");
    // Both repeats are kept as they were counted.
    let repeats = r["benchmarks"][0]["counting"]["repeats"]
        .as_array()
        .unwrap();
    assert_eq!(repeats.len(), 2);
    assert_ne!(repeats[0]["instructions"], repeats[1]["instructions"]);
}

#[test]
fn a_workload_that_crashes_under_valgrind_fails_with_valgrinds_last_lines() {
    let env = crate::util::TestEnv::new(&["crash"]);
    counted_for_real(&env, &[])
        .code(1)
        .stdout(predicates::str::contains("FAILED crash/python"));
    let r = env.results();
    let b = &r["benchmarks"][0];
    let failure = &b["failures"][0];
    assert_eq!(failure["kind"], "signal", "{failure}");
    assert!(
        failure["message"]
            .as_str()
            .unwrap()
            .starts_with("under valgrind at 1 iterations:"),
        "{failure}"
    );
    // valgrind's own report of the crash, not a count of zero.
    assert!(
        failure["stderr_tail"].as_str().unwrap().contains("=="),
        "{failure}"
    );
    assert_eq!(b["counting"]["repeats"], serde_json::json!([]));
    assert!(b["counting"]["summary"].is_null());
}
