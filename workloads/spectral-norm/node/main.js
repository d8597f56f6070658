// spectral-norm workload (Node.js): the spectral norm of the n x n truncation of
// the infinite matrix A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1), by the power method
// on AᵀA. Same algorithm and data layout as the Rust, Go and Python
// implementations: flat vectors of doubles, sequential loops, matrix entries
// computed on the fly (the matrix is never stored).
//
// Vectors are Float64Array: a fixed-length, contiguous array of doubles is the
// JavaScript type that corresponds to Vec<f64> / []float64 (a plain Array would
// also work, but leaves the element representation up to the engine).
"use strict";

const { main } = require("../../protocol/node/protocol.js");

// Number of power-method rounds; each applies AᵀA twice (u -> v -> u).
const ROUNDS = 10;

// Entry (i, j) of the matrix, both indices 0-based. The denominator is an exact
// integer (well below 2^53), so every language gets the same value for it.
function evalA(i, j) {
  const ij = i + j;
  return 1 / ((ij * (ij + 1)) / 2 + i + 1);
}

// out = A · v
function multiplyAv(v, out) {
  const n = v.length;
  for (let i = 0; i < out.length; i++) {
    // Plain left-to-right sum, the same order in all four languages.
    let sum = 0;
    for (let j = 0; j < n; j++) {
      sum += evalA(i, j) * v[j];
    }
    out[i] = sum;
  }
}

// out = Aᵀ · v
function multiplyAtv(v, out) {
  const n = v.length;
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      sum += evalA(j, i) * v[j];
    }
    out[i] = sum;
  }
}

// out = Aᵀ · (A · v); tmp holds the intermediate A · v.
function multiplyAtAv(v, out, tmp) {
  multiplyAv(v, tmp);
  multiplyAtv(tmp, out);
}

// Dot product, summed left to right.
function dot(a, b) {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    sum += a[i] * b[i];
  }
  return sum;
}

// The spectral norm estimate for the n x n truncation of A.
function spectralNorm(n) {
  const u = new Float64Array(n).fill(1);
  const v = new Float64Array(n);
  const tmp = new Float64Array(n);
  for (let r = 0; r < ROUNDS; r++) {
    multiplyAtAv(u, v, tmp);
    multiplyAtAv(v, u, tmp);
  }
  return Math.sqrt(dot(u, v) / dot(v, v));
}

// The workload kernel: size is n; the result is the norm with 9 decimals.
function kernel(size) {
  return spectralNorm(size).toFixed(9);
}

main(kernel);
