// Command http is the langbench I/O-suite server, Go implementation.
//
// It serves three endpoints over HTTP/1.1 with keep-alive using only the
// standard library's net/http:
//
//	GET /json      -> {"message":"Hello, World!"}, serialised per request
//	GET /io?ms=M   -> waits M milliseconds without blocking the server, then {"waited_ms":M}
//	GET /cpu?n=N   -> counts the primes below N by trial division on the request path, then {"primes":COUNT}
//
// Everything else is 404; a missing or malformed query parameter is 400.
// Usage: http --port N (0 lets the OS pick a free port). The server binds
// 127.0.0.1 only, prints {"ready":true,"port":PORT} on stdout once it is
// listening and shuts down with exit status 0 on SIGTERM or SIGINT.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// shutdownGrace bounds how long in-flight requests may run after a signal;
// the protocol asks for the process to be gone within a second.
const shutdownGrace = 500 * time.Millisecond

// helloMessage is the /json payload; it is marshalled on every request
// (TechEmpower's JSON test rule: no pre-serialised bytes).
type helloMessage struct {
	Message string `json:"message"`
}

type ioResult struct {
	WaitedMs int `json:"waited_ms"`
}

type cpuResult struct {
	Primes int `json:"primes"`
}

type errorBody struct {
	Error string `json:"error"`
}

// writeJSON serialises v and sends it with an explicit Content-Length.
// json.Marshal is used rather than json.Encoder because the encoder appends
// a newline, which would change the body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// queryInt reads a query parameter that must be a plain decimal integer in
// [0, 2^31-1]. Only ASCII digits are accepted (no sign, no spaces, no
// exponent) so that every implementation of the suite agrees on what "bad"
// means; the upper bound is the largest delay every runtime's timer supports.
func queryInt(r *http.Request, name string) (int, bool) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v > math.MaxInt32 {
		return 0, false
	}
	return int(v), true
}

// countPrimesBelow counts the primes below n by naive trial division: 2 is
// prime, and every odd candidate c >= 3 is tried against the odd divisors d
// from 3 while d*d <= c. The work is deliberately done on the request path,
// as a naive backend would.
func countPrimesBelow(n int) int {
	if n <= 2 {
		return 0
	}
	count := 1 // 2
	for c := 3; c < n; c += 2 {
		prime := true
		for d := 3; d*d <= c; d += 2 {
			if c%d == 0 {
				prime = false
				break
			}
		}
		if prime {
			count++
		}
	}
	return count
}

// route dispatches on the exact path; only GET is served, and anything
// else (other paths, other methods) is 404.
func route(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeJSON(w, http.StatusNotFound, errorBody{"not found"})
		return
	}
	switch r.URL.Path {
	case "/json":
		writeJSON(w, http.StatusOK, helloMessage{Message: "Hello, World!"})
	case "/io":
		ms, ok := queryInt(r, "ms")
		if !ok {
			writeJSON(w, http.StatusBadRequest, errorBody{"ms must be an integer in [0, 2147483647]"})
			return
		}
		// Each request runs on its own goroutine, so sleeping here parks
		// only this goroutine on the runtime's timer; the server keeps serving.
		time.Sleep(time.Duration(ms) * time.Millisecond)
		writeJSON(w, http.StatusOK, ioResult{WaitedMs: ms})
	case "/cpu":
		n, ok := queryInt(r, "n")
		if !ok {
			writeJSON(w, http.StatusBadRequest, errorBody{"n must be an integer in [0, 2147483647]"})
			return
		}
		writeJSON(w, http.StatusOK, cpuResult{Primes: countPrimesBelow(n)})
	default:
		writeJSON(w, http.StatusNotFound, errorBody{"not found"})
	}
}

func usage(msg string) {
	fmt.Fprintf(os.Stderr, "error: %s\nusage: %s --port N\n", msg, os.Args[0])
	os.Exit(2)
}

// parsePort accepts exactly "--port N" with N a decimal port number.
func parsePort(args []string) int {
	if len(args) != 2 || args[0] != "--port" {
		usage("expected exactly --port N")
	}
	for i := 0; i < len(args[1]); i++ {
		if args[1][i] < '0' || args[1][i] > '9' {
			usage(fmt.Sprintf("--port wants an integer in [0, 65535], got %q", args[1]))
		}
	}
	port, err := strconv.Atoi(args[1])
	if err != nil || port > 65535 {
		usage(fmt.Sprintf("--port wants an integer in [0, 65535], got %q", args[1]))
	}
	return port
}

func main() {
	port := parsePort(os.Args[1:])
	log.SetOutput(os.Stderr)

	// Listen first so that the ready line carries the real port (also when 0
	// was asked) and is only printed once connections can be accepted.
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		log.Fatalf("listen: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	server := &http.Server{Handler: http.HandlerFunc(route)}
	serveErr := make(chan error, 1)
	go func() { serveErr <- server.Serve(ln) }()

	// os.Stdout is unbuffered, so the line is flushed as soon as it is written.
	ready, _ := json.Marshal(struct {
		Ready bool `json:"ready"`
		Port  int  `json:"port"`
	}{true, ln.Addr().(*net.TCPAddr).Port})
	fmt.Fprintf(os.Stdout, "%s\n", ready)

	select {
	case err := <-serveErr:
		log.Fatalf("serve: %v", err)
	case <-ctx.Done():
	}

	// Stop accepting, close idle keep-alive connections and give in-flight
	// requests a short grace period; whatever is still running after that is
	// cut off so the process always exits promptly.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			server.Close()
		} else {
			log.Printf("shutdown: %v", err)
		}
	}
}
