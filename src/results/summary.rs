//! From raw runs to summaries: which numbers form each sample, and the
//! ratios to the fastest language of a workload. The arithmetic itself lives
//! in `stats`.

use crate::stats::{Sample, Summary, RESAMPLES, SEED};

use super::steady::class_counts;
use super::{BenchSummary, Benchmark, Estimate, Level, Run};

impl From<Summary> for Estimate {
    fn from(s: Summary) -> Self {
        Estimate {
            n: s.n,
            median: s.median,
            mean: s.mean,
            std_dev: s.std_dev,
            min: s.min,
            max: s.max,
            mad: s.mad,
            ci_low: s.ci_low,
            ci_high: s.ci_high,
        }
    }
}

/// The steady-state kernel time of one run: the median of its steady
/// segment (`Run::steady`). A run not classified (fewer than 4 iterations,
/// or a file written before) keeps the fixed rule: the median of iterations
/// 2..K, or the only iteration when K = 1 (the concurrency suite's tasks,
/// where the process as a whole is what is measured).
pub fn steady_kernel_ns(run: &Run) -> Option<f64> {
    if let Some(steady) = &run.steady {
        return Some(steady.steady_ns);
    }
    let steady = match run.iterations_ns.as_slice() {
        [only] => std::slice::from_ref(only),
        all => all.get(1..).filter(|s| !s.is_empty())?,
    };
    Some(Sample::from_u64(steady).ok()?.median())
}

/// Statistics of `values` with the bootstrap settings every summary uses; None if empty or not finite.
pub fn estimate(values: Vec<f64>) -> Option<Estimate> {
    Some(Sample::new(values).ok()?.summarize(RESAMPLES, SEED).into())
}

/// Summarises the measured runs of a benchmark; `None` if it failed or has none.
pub fn summarize(bench: &Benchmark) -> Option<BenchSummary> {
    if !bench.failures.is_empty() {
        return None;
    }
    let runs: Vec<&Run> = bench.runs.iter().filter(|r| !r.warmup).collect();
    let collect =
        |f: &dyn Fn(&Run) -> Option<f64>| runs.iter().filter_map(|r| f(r)).collect::<Vec<f64>>();
    let classified = || runs.iter().filter_map(|r| r.steady.as_ref());
    // The warm-up of the runs that reached their fastest level (flat, warm-up).
    let steady = || classified().filter(|s| s.class.is_steady());
    Some(BenchSummary {
        runs: runs.len(),
        kernel_ns: estimate(collect(&steady_kernel_ns))?,
        first_iteration_ns: estimate(collect(&|r| r.iterations_ns.first().map(|&v| v as f64)))?,
        wall_ns: estimate(collect(&|r| Some(r.wall_ns as f64)))?,
        cpu_ns: estimate(collect(&|r| Some((r.user_ns + r.sys_ns) as f64)))?,
        max_rss_bytes: estimate(collect(&|r| Some(r.max_rss_bytes as f64)))?,
        classes: class_counts(classified().map(|s| s.class)),
        warmup_iterations: estimate(steady().map(|s| s.warmup_iterations as f64).collect()),
        warmup_ns: estimate(steady().map(|s| s.warmup_ns as f64).collect()),
        kernel_ratio: None,
        wall_ratio: None,
    })
}

/// Recomputes every summary and, per workload (and level), the ratios to the fastest.
pub fn summarize_all(benchmarks: &mut [Benchmark]) {
    let mut workloads: Vec<String> = benchmarks.iter().map(|b| b.workload.clone()).collect();
    workloads.sort();
    workloads.dedup();
    for w in workloads {
        summarize_workload(benchmarks, &w);
    }
}

/// Recomputes the summaries of one workload's benchmarks and their ratios to
/// the fastest implementation (at the same level, in the concurrency suite).
pub fn summarize_workload(benchmarks: &mut [Benchmark], workload: &str) {
    let mut levels: Vec<Option<Level>> = Vec::new();
    for b in benchmarks.iter_mut().filter(|b| b.workload == workload) {
        b.summary = summarize(b);
        summarize_count(b);
        if !levels.contains(&b.level) {
            levels.push(b.level);
        }
    }
    for level in levels {
        summarize_ratios(benchmarks, workload, level);
    }
}

/// Recomputes the summary of every instruction count, leaving the timed
/// summaries (and their bootstrap) alone: what the count suite needs after
/// the timed suites have summarised theirs.
pub fn summarize_counts(benchmarks: &mut [Benchmark]) {
    benchmarks.iter_mut().for_each(summarize_count);
}

/// The summary of `b`'s count: none when it failed or was not counted.
fn summarize_count(b: &mut Benchmark) {
    if let Some(c) = b.counting.as_mut() {
        c.summary = if b.failures.is_empty() {
            c.summarize()
        } else {
            None
        };
    }
}

fn summarize_ratios(benchmarks: &mut [Benchmark], workload: &str, level: Option<Level>) {
    let same = |b: &Benchmark| b.workload == workload && b.level == level;
    let best = |f: fn(&BenchSummary) -> f64| {
        benchmarks
            .iter()
            .filter(|b| same(b))
            .filter_map(|b| b.summary.as_ref().map(f))
            .fold(f64::INFINITY, f64::min)
    };
    let best_kernel = best(|s| s.kernel_ns.median);
    let best_wall = best(|s| s.wall_ns.median);
    for b in benchmarks.iter_mut().filter(|b| same(b)) {
        if let Some(s) = b.summary.as_mut() {
            s.kernel_ratio = ratio(s.kernel_ns.median, best_kernel);
            s.wall_ratio = ratio(s.wall_ns.median, best_wall);
        }
    }
}

