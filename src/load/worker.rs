//! One connection's loop: send, read the response, check it, record latency.
//!
//! Closed model: the next request goes out as soon as the previous response
//! is in. Open model (a fixed rate): each request has an intended send time
//! on a fixed schedule and its latency counts from that time, not from when it
//! was actually sent, so a stalled server cannot hide its stall by slowing the
//! generator down (no coordinated omission, as in wrk2).

use std::cell::RefCell;
use std::io::ErrorKind;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::http::{parse_response, Body, Parsed};

/// What every connection of one load run shares (read-only).
pub struct Plan {
    /// Where to connect.
    pub addr: SocketAddr,
    /// When the run (warm-up included) started; the open model's schedule starts here.
    pub start: Instant,
    /// The request bytes, sent as they are.
    pub request: Vec<u8>,
    /// The body every response must have, if checked.
    pub expected_body: Option<Vec<u8>>,
    /// Responses sent before this instant are warm-up, not counted.
    pub measure_from: Instant,
    /// Nothing is sent at or after this instant; responses after it are not counted.
    pub end: Instant,
    /// A response slower than this is a timeout; the connection is dropped.
    pub timeout: Duration,
    /// Open model: time between two requests of one connection. None: closed model.
    pub interval: Option<Duration>,
}

/// The counts of one load (all its connections share them: one thread).
pub struct Stats {
    /// Latency of every response completed in the measured window, in microseconds.
    pub latency_us: Histogram<u64>,
    /// Responses completed in the measured window (any status).
    pub responses: u64,
    /// Every response received (and checked), in the window or not.
    pub checked: u64,
    /// Responses whose status was not 2xx (warm-up included: every response is checked).
    pub non_2xx: u64,
    /// 2xx responses whose body differed from the expected one (warm-up included).
    pub body_mismatches: u64,
    /// Connect, read or write errors and unparseable responses.
    pub socket_errors: u64,
    /// Requests without a response within the timeout (also those still
    /// unanswered a timeout after the end).
    pub timeouts: u64,
}

impl Stats {
    /// Empty counts; latencies up to one hour.
    pub fn new() -> Stats {
        Stats {
            latency_us: Histogram::new_with_bounds(1, 3_600_000_000, 3)
                .expect("valid histogram bounds"),
            responses: 0,
            checked: 0,
            non_2xx: 0,
            body_mismatches: 0,
            socket_errors: 0,
            timeouts: 0,
        }
    }
}

