"""parallel workload, Python implementation with one OS thread per worker.

Count the primes p <= `size` by trial division, split across `workers`
threads, and report "<count> primes".

2 is counted by the kernel itself. The odd candidates 3, 5, 7, ... <= size
are cut into blocks of BLOCK consecutive odd numbers, and the blocks are
dealt round-robin: worker w of W tests blocks w, w + W, w + 2W, ... Every
thread stores its count in its own slot of a list and the kernel sums them,
so the result does not depend on W.

Each call starts W plain `threading.Thread`s and joins them; starting a
thread costs well under a millisecond. This is the GIL test: the threads
share one interpreter lock, so only one of them runs Python code at a time
and more workers are not expected to make the kernel faster.
"""

import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "protocol", "python"))
from langbench_protocol import main_workers  # noqa: E402

# How many consecutive odd candidates make one block of the split.
BLOCK = 1024


def is_odd_prime(c):
    """Reports whether the odd number c >= 3 is prime, by trial division by
    the odd divisors d from 3 while d * d <= c."""
    d = 3
    while d * d <= c:
        if c % d == 0:
            return False
        d += 2
    return True


def count_share(size, worker, workers):
    """Counts the primes among the odd candidates <= size that belong to
    worker `worker` of `workers`: blocks worker, worker + workers, ..."""
    count = 0
    # The first candidate of block b is 3 + 2 * BLOCK * b.
    for first in range(3 + 2 * BLOCK * worker, size + 1, 2 * BLOCK * workers):
        for c in range(first, min(first + 2 * BLOCK, size + 1), 2):
            if is_odd_prime(c):
                count += 1
    return count


def kernel(size, workers):
    """The workload kernel: the primes up to `size`, counted by `workers` threads."""
    counts = [0] * workers

    def run(worker):
        counts[worker] = count_share(size, worker, workers)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    two = 1 if size >= 2 else 0
    return f"{two + sum(counts)} primes"


if __name__ == "__main__":
    main_workers(kernel)
