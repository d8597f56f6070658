//! parallel workload, Rust implementation with std threads: count the primes
//! p <= `size` by trial division, split across `workers` threads, and report
//! "<count> primes".
//!
//! 2 is counted by the kernel itself. The odd candidates 3, 5, 7, ... <= size
//! are cut into blocks of [`BLOCK`] consecutive odd numbers, and the blocks
//! are dealt round-robin: worker w of W tests blocks w, w + W, w + 2W, ...
//! Every worker counts the primes among its candidates and the kernel sums
//! the counts, so the result does not depend on W.
//!
//! Each call spawns its W threads with `std::thread::scope` and joins them
//! before it returns: spawning a thread costs microseconds, nothing next to
//! the work, so there is no pool to keep between calls.

use std::thread;

/// How many consecutive odd candidates make one block of the split.
pub const BLOCK: u64 = 1024;

/// Reports whether the odd number `c` >= 3 is prime, by trial division by
/// the odd divisors d from 3 while d * d <= c.
fn is_odd_prime(c: u64) -> bool {
    let mut d = 3;
    while d * d <= c {
        if c.is_multiple_of(d) {
            return false;
        }
        d += 2;
    }
    true
}

/// Counts the primes among the odd candidates <= `size` that belong to
/// worker `worker` of `workers`: blocks worker, worker + workers, ...
pub fn count_share(size: u64, worker: u64, workers: u64) -> u64 {
    let mut count = 0;
    // The first candidate of block b is 3 + 2 * BLOCK * b.
    let mut first = 3 + 2 * BLOCK * worker;
    while first <= size {
        let end = (first + 2 * BLOCK).min(size + 1);
        count += (first..end).step_by(2).filter(|&c| is_odd_prime(c)).count() as u64;
        first += 2 * BLOCK * workers;
    }
    count
}

/// Counts the primes p <= `size` with `workers` threads.
pub fn count_primes(size: u64, workers: u64) -> u64 {
    let two = u64::from(size >= 2);
    let odd: u64 = thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| s.spawn(move || count_share(size, w, workers)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a worker thread panicked"))
            .sum()
    });
    two + odd
}

/// The workload kernel: the primes up to `size`, counted by `workers` threads.
pub fn kernel(size: u64, workers: u64) -> String {
    format!("{} primes", count_primes(size, workers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_sizes_match_pi() {
        for (n, pi) in [(1, 0), (2, 1), (3, 2), (10, 4), (100, 25), (1000, 168)] {
            for workers in 1..=4 {
                assert_eq!(count_primes(n, workers), pi, "pi({n}), {workers} workers");
            }
        }
    }

    #[test]
    fn result_does_not_depend_on_workers() {
        // 100,000 spans many blocks, so every worker gets several.
        for size in [1000, 100_000] {
            let one = kernel(size, 1);
            for workers in 2..=4 {
                assert_eq!(kernel(size, workers), one, "size {size}, {workers} workers");
            }
        }
        assert_eq!(kernel(100_000, 1), "9592 primes");
    }

    #[test]
    fn more_workers_than_blocks() {
        assert_eq!(kernel(1000, 16), "168 primes");
    }
}
