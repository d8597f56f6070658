// Package protocol is the langbench workload protocol for Go implementations.
//
// A workload's main calls Main with its kernel. Main reads --size N --iterations K,
// runs the kernel K times, times each call with the monotonic clock, checks that
// every call returned the same result and prints one JSON line:
// {"result":"...","iterations_ns":[...]}. Bad arguments exit with status 2;
// iterations that disagree exit with status 3.
package protocol

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"
)

// Params are the parameters every workload takes on its command line.
type Params struct {
	Size       uint64
	Iterations uint64
}

// ParseArgs parses --size N --iterations K (in any order).
func ParseArgs(args []string) (Params, error) {
	var p Params
	for i := 0; i < len(args); i++ {
		var slot *uint64
		switch args[i] {
		case "--size":
			slot = &p.Size
		case "--iterations":
			slot = &p.Iterations
		default:
			return p, fmt.Errorf("unknown argument '%s'", args[i])
		}
		if i+1 >= len(args) {
			return p, fmt.Errorf("%s needs a value", args[i])
		}
		n, err := strconv.ParseUint(args[i+1], 10, 64)
		if err != nil {
			return p, fmt.Errorf("%s wants a positive integer, got '%s'", args[i], args[i+1])
		}
		if n == 0 {
			return p, fmt.Errorf("%s must be at least 1", args[i])
		}
		*slot = n
		i++
	}
	if p.Size == 0 {
		return p, fmt.Errorf("missing --size")
	}
	if p.Iterations == 0 {
		return p, fmt.Errorf("missing --iterations")
	}
	return p, nil
}

type output struct {
	Result       string   `json:"result"`
	IterationsNs []uint64 `json:"iterations_ns"`
}

// Main runs kernel(size) the requested number of times and prints the protocol line.
func Main(kernel func(size uint64) string) {
	p, err := ParseArgs(os.Args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\nusage: --size N --iterations K\n", err)
		os.Exit(2)
	}
	out := output{IterationsNs: make([]uint64, 0, p.Iterations)}
	for i := uint64(0); i < p.Iterations; i++ {
		start := time.Now()
		r := kernel(p.Size)
		out.IterationsNs = append(out.IterationsNs, uint64(time.Since(start).Nanoseconds()))
		if i == 0 {
			out.Result = r
		} else if r != out.Result {
			fmt.Fprintf(os.Stderr, "error: iteration %d returned '%s', iteration 0 returned '%s'\n", i, r, out.Result)
			os.Exit(3)
		}
	}
	line, err := json.Marshal(out)
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(string(line))
}
