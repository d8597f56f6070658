// langbench I/O-suite server, Node.js implementation.
//
// It serves three endpoints over HTTP/1.1 with keep-alive using only the
// built-in http module:
//
//   GET /json      -> {"message":"Hello, World!"}, serialised per request
//   GET /io?ms=M   -> waits M milliseconds on a timer without blocking the event loop, then {"waited_ms":M}
//   GET /cpu?n=N   -> counts the primes below N by trial division on the request path, then {"primes":COUNT}
//
// Everything else is 404; a missing or malformed query parameter is 400.
// Usage: node main.js --port N (0 lets the OS pick a free port). The server
// binds 127.0.0.1 only, prints {"ready":true,"port":PORT} on stdout once it is
// listening and shuts down with exit status 0 on SIGTERM or SIGINT.
"use strict";

const http = require("http");
const { setTimeout: sleep } = require("timers/promises");

// Bounds how long in-flight requests may run after a signal; the protocol
// asks for the process to be gone within a second.
const SHUTDOWN_GRACE_MS = 500;

const MAX_PARAM = 2147483647;

// Sends obj as JSON with an explicit Content-Length (in bytes, not
// characters). JSON.stringify runs on every request (TechEmpower's JSON test
// rule: no pre-serialised bytes).
function sendJson(res, status, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}

// Reads a query parameter that must be a plain decimal integer in
// [0, 2^31-1]. Only ASCII digits are accepted (no sign, no spaces, no
// exponent) so that every implementation of the suite agrees on what "bad"
// means; the upper bound is also the largest delay setTimeout supports.
// Returns null when the parameter is missing or malformed.
function queryInt(params, name) {
  const s = params.get(name);
  if (s === null || !/^[0-9]+$/.test(s)) return null;
  const v = Number(s);
  return v <= MAX_PARAM ? v : null;
}

// Counts the primes below n by naive trial division: 2 is prime, and every
// odd candidate c >= 3 is tried against the odd divisors d from 3 while
// d*d <= c. The work is deliberately done on the request path (blocking the
// event loop), as a naive backend would.
function countPrimesBelow(n) {
  if (n <= 2) return 0;
  let count = 1; // 2
  for (let c = 3; c < n; c += 2) {
    let prime = true;
    for (let d = 3; d * d <= c; d += 2) {
      if (c % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

// Dispatches on the exact path; only GET is served, and anything else (other
// paths, other methods) is 404. The URL is split by hand rather than with
// new URL(), which would read a path such as "//json" as a host name.
async function route(req, res) {
  if (req.method !== "GET") {
    sendJson(res, 404, { error: "not found" });
    return;
  }
  const q = req.url.indexOf("?");
  const path = q === -1 ? req.url : req.url.slice(0, q);
  const params = new URLSearchParams(q === -1 ? "" : req.url.slice(q + 1));

  switch (path) {
    case "/json":
      sendJson(res, 200, { message: "Hello, World!" });
      return;
    case "/io": {
      const ms = queryInt(params, "ms");
      if (ms === null) {
        sendJson(res, 400, { error: "ms must be an integer in [0, 2147483647]" });
        return;
      }
      // A timer promise: the event loop keeps serving other requests meanwhile.
      await sleep(ms);
      sendJson(res, 200, { waited_ms: ms });
      return;
    }
    case "/cpu": {
      const n = queryInt(params, "n");
      if (n === null) {
        sendJson(res, 400, { error: "n must be an integer in [0, 2147483647]" });
        return;
      }
      sendJson(res, 200, { primes: countPrimesBelow(n) });
      return;
    }
    default:
      sendJson(res, 404, { error: "not found" });
  }
}

function usage(msg) {
  process.stderr.write(`error: ${msg}\nusage: node main.js --port N\n`);
  process.exit(2);
}

// Accepts exactly "--port N" with N a decimal port number.
function parsePort(args) {
  if (args.length !== 2 || args[0] !== "--port") usage("expected exactly --port N");
  const port = /^[0-9]+$/.test(args[1]) ? Number(args[1]) : NaN;
  if (!(port <= 65535)) usage(`--port wants an integer in [0, 65535], got '${args[1]}'`);
  return port;
}

function main() {
  const port = parsePort(process.argv.slice(2));

  const server = http.createServer((req, res) => {
    route(req, res).catch((err) => {
      // Never let a failed request take the process down; report on stderr.
      process.stderr.write(`request failed: ${err && err.stack ? err.stack : err}\n`);
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.destroy();
    });
  });

  server.on("error", (err) => {
    process.stderr.write(`server error: ${err.message}\n`);
    process.exit(1);
  });

  // The listen callback runs once the socket is bound and listening, so the
  // ready line carries the real port (also when 0 was asked). Writes to
  // stdout are synchronous for files and pipes on Linux, so it is flushed.
  server.listen(port, "127.0.0.1", () => {
    process.stdout.write(JSON.stringify({ ready: true, port: server.address().port }) + "\n");
  });

  let stopping = false;
  function shutdown() {
    if (stopping) return;
    stopping = true;
    // Stop accepting and close idle keep-alive connections; exit as soon as
    // the in-flight requests are done, or after a short grace period at the
    // latest (unref'd so it does not itself keep the process alive).
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, SHUTDOWN_GRACE_MS).unref();
  }
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main();
