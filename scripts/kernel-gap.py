#!/usr/bin/env python3
"""How far langbench's kernel time for the Rust workloads is from criterion's.

Prints a Markdown table: per CPU workload, criterion's in-process median time
of one `kernel(size)` call (with its 95% confidence interval), langbench's
median steady-state kernel time (the `summary.kernel_ns` of the Rust
benchmark: per run, the median of iterations 2..K, then the median over the
measured runs, with its 95% bootstrap interval) and the ratio
langbench / criterion.

The two inputs, at the same size (quick, default or full):

    LANGBENCH_BENCH_SIZE=default cargo bench --bench kernels
    cargo run --release -- run --suite cpu --lang rust --size default \\
        --no-report --out /tmp/rust-default.json
    python3 scripts/kernel-gap.py /tmp/rust-default.json

criterion's estimates are read from
`<criterion dir>/kernel/<workload>/<size>/new/estimates.json`, where the
criterion dir is `--criterion-dir`, else `$CRITERION_HOME`, else
`${CARGO_TARGET_DIR:-target}/criterion` of this checkout. A missing file,
or sizes that differ between the two sources, is an error: one line on
stderr, exit status 2.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class InputError(Exception):
    """Bad or missing input: reported in one line, exit status 2."""


def read_json(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise InputError(f"{what} '{path}' does not exist") from None
    except (OSError, ValueError) as e:
        raise InputError(f"cannot read {what} '{path}': {e}") from None


def default_criterion_dir():
    if os.environ.get("CRITERION_HOME"):
        return Path(os.environ["CRITERION_HOME"])
    target = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
    return target / "criterion"


def rust_benchmarks(results, path):
    """The Rust benchmarks of the cpu suite (no variant, no level), in file order."""
    benches = [
        b
        for b in results.get("benchmarks", [])
        if b.get("lang") == "rust" and not b.get("variant") and not b.get("level")
    ]
    if not benches:
        raise InputError(f"results '{path}' has no Rust benchmark of the cpu suite")
    return benches


def criterion_median(crit_dir, workload, size_name, size):
    """criterion's median (point, low, high, level) for `workload` at `size`."""
    bench_dir = crit_dir / "kernel" / workload
    estimates = bench_dir / str(size) / "new" / "estimates.json"
    hint = f"run LANGBENCH_BENCH_SIZE={size_name} cargo bench --bench kernels"
    if not bench_dir.is_dir():
        raise InputError(f"no criterion estimates for kernel/{workload} in '{crit_dir}' ({hint})")
    if not estimates.is_file():
        measured = sorted(
            (d.name for d in bench_dir.iterdir() if (d / "new" / "estimates.json").is_file()),
            key=lambda s: (len(s), s),
        )
        if measured:
            raise InputError(
                f"sizes differ for {workload}: criterion measured it at size "
                f"{', '.join(measured)}, the results file at {size_name} ({size}) ({hint})"
            )
        raise InputError(f"'{estimates}' does not exist ({hint})")
    median = read_json(estimates, "criterion estimates").get("median")
    try:
        ci = median["confidence_interval"]
        return (
            float(median["point_estimate"]),
            float(ci["lower_bound"]),
            float(ci["upper_bound"]),
            float(ci["confidence_level"]),
        )
    except (KeyError, TypeError, ValueError):
        raise InputError(f"'{estimates}' has no median estimate") from None


def langbench_median(bench, path):
    """langbench's steady-state kernel median (point, low, high) of one benchmark."""
    summary = bench.get("summary")
    if not summary:
        raise InputError(f"{bench['workload']}/rust in '{path}' has no summary (it failed)")
    k = summary["kernel_ns"]
    return float(k["median"]), float(k["ci_low"]), float(k["ci_high"]), summary["runs"]


def unit_for(ns):
    for scale, unit in ((1e9, "s"), (1e6, "ms"), (1e3, "µs")):
        if ns >= scale:
            return scale, unit
    return 1.0, "ns"


def fmt(point, low, high):
    """`10.39 ms [10.21, 10.52]`: the interval in the point's unit."""
    scale, unit = unit_for(point)

    def num(v):
        return f"{v / scale:.4g}"

    return f"{num(point)} {unit} [{num(low)}, {num(high)}]"


def table(results_path, crit_dir):
    results = read_json(results_path, "results")
    rows = []
    for b in rust_benchmarks(results, results_path):
        size_name, size = b["size_name"], b["size"]
        c_point, c_low, c_high, level = criterion_median(crit_dir, b["workload"], size_name, size)
        l_point, l_low, l_high, runs = langbench_median(b, results_path)
        if abs(level - 0.95) > 1e-9:
            raise InputError(f"criterion's interval for {b['workload']} is at {level:.0%}, not 95%")
        rows.append(
            f"| {b['workload']} | {size_name} ({size}) | {fmt(c_point, c_low, c_high)} "
            f"| {fmt(l_point, l_low, l_high)} ({runs} runs) | {l_point / c_point:.3f} |"
        )
    head = [
        "| workload | size | criterion median [95% CI] | langbench kernel median [95% CI] "
        "| langbench / criterion |",
        "|---|---|---:|---:|---:|",
    ]
    return "\n".join(head + rows)


def main():
    parser = argparse.ArgumentParser(
        description="Compare criterion's in-process Rust kernel times with langbench's."
    )
    parser.add_argument("results", type=Path, help="a langbench results file (JSON)")
    parser.add_argument(
        "--criterion-dir",
        type=Path,
        default=None,
        help="criterion's output folder (default: $CRITERION_HOME, else target/criterion)",
    )
    args = parser.parse_args()
    try:
        print(table(args.results, args.criterion_dir or default_criterion_dir()))
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
