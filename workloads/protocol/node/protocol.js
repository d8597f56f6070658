// The langbench workload protocol for Node.js implementations.
//
// A workload calls main(kernel). main reads --size N --iterations K, runs the
// kernel K times, times each call with the monotonic clock
// (process.hrtime.bigint), checks that every call returned the same result and
// prints one JSON line: {"result":"...","iterations_ns":[...]}. Bad arguments
// exit with status 2; iterations that disagree exit with status 3.
"use strict";

function parseArgs(args) {
  const params = {};
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i];
    if (flag !== "--size" && flag !== "--iterations") {
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

// A kernel may also return a Promise (one that waits on timers, say): it is
// awaited inside the timed region. A synchronous kernel never reaches an
// await, so its timing and output are exactly as before.
async function run(kernel) {
  let params;
  try {
    params = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`error: ${e.message}\nusage: --size N --iterations K\n`);
    process.exit(2);
  }
  const times = [];
  let result;
  for (let i = 0; i < params.iterations; i++) {
    const start = process.hrtime.bigint();
    let r = kernel(params.size);
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

function main(kernel) {
  run(kernel).catch((e) => {
    // Anything unexpected (e.g. a RangeError) is one line on stderr and a
    // non-zero status, never a partial protocol line.
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(1);
  });
}

module.exports = { main, parseArgs };
