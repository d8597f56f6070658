//! Step detection on synthetic series, and series built from results files.

use super::*;

/// `n` values around `level` with a fixed ±1% pseudo-random wobble (xorshift).
fn noisy(n: usize, level: f64, seed: u64) -> Vec<f64> {
    let mut state = seed.max(1);
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let unit = (state % 2001) as f64 / 1000.0 - 1.0; // -1 ..= 1
            level * (1.0 + 0.01 * unit)
        })
        .collect()
}

/// A noisy series whose level is multiplied by `factor` from index `at` on.
fn with_step(n: usize, at: usize, factor: f64, seed: u64) -> Vec<f64> {
    let mut x = noisy(n, 100.0, seed);
    for v in &mut x[at..] {
        *v *= factor;
    }
    x
}

#[test]
fn a_one_run_blip_is_an_outlier_but_a_last_run_change_is_a_step() {
    let mut x = vec![100.0, 101.0, 99.0, 100.0, 125.0, 100.0, 101.0, 99.0, 100.0];
    assert!(detect_steps(&x, 5.0, false).is_empty(), "{x:?}");
    x.push(140.0);
    let steps = detect_steps(&x, 5.0, false);
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert_eq!(steps[0].index, 9);
    assert!(steps[0].regression);
}

#[test]
fn flat_noisy_series_has_no_step() {
    for seed in 1..20 {
        let x = noisy(20, 100.0, seed);
        assert_eq!(detect_steps(&x, 5.0, false), vec![], "seed {seed}: {x:?}");
        // Even with no threshold the fit itself does not split the noise.
        assert_eq!(detect_steps(&x, 0.0, false), vec![], "seed {seed}: {x:?}");
    }
}

#[test]
fn twenty_percent_slower_at_ten_of_twenty_is_one_regression() {
    let x = with_step(20, 10, 1.2, 7);
    let steps = detect_steps(&x, 5.0, false);
    assert_eq!(steps.len(), 1, "{steps:?}");
    let s = &steps[0];
    assert_eq!((s.index, s.run), (10, 10));
    assert!(s.regression);
    assert!((s.ratio - 1.2).abs() < 0.02, "{s:?}");
    assert!((s.before - 100.0).abs() < 1.0 && (s.after - 120.0).abs() < 1.2);
}

#[test]
fn twenty_percent_faster_is_an_improvement() {
    let x = with_step(20, 10, 0.8, 3);
    let steps = detect_steps(&x, 5.0, false);
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert_eq!(steps[0].index, 10);
    assert!(!steps[0].regression);
    assert!((steps[0].ratio - 0.8).abs() < 0.02);
    // For requests/s a lower value is the regression.
    assert!(detect_steps(&x, 5.0, true)[0].regression);
}

#[test]
fn two_steps_are_both_found() {
    let mut x = with_step(30, 10, 1.3, 11);
    for v in &mut x[20..] {
        *v /= 1.3;
    }
    let steps = detect_steps(&x, 5.0, false);
    let at: Vec<(usize, bool)> = steps.iter().map(|s| (s.index, s.regression)).collect();
    assert_eq!(at, [(10, true), (20, false)], "{steps:?}");
}

#[test]
fn a_step_below_the_threshold_is_dropped() {
    let x = with_step(20, 10, 1.03, 5);
    assert_eq!(detect_steps(&x, 5.0, false), vec![]);
    // The fit does see it: with a 1% threshold it is a step.
    let steps = detect_steps(&x, 1.0, false);
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert_eq!(steps[0].index, 10);
    // Exactly at the threshold is not beyond it (as in compare).
    let x = [100.0, 100.0, 100.0, 105.0, 105.0, 105.0];
    assert_eq!(detect_steps(&x, 5.0, false), vec![]);
    assert_eq!(detect_steps(&x, 4.9, false).len(), 1);
}

#[test]
fn merging_a_small_change_keeps_the_large_one() {
    // 100 -> 103 (below 5%) -> 120: one step, measured from the merged level.
    let x = [
        100.0, 100.0, 100.0, 103.0, 103.0, 103.0, 120.0, 120.0, 120.0,
    ];
    let steps = detect_steps(&x, 5.0, false);
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert_eq!(
        (steps[0].index, steps[0].before, steps[0].after),
        (6, 101.5, 120.0)
    );
}

