//! Criterion benchmarks of the Rust workload kernels, measured in-process.
//!
//! langbench times each kernel inside a freshly spawned workload binary
//! (`workloads/protocol/rust`); this bench calls the same library function,
//! `kernel(size) -> String`, many times in one process, so the two figures
//! can be set side by side (`scripts/kernel-gap.py`).
//!
//! The size comes from each workload's manifest, chosen by the environment
//! variable `LANGBENCH_BENCH_SIZE` (`quick`, `default` or `full`; default
//! `default`). Every kernel's result is checked once against the manifest's
//! expected result before it is measured.
//!
//! Each benchmark is `kernel/<workload>/<size>` with the numeric `--size`
//! value, so criterion keeps one history per size and writes its estimates to
//! `target/criterion/kernel/<workload>/<size>/new/estimates.json`.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use clap::ValueEnum;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use langbench::kinds::Size;
use langbench::workload::{self, Manifest, SizeSpec};

/// The environment variable naming the manifest size to measure.
const SIZE_VAR: &str = "LANGBENCH_BENCH_SIZE";

/// A workload's kernel: `kernel(size)` returns the canonical result.
type Kernel = fn(u64) -> String;

/// Every CPU workload with a Rust kernel: folder name and kernel.
const KERNELS: [(&str, Kernel); 5] = [
    ("binary-trees", wl_binary_trees::kernel),
    ("fannkuch-redux", wl_fannkuch_redux::kernel),
    ("json", wl_json::kernel),
    ("nbody", wl_nbody::kernel),
    ("spectral-norm", wl_spectral_norm::kernel),
];

/// The size name from `LANGBENCH_BENCH_SIZE`, `default` when unset.
fn size_name() -> Size {
    let name = std::env::var(SIZE_VAR).unwrap_or_else(|_| "default".to_string());
    Size::from_str(&name, false).unwrap_or_else(|_| {
        let names: Vec<&str> = Size::ALL.iter().map(|s| s.name()).collect();
        panic!("{SIZE_VAR}='{name}': expected one of {}", names.join(", "))
    })
}

/// The manifest's spec of size `size_name` for `workload`, read with
/// langbench's own (validating) manifest loader.
fn size_spec(workload: &str, size_name: Size) -> SizeSpec {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("workloads")
        .join(workload);
    match workload::load(&dir) {
        Ok(Manifest::Cpu(w)) => w
            .size(size_name)
            .unwrap_or_else(|| panic!("{workload}: the manifest has no size '{size_name}'"))
            .clone(),
        Ok(_) => panic!("{workload}: not a cpu workload"),
        Err(e) => panic!("{workload}: {e:#}"),
    }
}

/// Runs `kernel` once and panics unless it returns the manifest's result.
fn check(workload: &str, size_name: Size, kernel: Kernel, spec: &SizeSpec) {
    let got = kernel(spec.size);
    assert!(
        got == spec.expected,
        "{workload} at size {size_name} ({}): kernel returned '{got}', the manifest expects '{}'",
        spec.size,
        spec.expected
    );
}

fn kernels(c: &mut Criterion) {
    let size_name = size_name();
    let mut group = c.benchmark_group("kernel");
    // One call takes milliseconds to seconds: every sample runs the same
    // number of calls instead of criterion's linear ramp.
    group.sampling_mode(SamplingMode::Flat);
    for (name, kernel) in KERNELS {
        let spec = size_spec(name, size_name);
        check(name, size_name, kernel, &spec);
        group.bench_with_input(BenchmarkId::new(name, spec.size), &spec.size, |b, &n| {
            b.iter(|| kernel(black_box(n)))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Ten samples over five seconds: the five kernels at the default size
    // finish in about a minute on two cores. Command-line flags
    // (`--measurement-time`, `--sample-size`) override these.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5));
    targets = kernels
}
criterion_main!(benches);
