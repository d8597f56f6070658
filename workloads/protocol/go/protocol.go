// Package protocol is the langbench workload protocol for Go implementations.
//
// A workload's main calls Main with its kernel. Main reads --size N --iterations K,
// runs the kernel K times, times each call with the monotonic clock, checks that
// every call returned the same result and prints one JSON line:
// {"result":"...","iterations_ns":[...]}. Bad arguments exit with status 2;
// iterations that disagree exit with status 3.
//
// A kernel that splits its work across workers calls MainWorkers instead: it
// also accepts --workers W (default 1) and passes W to the kernel. Main keeps
// rejecting --workers, so no other workload changes.
package protocol

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"
)

// The usage lines of Main and MainWorkers.
const (
	usage        = "usage: --size N --iterations K"
	usageWorkers = "usage: --size N --iterations K [--workers W]"
)

// Params are the parameters every workload takes on its command line.
type Params struct {
	Size       uint64
	Iterations uint64
	// Workers is how many workers the kernel splits its work across; 1 unless
	// the workload takes --workers and it was given.
	Workers uint64
}

// ParseArgs parses --size N --iterations K (in any order).
func ParseArgs(args []string) (Params, error) {
	return parse(args, false)
}

// ParseArgsWorkers parses --size N --iterations K [--workers W] (in any
// order); Workers is 1 when --workers is not given.
func ParseArgsWorkers(args []string) (Params, error) {
	return parse(args, true)
}

// parse parses the arguments; --workers is an unknown argument unless withWorkers.
func parse(args []string, withWorkers bool) (Params, error) {
	p := Params{Workers: 1}
	for i := 0; i < len(args); i++ {
		var slot *uint64
		switch {
		case args[i] == "--size":
			slot = &p.Size
		case args[i] == "--iterations":
			slot = &p.Iterations
		case args[i] == "--workers" && withWorkers:
			slot = &p.Workers
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
		exitUsage(err, usage)
	}
	run(p.Iterations, func() string { return kernel(p.Size) })
}

// MainWorkers runs kernel(size, workers) the requested number of times and
// prints the protocol line; --workers W is optional and defaults to 1.
func MainWorkers(kernel func(size, workers uint64) string) {
	p, err := ParseArgsWorkers(os.Args[1:])
	if err != nil {
		exitUsage(err, usageWorkers)
	}
	run(p.Iterations, func() string { return kernel(p.Size, p.Workers) })
}

// exitUsage prints err and the usage line on stderr and exits with status 2.
func exitUsage(err error, usageLine string) {
	fmt.Fprintf(os.Stderr, "error: %v\n%s\n", err, usageLine)
	os.Exit(2)
}

// run calls kernel the given number of times, timing each call, and prints
// the protocol line; it exits with status 3 if a call returns a different
// result than the first.
func run(iterations uint64, kernel func() string) {
	out := output{IterationsNs: make([]uint64, 0, iterations)}
	for i := uint64(0); i < iterations; i++ {
		start := time.Now()
		r := kernel()
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
