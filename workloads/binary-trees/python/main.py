"""binary-trees (Benchmarks Game), single-threaded: builds and checks many
perfect binary trees so that the cost is dominated by allocating and freeing
millions of small objects.

Every node is its own object (a class with __slots__ left and right); leaves
have None children. Trees are built and checked recursively, and each tree
becomes garbage as soon as it has been checked.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "protocol", "python"))
from langbench_protocol import main  # noqa: E402

# The smallest depth of the trees built in the main loop.
MIN_DEPTH = 4


class Node:
    """One tree node: either two children or none (a leaf)."""

    __slots__ = ("left", "right")

    def __init__(self, left, right):
        self.left = left
        self.right = right


def bottom_up_tree(depth):
    """Builds a perfect binary tree of the given depth (depth 0 is a single leaf)."""
    if depth == 0:
        return Node(None, None)
    return Node(bottom_up_tree(depth - 1), bottom_up_tree(depth - 1))


def check(node):
    """Counts the nodes of the tree rooted at node."""
    if node.left is None or node.right is None:
        return 1
    return 1 + check(node.left) + check(node.right)


def max_depth(size):
    """The deepest tree of the main loop for a given --size: never below MIN_DEPTH + 2."""
    return max(size, MIN_DEPTH + 2)


def kernel(size):
    """Runs the whole benchmark for --size (the max depth) and returns the canonical
    result: "stretch:<d>:<check> <n>x<d>:<sum> ... long:<d>:<check>"."""
    deepest = max_depth(size)
    tokens = []

    stretch = deepest + 1
    tokens.append(f"stretch:{stretch}:{check(bottom_up_tree(stretch))}")

    # Kept alive for the whole run, so the collector has live data to look at.
    long_lived = bottom_up_tree(deepest)

    for depth in range(MIN_DEPTH, deepest + 1, 2):
        iterations = 2 ** (deepest - depth + MIN_DEPTH)
        total = 0
        for _ in range(iterations):
            total += check(bottom_up_tree(depth))
        tokens.append(f"{iterations}x{depth}:{total}")

    tokens.append(f"long:{deepest}:{check(long_lived)}")
    return " ".join(tokens)


if __name__ == "__main__":
    main(kernel)
