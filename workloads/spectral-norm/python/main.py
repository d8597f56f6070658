"""spectral-norm workload (Python): the spectral norm of the n x n truncation of
the infinite matrix A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1), by the power method
on AᵀA. Same algorithm and data layout as the Rust, Go and Node.js
implementations: plain lists of floats, sequential loops, matrix entries
computed on the fly (the matrix is never stored). Pure CPython, no numpy.
"""

import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "protocol", "python"))
from langbench_protocol import main  # noqa: E402

# Number of power-method rounds; each applies AᵀA twice (u -> v -> u).
ROUNDS = 10


def eval_a(i, j):
    """Entry (i, j) of the matrix, both indices 0-based.

    The denominator is computed in exact integer arithmetic and only then
    converted, so every language gets the same value for it.
    """
    ij = i + j
    return 1.0 / (ij * (ij + 1) // 2 + i + 1)


def multiply_av(v, out):
    """out = A · v"""
    for i in range(len(out)):
        # Plain left-to-right sum, the same order in all four languages
        # (an explicit loop rather than sum(), whose float algorithm differs
        # between Python versions).
        total = 0.0
        for j, vj in enumerate(v):
            total += eval_a(i, j) * vj
        out[i] = total


def multiply_atv(v, out):
    """out = Aᵀ · v"""
    for i in range(len(out)):
        total = 0.0
        for j, vj in enumerate(v):
            total += eval_a(j, i) * vj
        out[i] = total


def multiply_atav(v, out, tmp):
    """out = Aᵀ · (A · v); tmp holds the intermediate A · v."""
    multiply_av(v, tmp)
    multiply_atv(tmp, out)


def dot(a, b):
    """Dot product, summed left to right."""
    total = 0.0
    for x, y in zip(a, b):
        total += x * y
    return total


def spectral_norm(n):
    """The spectral norm estimate for the n x n truncation of A."""
    u = [1.0] * n
    v = [0.0] * n
    tmp = [0.0] * n
    for _ in range(ROUNDS):
        multiply_atav(u, v, tmp)
        multiply_atav(v, u, tmp)
    return math.sqrt(dot(u, v) / dot(v, v))


def kernel(size):
    """The workload kernel: size is n; the result is the norm with 9 decimals."""
    return f"{spectral_norm(size):.9f}"


if __name__ == "__main__":
    main(kernel)
