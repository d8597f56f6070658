//! Criterion benchmarks of the harness's own hot path: the statistics run
//! after every round (bootstrap confidence intervals over every metric).

use criterion::{criterion_group, criterion_main, Criterion};
use langbench::stats::Sample;
use std::hint::black_box;

fn bootstrap(c: &mut Criterion) {
    for n in [5usize, 30] {
        let values: Vec<f64> = (0..n)
            .map(|i| 1e6 + (i * 7919 % 101) as f64 * 1e3)
            .collect();
        let sample = Sample::new(values).expect("valid sample");
        c.bench_function(&format!("summarize_10k_resamples_n{n}"), |b| {
            b.iter(|| black_box(&sample).summarize(10_000, 1))
        });
    }
}

criterion_group!(benches, bootstrap);
criterion_main!(benches);
