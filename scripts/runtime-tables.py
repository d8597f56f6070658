#!/usr/bin/env python3
"""The tables a run with several runtimes is quoted by, read from its results
file (and the report `langbench report` wrote from it):

- the steady-state kernel time of each CPU workload, a row per implementation
  and runtime, with its ratio to Rust's on the same workload;
- the parallel speedup T(1)/T(W) per Python runtime (the other languages
  beside them, to show whether the machine ran workers in parallel then);
- the peak memory of the tasks workload per JavaScript and Python runtime;
- http-json and http-io requests/s per JavaScript runtime (the median of the
  rounds and its 95% interval);
- the CPU other work took while the programs ran, per suite;
- with --report, the report's "Verdicts per runtime" section as it is.

Usage:
  scripts/runtime-tables.py RESULTS.json [--report REPORT.md]
"""
import argparse
import json
import sys


def runtime(d, b):
    """The runtime's name and version: the language's default when none."""
    for t in d["toolchains"]:
        if t["lang"] == b["lang"] and t.get("runtime") == b.get("runtime"):
            version = t["version"].split(";")[0]
            version = version.replace("go version ", "").replace(" linux/amd64", "")
            version = version.split(" (")[0]
            for prefix in ("Python ", "deno ", "rustc "):
                version = version.removeprefix(prefix)
            return b.get("runtime") or b["lang"], version
    return b.get("runtime") or b["lang"], "?"


def folder(b):
    """The implementation folder: `node`, `python-threads`."""
    return b["lang"] + (f"-{b['variant']}" if b.get("variant") else "")


def impl(b):
    return folder(b) + (f"@{b['runtime']}" if b.get("runtime") else "")


def runtime_cell(d, b):
    """`bun 1.4.5`, `python 3.11.7`."""
    return " ".join(runtime(d, b))


def row_name(d, b):
    variant = f" ({b['variant']})" if b.get("variant") else ""
    return runtime_cell(d, b) + variant


def ms(ns):
    if ns >= 1e9:
        return f"{ns / 1e9:.2f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.1f} ms"
    return f"{ns / 1e3:.0f} µs"


def mib(b):
    return f"{b / 2**20:.0f} MiB"


def kernel(b):
    s = b.get("summary")
    return s["kernel_ns"]["median"] if s else None


def cpu_table(d):
    cpu = [b for b in d["benchmarks"] if not b.get("level")]
    workloads = sorted({b["workload"] for b in cpu})
    rust = {b["workload"]: kernel(b) for b in cpu if b["lang"] == "rust" and not b.get("variant")}
    rows = {}
    for b in cpu:
        rows.setdefault(row_name(d, b), {})[b["workload"]] = b
    print("Steady-state kernel time, median of the runs (ratio to Rust on the same workload):\n")
    print("| runtime | " + " | ".join(workloads) + " |")
    print("|---|" + "---:|" * len(workloads))
    for name, by in rows.items():
        cells = []
        for w in workloads:
            b = by.get(w)
            k = kernel(b) if b else None
            if b is None:
                cells.append("—")
            elif k is None:
                cells.append("failed")
            elif rust.get(w):
                cells.append(f"{ms(k)} ({k / rust[w]:.1f}x)")
            else:
                cells.append(ms(k))
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()


def levels(d, workload):
    by = {}
    for b in d["benchmarks"]:
        if b["workload"] == workload and b.get("level"):
            by.setdefault(impl(b), (b, {}))[1][b["level"]["value"]] = b
    return by


def parallel_table(d):
    by = levels(d, "parallel")
    if not by:
        return
    values = sorted({v for _, lv in by.values() for v in lv})
    print("Parallel (prime count), kernel time at W=1 and speedup T(1)/T(W):\n")
    print("| implementation | runtime | W=1 | " + " | ".join(f"W={v}" for v in values[1:]) + " |")
    print("|---|---|---:|" + "---:|" * (len(values) - 1))
    order = sorted(by, key=lambda n: (by[n][0]["lang"] != "python", n))
    for name in order:
        first, lv = by[name]
        base = kernel(lv[values[0]]) if values[0] in lv else None
        cells = [ms(base) if base else "failed"]
        for v in values[1:]:
            k = kernel(lv[v]) if v in lv else None
            cells.append(f"{base / k:.2f}x" if base and k else "—")
        print(f"| {folder(first)} | {runtime_cell(d, first)} | " + " | ".join(cells) + " |")
    print()


