"""parallel workload, Python implementation with a pool of worker processes.

Count the primes p <= `size` by trial division, split across `workers`
processes, and report "<count> primes".

2 is counted by the kernel itself. The odd candidates 3, 5, 7, ... <= size
are cut into blocks of BLOCK consecutive odd numbers, and the blocks are
dealt round-robin: worker w of W tests blocks w, w + W, w + 2W, ... The
kernel hands the W shares to a `concurrent.futures.ProcessPoolExecutor` with
`map` and sums the counts it gets back, so the result does not depend on W.

Every worker process has its own interpreter and its own GIL, so the shares
really run at the same time. Starting W processes costs tens of
milliseconds, so the pool is created at the first kernel call (the
protocol's warm-up iteration) and reused by every later call in the process;
it is shut down (waiting for its processes) when the interpreter exits. The
start method is the platform's default (fork on Linux with Python 3.11).

Why the executor and not `multiprocessing.Pool`: both are the standard
library's process pools, but Pool's worker-handler thread also waits on the
result pipe, so while a result sits there unread it loops; how many times
depends on when the result-handler thread gets to run, which made the
parent's instruction count move with the machine's load. The executor's one
management thread reads the results itself and sleeps until something
happens.
"""

import atexit
import os
import sys
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "protocol", "python"))
from langbench_protocol import main_workers  # noqa: E402

# How many consecutive odd candidates make one block of the split.
BLOCK = 1024

# The worker pool, created by the first kernel call; one W per process.
_pool = None
_pool_size = 0


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


def _close_pool():
    """Lets the pool's processes finish and waits for them, so none is left
    behind when the program exits."""
    global _pool, _pool_size
    if _pool is not None:
        _pool.shutdown(wait=True)
        _pool, _pool_size = None, 0


def get_pool(workers):
    """Returns a pool of `workers` processes, creating it if needed."""
    global _pool, _pool_size
    if _pool_size != workers:
        _close_pool()
        _pool = ProcessPoolExecutor(max_workers=workers)
        _pool_size = workers
    return _pool


def kernel(size, workers):
    """The workload kernel: the primes up to `size`, counted by `workers` processes."""
    counts = get_pool(workers).map(count_share, [size] * workers, range(workers), [workers] * workers)
    two = 1 if size >= 2 else 0
    return f"{two + sum(counts)} primes"


if __name__ == "__main__":
    atexit.register(_close_pool)
    main_workers(kernel)
