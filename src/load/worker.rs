//! One connection's loop: send, read the response, check it, record latency.
//!
//! Closed model: the next request goes out as soon as the previous response
//! is in. Open model (a fixed rate): each request has an intended send time
//! on a fixed schedule and its latency counts from that time, not from when it
//! was actually sent, so a stalled server cannot hide its stall by slowing the
//! generator down (no coordinated omission, as in wrk2).

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

/// One connection's counts; merged across connections at the end.
pub struct Stats {
    /// Latency of every counted response, in microseconds.
    pub latency_us: Histogram<u64>,
    /// Responses counted (any status).
    pub responses: u64,
    /// Counted responses whose status was not 2xx.
    pub non_2xx: u64,
    /// Counted 2xx responses whose body differed from the expected one.
    pub body_mismatches: u64,
    /// Connect, read or write errors and unparseable responses.
    pub socket_errors: u64,
    /// Requests without a response within the timeout.
    pub timeouts: u64,
}

impl Stats {
    /// Empty counts.
    pub fn new() -> Stats {
        Stats {
            latency_us: Histogram::new_with_bounds(1, 3_600_000_000, 3)
                .expect("valid histogram bounds"),
            responses: 0,
            non_2xx: 0,
            body_mismatches: 0,
            socket_errors: 0,
            timeouts: 0,
        }
    }

    /// Adds another connection's counts to these.
    pub fn merge(&mut self, other: &Stats) {
        self.latency_us
            .add(&other.latency_us)
            .expect("same histogram bounds");
        self.responses += other.responses;
        self.non_2xx += other.non_2xx;
        self.body_mismatches += other.body_mismatches;
        self.socket_errors += other.socket_errors;
        self.timeouts += other.timeouts;
    }
}

/// Runs connection number `index` until the plan's end.
pub async fn run_connection(plan: Rc<Plan>, index: usize, connections: usize) -> Stats {
    let mut stats = Stats::new();
    let mut conn: Option<TcpStream> = None;
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut scratch = Vec::new();
    // Open model: spread the connections' schedules evenly over one interval.
    let mut next_send = plan
        .interval
        .map(|iv| plan.start + iv.mul_f64(index as f64 / connections as f64));
    loop {
        let intended = match (next_send.as_mut(), plan.interval) {
            (Some(t), Some(iv)) => {
                let at = *t;
                *t += iv;
                if at >= plan.end {
                    break;
                }
                wait_until(at).await;
                at
            }
            _ => Instant::now(),
        };
        if intended >= plan.end {
            break;
        }
        let counted = intended >= plan.measure_from;
        let stream = match conn.as_mut() {
            Some(s) => s,
            None => match connect(plan.addr, plan.timeout).await {
                Some(s) => conn.insert(s),
                None => {
                    stats.socket_errors += u64::from(counted);
                    // Do not spin against a server that refuses connections.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let deadline = (intended + plan.timeout).min(plan.end);
        let outcome = tokio::time::timeout_at(
            deadline.into(),
            exchange(stream, &plan.request, &mut buf, &mut scratch),
        )
        .await;
        let done = Instant::now();
        match outcome {
            Err(_) if done >= plan.end => break, // in flight at the end: not counted
            Err(_) => {
                stats.timeouts += u64::from(counted);
                conn = None;
                buf.clear();
            }
            Ok(Err(_)) => {
                stats.socket_errors += u64::from(counted && done < plan.end);
                conn = None;
                buf.clear();
            }
            Ok(Ok(resp)) => {
                if counted && done <= plan.end {
                    stats.responses += 1;
                    let us = done.duration_since(intended).as_micros().max(1) as u64;
                    stats.latency_us.saturating_record(us);
                    check(&plan, &resp, &buf, &scratch, &mut stats);
                }
                buf.drain(..resp.consumed);
                if resp.close {
                    conn = None;
                    buf.clear();
                }
            }
        }
    }
    stats
}

/// Sleeps until `at` precisely. tokio's timer has a 1 ms resolution, and in
/// the open model any lateness here would be counted as server latency, so
/// the last stretch is spent yielding (other connections run meanwhile).
async fn wait_until(at: Instant) {
    const TIMER_SLACK: Duration = Duration::from_millis(2);
    if let Some(early) = at.checked_sub(TIMER_SLACK) {
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
