//! binary-trees (Benchmarks Game), single-threaded: builds and checks many
//! perfect binary trees so that the cost is dominated by allocating and
//! freeing millions of small nodes.
//!
//! Every node is its own heap allocation (`Box`) with two optional children;
//! leaves have no children. Trees are built and checked recursively, and each
//! tree is dropped as soon as it has been checked.

/// The smallest depth of the trees built in the main loop.
pub const MIN_DEPTH: u64 = 4;

/// One tree node: either two children or none (a leaf).
#[derive(Debug)]
pub struct Node {
    left: Option<Box<Node>>,
    right: Option<Box<Node>>,
}

impl Node {
    /// Counts the nodes of the tree rooted here.
    pub fn check(&self) -> u64 {
        match (&self.left, &self.right) {
            (Some(left), Some(right)) => 1 + left.check() + right.check(),
            _ => 1,
        }
    }
}

/// Builds a perfect binary tree of the given depth (depth 0 is a single leaf).
pub fn bottom_up_tree(depth: u64) -> Box<Node> {
    if depth == 0 {
        return Box::new(Node {
            left: None,
            right: None,
        });
    }
    Box::new(Node {
        left: Some(bottom_up_tree(depth - 1)),
        right: Some(bottom_up_tree(depth - 1)),
    })
}

/// The deepest tree of the main loop for a given `--size`: never below MIN_DEPTH + 2.
pub fn max_depth(size: u64) -> u64 {
    size.max(MIN_DEPTH + 2)
}

/// How many trees of `depth` the main loop builds when the deepest is `max_depth`.
pub fn iterations_for(depth: u64, max_depth: u64) -> u64 {
    1u64 << (max_depth - depth + MIN_DEPTH)
}

/// Builds a tree of `depth`, checks it and drops it.
fn build_and_check(depth: u64) -> u64 {
    bottom_up_tree(depth).check()
}

/// Runs the whole benchmark for `--size` (the max depth) and returns the
/// canonical result: `stretch:<d>:<check> <n>x<d>:<sum> ... long:<d>:<check>`.
pub fn kernel(size: u64) -> String {
    let max = max_depth(size);
    let mut tokens = Vec::new();

    let stretch = max + 1;
    tokens.push(format!("stretch:{stretch}:{}", build_and_check(stretch)));

    // Kept alive for the whole run, so the collectors have live data to trace.
    let long_lived = bottom_up_tree(max);

    for depth in (MIN_DEPTH..=max).step_by(2) {
        let iterations = iterations_for(depth, max);
        let mut sum = 0;
        for _ in 0..iterations {
            sum += build_and_check(depth);
        }
        tokens.push(format!("{iterations}x{depth}:{sum}"));
    }

    tokens.push(format!("long:{max}:{}", long_lived.check()));
    tokens.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_of_depth_d_has_2_pow_d_plus_1_minus_1_nodes() {
        for depth in 0..10 {
            assert_eq!(bottom_up_tree(depth).check(), (1 << (depth + 1)) - 1);
        }
    }

    #[test]
    fn small_sizes_are_raised_to_min_depth_plus_2() {
        assert_eq!(max_depth(1), 6);
        assert_eq!(max_depth(6), 6);
        assert_eq!(max_depth(7), 7);
        assert_eq!(max_depth(21), 21);
    }

    #[test]
    fn iteration_counts() {
        assert_eq!(iterations_for(4, 10), 1024);
        assert_eq!(iterations_for(10, 10), 16);
        assert_eq!(iterations_for(4, 21), 2_097_152);
    }

    #[test]
    fn quick_size_matches_published_output_for_depth_10() {
        assert_eq!(
            kernel(10),
            "stretch:11:4095 1024x4:31744 256x6:32512 64x8:32704 16x10:32752 long:10:2047"
        );
    }

    #[test]
    fn odd_max_depth_stops_below_it() {
        assert_eq!(kernel(7), "stretch:8:511 128x4:3968 32x6:4064 long:7:255");
    }
}
