"""tasks workload, Python implementation with one OS thread per task.

Start `size` threads that each sleep one second, wait for all of them, and
report how many completed as "<count> tasks".

Every task is a plain `threading.Thread` running `time.sleep(1)`: all are
started first, then all are joined. Thread stacks use the interpreter's
default size; nothing is pooled or tuned.

If the operating system refuses a thread (too many threads or processes,
not enough memory or memory mappings), the program prints one line on stderr
naming the thread that could not start and why, and exits with status 4, so
the largest number of threads this machine allows is recorded as a result.
"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "protocol", "python"))
from langbench_protocol import main  # noqa: E402

# How long every task waits, in seconds.
WAIT_S = 1
# Exit status when a thread cannot be started (see the module docstring).
EXIT_THREAD_LIMIT = 4


class Counter:
    """Counts finished threads; the lock keeps the increment correct without
    relying on the GIL."""

    def __init__(self):
        self._lock = threading.Lock()
        self.value = 0

    def add_one(self):
        with self._lock:
            self.value += 1


def kernel(size):
    """The workload kernel: `size` threads that sleep 1 s, started then joined."""
    completed = Counter()

    def task():
        time.sleep(WAIT_S)
        completed.add_one()

    threads = []
    for i in range(size):
        thread = threading.Thread(target=task)
        try:
            thread.start()
        except (RuntimeError, MemoryError, OSError) as e:
            # One write, so the line stays whole next to any other output.
            sys.stderr.write(
                f"error: could not start thread {i + 1} of {size} ({i} started before it): "
                f"{type(e).__name__}: {e}\n"
            )
            # The threads already running are not daemons, so the interpreter
            # lets them finish their second before it exits with this status.
            sys.exit(EXIT_THREAD_LIMIT)
        threads.append(thread)
    for thread in threads:
        thread.join()
    return f"{completed.value} tasks"


if __name__ == "__main__":
    main(kernel)
