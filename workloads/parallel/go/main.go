// parallel workload, Go implementation: count the primes p <= size by trial
// division, split across `workers` goroutines, and report "<count> primes".
//
// 2 is counted by the kernel itself. The odd candidates 3, 5, 7, ... <= size
// are cut into blocks of `block` consecutive odd numbers, and the blocks are
// dealt round-robin: worker w of W tests blocks w, w+W, w+2W, ... Every
// goroutine writes its count into its own slot of a slice, a sync.WaitGroup
// waits for all of them, and the kernel sums the slots, so the result does not
// depend on W.
//
// Each call starts its W goroutines afresh: starting a goroutine costs about a
// microsecond, nothing next to the work. GOMAXPROCS stays at its default (the
// number of CPUs), so the goroutines run on that many OS threads.
package main

import (
	"fmt"
	"sync"

	protocol "langbench/workloads/protocol/go"
)

// block is how many consecutive odd candidates make one block of the split.
const block = 1024

// isOddPrime reports whether the odd number c >= 3 is prime, by trial
// division by the odd divisors d from 3 while d*d <= c.
func isOddPrime(c int) bool {
	for d := 3; d*d <= c; d += 2 {
		if c%d == 0 {
			return false
		}
	}
	return true
}

// countShare counts the primes among the odd candidates <= size that belong
// to worker `worker` of `workers`: blocks worker, worker+workers, ...
func countShare(size, worker, workers int) int {
	count := 0
	// The first candidate of block b is 3 + 2*block*b.
	for first := 3 + 2*block*worker; first <= size; first += 2 * block * workers {
		end := min(first+2*block, size+1)
		for c := first; c < end; c += 2 {
			if isOddPrime(c) {
				count++
			}
		}
	}
	return count
}

// countPrimes counts the primes p <= size with `workers` goroutines.
func countPrimes(size, workers int) int {
	counts := make([]int, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		// w is passed in: go.mod says go 1.21, where loop variables are shared
		// by all iterations.
		go func(w int) {
			defer wg.Done()
			counts[w] = countShare(size, w, workers)
		}(w)
	}
	wg.Wait()
	total := 0
	if size >= 2 {
		total = 1 // 2
	}
	for _, n := range counts {
		total += n
	}
	return total
}

// kernel is the workload kernel: the primes up to size, counted by `workers`
// goroutines.
func kernel(size, workers uint64) string {
	return fmt.Sprintf("%d primes", countPrimes(int(size), int(workers)))
}

func main() {
	protocol.MainWorkers(kernel)
}
