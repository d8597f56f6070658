#!/usr/bin/env python3
"""How repeatable, how costly and how close to time are the counts of
`langbench run --measure instructions`, on this machine?

Six experiments, each printing Markdown tables (progress goes to stderr):

  spread   N quick count runs of the whole suite (`run --quick --measure
           instructions --count-runs 1`), run --loaded (default the last) with
           langbench pinned to CPU 0 (`taskset -c 0`, `--jobs 1`) and a busy
           loop pinned to CPU 1 for the whole run, the others with the default
           jobs. Per benchmark: the median over the N files of instructions
           and estimated cycles per iteration, their spread ((max - min) /
           median, in percent), the K1..K2 each run used, and whether the
           spread meets the runtime's goal (0 for Rust and Python, under 0.1%
           for Node, under 0.5% for Go); max - min is the instructions per
           iteration between the highest and lowest run, and the loaded run's
           distance from the median shows whether load moves a count. The
           files stay in --dir as count-1.json .. count-N.json, with
           runs.json (wall time, load).
  false    every pair of the count-*.json files in --dir (earlier as BASE)
           compared with `langbench compare` at its default threshold (1% on a
           count), on instructions and on estimated_cycles: how many
           benchmarks each pair calls regressed or improved (goal: none).
  vs-time  one run that times and counts the CPU suite and `parallel`
           (`run --measure time,instructions`, quick unless --size default):
           per workload and implementation, instructions, estimated cycles and
           kernel time per iteration, each relative to Rust's.
  wall     the wall time of one quick count run with the default settings
           (`run --quick --measure instructions --no-report`), with the load
           average before and after, and per language the valgrind time of a
           benchmark's runs (median) and its sum (`Determinism::typical_secs`
           comes from these medians).
  place    whether a count depends on where and how it is run: one quick
           count run from this repository, and one from a clone of its HEAD
           at a path of another length (--dir/ccc...c, 80 characters), started
           from another working folder with variables added to the
           environment (NODE_EXTRA_CA_CERTS, a PATH twice as long). Per
           benchmark: both counts and their difference, and what `langbench
           compare` calls the pair (goal: unchanged, within 0.1%).
  busy     whether load moves one workload's counts (default parallel, the
           Python implementations): --runs quick count runs of it on the
           machine as it is, then --runs with --busy busy loops running beside it (not
           pinned: the load average climbs to about that many); "as is" is
           whatever else the machine runs, its load average printed. Per run and
           implementation: the load average, the whole-process counts at K1
           and K2 and the instructions per iteration; per implementation the
           spread of each setting and the busy median against the as-is one.

LANGBENCH=PATH runs that binary instead of target/release/langbench (a copy
keeps all runs on one build). The counted programs see a fixed environment
and run from a copy in a stage folder (`runner::cachegrind::stage`), so the
caller's shell and the checkout's path do not move the counts (`place`
measures it).

Usage (from the repository, after `cargo build --release` and `langbench build`):
  scripts/instruction-counts.py spread  --dir DIR [--runs 5] [--loaded 5] [--reuse]
  scripts/instruction-counts.py false   --dir DIR
  scripts/instruction-counts.py vs-time --dir DIR [--size quick|default] [--reuse]
  scripts/instruction-counts.py wall    --dir DIR
  scripts/instruction-counts.py place   --dir DIR
  scripts/instruction-counts.py busy    --dir DIR [--runs 3] [--busy 8] [--workload parallel] [--lang python]
"""
import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# LANGBENCH=path runs another binary: a copy keeps every run of an experiment on one
# build while target/release is rebuilt.
BIN = os.environ.get("LANGBENCH") or os.path.join(ROOT, "target", "release", "langbench")
CPU_WORKLOADS = ["binary-trees", "fannkuch-redux", "json", "nbody", "spectral-norm"]
# The spread each runtime should stay under, in percent (Rust and Python: none at all).
GOALS = {"rust": 0.0, "python": 0.0, "node": 0.1, "go": 0.5}
METRICS = ["instructions", "estimated_cycles"]


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def langbench(args, prefix=(), what="run"):
    """Runs langbench (after `prefix`, e.g. taskset); exits on failure; returns
    (wall seconds, load average before, load average after)."""
    before, start = loadavg(), time.monotonic()
    out = subprocess.run([*prefix, BIN, *args], cwd=ROOT, capture_output=True, text=True)
    wall = time.monotonic() - start
    if out.returncode != 0:
        sys.exit(f"{what} failed ({out.returncode}): {out.stdout[-2000:]}{out.stderr[-2000:]}")
    return wall, before, loadavg()


