"""langbench I/O suite, workload "http": the Python server (FastAPI on uvicorn).

The same HTTP/1.1 server is written in Node.js, Python, Go and Rust and loaded with
the same requests, so every implementation follows one protocol:

* `main.py --port N` binds 127.0.0.1:N (N = 0 lets the OS choose), prints exactly one
  line `{"ready":true,"port":PORT}` on stdout once it listens, and nothing else there
  ever;
* SIGTERM or SIGINT: stop accepting, let in-flight requests finish, exit 0 within a
  second;
* `GET /json` -> `{"message":"Hello, World!"}`, serialised on every request;
* `GET /io?ms=M` -> waits M ms on the event loop's timer without blocking, then
  `{"waited_ms":M}`;
* `GET /cpu?n=N` -> counts the primes below N by trial division in FastAPI's thread
  pool (a plain `def` endpoint), then `{"primes":COUNT}`;
* a missing or bad query parameter -> 400, any other path -> 404.

Deployed as FastAPI usually is: uvicorn with its standard extras, whose defaults pick
uvloop and httptools when they are installed; one process, one worker, no tuning.
requirements.txt pins the exact versions.
"""

import argparse
import asyncio
import signal
import socket
import sys
from contextlib import asynccontextmanager
from typing import Annotated

import uvicorn
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

# In-flight requests get this long to finish after SIGTERM before uvicorn cancels
# them; with uvicorn's own 0.1 s tick and 0.1 s pause before it, they have about half
# a second, as in the other implementations, and the process exits well within the
# protocol's one second.
SHUTDOWN_GRACE_S = 0.3

# uvicorn's default listen backlog, used for the socket bound here.
BACKLOG = 2048


@asynccontextmanager
async def lifespan(app: FastAPI):
    # The socket is bound and listening before uvicorn starts (see main), so
    # connections made from now on wait in its backlog until uvicorn accepts them a
    # moment later: the harness may start as soon as it reads this line.
    print(f'{{"ready":true,"port":{app.state.port}}}', flush=True)
    yield


# The protocol answers 404 for every path but its three endpoints: the OpenAPI schema
# and the docs pages are off, and `/json/` is not redirected to `/json`.
app = FastAPI(
    lifespan=lifespan,
    openapi_url=None,
    docs_url=None,
    redoc_url=None,
    redirect_slashes=False,
)


@app.exception_handler(RequestValidationError)
async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    # FastAPI answers 422 for parameters that fail validation; the protocol says 400
    # for a missing or bad query parameter, as the other implementations answer.
    return JSONResponse(status_code=400, content={"detail": "bad query parameter"})


# Every endpoint is `async def`, so each runs on the event loop itself (FastAPI sends
# plain `def` endpoints to a thread pool instead).


@app.get("/json")
async def json_endpoint():
    # TechEmpower's JSON test rule: a fresh object, serialised per request by
    # FastAPI's default JSONResponse (json.dumps, compact separators).
    return {"message": "Hello, World!"}


@app.get("/io")
async def io_endpoint(ms: Annotated[int, Query(ge=0)]):
    # Awaiting the timer hands the event loop to other requests meanwhile.
    await asyncio.sleep(ms / 1000)
    return {"waited_ms": ms}


@app.get("/cpu")
def cpu_endpoint(n: Annotated[int, Query(ge=0)]):
    # A plain `def`, as FastAPI's documentation says blocking work should be
    # declared: FastAPI runs it in its thread pool so the event loop stays free;
    # the GIL still lets only one thread run Python code at a time.
    return {"primes": count_primes_below(n)}


def count_primes_below(n: int) -> int:
    """Counts the primes below n by trial division: 2, then every odd candidate
    c >= 3 that no odd divisor d with d * d <= c divides. The same loop in all four
    languages, so the work per request is identical."""
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
        description="langbench http workload server (FastAPI on uvicorn)",
        allow_abbrev=False,
    )
    parser.add_argument("--port", type=int, required=True, help="TCP port on 127.0.0.1; 0 lets the OS pick one")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, not {args.port}")
    return args


def exit_cleanly(signum: int, frame: object) -> None:
    # After its graceful shutdown uvicorn restores the handlers it found and raises
    # the signal it caught once more, so that the process ends the way the signal
    # would have ended it. The protocol wants exit status 0 for SIGTERM and SIGINT, so
    # the handler it finds (also the one in force before uvicorn starts) exits 0.
    sys.exit(0)


def main() -> None:
    args = parse_args(sys.argv[1:])
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, exit_cleanly)

    # Bind the socket here rather than letting uvicorn do it, so that with port 0 the
    # port the OS picked is known and can go into the ready line.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(BACKLOG)
    app.state.port = sock.getsockname()[1]

    config = uvicorn.Config(
        app,
        workers=1,
        access_log=False,
        log_level="warning",  # uvicorn logs to stderr; stdout carries only the ready line
        timeout_graceful_shutdown=SHUTDOWN_GRACE_S,
    )
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
