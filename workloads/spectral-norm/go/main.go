// spectral-norm workload (Go): the spectral norm of the n x n truncation of the
// infinite matrix A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1), by the power method on
// AᵀA. Same algorithm and data layout as the Rust, Node.js and Python
// implementations: plain []float64 vectors, sequential loops, matrix entries
// computed on the fly (the matrix is never stored).
package main

import (
	"fmt"
	"math"

	protocol "langbench/workloads/protocol/go"
)

// rounds is the number of power-method rounds; each applies AᵀA twice (u -> v -> u).
const rounds = 10

// evalA returns entry (i, j) of the matrix, both indices 0-based. The
// denominator is computed in integer arithmetic (exact) and only then converted,
// so every language gets the same value for it.
func evalA(i, j int) float64 {
	ij := i + j
	return 1.0 / float64(ij*(ij+1)/2+i+1)
}

// multiplyAv sets out = A · v.
func multiplyAv(v, out []float64) {
	for i := range out {
		// Plain left-to-right sum, the same order in all four languages.
		sum := 0.0
		for j, vj := range v {
			sum += evalA(i, j) * vj
		}
		out[i] = sum
	}
}

// multiplyAtv sets out = Aᵀ · v.
func multiplyAtv(v, out []float64) {
	for i := range out {
		sum := 0.0
		for j, vj := range v {
			sum += evalA(j, i) * vj
		}
		out[i] = sum
	}
}

// multiplyAtAv sets out = Aᵀ · (A · v); tmp holds the intermediate A · v.
func multiplyAtAv(v, out, tmp []float64) {
	multiplyAv(v, tmp)
	multiplyAtv(tmp, out)
}

// dot returns the dot product of a and b, summed left to right.
func dot(a, b []float64) float64 {
	sum := 0.0
	for i := range a {
		sum += a[i] * b[i]
	}
	return sum
}

// spectralNorm returns the spectral norm estimate for the n x n truncation of A.
func spectralNorm(n int) float64 {
	u := make([]float64, n)
	for i := range u {
		u[i] = 1.0
	}
	v := make([]float64, n)
	tmp := make([]float64, n)
	for r := 0; r < rounds; r++ {
		multiplyAtAv(u, v, tmp)
		multiplyAtAv(v, u, tmp)
	}
	return math.Sqrt(dot(u, v) / dot(v, v))
}

// kernel is the workload kernel: size is n; the result is the norm with 9 decimals.
func kernel(size uint64) string {
	return fmt.Sprintf("%.9f", spectralNorm(int(size)))
}

func main() { protocol.Main(kernel) }
