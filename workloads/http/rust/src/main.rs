//! langbench I/O suite, workload "http": the Rust server (axum on tokio).
//!
//! The same HTTP/1.1 server is written in Node.js, Python, Go and Rust and loaded
//! with the same requests, so every implementation follows one protocol:
//!
//! * `wl-http --port N` binds 127.0.0.1:N (N = 0 lets the OS choose), prints exactly
//!   one line `{"ready":true,"port":PORT}` on stdout once it listens, and nothing else
//!   there ever;
//! * SIGTERM or SIGINT: stop accepting, let in-flight requests finish, exit 0 within
//!   a second;
//! * `GET /json` → `{"message":"Hello, World!"}`, serialised on every request;
//! * `GET /io?ms=M` → waits M ms on the runtime's timer without blocking, then
//!   `{"waited_ms":M}`;
//! * `GET /cpu?n=N` → counts the primes below N by trial division on tokio's
//!   blocking pool, then `{"primes":COUNT}`;
//! * a missing or bad query parameter → 400, any other path → 404.
//!
//! The runtime is tokio's multi-thread scheduler at its defaults (one worker per
//! core), as `#[tokio::main]` gives it; nothing is tuned.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Query;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::sync::Notify;

const USAGE: &str = "usage: wl-http --port N   (N = 0 lets the OS pick a free port)";

/// The protocol asks for an exit within a second of SIGTERM; in-flight requests get
/// this long to finish before the remaining connections are dropped (about what the
/// other implementations give them).
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

#[derive(Serialize)]
struct Message {
    message: &'static str,
}

#[derive(Deserialize)]
struct IoParams {
    // Unsigned: a negative or non-integer `ms` fails to deserialise, and axum's
    // `Query` rejection answers 400 for that as for a missing parameter.
    ms: u64,
}

#[derive(Serialize)]
struct Waited {
    waited_ms: u64,
}

#[derive(Deserialize)]
struct CpuParams {
    n: u64,
}

#[derive(Serialize)]
struct Primes {
    primes: u64,
}

/// The routes of the protocol; axum's default fallback answers 404 for every other
/// path.
fn app() -> Router {
    Router::new()
        .route("/json", get(json))
        .route("/io", get(io))
        .route("/cpu", get(cpu))
}

/// TechEmpower's JSON test rule: build the object and serialise it on every request
/// (`Json` runs serde_json and sets `Content-Type: application/json`).
async fn json() -> Json<Message> {
    Json(Message {
        message: "Hello, World!",
    })
}

/// Waits on tokio's timer: the task yields, so the worker thread serves other
/// connections meanwhile.
async fn io(Query(params): Query<IoParams>) -> Json<Waited> {
    tokio::time::sleep(Duration::from_millis(params.ms)).await;
    Json(Waited {
        waited_ms: params.ms,
    })
}

/// The CPU job runs on tokio's blocking thread pool (`spawn_blocking`), as
/// tokio's documentation says CPU-bound work in an async handler should, so the
/// runtime's worker threads keep serving other connections meanwhile.
async fn cpu(Query(params): Query<CpuParams>) -> Json<Primes> {
    let primes = tokio::task::spawn_blocking(move || count_primes_below(params.n))
        .await
        .expect("the prime count does not panic");
    Json(Primes { primes })
}

/// Counts the primes below `n` by trial division: 2, then every odd candidate
/// `c >= 3` that no odd divisor `d` with `d * d <= c` divides. The same loop in all
/// four languages, so the work per request is identical.
fn count_primes_below(n: u64) -> u64 {
    if n <= 2 {
        return 0;
    }
    let mut count = 1; // 2
    let mut c = 3;
    while c < n {
        let mut is_prime = true;
        let mut d = 3;
        while d * d <= c {
            if c % d == 0 {
                is_prime = false;
                break;
            }
            d += 2;
        }
        if is_prime {
            count += 1;
        }
        c += 2;
    }
    count
}

/// Accepts exactly `--port N`; anything else is a usage error.
fn parse_port(args: &[String]) -> Option<u16> {
    match args {
        [flag, value] if flag == "--port" => value.parse().ok(),
        _ => None,
    }
}

