#!/usr/bin/env python3
"""How deterministic are instruction counts under cachegrind, per workload and language?

For each CPU workload (and `parallel` at `--workers 1`) x implementation, runs the
quick size (from workloads/<w>/manifest.json) under cachegrind at K1 and K2
iterations, R times, and prints a Markdown table: instructions (Ir) per iteration,
(count(K2) - count(K1)) / (K2 - K1), as the median over the R pairs of runs; their
spread, (max - min) / median in percent; the estimated cycles per iteration
(Gungraun's formula: L1 hits + 5 x LL hits + 35 x RAM hits) and its spread; and the
wall time of the valgrind runs. Every run's stdout is checked against the manifest's
expected result. It builds nothing: run `cargo run --release -- build` first.

The command of each run is the one `runner::cachegrind` builds (setarch -R, so no
ASLR; a fixed simulated cache, so the same counts on any host) around the argv
langbench runs (`lang::build::prepare`): the Rust binary target/workload/wl-<w>, the
Go binary target/langbench/go/<w>, or the real Python interpreter (not a pyenv shim:
under valgrind a shell-script shim would be measured instead) or `node` with
workloads/<w>/<lang>/main.py|main.js. The determinism settings (SETTINGS below, the
same as `runner::cachegrind`, a unit test there holds the two together) add env
vars and interpreter flags; `--no-settings` leaves them out, to show what they buy.
As langbench does (`runner::cachegrind::stage`), each run starts in a folder
/tmp/lbc-XXXXXXXX holding a copy of the program (the implementation folder and
protocol/, or the binary), with only BASE_ENV and the settings in its environment,
since a runtime's counts move with the length of the paths it sees and with
inherited variables (Node parses the bundle NODE_EXTRA_CA_CERTS names, 400M
instructions). A program that forks (python-processes) is followed by valgrind without
--trace-children (that flag is for exec); each process writes its own file
(`%p` in the name) and the counts are the sum over the processes.

Why K1 and K2 differ by language (SETTINGS' "k", `--k1`/`--k2` override them for
all): the difference of two whole-process counts removes start-up and the first K1
iterations, so K1 must pass the one-off work. Python, Go and Rust do it before or in
the first iteration (imports, CPython's quickening, the Go runtime's start): K1=2,
K2=4 for Go and Rust; CPython K1=1, K2=2 (one iteration fewer per run halves the
cost of its large kernels under valgrind; at (1,2) against (2,4): binary-trees
377.1M against 380.3M, json 212.4M against 212.8M, fannkuch-redux 66.25M against
66.28M, each exactly repeatable). Node compiles on the main thread under --single-threaded, tier by tier as
functions get hot, and at the quick sizes that takes several iterations. Ir per iteration at (2,4), (4,8), (8,16), with
CodSpeed's --predictable-gc-schedule --no-concurrent-sweeping added (without them:
the same picture, within 0.02% run to run either way): nbody 12.0M, 1.26M, 1.25M;
json 130M, 65.8M, 65.8M; parallel -, 89.1M, 88.9M; spectral-norm -, 14.3M, 14.6M.
(2,4) counts compilation (10x on nbody); from 4 on the figures agree within 2%.
binary-trees moves with the window (21.2M, 23.7M, 15.9M): V8's major collections
fall into some windows and not others, and a wider window averages more of them.
Node's start-up (about 600M instructions) dominates the valgrind time at the quick
sizes, so (8,16) costs little more than (4,8): 91-142 s against 97-138 s for three
pairs of runs. Node: K1=8, K2=16. Python at (4,8) agrees with (2,4) within 0.5%.
langbench itself also widens K2 when the window holds fewer than 100M instructions
(500M for Go); this script keeps the K1, K2 it is given.

Usage (from the repository, after `cargo run --release -- build`):
  scripts/instruction-spread.py [-w nbody -w json] [-l node -l go] [--k1 K1] [--k2 K2]
                                [--runs 3] [--no-settings] [--in-place] [--node-flags "..."]
                                [--timeout 900]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKLOADS = ["binary-trees", "fannkuch-redux", "json", "nbody", "spectral-norm", "parallel"]
LANGS = ["node", "python", "go", "rust"]

# Kept equal to lang::Lang::determinism (tests/cli/cachegrind.rs reads these lines).
SETTINGS = {
    "python": {"env": {"PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}, "flags": [], "k": [1, 2]},
    "node": {
        "env": {},
        "flags": ["--single-threaded", "--predictable", "--hash-seed=1", "--random-seed=1"],
        "k": [8, 16],
    },
    "go": {
        "env": {"GOMAXPROCS": "1", "GODEBUG": "asyncpreemptoff=1,gcstoptheworld=1"},
        "flags": [],
        "k": [2, 4],
    },
    "rust": {"env": {}, "flags": [], "k": [2, 4]},
}
# Kept equal to runner::cachegrind::{TOOL, CACHES, EVENTS, BASE_ENV} (the same test).
TOOL = ["valgrind", "--tool=cachegrind", "--cache-sim=yes", "--branch-sim=no"]
CACHES = ["--I1=32768,8,64", "--D1=32768,8,64", "--LL=8388608,16,64"]
EVENTS = ["Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw"]
BASE_ENV = {"LC_ALL": "C.UTF-8", "PATH": "/usr/local/bin:/usr/bin:/bin"}


def real_python():
    """The interpreter `python3` on PATH really is (langbench's `find_toolchain`)."""
    out = subprocess.run(["python3", "-c", "import sys; print(sys.executable)"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def implementations(workload, langs):
    """(implementation name, language, folder) of a workload, for the chosen languages."""
    found = []
    for entry in sorted(os.listdir(os.path.join(ROOT, "workloads", workload))):
        lang = entry.split("-", 1)[0]
        if lang in langs and os.path.isdir(os.path.join(ROOT, "workloads", workload, entry)):
            found.append((entry, lang, entry))
    return found


def program(workload, lang, folder, python):
    """The argv prefix langbench runs for an implementation (lang::build::prepare)."""
    variant = folder[len(lang) + 1:] if "-" in folder else ""
    name = f"{workload}-{variant}" if variant else workload
    if lang == "rust":
        return [os.path.join(ROOT, "target", "workload", f"wl-{name}")]
    if lang == "go":
        return [os.path.join(ROOT, "target", "langbench", "go", name)]
    entry = "main.py" if lang == "python" else "main.js"
    interpreter = python if lang == "python" else shutil.which("node")
    return [interpreter, os.path.join(ROOT, "workloads", workload, folder, entry)]


def parse_counts(path):
    """The summary counts of a cachegrind out file, by event name."""
    events = summary = None
    with open(path) as f:
        for line in f:
            if line.startswith("events:"):
                events = line.split()[1:]
            elif line.startswith("summary:"):
                summary = [int(v) for v in line.split()[1:]]
    if events is None or summary is None or len(events) != len(summary):
        sys.exit(f"{path}: no events/summary lines of the same length")
    return dict(zip(events, summary))


def cycles(c):
    """Gungraun's estimated cycles of a set of counts."""
    l1_miss = c["I1mr"] + c["D1mr"] + c["D1mw"]
    ram = c["ILmr"] + c["DLmr"] + c["DLmw"]
    return (c["Ir"] + c["Dr"] + c["Dw"] - l1_miss) + 5 * (l1_miss - ram) + 35 * ram


def staged(argv, lang, stage):
    """argv with its program copied into the stage folder (as langbench does)."""
    ignore = shutil.ignore_patterns("__pycache__", "node_modules", "target")
    if lang in ("go", "rust"):
        binary = os.path.join(stage, "bin", lang, os.path.basename(argv[0]))
        os.makedirs(os.path.dirname(binary), exist_ok=True)
        shutil.copy2(argv[0], binary)
        return [binary, *argv[1:]]
    folder = os.path.dirname(argv[1])
    relative = os.path.relpath(folder, os.path.join(ROOT, "workloads"))
    shutil.copytree(folder, os.path.join(stage, relative), ignore=ignore, dirs_exist_ok=True)
    shutil.copytree(os.path.join(ROOT, "workloads", "protocol"), os.path.join(stage, "protocol"),
                    ignore=ignore, dirs_exist_ok=True)
    return [argv[0], os.path.join(stage, relative, os.path.basename(argv[1])), *argv[2:]]


def run_once(argv, env, iterations, expected, timeout, cwd):
    """One cachegrind run started in `cwd`: (summed counts over its processes,
    processes, seconds)."""
    with tempfile.TemporaryDirectory(prefix="out-", dir=cwd) as tmp:
        tools = [shutil.which("setarch"), os.uname().machine, "-R", shutil.which(TOOL[0])]
        command = [*tools, *TOOL[1:], *CACHES, f"--cachegrind-out-file={tmp}/cachegrind.out.%p",
                   *argv, "--size", str(expected[0]), "--iterations", str(iterations), *expected[2]]
        start = time.monotonic()
        out = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True,
                             timeout=timeout)
        seconds = time.monotonic() - start
        if out.returncode != 0:
            raise RuntimeError(f"exit {out.returncode}: {out.stderr[-1500:]}")
        result = json.loads(out.stdout.strip().splitlines()[-1])["result"]
        if result != expected[1]:
            raise RuntimeError(f"wrong result {result!r}, expected {expected[1]!r}")
        files = [os.path.join(tmp, f) for f in os.listdir(tmp)]
        total = dict.fromkeys(EVENTS, 0)
        for f in files:
            for k, v in parse_counts(f).items():
                total[k] += v
        return total, len(files), seconds


def spread(values):
    """(median, (max - min) / median in percent)."""
    m = statistics.median(values)
    return m, (max(values) - min(values)) / m * 100 if m else float("nan")


def measure(args, workload, lang, folder, python):
    """Per-iteration Ir and cycles of one implementation, R times; None if it failed."""
    manifest = json.load(open(os.path.join(ROOT, "workloads", workload, "manifest.json")))
    quick = manifest["sizes"]["quick"]
    extra = ["--workers", "1"] if manifest.get("vary") == "workers" else []
    expected = (quick["size"], quick["expected"].replace("{level}", "1"), extra)
    k1, k2 = args.k1 or SETTINGS[lang]["k"][0], args.k2 or SETTINGS[lang]["k"][1]
    if not 1 <= k1 < k2:
        sys.exit(f"{workload}/{folder}: need 1 <= K1 < K2, not K1={k1}, K2={k2}")
    with tempfile.TemporaryDirectory(prefix="lbc-", dir="/tmp") as stage:
        argv = program(workload, lang, folder, python)
        if args.in_place:
            # As langbench counted before the stage folder: from the checkout, in
            # the caller's environment.
            env, cwd = dict(os.environ), ROOT
        else:
            argv, env, cwd = staged(argv, lang, stage), dict(BASE_ENV), stage
        if not args.no_settings:
            flags = SETTINGS[lang]["flags"]
            if lang == "node" and args.node_flags is not None:
                flags = args.node_flags.split()
            argv = argv[:1] + flags + argv[1:]
            env.update(SETTINGS[lang]["env"])
        return measure_runs(args, workload, folder, argv, env, (k1, k2), expected, cwd)


def measure_runs(args, workload, folder, argv, env, k, expected, cwd):
    """measure()'s runs, each started in `cwd`."""
    (k1, k2), irs, cys, seconds, procs = k, [], [], 0.0, 0
    for r in range(args.runs):
        counts = {}
        for k in (k1, k2):
            try:
                counts[k], procs, s = run_once(argv, env, k, expected, args.timeout, cwd)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                print(f"{workload}/{folder} K={k}: {str(e).strip()}", file=sys.stderr)
                return None
            seconds += s
        irs.append((counts[k2]["Ir"] - counts[k1]["Ir"]) / (k2 - k1))
        cys.append((cycles(counts[k2]) - cycles(counts[k1])) / (k2 - k1))
        if args.raw:
            print(f"{workload}/{folder} run {r + 1}: Ir {counts[k1]['Ir']} {counts[k2]['Ir']}",
                  file=sys.stderr)
    return (k1, k2), spread(irs), spread(cys), seconds, procs


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("-w", "--workload", action="append", choices=WORKLOADS)
    p.add_argument("-l", "--lang", action="append", choices=LANGS)
    p.add_argument("--k1", type=int, help="K1 for every language (default: SETTINGS' k)")
    p.add_argument("--k2", type=int, help="K2 for every language (default: SETTINGS' k)")
    p.add_argument("--runs", type=int, default=3, help="R, pairs of runs per implementation")
    p.add_argument("--no-settings", action="store_true", help="leave the determinism settings out")
    p.add_argument("--in-place", action="store_true",
                   help="run from the checkout in the caller's environment, not from a stage folder "
                        "(to see what the stage takes away: clone the repository to paths of other "
                        "lengths and compare)")
    p.add_argument("--node-flags", help="Node's interpreter flags instead of SETTINGS' (one string)")
    p.add_argument("--timeout", type=float, default=900, help="seconds per valgrind run")
    p.add_argument("--raw", action="store_true", help="every run's whole-process Ir on stderr")
    args = p.parse_args()
    if args.runs < 1:
        sys.exit("need R >= 1")
    python = real_python()
    started = time.monotonic()
    settings = "off" if args.no_settings else "on"
    print(f"R={args.runs}, determinism settings {settings}\n")
    print("| workload | implementation | K1, K2 | Ir/iter (median) | Ir spread | est. cycles/iter "
          "| cycles spread | valgrind wall |\n|---|---|---|---:|---:|---:|---:|---:|")
    for workload in args.workload or WORKLOADS:
        for name, lang, folder in implementations(workload, args.lang or LANGS):
            print(f"{workload}/{name} ...", file=sys.stderr, flush=True)
            got = measure(args, workload, lang, folder, python)
            if got is None:
                print(f"| {workload} | {name} | | failed | | | | |", flush=True)
                continue
            (k1, k2), (ir, ir_spread), (cy, cy_spread), seconds, procs = got
            note = f" ({procs} processes)" if procs > 1 else ""
            print(f"| {workload} | {name}{note} | {k1}, {k2} | {ir:,.0f} | {ir_spread:.3f}% "
                  f"| {cy:,.0f} | {cy_spread:.3f}% | {seconds:.0f} s |", flush=True)
    print(f"\nwhole script: {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
