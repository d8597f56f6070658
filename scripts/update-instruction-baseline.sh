#!/usr/bin/env bash
# Re-measures the committed instruction-count baseline that .ci/run gates on:
# the quick size of the CPU suite and parallel at one worker, under valgrind's
# cachegrind, written to results/baseline/instructions.json. Run it on the CI
# machine (the gate holds only where the CPU model and the toolchain and
# valgrind versions match the baseline's) after a deliberate change to a
# workload or a toolchain, and commit the file with that change.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release --locked --quiet -- run --quick --measure instructions --no-report \
    --out results/baseline/instructions.json "$@"
