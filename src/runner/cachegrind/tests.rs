//! Parsing real cachegrind out files (tests/fixtures/cachegrind, made by
//! valgrind 3.19 from `tiny.c`), the cycle formula, the per-iteration figure,
//! and the command line (the spread script is held to the same settings in
//! `tests/cli/cachegrind.rs`).

use super::*;

const TINY: &str = include_str!("../../../tests/fixtures/cachegrind/tiny.out");
const TINY_BRANCH: &str = include_str!("../../../tests/fixtures/cachegrind/tiny-branch.out");
const TINY_NOCACHE: &str = include_str!("../../../tests/fixtures/cachegrind/tiny-nocache.out");

/// `summary: 32775 2 2 4096 0 0 4096 512 512` of tiny.out.
const TINY_COUNTS: Counts = Counts {
    ir: 32775,
    i1mr: 2,
    ilmr: 2,
    dr: 4096,
    d1mr: 0,
    dlmr: 0,
    dw: 4096,
    d1mw: 512,
    dlmw: 512,
};

fn strings(s: &[&str]) -> Vec<String> {
    s.iter().map(|s| s.to_string()).collect()
}

#[test]
fn parses_a_real_out_file() {
    assert_eq!(Counts::parse(TINY), Ok(TINY_COUNTS));
}

#[test]
fn ignores_branch_events_and_takes_columns_by_name() {
    assert_eq!(Counts::parse(TINY_BRANCH), Ok(TINY_COUNTS));
    let reordered = "events: Dw Ir Bc\nsummary: 3 1 9\n";
    assert_eq!(Counts::parse(reordered), Err(Error::MissingEvent("I1mr")));
    let all = "events: DLmw D1mw Dw DLmr D1mr Dr ILmr I1mr Ir\nsummary: 9 8 7 6 5 4 3 2 1\n";
    let c = Counts::parse(all).unwrap();
    assert_eq!((c.ir, c.i1mr, c.dw, c.dlmw), (1, 2, 7, 9));
}

#[test]
fn errors_say_what_is_wrong() {
    assert_eq!(
        Counts::parse(TINY_NOCACHE),
        Err(Error::MissingEvent("I1mr"))
    );
    assert_eq!(
        Error::MissingEvent("I1mr").to_string(),
        "event I1mr is not in the 'events:' line (was --cache-sim=yes given?)"
    );
    let cut = TINY.split("summary:").next().unwrap();
    assert_eq!(Counts::parse(cut), Err(Error::MissingLine("summary")));
    assert_eq!(Counts::parse(""), Err(Error::MissingLine("events")));
    let twice = format!("{TINY}\n{TINY}");
    assert_eq!(Counts::parse(&twice), Err(Error::DuplicateLine("events")));
    let short = TINY.replace("summary: 32775 2 2", "summary: 32775 2");
    assert_eq!(
        Counts::parse(&short),
        Err(Error::LengthMismatch {
            events: 9,
            values: 8
        })
    );
    let bad = TINY.replace("summary: 32775", "summary: -5");
    assert_eq!(Counts::parse(&bad), Err(Error::BadValue("-5".into())));
    let err = Counts::read(Path::new("/nonexistent/cg.out")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("reading cachegrind out file '/nonexistent/cg.out': "),
        "{err}"
    );
}

#[test]
fn estimated_cycles_follow_gungraun() {
    // L1 hits = 32775 + 4096 + 4096 - (2 + 0 + 512) = 40453; LL hits = 514 - 514 = 0;
    // RAM hits = 2 + 0 + 512 = 514; cycles = 40453 + 0 + 35 * 514 = 58443.
    assert_eq!(TINY_COUNTS.l1_hits(), 40453);
    assert_eq!(TINY_COUNTS.ll_hits(), 0);
    assert_eq!(TINY_COUNTS.ram_hits(), 514);
    assert_eq!(TINY_COUNTS.estimated_cycles(), 58443);
    let c = Counts {
        ir: 1000,
        i1mr: 10,
        ilmr: 1,
        dr: 300,
        d1mr: 20,
        dlmr: 2,
        dw: 100,
        d1mw: 5,
        dlmw: 3,
    };
    // L1: 1400 - 35 = 1365; LL: 35 - 6 = 29; RAM: 6.
    assert_eq!(c.estimated_cycles(), 1365 + 5 * 29 + 35 * 6);
    assert_eq!(Counts::default().estimated_cycles(), 0);
}

#[test]
fn counts_of_processes_add_up() {
    let sum = TINY_COUNTS + TINY_COUNTS;
    assert_eq!(sum.ir, 65550);
    assert_eq!(sum.dlmw, 1024);
    assert_eq!(sum.estimated_cycles(), 2 * 58443);
}

