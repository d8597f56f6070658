// tasks workload, Node.js implementation: start `size` concurrent tasks that
// each wait one second on a timer, wait for all of them, and report how many
// completed as "<count> tasks".
//
// Every task is a Promise resolved by its own setTimeout, and Promise.all
// waits for all of them, the way a Node developer waits for many timers.
//
"use strict";

const { main } = require("../../protocol/node/protocol.js");

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

main(kernel);
