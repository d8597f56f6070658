"""langbench I/O suite, workload "http": a second Python server (Flask on Waitress).

The same HTTP/1.1 server as `../python/` (FastAPI on uvicorn), written the way a
synchronous Python service is: a Flask (WSGI) application served by Waitress, the
pure-Python threaded production WSGI server among those Flask's deployment
documentation lists. It follows the suite's protocol:

* `main.py --port N` binds 127.0.0.1:N (N = 0 lets the OS choose), prints exactly one
  line `{"ready":true,"port":PORT}` on stdout once it listens, and nothing else there
  ever;
* SIGTERM or SIGINT: stop accepting, give in-flight requests up to 0.5 s, exit 0;
* `GET /json` -> `{"message":"Hello, World!"}`, serialised on every request;
* `GET /io?ms=M` -> blocks its worker thread for M ms (`time.sleep`, as synchronous
  code waits on a database call), then `{"waited_ms":M}`;
* `GET /cpu?n=N` -> counts the primes below N by trial division, then
  `{"primes":COUNT}`;
* a missing or bad query parameter -> 400, any other path -> 404.

Waitress runs at its defaults: 4 worker threads, at most 100 open connections, a
listen backlog of 1024. Every request holds one of the 4 threads from start to end,
so /io?ms=10 can never exceed 4 / 10 ms = 400 requests/s, whatever the concurrency.
That limit is the point of this variant (what async buys), so nothing is tuned.
requirements.txt pins the exact versions.
"""

import argparse
import json
import logging
import signal
import sys
import time

from flask import Flask, Response, request
from waitress import create_server
from waitress.wasyncore import ExitNow
from werkzeug.exceptions import HTTPException

# In-flight requests get this long to finish after SIGTERM or SIGINT; then the
# process exits, abandoning Waitress's (daemon) worker threads.
SHUTDOWN_GRACE_S = 0.5

app = Flask(__name__)


def json_response(obj: object, status: int = 200) -> Response:
    # Serialised per request (TechEmpower's JSON test rule), compact, as FastAPI's
    # JSONResponse does. Flask's own jsonify (and returning a dict) appends a newline
    # to the body, which the protocol's exact bodies do not have.
    return Response(json.dumps(obj, separators=(",", ":")), status=status, mimetype="application/json")


def bad_query() -> Response:
    # The same 400 body as the FastAPI server.
    return json_response({"detail": "bad query parameter"}, 400)


@app.errorhandler(HTTPException)
def http_error(e: HTTPException) -> Response:
    # JSON error bodies as FastAPI answers them (`{"detail":"Not Found"}`), instead of
    # Flask's HTML pages; headers such as Allow on a 405 are kept.
    response = e.get_response()
    response.set_data(json.dumps({"detail": e.name}, separators=(",", ":")))
    response.mimetype = "application/json"
    return response


@app.get("/json")
def json_endpoint() -> Response:
    return json_response({"message": "Hello, World!"})


@app.get("/io")
def io_endpoint() -> Response:
    # Werkzeug's `type=int` gives None for a missing or non-integer value.
    ms = request.args.get("ms", type=int)
    if ms is None or ms < 0:
        return bad_query()
    # A blocking wait, as synchronous code waits on a database driver: the worker
    # thread is held (the GIL is released) until it returns.
    time.sleep(ms / 1000)
    return json_response({"waited_ms": ms})


@app.get("/cpu")
def cpu_endpoint() -> Response:
    n = request.args.get("n", type=int)
    if n is None or n < 0:
        return bad_query()
    # Runs in the worker thread that took the request; the GIL lets only one thread
    # run Python code at a time.
    return json_response({"primes": count_primes_below(n)})


def count_primes_below(n: int) -> int:
    """Counts the primes below n by trial division: 2, then every odd candidate
    c >= 3 that no odd divisor d with d * d <= c divides. The same loop in all the
    implementations, so the work per request is identical."""
    if n <= 2:
        return 0
    count = 1  # 2
    for c in range(3, n, 2):
        d = 3
        while d * d <= c:
            if c % d == 0:
                break
            d += 2
        else:
            count += 1
    return count


def parse_args(argv: list[str]) -> argparse.Namespace:
    # argparse prints the usage on stderr and exits 2 for any other argument.
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="langbench http workload server (Flask on Waitress)",
        allow_abbrev=False,
    )
    parser.add_argument("--port", type=int, required=True, help="TCP port on 127.0.0.1; 0 lets the OS pick one")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, not {args.port}")
    return args


def stop(signum: int, frame: object) -> None:
    # Waitress installs no signal handlers. Its event loop (in this, the main thread)
    # re-raises ExitNow from every handler, and server.run() lets it through (it
    # catches only SystemExit and KeyboardInterrupt, then waits up to 5 s for the
    # worker threads), so main() decides how long the in-flight requests get.
    raise ExitNow


def main() -> None:
    args = parse_args(sys.argv[1:])
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)

    # Waitress logs its capacity warnings on stderr: "Task queue depth is N" (logger
    # waitress.queue) for every request that has to wait for a free thread, which
    # under load is almost every request, and "total open connections reached the
    # connection limit" each time the 100 connections fill up again, which at
    # c = 1000 is many times a second. Both say the expected thing (4 threads, 100
    # connections) thousands of times and cost the event loop time, so only errors
    # (such as an exception in a request) are let through. Nothing is logged per
    # request, and no handler is configured: errors reach stderr through logging's
    # last-resort handler.
    logging.getLogger("waitress").setLevel(logging.ERROR)

    # create_server binds and listens at once (serve() would also print "Serving on"
    # on stderr and configure logging); connections made from the ready line on wait
    # in the backlog until server.run() accepts them a moment later.
    server = create_server(app, host="127.0.0.1", port=args.port)
    try:
        print(f'{{"ready":true,"port":{server.effective_port}}}', flush=True)
        server.run()
    except ExitNow:
        pass
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_IGN)  # a second signal changes nothing now
    # The event loop has stopped; close the listening socket too, so that new
    # connections are refused rather than left in the backlog. (Only the socket:
    # server.close() would also close the pipe the worker threads poke when they
    # finish a request.) The worker threads finish the requests they are serving and
    # write the responses themselves (Waitress sends from the worker thread when it
    # can); requests not started yet are cancelled.
    server.socket.close()
    server.task_dispatcher.shutdown(cancel_pending=True, timeout=SHUTDOWN_GRACE_S)
    sys.exit(0)


if __name__ == "__main__":
    main()
