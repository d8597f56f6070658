"""The langbench workload protocol for Python implementations.

A workload calls main(kernel). main reads --size N --iterations K, runs the
kernel K times, times each call with the monotonic clock (perf_counter_ns),
checks that every call returned the same result and prints one JSON line:
{"result":"...","iterations_ns":[...]}. Bad arguments exit with status 2;
iterations that disagree exit with status 3.
"""

import json
import sys
import time


def parse_args(args):
    params = {}
    i = 0
    while i < len(args):
        flag = args[i]
        if flag not in ("--size", "--iterations"):
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


def main(kernel):
    try:
        params = parse_args(sys.argv[1:])
    except ValueError as e:
        sys.stderr.write(f"error: {e}\nusage: --size N --iterations K\n")
        sys.exit(2)
    times = []
    result = None
    for i in range(params["iterations"]):
        start = time.perf_counter_ns()
        r = kernel(params["size"])
        times.append(time.perf_counter_ns() - start)
        if i == 0:
            result = r
        elif r != result:
            sys.stderr.write(f"error: iteration {i} returned '{r}', iteration 0 returned '{result}'\n")
            sys.exit(3)
    sys.stdout.write(json.dumps({"result": result, "iterations_ns": times}, separators=(",", ":")) + "\n")
