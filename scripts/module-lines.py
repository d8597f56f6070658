#!/usr/bin/env python3
"""Lines per top-level module of src/ at git revisions, the largest file, and
the places that name a metric or a size as a string literal.

Usage: python3 scripts/module-lines.py REV [REV ...]   (e.g. 9690a1d HEAD)

A "place" is a line of src/ (comments and #[cfg(test)] modules left out)
holding a string literal that is exactly a metric or size name, e.g.
"kernel_time" or "quick": the names kinds.rs defines once.
"""
import re
import subprocess
import sys

NAMES = ["kernel_time", "wall_time", "cpu_time", "peak_rss", "requests_per_second",
         "p99_latency", "quick", "default", "full"]
LITERAL = re.compile(r'"(' + "|".join(NAMES) + r')"')


def files(rev):
    out = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev, "src"],
                         capture_output=True, text=True, check=True).stdout
    return [f for f in out.split() if f.endswith(".rs")]


def text(rev, path):
    return subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True,
                          text=True, check=True).stdout


def module(path):
    rel = path[len("src/"):]
    return rel.split("/")[0].removesuffix(".rs")


def non_test_lines(source):
    lines = source.splitlines()
    cut = next((i for i, l in enumerate(lines) if l.strip() == "#[cfg(test)]"), len(lines))
    return [l for l in lines[:cut] if not l.strip().startswith("//")]


def measure(rev):
    per_module, largest, places = {}, ("", 0), []
    for path in files(rev):
        source = text(rev, path)
        n = len(source.splitlines())
        per_module[module(path)] = per_module.get(module(path), 0) + n
        if n > largest[1]:
            largest = (path, n)
        for line in non_test_lines(source):
            if LITERAL.search(line):
                places.append((path, line.strip()))
    return per_module, largest, places


def main():
    revs = sys.argv[1:] or ["HEAD"]
    results = {rev: measure(rev) for rev in revs}
    modules = sorted(set().union(*(r[0] for r in results.values())))
    print("| module | " + " | ".join(revs) + " |")
    print("|---|" + "---:|" * len(revs))
    for m in modules:
        print(f"| {m} | " + " | ".join(str(results[r][0].get(m, "")) for r in revs) + " |")
    print("| total | " + " | ".join(str(sum(results[r][0].values())) for r in revs) + " |")
    for rev in revs:
        per_module, largest, places = results[rev]
        print(f"\n{rev}: largest file {largest[0]} ({largest[1]} lines); "
              f"{len(places)} places name a metric or size as a string literal")
        for path, line in places:
            print(f"  {path}: {line}")


if __name__ == "__main__":
    main()
