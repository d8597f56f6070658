//! Steps named from the change points of a series, and series built from
//! results files. The change-point fit itself is tested in `stats::changepoint`.

use super::*;

/// Flat at 100, then 20% slower from index 10 on: one point per run.
fn slower_at_ten() -> Vec<Point> {
    (0..20)
        .map(|run| {
            let median = if run < 10 { 100.0 } else { 120.0 };
            Point {
                run,
                median,
                min: median,
                max: median,
                count: 1,
            }
        })
        .collect()
}

#[test]
fn a_step_names_its_run_ratio_and_direction() {
    let x = slower_at_ten();
    let steps = detect_steps(&x, 5.0, Metric::KernelTime);
    assert_eq!(
        steps,
        [Step {
            index: 10,
            run: 10,
            before: 100.0,
            after: 120.0,
            ratio: 1.2,
            regression: true,
        }]
    );
    assert_eq!(steps[0].direction(), "regression");
    // For requests/s a higher value is the improvement.
    let steps = detect_steps(&x, 5.0, Metric::RequestsPerSecond);
    assert!(!steps[0].regression);
    assert_eq!(steps[0].direction(), "improvement");
    // The threshold is in percent: 20% is not beyond 25%.
    assert_eq!(detect_steps(&x, 25.0, Metric::KernelTime), vec![]);
}

#[test]
fn a_count_steps_in_the_newest_of_three_runs_unless_its_repeats_spread_as_much() {
    let point = |run: usize, median: f64, spread: f64| Point {
        run,
        median,
        min: median - spread / 2.0,
        max: median + spread / 2.0,
        count: 2,
    };
    let x = [
        point(0, 1e6, 0.0),
        point(1, 1e6, 0.0),
        point(2, 1.03e6, 0.0),
    ];
    let steps = detect_steps(&x, 1.0, Metric::Instructions);
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert_eq!((steps[0].run, steps[0].regression), (2, true));
    // A time's noise comes from the series, where the step is half of it.
    assert_eq!(detect_steps(&x, 1.0, Metric::KernelTime), vec![]);
    // Repeats that spread by 3% within each run: the step is within the noise.
    let noisy = [
        point(0, 1e6, 3e4),
        point(1, 1e6, 3e4),
        point(2, 1.03e6, 3e4),
    ];
    assert_eq!(detect_steps(&noisy, 1.0, Metric::Instructions), vec![]);
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
