#!/usr/bin/env python3
"""How sensitive and how trustworthy is `langbench compare` on this machine?

Two experiments, each printing a Markdown table:

  false   N quick runs of unchanged code (`run --quick`, every suite by
          default), every pair compared (earlier run as BASE) at the default
          threshold: how many benchmarks each pair calls regressed.
  inject  the `slowdown` fixture workload (tests/fixtures/slowdown), whose
          kernel does P% more work when LANGBENCH_FIXTURE_SLOWDOWN_PCT=P, in
          the languages of --lang (default python; node, python, go, rust or a
          comma-separated list): for each trial, one run at 0% and one at each
          P, interleaved, and the P run compared with the 0% run of its trial:
          how often each language's benchmark is flagged, the measured change,
          and the smallest P flagged in every trial. P may be a decimal (0.5).
          With --measure instructions each run is a count under cachegrind
          (`run --measure instructions`, --count-runs repeats) compared on
          instructions per iteration at compare's default threshold for a
          count (1%) unless --threshold is given.

Usage (from the repository, release binary built):
  scripts/regression-sensitivity.py false  --runs 5 [--suite all] [--thresholds 5,10,20] [--dir DIR [--reuse]]
  scripts/regression-sensitivity.py inject --trials 5 [--lang python] [--pcts 5,10,20] [--inject-runs 3] [--threshold 5] [--dir DIR]
  scripts/regression-sensitivity.py inject --measure instructions --lang node,python,go,rust \
                                           --pcts 0.5,1,2,5 --trials 5 [--count-runs 1] [--dir DIR]
"""
import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "langbench")


def langbench(*args, env=None):
    return subprocess.run([BIN, *args], cwd=ROOT, env=env, capture_output=True, text=True)


def compared(base, new, metric="kernel_time", threshold=5.0):
    """Runs compare in JSON (at compare's default threshold when `threshold`
    is None); returns its benchmarks."""
    limit = [] if threshold is None else ["--threshold", str(threshold)]
    out = langbench("compare", base, new, "--metric", metric, *limit, "--format", "json")
    if out.returncode not in (0, 1):
        sys.exit(f"compare {base} {new} failed: {out.stderr.strip()}")
    return json.loads(out.stdout)["benchmarks"]


def compare(base, new, metric="kernel_time", threshold=5.0):
    """Runs compare; returns (regressed names, number of benchmarks)."""
    benchmarks = compared(base, new, metric, threshold)
    bad = [b["name"] for b in benchmarks if b["verdict"] == "regressed"]
    return bad, len(benchmarks)


def false_alarms(args, work):
    files = []
    for i in range(args.runs):
        path = os.path.join(work, f"unchanged-{i + 1}.json")
        if args.reuse and os.path.exists(path):
            files.append(path)
            continue
        out = langbench("-q", "run", "--quick", "--suite", args.suite, "--no-report", "--out", path)
        if out.returncode != 0:
            sys.exit(f"run {i + 1} failed: {out.stdout[-2000:]}{out.stderr[-2000:]}")
        files.append(path)
        print(f"run {i + 1} of {args.runs} done", file=sys.stderr)
    thresholds = [float(t) for t in args.thresholds.split(",")]
    pairs = list(itertools.combinations(enumerate(files, 1), 2))
    print("| pair | metric | threshold | benchmarks | regressed | which |\n|---|---|---:|---:|---:|---|")
    totals = {}
    for (i, a), (j, b) in pairs:
        for metric in ("kernel_time", "requests_per_second"):
            for t in thresholds:
                bad, n = compare(a, b, metric, t)
                total = totals.setdefault((metric, t), [0, 0, 0])
                total[0] += n
                total[1] += len(bad)
                total[2] += 1 if bad else 0
                print(f"| {i} vs {j} | {metric} | {t:g}% | {n} | {len(bad)} | {', '.join(bad)} |")
    print("\n| metric | threshold | false regressions | pairs with at least one |\n|---|---:|---:|---:|")
    for (metric, t), (n, bad, with_one) in totals.items():
        print(f"| {metric} | {t:g}% | {bad} of {n} | {with_one} of {len(pairs)} |")


