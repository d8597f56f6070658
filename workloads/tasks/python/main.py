"""tasks workload, Python implementation with asyncio.

Start `size` concurrent tasks that each wait one second on a timer, wait for
all of them, and report how many completed as "<count> tasks".

Each task is an `asyncio.sleep(1)` coroutine. They are handed to
`asyncio.gather` directly: gather wraps every coroutine in a Task itself, so
calling `asyncio.create_task` first would only build the same Tasks by hand
and keep a second list of them. Passing the coroutines is the documented,
shortest way to run many coroutines at once and wait for all of them.

The kernel starts a fresh event loop with `asyncio.run` on every call, so the
kernel stays a plain synchronous function and the shared protocol helper can
time it like any other workload.
"""

import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "protocol", "python"))
from langbench_protocol import main  # noqa: E402

# How long every task waits, in seconds.
WAIT_S = 1


async def run_tasks(size):
    """Runs `size` concurrent 1 s sleeps and returns how many completed.

    Every sleep returns 1 (the `result` argument of asyncio.sleep), so the sum
    of gather's results counts the tasks that really finished.
    """
    done = await asyncio.gather(*(asyncio.sleep(WAIT_S, result=1) for _ in range(size)))
    return sum(done)


def kernel(size):
    """The workload kernel: a fresh event loop running `size` tasks."""
    return f"{asyncio.run(run_tasks(size))} tasks"


if __name__ == "__main__":
    main(kernel)
