// tasks workload, Go implementation: start `size` goroutines that each
// sleep one second, wait for all of them with a sync.WaitGroup, and report how
// many completed as "<count> tasks".
//
// A goroutine per task is how Go code waits on many things at once; the
// runtime parks every sleeping goroutine on its timer heap, so no OS thread is
// held while it waits. GOMAXPROCS and stack sizes stay at their defaults.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	protocol "langbench/workloads/protocol/go"
)

// wait is how long every task sleeps.
const wait = time.Second

// kernel starts `size` sleeping goroutines, waits for all of them and counts
// the ones that finished, so the result proves every task really completed.
func kernel(size uint64) string {
	var wg sync.WaitGroup
	var completed atomic.Uint64
	for i := uint64(0); i < size; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(wait)
			completed.Add(1)
		}()
	}
	wg.Wait()
	return fmt.Sprintf("%d tasks", completed.Load())
}

func main() {
	protocol.Main(kernel)
}
