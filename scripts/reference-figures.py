#!/usr/bin/env python3
"""The figures a reference run is quoted by, read from its results file:
each suite's wall time; per CPU workload and language, the steady-state
classes of the runs, the warm-up iterations and their time, and the
steady-state kernel time; per io level, every round's requests/s, the median
with its 95% bootstrap interval, the server's and the load generator's CPU
share (and busy share) and the marks; the parallel speedup at each worker
count, with each run's CPU time over its wall time. With --old-report, the
verdicts of an older REPORT.md beside this run's.

Usage:
  scripts/reference-figures.py RESULTS.json [--report REPORT.md --old-report OLD/REPORT.md]
"""
import argparse
import json
import re
import sys

ROW = re.compile(r"^\| \[([a-z0-9-]+)\]\(#[a-z0-9-]+\) \| .* \| \*\*([A-Z ]+)\*\* \|", re.M)


def impl(b):
    name = b["lang"] + (f"-{b['variant']}" if b.get("variant") else "")
    return name + (f"@{b['runtime']}" if b.get("runtime") else "")


def ms(ns):
    return f"{ns / 1e6:.2f} ms" if ns < 1e9 else f"{ns / 1e9:.3f} s"


def pct(x):
    return f"{100 * x:.0f}%"


def suites(d):
    times = d.get("suite_wall_ms") or {}
    if times:
        print("| suite | wall time |\n|---|---:|")
        for suite, t in times.items():
            print(f"| {suite} | {t // 60000} min {t // 1000 % 60} s |")
        print()


def cpu(d):
    print("| workload | implementation | classes of the runs | warm-up iterations (median, range) | warm-up time | steady kernel median |")
    print("|---|---|---|---|---:|---:|")
    for b in d["benchmarks"]:
        s = b.get("summary")
        if b.get("level") or not s:
            continue
        classes = ", ".join(f"{c['class']} {c['runs']}/{s['runs']}" for c in s.get("classes", [])) or "-"
        wi, wn = s.get("warmup_iterations"), s.get("warmup_ns")
        wit = f"{wi['median']:.0f} ({wi['min']:.0f}-{wi['max']:.0f})" if wi else "-"
        wtime = ms(wn["median"]) if wn else "-"
        print(f"| {b['workload']} | {impl(b)} | {classes} | {wit} | {wtime} | {ms(s['kernel_ns']['median'])} |")
    print()


def io(d):
    print("| scenario | implementation | c | rounds (req/s) | median [95% interval] | server CPU (busy) | generator CPU (busy) | marks |")
    print("|---|---|---:|---|---|---|---|---|")
    for s in d["servers"]:
        for lr in s.get("level_rounds", []):
            rounds = ", ".join(f"{r['report']['requests_per_sec']:.0f}" for r in lr["rounds"])
            e = lr["requests_per_sec"]
            marks = ", ".join(m for m, on in (("CPU-bound", lr.get("cpu_bound")), ("generator-bound", lr.get("generator_bound"))) if on) or "-"
            print(f"| {s['scenario']} | {impl(s)} | {lr['connections']} | {rounds} | {e['median']:.0f} [{e['ci_low']:.0f}, {e['ci_high']:.0f}] "
                  f"| {pct(lr['server_cpu_share'])} ({pct(lr['server_busy_share'])}) "
                  f"| {pct(lr['generator_cpu_share'])} ({pct(lr['generator_busy_share'])}) | {marks} |")
    print()


def speedups(d):
    by = {}
    for b in d["benchmarks"]:
        lv, s = b.get("level"), b.get("summary")
        if lv and lv["vary"] == "workers" and s:
            by.setdefault((b["workload"], impl(b)), {})[lv["value"]] = s["kernel_ns"]["median"]
    if not by:
        return
    print("| workload | implementation | speedup T(1)/T(W) at W = ... | CPU time / wall time of the runs at W = ... |\n|---|---|---|---|")
    for (w, name), levels in by.items():
        one = levels.get(1)
        cells = ", ".join(f"W={k}: {one / v:.2f}x" for k, v in sorted(levels.items()) if one and k > 1)
        shares = ", ".join(f"W={k}: {cpu_share(d, w, name, k)}" for k in sorted(levels))
        print(f"| {w} | {name} | {cells} | {shares} |")
    print()


def cpu_share(d, workload, name, level):
    """The CPU time over the wall time of each measured run at a level: a
    one-worker run below 1.0 lost its core to other work."""
    for b in d["benchmarks"]:
        lv = b.get("level")
        if b["workload"] == workload and impl(b) == name and lv and lv["value"] == level:
            runs = [r for r in b["runs"] if not r["warmup"] and r["wall_ns"]]
            return " ".join(f"{(r['user_ns'] + r['sys_ns']) / r['wall_ns']:.2f}" for r in runs)
    return "-"


def verdicts(path):
    with open(path) as f:
        return dict(ROW.findall(f.read()))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("--report", help="this run's REPORT.md")
    ap.add_argument("--old-report", help="an older REPORT.md to set the verdicts beside")
    args = ap.parse_args()
    with open(args.results) as f:
        d = json.load(f)
    print(f"{args.results}: started {d['started_at']}, git {((d.get('git') or {}).get('commit') or '?')[:7]}, "
          f"{d['machine'].get('cpu_model')} ({d['machine'].get('logical_cpus')} CPUs)\n")
    suites(d)
    cpu(d)
    io(d)
    speedups(d)
    if args.report and args.old_report:
        old, new = verdicts(args.old_report), verdicts(args.report)
        print("| claim | old | new |\n|---|---|---|")
        for claim in dict.fromkeys([*old, *new]):
            a, b = old.get(claim, "-"), new.get(claim, "-")
            print(f"| {claim} | {a} | {b}{' (changed)' if a != b else ''} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