def implementation(b):
    return b["lang"] + (f"-{b['variant']}" if b.get("variant") else "")


def counted(path):
    """(workload, implementation) -> the benchmark's counting, of one results file."""
    with open(path) as f:
        benchmarks = json.load(f)["benchmarks"]
    return {(b["workload"], implementation(b)): b for b in benchmarks if b.get("counting")}


def per_iteration(counting, metric):
    """The median of a benchmark's repeats of `metric` per iteration."""
    return statistics.median(r[metric] for r in counting["repeats"])


def spread_pct(values):
    median = statistics.median(values)
    return (max(values) - min(values)) / median * 100 if median > 0 else 0.0


def shown_pct(pct):
    return "0" if pct == 0 else f"{pct:.4f}%"


def si(value):
    for factor, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= factor:
            return f"{value / factor:.4f} {suffix}"
    return f"{value:.1f}"


def off_median(tables, key, loaded):
    """How far the loaded run's instructions per iteration are from the median
    of all runs, in percent ('-' when no run was loaded or it lacks the key)."""
    if not 1 <= loaded <= len(tables) or key not in tables[loaded - 1]:
        return "-"
    values = [per_iteration(t[key]["counting"], "instructions") for t in tables if key in t]
    median = statistics.median(values)
    value = per_iteration(tables[loaded - 1][key]["counting"], "instructions")
    return f"{(value - median) / median * 100:+.4f}%"


