#!/usr/bin/env python3
"""Do the verdicts hold still? Three (or --runs) default runs in a row, each
with its report, then every claim's verdict in each run side by side.

A claim that moves between SUPPORTED and CONTRADICTED is a failure (exit 1):
its evidence cannot be that far apart between two runs minutes apart. A claim
that moves to or from INCONCLUSIVE is listed with its evidence rows from each
run's REPORT.md, so one can see whether its interval touches the boundary
(the report gives each comparison's estimate and 95% interval).

The results files and reports stay in --dir (run-1.json, run-1-report/, ...);
--reuse takes the files already there instead of running again. Extra
arguments after `--` go to every `langbench run` (e.g. `-- --suite io`).

Usage (from the repository, after `cargo build --release`):
  scripts/verdicts-hold-still.py --dir DIR [--runs 3] [--reuse] [-- RUN-ARGS...]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("LANGBENCH") or os.path.join(ROOT, "target", "release", "langbench")
# A verdict row of REPORT.md's table: | [id](#id) | quote | **VERDICT** |
ROW = re.compile(r"^\| \[([a-z0-9-]+)\]\(#[a-z0-9-]+\) \| .* \| \*\*([A-Z ]+)\*\* \|", re.M)
FIRM = {"SUPPORTED", "CONTRADICTED"}


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def verdicts(report):
    with open(report) as f:
        return dict(ROW.findall(f.read()))


def evidence(report, claim):
    """The claim's section of REPORT.md: its heading up to the next heading."""
    with open(report) as f:
        text = f.read()
    start = re.search(rf"^### {re.escape(claim)}: .*$", text, re.M)
    if not start:
        return "(no section found)"
    rest = text[start.end():]
    end = re.search(r"^#+ ", rest, re.M)
    return rest[: end.start() if end else len(rest)].strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("run_args", nargs="*", help="after --: passed to every langbench run")
    args = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} is missing: run `cargo build --release` first")
    os.makedirs(args.dir, exist_ok=True)
    reports = []
    print("| run | wall time | load average before | after |\n|---:|---:|---|---|")
    for i in range(1, args.runs + 1):
        out = os.path.join(args.dir, f"run-{i}.json")
        report = os.path.join(args.dir, f"run-{i}-report", "REPORT.md")
        reports.append(report)
        if args.reuse and os.path.exists(report):
            print(f"| {i} | (reused) | | |")
            continue
        # A report left by an earlier call must not pass for this run's.
        shutil.rmtree(os.path.dirname(report), ignore_errors=True)
        before, start = loadavg(), time.monotonic()
        status = subprocess.run([BIN, "-q", "run", "--out", out, *args.run_args], cwd=ROOT).returncode
        wall = time.monotonic() - start
        print(f"| {i} | {wall / 60:.1f} min | {before} | {loadavg()} |", flush=True)
        if status not in (0, 1) or not os.path.exists(report):
            sys.exit(f"run {i} failed (exit {status}) without a report")
    tables = [verdicts(r) for r in reports]
    claims = list(dict.fromkeys(c for t in tables for c in t))
    print("\n| claim | " + " | ".join(f"run {i}" for i in range(1, len(tables) + 1)) + " | holds |")
    print("|---|" + "---|" * len(tables) + "---|")
    flips, moves = [], []
    for claim in claims:
        row = [t.get(claim, "-") for t in tables]
        firm = {v for v in row if v in FIRM}
        if len(firm) > 1:
            flips.append(claim)
            holds = "**no: SUPPORTED and CONTRADICTED**"
        elif len(set(row)) > 1:
            moves.append(claim)
            holds = "moves (see below)"
        else:
            holds = "yes"
        print(f"| {claim} | " + " | ".join(row) + f" | {holds} |")
    for claim in flips + moves:
        print(f"\n### {claim}")
        for i, r in enumerate(reports, 1):
            print(f"\nrun {i}:\n\n{evidence(r, claim)}")
    print(f"\n{len(claims) - len(flips) - len(moves)} of {len(claims)} claims hold still; "
          f"{len(moves)} move to or from INCONCLUSIVE; {len(flips)} flip between SUPPORTED and CONTRADICTED")
    sys.exit(1 if flips else 0)


if __name__ == "__main__":
    main()
