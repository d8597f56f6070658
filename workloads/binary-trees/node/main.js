// binary-trees (Benchmarks Game), single-threaded: builds and checks many
// perfect binary trees so that the cost is dominated by allocating and
// garbage-collecting millions of small nodes.
//
// Every node is its own object with left and right child references; leaves
// have null children. Trees are built and checked recursively, and each tree
// becomes garbage as soon as it has been checked.
"use strict";

const { main } = require("../../protocol/node/protocol.js");

// The smallest depth of the trees built in the main loop.
const MIN_DEPTH = 4;

// One tree node: either two children or none (a leaf).
class TreeNode {
  constructor(left, right) {
    this.left = left;
    this.right = right;
  }
}

// Builds a perfect binary tree of the given depth (depth 0 is a single leaf).
function bottomUpTree(depth) {
  if (depth === 0) return new TreeNode(null, null);
  return new TreeNode(bottomUpTree(depth - 1), bottomUpTree(depth - 1));
}

// Counts the nodes of the tree rooted at node.
function check(node) {
  if (node.left === null || node.right === null) return 1;
  return 1 + check(node.left) + check(node.right);
}

// The deepest tree of the main loop for a given --size: never below MIN_DEPTH + 2.
function maxDepth(size) {
  return Math.max(size, MIN_DEPTH + 2);
}

// Runs the whole benchmark for --size (the max depth) and returns the canonical
// result: "stretch:<d>:<check> <n>x<d>:<sum> ... long:<d>:<check>".
function kernel(size) {
  const max = maxDepth(size);
  const tokens = [];

  const stretch = max + 1;
  tokens.push(`stretch:${stretch}:${check(bottomUpTree(stretch))}`);

  // Kept alive for the whole run, so the collector has live data to trace.
  const longLived = bottomUpTree(max);

  for (let depth = MIN_DEPTH; depth <= max; depth += 2) {
    const iterations = 2 ** (max - depth + MIN_DEPTH);
    let sum = 0;
    for (let i = 0; i < iterations; i++) {
      sum += check(bottomUpTree(depth));
    }
    tokens.push(`${iterations}x${depth}:${sum}`);
  }

  tokens.push(`long:${max}:${check(longLived)}`);
  return tokens.join(" ");
}

main(kernel);