def spread(args):
    files, log = [], os.path.join(args.dir, "runs.json")
    runs = json.load(open(log)) if args.reuse and os.path.exists(log) else {}
    for i in range(1, args.runs + 1):
        path = os.path.join(args.dir, f"count-{i}.json")
        files.append(path)
        if args.reuse and os.path.exists(path):
            continue
        loaded = i == args.loaded
        cmd = ["-q", "run", "--quick", "--measure", "instructions", "--count-runs", "1",
               "--no-report", "--out", path]
        busy = None
        if loaded:
            # The other core fully busy for the whole run; langbench and every
            # valgrind it starts share core 0.
            busy = subprocess.Popen(["taskset", "-c", "1", "sh", "-c", "while :; do :; done"])
            cmd += ["--jobs", "1"]
        try:
            wall, before, after = langbench(cmd, ["taskset", "-c", "0"] if loaded else [],
                                            f"count run {i}")
        finally:
            if busy:
                busy.kill()
                busy.wait()
        runs[str(i)] = {"loaded": loaded, "wall_s": wall, "load_before": before, "load_after": after}
        with open(log, "w") as f:
            json.dump(runs, f, indent=1)
        print(f"count run {i} of {args.runs} done in {wall:.0f} s", file=sys.stderr)

    print("| run | setting | wall time | load average before | after |\n|---:|---|---:|---|---|")
    for i in range(1, args.runs + 1):
        r = runs.get(str(i))
        if r is None:
            print(f"| {i} | (reused, not logged) | | | |")
            continue
        setting = ("loaded: taskset -c 0, --jobs 1, busy loop on CPU 1" if r["loaded"]
                   else "default jobs")
        print(f"| {i} | {setting} | {r['wall_s']:.0f} s | {r['load_before']} | {r['load_after']} |")

    tables = [counted(p) for p in files]
    keys = sorted(set().union(*tables))
    print("\n| workload | implementation | K1..K2 per run | instructions / iter (median) | spread "
          "| max - min | loaded run vs median | est. cycles / iter (median) | spread | goal | met |"
          "\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    missed = []
    for key in keys:
        present = [t[key] for t in tables if key in t]
        windows = [f"{b['counting']['k1']}..{b['counting']['k2']}" for b in present]
        window = windows[0] if len(set(windows)) == 1 else ", ".join(windows)
        values = {m: [per_iteration(b["counting"], m) for b in present] for m in METRICS}
        spreads = {m: spread_pct(values[m]) for m in METRICS}
        lang = present[0]["lang"]
        goal = GOALS[lang]
        met = all((s == 0 if goal == 0 else s < goal) for s in spreads.values())
        runs_note = "" if len(present) == len(tables) else f" ({len(present)} of {len(tables)} runs)"
        if not met:
            missed.append(f"{key[0]}/{key[1]}")
        print(f"| {key[0]} | {key[1]}{runs_note} | {window} "
              f"| {si(statistics.median(values['instructions']))} | {shown_pct(spreads['instructions'])} "
              f"| {max(values['instructions']) - min(values['instructions']):,.1f} "
              f"| {off_median(tables, key, args.loaded)} "
              f"| {si(statistics.median(values['estimated_cycles']))} "
              f"| {shown_pct(spreads['estimated_cycles'])} "
              f"| {'0' if goal == 0 else f'< {goal:g}%'} | {'yes' if met else 'no'} |")
    print(f"\n{len(keys) - len(missed)} of {len(keys)} benchmarks meet the goal"
          + (f"; missed: {', '.join(missed)}" if missed else ""))


def compare(base, new, metric):
    out = subprocess.run([BIN, "compare", base, new, "--metric", metric, "--format", "json"],
                         cwd=ROOT, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"compare {base} {new} failed: {out.stderr.strip()}")
    return json.loads(out.stdout)


def flagged(out):
    """The names of the benchmarks a `compare --format json` output calls
    regressed and improved."""
    return {v: [x["name"] for x in out["benchmarks"] if x["verdict"] == v]
            for v in ("regressed", "improved")}


def false_alarms(args):
    files = sorted((f for f in os.listdir(args.dir) if f.startswith("count-") and f.endswith(".json")),
                   key=lambda f: int(f[len("count-"):-len(".json")]))
    if len(files) < 2:
        sys.exit(f"fewer than two count-N.json files in {args.dir}: run `spread` first")
    totals = {m: [0, 0, 0] for m in METRICS}
    print("| pair | metric | threshold | benchmarks | regressed | improved | which |"
          "\n|---|---|---:|---:|---:|---:|---|")
    for (i, a), (j, b) in itertools.combinations(enumerate(files, 1), 2):
        for metric in METRICS:
            out = compare(os.path.join(args.dir, a), os.path.join(args.dir, b), metric)
            verdicts = flagged(out)
            n = len(out["benchmarks"])
            totals[metric][0] += n
            totals[metric][1] += len(verdicts["regressed"])
            totals[metric][2] += len(verdicts["improved"])
            which = [f"{name} ({verdict})" for verdict, names in verdicts.items() for name in names]
            which += [f"{name} (only in {side})" for side in ("base", "new")
                      for name in out[f"only_in_{side}"]]
            which = ", ".join(which)
            print(f"| {i} vs {j} | {metric} | {out['threshold_pct']:g}% | {n} "
                  f"| {len(verdicts['regressed'])} | {len(verdicts['improved'])} | {which} |")
    print("\n| metric | comparisons | regressed | improved |\n|---|---:|---:|---:|")
    for metric, (n, regressed, improved) in totals.items():
        print(f"| {metric} | {n} | {regressed} | {improved} |")


def versus_time(args):
    path = os.path.join(args.dir, f"time-and-count-{args.size}.json")
    if not (args.reuse and os.path.exists(path)):
        wall, before, after = langbench(
            ["-q", "run", "--size", args.size, "--measure", "time,instructions",
             "-w", ",".join(CPU_WORKLOADS + ["parallel"]), "--count-runs", "1",
             "--no-report", "--out", path], what="time and count run")
        print(f"Run at the {args.size} size: {wall:.0f} s, load average {before} before, "
              f"{after} after.\n")
    with open(path) as f:
        benchmarks = json.load(f)["benchmarks"]
    rows = {}
    for b in benchmarks:
        if not b.get("counting") or not b["counting"]["repeats"]:
            continue
        kernel = (b.get("summary") or {}).get("kernel_ns", {}).get("median")
        rows.setdefault(b["workload"], {})[implementation(b)] = (
            per_iteration(b["counting"], "instructions"),
            per_iteration(b["counting"], "estimated_cycles"),
            kernel)
    print("| workload | implementation | instructions / iter | x Rust | est. cycles x Rust "
          "| kernel time / iter | x Rust |\n|---|---|---:|---:|---:|---:|---:|")
    for workload in sorted(rows):
        row = rows[workload]
        rust = row.get("rust")
        for imp, (ins, cyc, ns) in sorted(row.items(), key=lambda kv: kv[1][0]):
            ratio = (lambda v, r: f"{v / r:.2f}" if v is not None and r else "-")
            shown_ns = f"{ns / 1e6:.3f} ms" if ns is not None else "-"
            print(f"| {workload} | {imp} | {si(ins)} | {ratio(ins, rust and rust[0])} "
                  f"| {ratio(cyc, rust and rust[1])} | {shown_ns} | {ratio(ns, rust and rust[2])} |")


def wall(args):
    path = os.path.join(args.dir, "wall.json")
    seconds, before, after = langbench(
        ["-q", "run", "--quick", "--measure", "instructions", "--no-report", "--out", path],
        what="count run")
    print("| command | wall time | load average before | after | CPUs |\n|---|---:|---|---|---:|")
    print(f"| `langbench run --quick --measure instructions --no-report` | {seconds:.0f} s "
          f"| {before} | {after} | {os.cpu_count()} |")
    # Where the time goes: the valgrind wall time of each benchmark's runs, by language.
    by_lang = {}
    for b in counted(path).values():
        seconds_b = sum(r["wall_ns"] for r in b["counting"]["repeats"]) / 1e9
        by_lang.setdefault(b["lang"], []).append(seconds_b)
    print("\n| language | benchmarks | valgrind time, median a benchmark | sum |\n|---|---:|---:|---:|")
    for lang, values in sorted(by_lang.items(), key=lambda kv: -sum(kv[1])):
        print(f"| {lang} | {len(values)} | {statistics.median(values):.1f} s | {sum(values):.0f} s |")
    total = sum(sum(v) for v in by_lang.values())
    print(f"| all | {sum(len(v) for v in by_lang.values())} | | {total:.0f} s |")


def place(args):
    here = os.path.join(args.dir, "place-here.json")
    there = os.path.join(args.dir, "place-there.json")
    clone = os.path.join(os.path.abspath(args.dir), "c" * 80)
    if not os.path.isdir(clone):
        subprocess.run(["git", "clone", "-q", ROOT, clone], check=True)
    count = ["-q", "run", "--quick", "--measure", "instructions", "--count-runs", "1", "--no-report"]
    print("counting from the repository ...", file=sys.stderr, flush=True)
    langbench([*count, "--out", here], what="count run here")
    env = dict(os.environ)
    env["NODE_EXTRA_CA_CERTS"] = "/etc/ssl/certs/ca-certificates.crt"
    env["PATH"] = env.get("PATH", "") + ":" + env.get("PATH", "")
    print(f"counting from {clone} ...", file=sys.stderr, flush=True)
    out = subprocess.run([BIN, "--workloads-dir", os.path.join(clone, "workloads"), *count,
                          "--out", os.path.abspath(there)], cwd="/", env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"count run there failed ({out.returncode}): {out.stderr[-2000:]}")
    a, b = counted(here), counted(there)
    print("| workload | implementation | here | there | difference |\n|---|---|---:|---:|---:|")
    worst = 0.0
    for key in sorted(a):
        if key not in b:
            print(f"| {key[0]} | {key[1]} | {si(per_iteration(a[key]['counting'], 'instructions'))} | missing | |")
            continue
        x = per_iteration(a[key]["counting"], "instructions")
        y = per_iteration(b[key]["counting"], "instructions")
        diff = (y - x) / x * 100
        worst = max(worst, abs(diff))
        print(f"| {key[0]} | {key[1]} | {si(x)} | {si(y)} | {diff:+.4f}% |")
    out = compare(here, there, "instructions")
    verdicts = flagged(out)
    print(f"\nlargest difference {worst:.4f}%; langbench compare: "
          f"{len(verdicts['regressed'])} regressed, {len(verdicts['improved'])} improved "
          f"of {len(out['benchmarks'])}")


def busy(args):
    rows = []
    for setting in ("as is", "busy"):
        loops = []
        if setting == "busy":
            loops = [subprocess.Popen(["sh", "-c", "while :; do :; done"]) for _ in range(args.busy)]
            time.sleep(5)
        try:
            for i in range(1, args.runs + 1):
                path = os.path.join(args.dir, f"busy-{setting.replace(' ', '')}-{i}.json")
                load = loadavg()
                langbench(["-q", "run", "--quick", "--measure", "instructions", "--count-runs", "1",
                           "--workload", args.workload, "--lang", args.lang, "--no-report",
                           "--out", path], what=f"{setting} count run {i}")
                for key, b in sorted(counted(path).items()):
                    c = b["counting"]
                    r = c["repeats"][0]
                    rows.append((setting, i, load, key, c["k1"], c["k2"], r["low"]["ir"],
                                 r["high"]["ir"], r["instructions"]))
                print(f"{setting} count run {i} of {args.runs} done", file=sys.stderr, flush=True)
        finally:
            for p in loops:
                p.kill()
                p.wait()
    print("| setting | run | load average | implementation | K1..K2 | Ir at K1 | Ir at K2 "
          "| instructions / iter |\n|---|---:|---|---|---|---:|---:|---:|")
    for setting, i, load, key, k1, k2, low, high, per in rows:
        print(f"| {setting} | {i} | {load} | {key[0]}/{key[1]} | {k1}..{k2} | {low:,} | {high:,} "
              f"| {per:,.0f} |")
    print("\n| implementation | spread as is | spread busy | busy median vs as-is median |"
          "\n|---|---:|---:|---:|")
    for key in sorted({r[3] for r in rows}):
        as_is = [r[8] for r in rows if r[3] == key and r[0] == "as is"]
        loaded = [r[8] for r in rows if r[3] == key and r[0] == "busy"]
        diff = (statistics.median(loaded) - statistics.median(as_is)) / statistics.median(as_is) * 100
        print(f"| {key[0]}/{key[1]} | {shown_pct(spread_pct(as_is))} | {shown_pct(spread_pct(loaded))} "
              f"| {diff:+.4f}% |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("experiment", choices=["spread", "false", "vs-time", "wall", "place", "busy"])
    ap.add_argument("--dir", required=True, help="the folder the results files go to (and are read from)")
    ap.add_argument("--runs", type=int, default=None,
                    help="spread: count runs (default 5); busy: runs per setting (default 3)")
    ap.add_argument("--busy", type=int, default=8, help="busy: busy loops beside the busy runs (default 8)")
    ap.add_argument("--workload", default="parallel", help="busy: the workload (default parallel)")
    ap.add_argument("--lang", default="python", help="busy: the language (default python)")
    ap.add_argument("--loaded", type=int, default=None,
                    help="spread: the run made with the other core busy (default the last; 0: none)")
    ap.add_argument("--reuse", action="store_true",
                    help="spread, vs-time: take the files already in --dir instead of running")
    ap.add_argument("--size", choices=["quick", "default"], default="quick",
                    help="vs-time: the problem size (default quick)")
    args = ap.parse_args()
    if args.runs is None:
        args.runs = 3 if args.experiment == "busy" else 5
    if args.loaded is None:
        args.loaded = args.runs
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} is missing: run `cargo build --release` first")
    os.makedirs(args.dir, exist_ok=True)
    experiments = {"spread": spread, "false": false_alarms, "vs-time": versus_time, "wall": wall,
                   "place": place, "busy": busy}
    experiments[args.experiment](args)


if __name__ == "__main__":
    main()
