#!/usr/bin/env bash
# Times the read-only commands of two langbench binaries side by side on the
# committed results files, with hyperfine (Debian package `hyperfine`), so a
# change to the metric layer, the claims or the renderers shows what it costs.
#
# Usage: scripts/binary-vs.sh OLD_LANGBENCH NEW_LANGBENCH [RUNS]
# e.g.   git worktree add /tmp/old 9690a1d && \
#        (cd /tmp/old && cargo build --release -p langbench) && \
#        cargo build --release -p langbench && \
#        scripts/binary-vs.sh /tmp/old/target/release/langbench target/release/langbench
#
# Each pair runs alternately (hyperfine runs the commands of one benchmark in
# turn); quote the medians and their ratio, not single times.
set -euo pipefail
old=$1
new=$2
runs=${3:-15}
root="$(cd "$(dirname "$0")/.." && pwd)"
ref="$root/results/reference/default-run.json"
base="$root/results/baseline/quick.json"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bench() {
    local name=$1
    shift
    hyperfine --runs "$runs" --warmup 2 -N --style none --export-json "$out/$name.json" \
        -n old "$old $*" -n new "$new $*" >/dev/null
    python3 - "$name" "$out/$name.json" <<'PY'
import json, statistics, sys
name, path = sys.argv[1], sys.argv[2]
r = {x["command"]: statistics.median(x["times"]) for x in json.load(open(path))["results"]}
print(f"| {name} | {r['old']*1e3:.1f} ms | {r['new']*1e3:.1f} ms | {r['new']/r['old']:.2f} |")
PY
}
echo "| command | old median | new median | new / old |"
echo "|---|---:|---:|---:|"
bench "report (reference run)" --quiet report "$ref" --out "$out/report"
bench "compare kernel_time (baseline vs itself)" compare --force --metric kernel_time "$base" "$base"
bench "export csv (reference run)" export "$ref" --format csv
