// parallel workload, Node.js implementation with worker_threads: count the
// primes p <= size by trial division, split across `workers` worker threads,
// and report "<count> primes".
//
// 2 is counted by the kernel itself. The odd candidates 3, 5, 7, ... <= size
// are cut into blocks of BLOCK consecutive odd numbers, and the blocks are
// dealt round-robin: worker w of W tests blocks w, w + W, w + 2W, ... Every
// worker posts back its count and the kernel sums them, so the result does
// not depend on W.
//
// This file is both the main program and the worker's script. Starting a
// worker thread costs tens of milliseconds (a new V8 isolate and event loop),
// so the pool of W workers is created at the first kernel call (the protocol's
// warm-up iteration) and reused by every later call in the process. Each call
// posts { worker, workers, size } to every worker and awaits the W counts.
"use strict";

const { once } = require("node:events");
const { Worker, isMainThread, parentPort } = require("node:worker_threads");

// How many consecutive odd candidates make one block of the split.
const BLOCK = 1024;

// Reports whether the odd number c >= 3 is prime, by trial division by the
// odd divisors d from 3 while d * d <= c.
function isOddPrime(c) {
  for (let d = 3; d * d <= c; d += 2) {
    if (c % d === 0) return false;
  }
  return true;
}

// Counts the primes among the odd candidates <= size that belong to worker
// `worker` of `workers`: blocks worker, worker + workers, ...
function countShare(size, worker, workers) {
  let count = 0;
  // The first candidate of block b is 3 + 2 * BLOCK * b.
  for (let first = 3 + 2 * BLOCK * worker; first <= size; first += 2 * BLOCK * workers) {
    const end = Math.min(first + 2 * BLOCK, size + 1);
    for (let c = first; c < end; c += 2) {
      if (isOddPrime(c)) count++;
    }
  }
  return count;
}

// The worker pool, created by the first kernel call; one W per process.
let pool = [];

// Returns a pool of `workers` worker threads, creating it if needed. The
// workers are unref'd between calls so that they never keep the process
// alive after the last iteration.
function getPool(workers) {
  if (pool.length !== workers) {
    for (const worker of pool) worker.terminate();
    pool = Array.from({ length: workers }, () => {
      const worker = new Worker(__filename);
      worker.unref();
      return worker;
    });
  }
  return pool;
}

// The workload kernel: the primes up to size, counted by `workers` worker
// threads.
async function kernel(size, workers) {
  const threads = getPool(workers);
  // While a call waits for the counts, the workers must hold the event loop
  // open: with nothing else pending, an unref'd worker would let the process
  // exit in the middle of the call.
  for (const worker of threads) worker.ref();
  try {
    const replies = threads.map((worker, w) => {
      const reply = once(worker, "message");
      worker.postMessage({ worker: w, workers, size });
      return reply;
    });
    let count = size >= 2 ? 1 : 0; // 2
    for (const [share] of await Promise.all(replies)) count += share;
    return `${count} primes`;
  } finally {
    for (const worker of threads) worker.unref();
  }
}

if (isMainThread) {
  const { mainWorkers } = require("../../protocol/node/protocol.js");
  mainWorkers(kernel);
} else {
  parentPort.on("message", ({ worker, workers, size }) => {
    parentPort.postMessage(countShare(size, worker, workers));
  });
}
