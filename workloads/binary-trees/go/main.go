// binary-trees (Benchmarks Game), single-threaded: builds and checks many
// perfect binary trees so that the cost is dominated by allocating and
// garbage-collecting millions of small nodes.
//
// Every node is its own heap allocation with two child pointers; leaves have
// nil children. Trees are built and checked recursively, and each tree becomes
// garbage as soon as it has been checked.
package main

import (
	"fmt"
	"strings"

	protocol "langbench/workloads/protocol/go"
)

// minDepth is the smallest depth of the trees built in the main loop.
const minDepth = 4

// Node is one tree node: either two children or none (a leaf).
type Node struct {
	left, right *Node
}

// bottomUpTree builds a perfect binary tree of the given depth (depth 0 is a single leaf).
func bottomUpTree(depth uint) *Node {
	if depth == 0 {
		return &Node{}
	}
	return &Node{left: bottomUpTree(depth - 1), right: bottomUpTree(depth - 1)}
}

// check counts the nodes of the tree rooted at n.
func (n *Node) check() uint64 {
	if n.left == nil || n.right == nil {
		return 1
	}
	return 1 + n.left.check() + n.right.check()
}

// maxDepth is the deepest tree of the main loop for a given --size: never below minDepth + 2.
func maxDepth(size uint64) uint {
	return max(uint(size), minDepth+2)
}

// kernel runs the whole benchmark for --size (the max depth) and returns the
// canonical result: "stretch:<d>:<check> <n>x<d>:<sum> ... long:<d>:<check>".
func kernel(size uint64) string {
	maxD := maxDepth(size)
	var tokens []string

	stretch := maxD + 1
	tokens = append(tokens, fmt.Sprintf("stretch:%d:%d", stretch, bottomUpTree(stretch).check()))

	// Kept alive for the whole run, so the collector has live data to trace.
	longLived := bottomUpTree(maxD)

	for depth := uint(minDepth); depth <= maxD; depth += 2 {
		iterations := uint64(1) << (maxD - depth + minDepth)
		var sum uint64
		for i := uint64(0); i < iterations; i++ {
			sum += bottomUpTree(depth).check()
		}
		tokens = append(tokens, fmt.Sprintf("%dx%d:%d", iterations, depth, sum))
	}

	tokens = append(tokens, fmt.Sprintf("long:%d:%d", maxD, longLived.check()))
	return strings.Join(tokens, " ")
}

func main() { protocol.Main(kernel) }
