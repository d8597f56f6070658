#!/usr/bin/env python3
"""What langbench's runner adds to a program's wall time, beside hyperfine.

Times `langbench exec -- PROGRAM` (A) and `hyperfine -N PROGRAM` (B, no
shell; Debian package `hyperfine`) in three alternations, and prints a
Markdown table: per alternation the median wall time per run of each and
their ratio, then the median of the three.

Each alternation runs A and B `--runs` times each, in `--blocks` blocks
taken in turn (A B A B ...), so that both meet the same load on a shared
machine; an alternation's figure for a side is the median of its blocks'
medians, and its ratio the median of the blocks' ratios A/B.

Per-run figures: langbench's are the per-run wall times of `exec`, from
the spawn helper's monotonic clock just before it starts the program to
`wait4`, of which `exec --json` gives the median (`wall_ns.median`);
hyperfine's are the per-run `times` of `--export-json` (its clock around
spawn and wait), of which the median is taken here (hyperfine itself prints
the mean).

    cargo build --release
    python3 scripts/exec-overhead.py [--langbench target/release/langbench]
        [--runs 300] [--blocks 10] [PROGRAM ARGS...]   (default: /bin/true)

A missing tool or a failed run is one line on stderr, exit status 2.
"""

import argparse
import json
import shutil
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARMUP = 3


class InputError(Exception):
    """A missing tool or a failed run: one line, exit status 2."""


def run(argv):
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["(no message)"]
        raise InputError(f"{' '.join(argv)} failed: {tail[0]}")
    return done.stdout


def langbench_median_us(langbench, runs, program):
    """The median wall time per run of one `langbench exec` call, in µs."""
    out = run([langbench, "exec", "--runs", str(runs), "--warmup", str(WARMUP), "--json", "--", *program])
    return json.loads(out)["wall_ns"]["median"] / 1e3


def hyperfine_median_us(runs, program, export):
    """The median of the per-run times of one `hyperfine -N` call, in µs."""
    command = shlex.join(program)
    run(["hyperfine", "-N", "--runs", str(runs), "--warmup", str(WARMUP), "--style", "none",
         "--export-json", str(export), command])
    times = json.loads(export.read_text())["results"][0]["times"]
    return statistics.median(times) * 1e6


def alternation(langbench, runs, blocks, program, export):
    """(A's median, B's median, median ratio A/B) over `blocks` blocks in turn."""
    per_block = max(runs // blocks, 1)
    pairs = []
    for _ in range(blocks):
        a = langbench_median_us(langbench, per_block, program)
        b = hyperfine_median_us(per_block, program, export)
        pairs.append((a, b))
    return (
        statistics.median(a for a, _ in pairs),
        statistics.median(b for _, b in pairs),
        statistics.median(a / b for a, b in pairs),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--langbench", default=str(ROOT / "target" / "release" / "langbench"))
    parser.add_argument("--runs", type=int, default=300, help="runs per side and alternation")
    parser.add_argument("--blocks", type=int, default=10, help="blocks per alternation")
    parser.add_argument("program", nargs="*", default=["/bin/true"])
    args = parser.parse_args()
    try:
        if not Path(args.langbench).is_file():
            raise InputError(f"no langbench at {args.langbench}: cargo build --release first")
        if shutil.which("hyperfine") is None:
            raise InputError("hyperfine is not on PATH (Debian: apt-get install hyperfine)")
        with tempfile.TemporaryDirectory() as tmp:
            export = Path(tmp) / "hyperfine.json"
            rows = [alternation(args.langbench, args.runs, args.blocks, args.program, export)
                    for _ in range(3)]
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    per_block = max(args.runs // args.blocks, 1)
    print(f"`{' '.join(args.program)}`: {args.blocks} blocks of {per_block} runs per side and "
          "alternation, in turn; median wall time per run")
    print()
    print("| alternation | langbench exec | hyperfine -N | exec / hyperfine |")
    print("|---|---:|---:|---:|")
    for i, (a, b, ratio) in enumerate(rows, 1):
        print(f"| {i} | {a:.0f} µs | {b:.0f} µs | {ratio:.2f}x |")
    a = statistics.median(r[0] for r in rows)
    b = statistics.median(r[1] for r in rows)
    ratio = statistics.median(r[2] for r in rows)
    print(f"| median of the three | {a:.0f} µs | {b:.0f} µs | {ratio:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