/// Resolves on the first SIGTERM or SIGINT.
async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("install SIGTERM handler");
    let mut int = signal(SignalKind::interrupt()).expect("install SIGINT handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(port) = parse_port(&args) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };

    let listener = match TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("wl-http: cannot listen on 127.0.0.1:{port}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let port = match listener.local_addr() {
        Ok(addr) => addr.port(),
        Err(err) => {
            eprintln!("wl-http: cannot read the bound address: {err}");
            return ExitCode::FAILURE;
        }
    };

    // The socket listens from here on, and `axum::serve` accepts from its backlog as
    // soon as it is polled below, so the harness may start sending requests now.
    {
        let mut stdout = std::io::stdout().lock();
        let ready =
            writeln!(stdout, "{{\"ready\":true,\"port\":{port}}}").and_then(|()| stdout.flush());
        if let Err(err) = ready {
            eprintln!("wl-http: cannot write the ready line: {err}");
            return ExitCode::FAILURE;
        }
    }

    // Graceful shutdown stops accepting and closes idle keep-alive connections at
    // once, but waits for requests in flight; a long `/io` wait must not hold the
    // exit past the protocol's one second, hence the deadline below.
    let stopping = Arc::new(Notify::new());
    let signalled = {
        let stopping = Arc::clone(&stopping);
        async move {
            shutdown_signal().await;
            stopping.notify_one();
        }
    };
    let server = axum::serve(listener, app()).with_graceful_shutdown(signalled);
    let deadline = async {
        stopping.notified().await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };

    tokio::select! {
        result = server => {
            if let Err(err) = result {
                eprintln!("wl-http: server error: {err}");
                return ExitCode::FAILURE;
            }
        }
        () = deadline => {
            eprintln!("wl-http: requests still in flight after {SHUTDOWN_GRACE:?}; dropping them");
        }
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    #[test]
    fn counts_primes_like_the_other_implementations() {
        assert_eq!(count_primes_below(0), 0);
        assert_eq!(count_primes_below(2), 0);
        assert_eq!(count_primes_below(3), 1);
        assert_eq!(count_primes_below(4), 2);
        assert_eq!(count_primes_below(100), 25);
        assert_eq!(count_primes_below(10_000), 1229);
        assert_eq!(count_primes_below(1_000_000), 78498);
    }

    #[test]
    fn accepts_only_port_argument() {
        let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_port(&args(&["--port", "0"])), Some(0));
        assert_eq!(parse_port(&args(&["--port", "8080"])), Some(8080));
        assert_eq!(parse_port(&args(&[])), None);
        assert_eq!(parse_port(&args(&["--port"])), None);
        assert_eq!(parse_port(&args(&["--port", "x"])), None);
        assert_eq!(parse_port(&args(&["--port", "70000"])), None);
        assert_eq!(parse_port(&args(&["--port", "1", "--extra"])), None);
        assert_eq!(parse_port(&args(&["--threads", "1"])), None);
    }

    /// Sends one request with `Connection: close` and returns (status, headers, body).
    async fn get(port: u16, target: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port))
            .await
            .unwrap();
        let request =
            format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head.to_ascii_lowercase(), body.to_string())
    }

    #[tokio::test]
    async fn serves_the_protocol_endpoints() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app()).await.unwrap() });

        let (status, head, body) = get(port, "/json").await;
        assert_eq!(status, 200);
        assert!(head.contains("content-type: application/json"));
        assert!(head.contains("content-length: 27"));
        assert_eq!(body, r#"{"message":"Hello, World!"}"#);

        let (status, _, body) = get(port, "/io?ms=5").await;
        assert_eq!(status, 200);
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(value, serde_json::json!({ "waited_ms": 5 }));

        let (status, _, body) = get(port, "/cpu?n=10000").await;
        assert_eq!(status, 200);
        assert_eq!(body, r#"{"primes":1229}"#);

        for bad in [
            "/io",
            "/io?ms=",
            "/io?ms=-1",
            "/io?ms=abc",
            "/cpu",
            "/cpu?n=1.5",
        ] {
            assert_eq!(get(port, bad).await.0, 400, "{bad}");
        }
        assert_eq!(get(port, "/nope").await.0, 404);
    }
}
