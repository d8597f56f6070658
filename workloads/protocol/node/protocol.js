// The langbench workload protocol for Node.js implementations.
//
// A workload calls main(kernel). main reads --size N --iterations K, runs the
// kernel K times, times each call with the monotonic clock
// (process.hrtime.bigint), checks that every call returned the same result and
// prints one JSON line: {"result":"...","iterations_ns":[...]}. Bad arguments
// exit with status 2; iterations that disagree exit with status 3.
//
// A kernel that splits its work across workers calls mainWorkers(kernel)
// instead: it also accepts --workers W (default 1) and calls kernel(size, W).
// main keeps rejecting --workers, so no other workload changes.
"use strict";

const USAGE = "usage: --size N --iterations K";
const USAGE_WORKERS = "usage: --size N --iterations K [--workers W]";

// Parses the arguments into { size, iterations, workers }; --workers is an
// unknown argument unless withWorkers, and workers is 1 when not given.
function parseArgs(args, withWorkers = false) {
  const params = { workers: 1 };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i];
    if (flag !== "--size" && flag !== "--iterations" && !(withWorkers && flag === "--workers")) {
      throw new Error(`unknown argument '${flag}'`);
    }
    if (i + 1 >= args.length) throw new Error(`${flag} needs a value`);
    const value = args[i + 1];
    if (!/^[0-9]+$/.test(value)) {
      throw new Error(`${flag} wants a positive integer, got '${value}'`);
    }
    const n = Number(value);
    if (n === 0) throw new Error(`${flag} must be at least 1`);
    params[flag.slice(2)] = n;
  }
  if (params.size === undefined) throw new Error("missing --size");
  if (params.iterations === undefined) throw new Error("missing --iterations");
  return params;
}

// Parses the command line (exiting with status 2 and `usage` on a bad one),
// then times `call(params)` once per iteration and prints the protocol line.
//
// A kernel may also return a Promise (one that waits on timers or on worker
// threads, say): it is awaited inside the timed region. A synchronous kernel
// never reaches an await, so its timing and output are exactly as before.
async function run(withWorkers, usage, call) {
  let params;
  try {
    params = parseArgs(process.argv.slice(2), withWorkers);
  } catch (e) {
    process.stderr.write(`error: ${e.message}\n${usage}\n`);
    process.exit(2);
  }
  const times = [];
  let result;
  for (let i = 0; i < params.iterations; i++) {
    const start = process.hrtime.bigint();
    let r = call(params);
    if (r instanceof Promise) r = await r;
    times.push(Number(process.hrtime.bigint() - start));
    if (i === 0) {
      result = r;
    } else if (r !== result) {
      process.stderr.write(`error: iteration ${i} returned '${r}', iteration 0 returned '${result}'\n`);
      process.exit(3);
    }
  }
  process.stdout.write(JSON.stringify({ result, iterations_ns: times }) + "\n");
}

// Runs the protocol; an unexpected error ends the process with status 1.
function start(withWorkers, usage, call) {
  run(withWorkers, usage, call).catch((e) => {
    // Anything unexpected (e.g. a RangeError) is one line on stderr and a
    // non-zero status, never a partial protocol line.
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(1);
  });
}

// Runs kernel(size) the requested number of times and prints the protocol line.
function main(kernel) {
  start(false, USAGE, (params) => kernel(params.size));
}

// Runs kernel(size, workers) the requested number of times and prints the
// protocol line; --workers W is optional and defaults to 1.
function mainWorkers(kernel) {
  start(true, USAGE_WORKERS, (params) => kernel(params.size, params.workers));
}

module.exports = { main, mainWorkers, parseArgs };