/// Runs connection number `index` of `connections` until the plan's end,
/// recording into `stats`.
///
/// Throughput and latency count the responses that complete inside the
/// measured window (as wrk does); every response, warm-up included, is checked.
/// After the end no request is sent, and one still in flight is awaited until
/// its own timeout: it then counts as a timeout, so a server that stops
/// answering cannot go unnoticed.
pub async fn run_connection(
    plan: Rc<Plan>,
    stats: Rc<RefCell<Stats>>,
    index: usize,
    connections: usize,
) {
    let mut conn: Option<TcpStream> = None;
    let mut reused = false;
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut scratch = Vec::new();
    // Open model: spread the connections' schedules evenly over one interval.
    let mut next_send = plan
        .interval
        .map(|iv| plan.start + iv.mul_f64(index as f64 / connections as f64));
    loop {
        if crate::runner::interrupt::requested() {
            break;
        }
        let intended = match (next_send.as_mut(), plan.interval) {
            (Some(t), Some(iv)) => {
                let at = *t;
                *t += iv;
                if at >= plan.end {
                    break;
                }
                wait_until(at, iv).await;
                at
            }
            _ => Instant::now(),
        };
        if intended >= plan.end {
            break;
        }
        let mut retried = false;
        let outcome = loop {
            let stream = match conn.as_mut() {
                Some(s) => s,
                None => match connect(plan.addr, plan.timeout).await {
                    Some(s) => {
                        reused = false;
                        conn.insert(s)
                    }
                    None => break Err(ExchangeError::Connect),
                },
            };
            let deadline = intended + plan.timeout;
            match tokio::time::timeout_at(
                deadline.into(),
                exchange(stream, &plan.request, &mut buf, &mut scratch),
            )
            .await
            {
                Err(_) => break Err(ExchangeError::Timeout),
                // A kept-alive connection the server closed while idle: reconnect and resend once.
                Ok(Err(e))
                    if reused
                        && !retried
                        && e.kind() == ErrorKind::UnexpectedEof
                        && buf.is_empty() =>
                {
                    retried = true;
                    conn = None;
                }
                Ok(Err(_)) => break Err(ExchangeError::Socket),
                Ok(Ok(resp)) => break Ok(resp),
            }
        };
        let done = Instant::now();
        let refused = outcome == Err(ExchangeError::Connect);
        record(
            &plan,
            &mut stats.borrow_mut(),
            &outcome,
            intended,
            done,
            &buf,
            &scratch,
        );
        match outcome {
            Ok(resp) if !resp.close => {
                buf.drain(..resp.consumed);
                reused = true;
            }
            _ => {
                conn = None;
                buf.clear();
            }
        }
        if refused {
            // Do not spin against a server that refuses connections.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// Counts one exchange: a response (checked; timed if it completed in the
/// measured window) or an error.
fn record(
    plan: &Plan,
    s: &mut Stats,
    outcome: &Result<Parsed, ExchangeError>,
    intended: Instant,
    done: Instant,
    buf: &[u8],
    scratch: &[u8],
) {
    match outcome {
        Err(ExchangeError::Timeout) => s.timeouts += 1,
        Err(ExchangeError::Connect | ExchangeError::Socket) => s.socket_errors += 1,
        Ok(resp) => {
            if done >= plan.measure_from && done <= plan.end {
                s.responses += 1;
                let us = done.duration_since(intended).as_micros().max(1) as u64;
                s.latency_us.saturating_record(us);
            }
            s.checked += 1;
            check(plan, resp, buf, scratch, s);
        }
    }
}

/// Why an exchange produced no response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExchangeError {
    /// The connection could not be opened.
    Connect,
    /// Reading, writing or parsing failed.
    Socket,
    /// No response within the timeout.
    Timeout,
}

/// Sleeps until `at`. tokio's timer has a 1 ms resolution, and in the open
/// model any lateness here would be counted as server latency, so the last
/// stretch (1 ms, or a tenth of the interval at high rates, to bound the CPU
/// it costs) is spent yielding; other connections run meanwhile.
async fn wait_until(at: Instant, interval: Duration) {
    let slack = Duration::from_millis(1).min(interval / 10);
    if let Some(early) = at.checked_sub(slack) {
        if early > Instant::now() {
            tokio::time::sleep_until(early.into()).await;
        }
    }
    while Instant::now() < at {
        tokio::task::yield_now().await;
    }
}

async fn connect(addr: SocketAddr, timeout: Duration) -> Option<TcpStream> {
    let stream = tokio::time::timeout(timeout, TcpStream::connect(addr))
        .await
        .ok()?
        .ok()?;
    stream.set_nodelay(true).ok()?;
    Some(stream)
}

/// Sends the request and reads one complete response into `buf`.
async fn exchange(
    stream: &mut TcpStream,
    request: &[u8],
    buf: &mut Vec<u8>,
    scratch: &mut Vec<u8>,
) -> std::io::Result<Parsed> {
    stream.write_all(request).await?;
    loop {
        if !buf.is_empty() {
            match parse_response(buf, scratch) {
                Ok(Some(parsed)) => return Ok(parsed),
                Ok(None) => {}
                Err(e) => return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
            }
        }
        if buf.capacity() - buf.len() < 4096 {
            buf.reserve(16 * 1024);
        }
        if stream.read_buf(buf).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
    }
}

fn check(plan: &Plan, resp: &Parsed, buf: &[u8], scratch: &[u8], stats: &mut Stats) {
    if !(200..300).contains(&resp.status) {
        stats.non_2xx += 1;
        return;
    }
    if let Some(expected) = &plan.expected_body {
        let body = match resp.body {
            Body::InBuffer(a, b) => &buf[a..b],
            Body::Decoded => scratch,
        };
        if body != expected.as_slice() {
            stats.body_mismatches += 1;
        }
    }
}