#[test]
fn per_iteration_is_the_slope_between_two_runs() {
    assert_eq!(per_iteration(2, 1_000, 4, 1_600), Ok(300.0));
    assert_eq!(per_iteration(2, 1_000, 5, 1_001), Ok(1.0 / 3.0));
    assert_eq!(per_iteration(1, 7, 2, 7), Ok(0.0));
    let low = CountedRun {
        iterations: 2,
        counts: TINY_COUNTS,
    };
    let high = CountedRun {
        iterations: 4,
        counts: TINY_COUNTS + TINY_COUNTS,
    };
    let p = PerIteration::between(&low, &high).unwrap();
    assert_eq!(p.instructions, 32775.0 / 2.0);
    assert_eq!(p.estimated_cycles, 58443.0 / 2.0);
}

#[test]
fn per_iteration_refuses_bad_pairs() {
    assert_eq!(
        per_iteration(4, 1, 4, 2),
        Err(Error::IterationOrder { k1: 4, k2: 4 })
    );
    assert_eq!(
        per_iteration(4, 1, 2, 2),
        Err(Error::IterationOrder { k1: 4, k2: 2 })
    );
    let fell = per_iteration(2, 500, 4, 499).unwrap_err();
    assert_eq!(
        fell.to_string(),
        "the count fell from 500 at K1 = 2 to 499 at K2 = 4"
    );
}

#[test]
fn the_command_line_wraps_the_program() {
    let program = strings(&["/usr/bin/node", "main.js", "--size", "10"]);
    let inv = invocation(
        &program,
        &Determinism::NODE,
        Path::new("/tmp/x/cachegrind.out.%p"),
    );
    // Absolute where found on PATH (valgrind may be missing where unit tests run).
    let found = |p: &str| {
        crate::paths::find_in_path(p).map_or(p.to_string(), |f| f.to_string_lossy().into_owned())
    };
    let mut expected = vec![
        found("setarch"),
        std::env::consts::ARCH.to_string(),
        "-R".to_string(),
        found("valgrind"),
    ];
    expected.extend(strings(&[
        "--tool=cachegrind",
        "--cache-sim=yes",
        "--branch-sim=no",
        "--I1=32768,8,64",
        "--D1=32768,8,64",
        "--LL=8388608,16,64",
        "--cachegrind-out-file=/tmp/x/cachegrind.out.%p",
        "/usr/bin/node",
    ]));
    expected.extend(strings(Determinism::NODE.interpreter_flags));
    expected.extend(strings(&["main.js", "--size", "10"]));
    assert_eq!(inv.argv, expected);
    let base = vec![
        ("LC_ALL".to_string(), "C.UTF-8".to_string()),
        (
            "PATH".to_string(),
            "/usr/local/bin:/usr/bin:/bin".to_string(),
        ),
    ];
    assert_eq!(inv.env, base);

    let go = invocation(&strings(&["/b/nbody"]), &Determinism::GO, Path::new("o"));
    assert_eq!(go.argv.last().map(String::as_str), Some("/b/nbody"));
    let mut expected_env = base.clone();
    expected_env.extend([
        ("GOMAXPROCS".to_string(), "1".to_string()),
        (
            "GODEBUG".to_string(),
            "asyncpreemptoff=1,gcstoptheworld=1".to_string(),
        ),
    ]);
    assert_eq!(go.env, expected_env);
}

#[test]
fn settings_without_flags_leave_the_argv_alone() {
    let program = strings(&["/py", "main.py", "--size", "1"]);
    assert_eq!(Determinism::CPYTHON.apply(&program), program);
    assert_eq!(Determinism::NONE.apply(&program), program);
    assert_eq!(Determinism::NODE.apply(&[]), Vec::<String>::new());
}

#[test]
fn a_small_kernel_gets_a_wider_window() {
    // 100M instructions an iteration: (2, 4) already holds 200M.
    assert_eq!(widened_k2(2, 4, 100e6, MIN_WINDOW), 4);
    // 1M an iteration: 100 iterations past K1.
    assert_eq!(widened_k2(2, 4, 1e6, MIN_WINDOW), 102);
    // 0.7M: ceil(142.86) = 143 past K1.
    assert_eq!(widened_k2(8, 16, 0.7e6, MIN_WINDOW), 151);
    // A tiny kernel stops at MAX_K2; nothing counted keeps K2.
    assert_eq!(widened_k2(2, 4, 1.0, MIN_WINDOW), MAX_K2);
    assert_eq!(widened_k2(2, 4, 0.0, MIN_WINDOW), 4);
    // Go's wider window.
    assert_eq!(widened_k2(2, 4, 1e6, Determinism::GO.min_window), 502);
}

#[test]
fn spread_is_the_range_over_the_median() {
    assert_eq!(spread_pct(&[]), 0.0);
    assert_eq!(spread_pct(&[5.0]), 0.0);
    assert_eq!(spread_pct(&[100.0, 101.0]), 1.0 / 100.5 * 100.0);
    assert_eq!(spread_pct(&[99.0, 100.0, 101.0]), 2.0);
    assert_eq!(spread_pct(&[7.0, 7.0, 7.0]), 0.0);
}
