// tasks workload, Node.js implementation: start `size` concurrent tasks that
// each wait one second on a timer, wait for all of them, and report how many
// completed as "<count> tasks".
//
// Every task is a Promise resolved by its own setTimeout, and Promise.all
// waits for all of them, the way a Node developer waits for many timers.
//
// Why this file does not call the protocol helper's main(): main() calls the
// kernel synchronously and expects a string, but a Node kernel that waits on
// timers can only return a Promise, and Node cannot block until one settles.
// So this program runs the same protocol itself with an async loop: the same
// arguments (parsed by the helper's own parseArgs, so they are checked the
// same way), the same monotonic clock (process.hrtime.bigint), the same one
// JSON line on stdout and the same exit statuses (2 bad arguments, 3
// iterations that disagree).
"use strict";

const { parseArgs } = require("../../protocol/node/protocol.js");

// How long every task waits, in milliseconds.
const WAIT_MS = 1000;

// The workload kernel: `size` promises, each resolved with 1 by its own 1 s
// timer (setTimeout passes its third argument to the callback). Summing the
// resolved values counts the tasks that really completed.
async function kernel(size) {
  const tasks = new Array(size);
  for (let i = 0; i < size; i++) {
    tasks[i] = new Promise((resolve) => setTimeout(resolve, WAIT_MS, 1));
  }
  const done = await Promise.all(tasks);
  let completed = 0;
  for (const one of done) completed += one;
  return `${completed} tasks`;
}

// The protocol loop of ../../protocol/node/protocol.js, awaiting the kernel.
async function main() {
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
    const r = await kernel(params.size);
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

main().catch((e) => {
  // Anything unexpected (e.g. a RangeError for an array too large) is one
  // line on stderr and a non-zero status, never a partial protocol line.
  process.stderr.write(`error: ${e.message}\n`);
  process.exit(1);
});
