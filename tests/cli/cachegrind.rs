//! The cachegrind command of `runner::cachegrind` run for real, on `seq`
//! (small, deterministic, linear in its argument): it starts, writes the out
//! file it was told to, the counts parse, repeat exactly and grow with the
//! work. Skipped, with a line on stderr, where valgrind or setarch is not
//! installed: valgrind is not a toolchain langbench requires.

use std::path::Path;
use std::process::Command;

use langbench::lang::find_in_path;
use langbench::runner::cachegrind::{
    invocation, per_iteration, CountedRun, Counts, Determinism, PerIteration,
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
    if !missing.is_empty() {
        eprintln!("skipped: {} not on PATH", missing.join(" and "));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let small = counted_seq(dir.path(), 1000);
    let again = counted_seq(dir.path(), 1000);
    let large = counted_seq(dir.path(), 3000);
    assert_eq!(small.ir, again.ir, "no ASLR, same input: same instructions");
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
    assert!(
        figures.estimated_cycles >= figures.instructions,
        "{figures:?}"
    );
}