def injected(args, work):
    workloads = os.path.join(work, "workloads")
    # The Go and Rust folders build in any copy (a module and a workspace of
    # their own); a target/ left by a build in place is not copied.
    shutil.copytree(os.path.join(ROOT, "tests", "fixtures", "slowdown"),
                    os.path.join(workloads, "slowdown"), ignore=shutil.ignore_patterns("target"))
    pcts = [float(p) for p in args.pcts.split(",")]
    counting = args.measure == "instructions"
    if counting:
        measure = ["--measure", "instructions", "--count-runs", str(args.count_runs)]
        metric, threshold = "instructions", args.threshold
    else:
        measure = ["--runs", str(args.inject_runs)]
        metric, threshold = "kernel_time", 5.0 if args.threshold is None else args.threshold
    # (benchmark name, P) -> [times flagged, measured ratios]
    seen = {}
    for trial in range(1, args.trials + 1):
        files = {}
        for p in [0] + pcts:
            env = dict(os.environ, LANGBENCH_FIXTURE_SLOWDOWN_PCT=f"{p:g}")
            path = os.path.join(work, f"t{trial}-p{p:g}.json")
            out = langbench("-q", "--workloads-dir", workloads, "run", "--quick", "-l", args.lang,
                            *measure, "--no-report", "--out", path, env=env)
            if out.returncode != 0:
                sys.exit(f"trial {trial} at {p:g}% failed: {out.stdout[-2000:]}{out.stderr[-2000:]}")
            files[p] = path
        for p in pcts:
            for b in compared(files[0], files[p], metric, threshold):
                entry = seen.setdefault((b["name"], p), [0, []])
                entry[0] += 1 if b["verdict"] == "regressed" else 0
                entry[1].append(b["ratio"])
        print(f"trial {trial} of {args.trials} done", file=sys.stderr)
    shown_threshold = "compare's default (1%)" if threshold is None else f"{threshold:g}%"
    print(f"Metric {metric}, threshold {shown_threshold}, {args.trials} trials.\n")
    print("| benchmark | injected slowdown | flagged | measured change (min .. max) | measured ratios |"
          "\n|---|---:|---:|---:|---|")
    for (name, p), (flagged, ratios) in sorted(seen.items()):
        shown = ", ".join(f"{r:.4f}" for r in ratios)
        change = f"{(min(ratios) - 1) * 100:+.2f}% .. {(max(ratios) - 1) * 100:+.2f}%"
        print(f"| {name} | {p:g}% | {flagged} of {args.trials} | {change} | {shown} |")
    print("\n| benchmark | smallest slowdown flagged in every trial |\n|---|---:|")
    for name in sorted({name for name, _ in seen}):
        always = [p for p in pcts if seen.get((name, p), [0])[0] == args.trials]
        print(f"| {name} | {f'{min(always):g}%' if always else 'none'} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("experiment", choices=["false", "inject"])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--suite", default="all")
    ap.add_argument("--thresholds", default="5,10,20",
                    help="false: the thresholds to compare at, in percent")
    ap.add_argument("--threshold", type=float,
                    help="inject: the threshold to compare at, in percent (default 5 on time, "
                         "compare's default of 1 on instructions)")
    ap.add_argument("--trials", type=int, default=5)
    ap.add_argument("--pcts", default="5,10,20")
    ap.add_argument("--lang", default="python",
                    help="inject: the languages to run the fixture in, passed to `run -l` "
                         "(node, python, go, rust, comma-separated; default python)")
    ap.add_argument("--inject-runs", type=int, default=3,
                    help="measured runs per inject run (default 3, as --quick)")
    ap.add_argument("--measure", choices=["time", "instructions"], default="time",
                    help="inject: time the fixture (default) or count its instructions under cachegrind")
    ap.add_argument("--count-runs", type=int, default=1,
                    help="inject --measure instructions: repeats of each count (default 1, as --quick)")
    ap.add_argument("--dir", help="keep the results files here (default: a temporary folder)")
    ap.add_argument("--reuse", action="store_true",
                    help="false: take the unchanged-N.json files already in --dir instead of running")
    args = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} is missing: run `cargo build --release` first")
    work = args.dir or tempfile.mkdtemp(prefix="langbench-sensitivity-")
    os.makedirs(work, exist_ok=True)
    (false_alarms if args.experiment == "false" else injected)(args, work)


if __name__ == "__main__":
    main()