#[test]
fn short_and_odd_series_are_handled() {
    assert_eq!(detect_steps(&[], 5.0, false), vec![]);
    assert_eq!(detect_steps(&[1.0], 5.0, false), vec![]);
    // Two runs: the only difference is also the noise estimate.
    assert_eq!(detect_steps(&[1.0, 2.0], 5.0, false), vec![]);
    assert_eq!(detect_steps(&[1.0, f64::NAN, 1.0], 5.0, false), vec![]);
    // Identical values: the noise floor keeps a positive penalty.
    assert_eq!(detect_steps(&[3.0; 10], 0.0, false), vec![]);
    assert_eq!(detect_steps(&[0.0; 10], 0.0, false), vec![]);
    // A step at the last run is found.
    let mut x = vec![50.0; 8];
    x.push(60.0);
    let steps = detect_steps(&x, 5.0, false);
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert_eq!(steps[0].index, 8);
}

#[test]
fn noise_is_robust_to_a_step() {
    let x = [1.0, 2.0, 1.0, 2.0, 1.0];
    let sigma = 1.0 / (NORMAL_MEDIAN_ABS * std::f64::consts::SQRT_2);
    assert!((noise(&x) - sigma).abs() < 1e-12);
    let stepped = [1.0, 2.0, 1.0, 2.0, 101.0, 102.0, 101.0, 102.0];
    assert!((noise(&stepped) - sigma).abs() < 1e-12);
    assert_eq!(noise(&[7.0; 4]), 7.0 * NOISE_FLOOR);
    assert_eq!(noise(&[]), 0.0);
}

#[test]
fn running_deviation_matches_a_direct_sum() {
    let x = noisy(25, 10.0, 42);
    let mut running = MedianDeviation::default();
    for j in 0..x.len() {
        running.push(x[j]);
        let m = median(x[..=j].to_vec());
        let direct: f64 = x[..=j].iter().map(|v| (v - m).abs()).sum();
        assert!((running.deviation() - direct).abs() < 1e-9, "at {j}");
    }
}

#[test]
fn partition_is_optimal_on_a_clear_case() {
    let x = [1.0, 1.0, 1.0, 5.0, 5.0, 5.0, 9.0, 9.0];
    assert_eq!(partition(&x, 0.5), [0, 3, 6]);
    assert_eq!(partition(&x, 100.0), [0]); // a penalty above any gain
}

fn results(started_at: &str, commit: Option<(&str, bool)>) -> ResultsFile {
    let mut r: ResultsFile =
        serde_json::from_str(include_str!("../../tests/fixtures/results/all-suites.json"))
            .expect("fixture parses");
    r.started_at = started_at.to_string();
    r.git = commit.map(|(c, dirty)| crate::results::GitInfo {
        commit: c.to_string(),
        dirty,
    });
    r
}

#[test]
fn runs_are_labelled_by_commit_else_start_time() {
    let day = "2026-03-02T10:00:00Z";
    let labels = [
        None,
        Some(("0123456789", true)),
        Some(("fedcba9876", false)),
    ]
    .map(|commit| run_label(&results(day, commit)));
    assert_eq!(labels, ["2026-03-02T10:00:00Z", "0123456*", "fedcba9"]);
}

#[test]
fn history_has_one_point_per_run_and_maps_steps_to_runs() {
    let runs: Vec<(PathBuf, ResultsFile)> = (0..4)
        .map(|i| {
            let mut r = results(&format!("2026-03-0{}T10:00:00Z", i + 1), None);
            let runs = r.benchmarks.iter_mut().flat_map(|b| b.runs.iter_mut());
            for t in runs.flat_map(|run| run.iterations_ns.iter_mut()) {
                *t *= if i >= 2 { 2 } else { 1 };
            }
            (format!("{i}.json").into(), r)
        })
        .collect();
    let h = history(&runs, Metric::KernelTime, 5.0);
    assert_eq!(h.runs.len(), 4);
    let nbody = h.series.iter().find(|s| s.name == "nbody/rust (quick)");
    let nbody = nbody.expect("nbody/rust");
    assert_eq!(nbody.points.len(), 4);
    assert!(nbody
        .points
        .iter()
        .all(|p| p.min <= p.median && p.median <= p.max));
    assert_eq!(nbody.steps.len(), 1, "{:?}", nbody.steps);
    assert_eq!((nbody.steps[0].run, nbody.steps[0].index), (2, 2));
    assert!(nbody.steps[0].regression);
    assert_eq!(h.steps().filter(|(s, _)| s.name == nbody.name).count(), 1);
}