def tasks_table(d):
    by = levels(d, "tasks")
    if not by:
        return
    values = sorted({v for _, lv in by.values() for v in lv})
    print("Tasks, peak RSS (median of the runs) and kernel time at each number of tasks:\n")
    print("| implementation | runtime | " + " | ".join(f"N={v}" for v in values) + " |")
    print("|---|---|" + "---:|" * len(values))
    order = sorted(by, key=lambda n: (by[n][0]["lang"] not in ("node", "python"), by[n][0]["lang"], by[n][0].get("variant") or "", n))
    for name in order:
        first, lv = by[name]
        cells = []
        for v in values:
            b = lv.get(v)
            s = b.get("summary") if b else None
            if b is None:
                cells.append("—")
            elif s is None:
                kinds = {f["kind"] for f in b["failures"]}
                cells.append(", ".join(sorted(kinds)) or "not run")
            else:
                cells.append(f"{mib(s['max_rss_bytes']['median'])}, {ms(s['kernel_ns']['median'])}")
        print(f"| {folder(first)} | {runtime_cell(d, first)} | " + " | ".join(cells) + " |")
    print()


def http_table(d, scenario):
    servers = [s for s in d.get("servers", []) if s["scenario"] == scenario]
    if not servers:
        return
    values = sorted({l["connections"] for s in servers for l in s.get("level_rounds", [])})
    print(f"{scenario}, requests/s: median of the rounds [95% interval], * where the server was CPU-bound:\n")
    print("| server | runtime | " + " | ".join(f"c={v}" for v in values) + " |")
    print("|---|---|" + "---:|" * len(values))
    order = sorted(servers, key=lambda s: (s["lang"] != "node", s["lang"], s.get("variant") or "", s.get("runtime") or ""))
    for s in order:
        by = {l["connections"]: l for l in s.get("level_rounds", [])}
        cells = []
        for v in values:
            l = by.get(v)
            if l is None or not l.get("requests_per_sec"):
                cells.append("failed" if s["failures"] else "—")
                continue
            r = l["requests_per_sec"]
            mark = "*" if l.get("cpu_bound") else ""
            cells.append(f"{r['median']:.0f} [{r['ci_low']:.0f}, {r['ci_high']:.0f}]{mark}")
        print(f"| {folder(s)} | {runtime_cell(d, s)} | " + " | ".join(cells) + " |")
    print()


def others(d):
    sums = {}
    for b in d["benchmarks"]:
        suite = "concurrency" if b.get("level") else "cpu"
        for r in b["runs"]:
            if not r["warmup"] and r.get("others_cpu_ns") is not None:
                o, w = sums.get(suite, (0, 0))
                sums[suite] = (o + r["others_cpu_ns"], w + r["wall_ns"])
    if sums:
        text = ", ".join(f"{s} {o / w:.2f} CPUs" for s, (o, w) in sums.items() if w)
        print(f"Other work on the machine while the programs ran: {text}\n")


def matrix(report):
    text = open(report, encoding="utf-8").read()
    start = text.find("## Verdicts per runtime")
    if start < 0:
        print("(no Verdicts per runtime section in the report)")
        return
    end = text.find("\n## ", start + 3)
    print(text[start:end if end > 0 else None].strip() + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("results")
    p.add_argument("--report")
    a = p.parse_args()
    try:
        d = json.load(open(a.results, encoding="utf-8"))
    except (OSError, ValueError) as e:
        print(f"runtime-tables: cannot read {a.results}: {e}", file=sys.stderr)
        sys.exit(2)
    times = d.get("suite_wall_ms") or {}
    if times:
        print("Time per suite: " + ", ".join(f"{s} {t // 60000} min {t // 1000 % 60} s" for s, t in times.items()) + "\n")
    others(d)
    cpu_table(d)
    parallel_table(d)
    tasks_table(d)
    http_table(d, "http-json")
    http_table(d, "http-io")
    if a.report:
        matrix(a.report)


if __name__ == "__main__":
    main()
