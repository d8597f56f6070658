"""The langbench workload protocol for Python implementations.

A workload calls main(kernel). main reads --size N --iterations K, runs the
kernel K times, times each call with the monotonic clock (perf_counter_ns),
checks that every call returned the same result and prints one JSON line:
{"result":"...","iterations_ns":[...]}. Bad arguments exit with status 2;
iterations that disagree exit with status 3.

A kernel that splits its work across workers calls main_workers(kernel)
instead: it also accepts --workers W (default 1) and calls kernel(size, W).
main keeps rejecting --workers, so no other workload changes.
"""

import json
import sys
import time

USAGE = "usage: --size N --iterations K"
USAGE_WORKERS = "usage: --size N --iterations K [--workers W]"


def parse_args(args, with_workers=False):
    """Parses the arguments into {"size", "iterations", "workers"}; --workers
    is an unknown argument unless with_workers, and workers is 1 when not given."""
    flags = ("--size", "--iterations", "--workers") if with_workers else ("--size", "--iterations")
    params = {"workers": 1}
    i = 0
    while i < len(args):
        flag = args[i]
        if flag not in flags:
            raise ValueError(f"unknown argument '{flag}'")
        if i + 1 >= len(args):
            raise ValueError(f"{flag} needs a value")
        value = args[i + 1]
        if not value.isdigit():
            raise ValueError(f"{flag} wants a positive integer, got '{value}'")
        if int(value) == 0:
            raise ValueError(f"{flag} must be at least 1")
        params[flag[2:]] = int(value)
        i += 2
    for name in ("size", "iterations"):
        if name not in params:
            raise ValueError(f"missing --{name}")
    return params


def _run(with_workers, usage, call):
    """Parses the command line (exiting with status 2 and `usage` on a bad
    one), then times call(params) once per iteration and prints the protocol line."""
    try:
        params = parse_args(sys.argv[1:], with_workers)
    except ValueError as e:
        sys.stderr.write(f"error: {e}\n{usage}\n")
        sys.exit(2)
    times = []
    result = None
    for i in range(params["iterations"]):
        start = time.perf_counter_ns()
        r = call(params)
        times.append(time.perf_counter_ns() - start)
        if i == 0:
            result = r
        elif r != result:
            sys.stderr.write(f"error: iteration {i} returned '{r}', iteration 0 returned '{result}'\n")
            sys.exit(3)
    sys.stdout.write(json.dumps({"result": result, "iterations_ns": times}, separators=(",", ":")) + "\n")


def main(kernel):
    """Runs kernel(size) the requested number of times and prints the protocol line."""
    _run(False, USAGE, lambda params: kernel(params["size"]))


def main_workers(kernel):
    """Runs kernel(size, workers) the requested number of times and prints the
    protocol line; --workers W is optional and defaults to 1."""
    _run(True, USAGE_WORKERS, lambda params: kernel(params["size"], params["workers"]))