fn ratio(value: f64, best: f64) -> Option<f64> {
    (best.is_finite() && best > 0.0).then(|| value / best)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::runner::verify::FailureKind;

    fn run(warmup: bool, wall_ns: u64, iters: &[u64]) -> Run {
        Run {
            wall_ns,
            user_ns: wall_ns / 2,
            sys_ns: wall_ns / 4,
            max_rss_bytes: 1 << 20,
            ..Run::new(0, warmup, iters.to_vec())
        }
    }

    fn bench(lang: Lang, runs: Vec<Run>) -> Benchmark {
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
            ..crate::results::Benchmark::new("w", &imp, crate::kinds::Size::Quick)
        }
    }

    #[test]
    fn steady_kernel_skips_the_first_iteration() {
        // Three iterations: too few to classify, the fixed rule.
        assert_eq!(steady_kernel_ns(&run(false, 1, &[100, 10, 30])), Some(20.0));
        // One iteration: that iteration (the process as a whole is what counts).
        assert_eq!(steady_kernel_ns(&run(false, 1, &[100])), Some(100.0));
        assert_eq!(steady_kernel_ns(&run(false, 1, &[])), None);
    }

    #[test]
    fn a_classified_run_gives_its_steady_segment_and_the_summary_its_classes() {
        use crate::results::steady::Class;
        // Three slow iterations, then 20 at 100: a warm-up of 3.
        let warm: Vec<u64> = [300, 200, 150].into_iter().chain([100; 20]).collect();
        // 10 at 100, then 10 at 150: a slowdown; the steady time is the last level.
        let slow: Vec<u64> = [100; 10].into_iter().chain([150; 10]).collect();
        assert_eq!(steady_kernel_ns(&run(false, 1, &warm)), Some(100.0));
        assert_eq!(steady_kernel_ns(&run(false, 1, &slow)), Some(150.0));
        let b = bench(
            Lang::Node,
            vec![
                run(true, 9, &slow),
                run(false, 9, &warm),
                run(false, 9, &warm),
                run(false, 9, &slow),
            ],
        );
        let s = summarize(&b).unwrap();
        let classes: Vec<(Class, usize)> = s.classes.iter().map(|c| (c.class, c.runs)).collect();
        assert_eq!(classes, [(Class::Warmup, 2), (Class::Slowdown, 1)]);
        assert_eq!(s.warmup_iterations.as_ref().unwrap().median, 3.0);
        assert_eq!(s.warmup_ns.as_ref().unwrap().min, 650.0);
        assert_eq!(s.kernel_ns.median, 100.0);
        // Runs too short to classify: no classes, no warm-up estimates.
        let short = bench(Lang::Go, vec![run(false, 9, &[50, 10, 30])]);
        let s = summarize(&short).unwrap();
        assert!(s.classes.is_empty() && s.warmup_iterations.is_none());
    }

    #[test]
    fn ratios_are_per_level() {
        use crate::workload::Vary;
        let at = |lang, n, t| {
            let mut b = bench(lang, vec![run(false, t, &[t])]);
            b.level = Some(Level {
                vary: Vary::Size,
                value: n,
            });
            b
        };
        let mut benches = vec![
            at(Lang::Go, 10, 100),
            at(Lang::Rust, 10, 50),
            at(Lang::Go, 100, 400),
            at(Lang::Rust, 100, 800),
        ];
        summarize_all(&mut benches);
        let ratios: Vec<f64> = benches
            .iter()
            .map(|b| b.summary.as_ref().unwrap().kernel_ratio.unwrap())
            .collect();
        assert_eq!(ratios, [2.0, 1.0, 1.0, 2.0]);
    }

    #[test]
    fn warmups_are_not_summarised_and_ratios_use_the_fastest() {
        let mut benches = vec![
            bench(
                Lang::Go,
                vec![
                    run(true, 999, &[999, 999]),
                    run(false, 100, &[50, 10]),
                    run(false, 300, &[50, 30]),
                ],
            ),
            bench(
                Lang::Python,
                vec![run(false, 1000, &[500, 100]), run(false, 1000, &[500, 100])],
            ),
        ];
        summarize_all(&mut benches);
        let go = benches[0].summary.as_ref().unwrap();
        assert_eq!(go.runs, 2);
        assert_eq!(go.kernel_ns.median, 20.0);
        assert_eq!(go.first_iteration_ns.median, 50.0);
        assert_eq!(go.wall_ns.median, 200.0);
        assert_eq!(go.cpu_ns.median, 150.0);
        assert_eq!(go.kernel_ratio, Some(1.0));
        let py = benches[1].summary.as_ref().unwrap();
        assert_eq!(py.kernel_ratio, Some(5.0));
        assert_eq!(py.wall_ratio, Some(5.0));
    }

    #[test]
    fn a_failure_removes_the_summary() {
        let mut b = bench(Lang::Node, vec![run(false, 100, &[1, 2])]);
        b.failures.push(crate::results::FailureRecord {
            round: Some(1),
            kind: FailureKind::WrongResult,
            message: "wrong".into(),
            stderr_tail: String::new(),
            wall_ns: Some(1),
        });
        assert_eq!(summarize(&b), None);
        assert!(!b.passed());
    }
}
