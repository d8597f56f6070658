//! The load generator behind `langbench load`: HTTP/1.1 keep-alive GETs from
//! C connections on one thread (a tokio current-thread runtime, like `wrk -t1`),
//! every response parsed and checked, latency in an HDR histogram.
//!
//! In: a validated [`LoadSpec`], whose address, `Host` header and path come
//! from a URL checked and resolved by [`target()`]. Out: a [`LoadReport`].
//! Closed model by default; with a rate, an open model whose latencies count
//! from each request's intended send time. [`run_measured`] also reads the
//! generator's own CPU time, and the caller's probe (a server's CPU time),
//! over the measured window ([`WindowCpu`]), so a run can tell who was busy.

pub mod http;
mod target;
mod worker;

use std::cell::RefCell;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::cputime::{self, CpuTimes};

pub use target::{target, Target};
use worker::{run_connection, Plan, Stats};

/// What to load and how.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadSpec {
    /// The URL as given.
    pub url: String,
    /// The resolved address.
    pub addr: SocketAddr,
    /// The `Host` header value.
    pub host_header: String,
    /// Path and query of the request.
    pub path: String,
    /// Concurrent connections.
    pub connections: usize,
    /// Measured duration.
    pub duration: Duration,
    /// Warm-up before measuring (responses not counted).
    pub warmup: Duration,
    /// Open model: total requests per second across connections.
    pub rate: Option<f64>,
    /// A response slower than this counts as a timeout.
    pub timeout: Duration,
    /// The body every 2xx response must have, if checked.
    pub expected_body: Option<String>,
}

/// Latency percentiles, in microseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatencyUs {
    /// Median.
    pub p50: u64,
    /// 90th percentile.
    pub p90: u64,
    /// 99th percentile.
    pub p99: u64,
    /// 99.9th percentile.
    pub p999: u64,
    /// Largest.
    pub max: u64,
    /// Arithmetic mean.
    pub mean: f64,
}

/// The outcome of one load run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadReport {
    /// The URL loaded.
    pub url: String,
    /// Concurrent connections.
    pub connections: usize,
    /// Measured duration, in seconds (warm-up excluded).
    pub duration_s: f64,
    /// Warm-up, in seconds.
    pub warmup_s: f64,
    /// Target rate of the open model, in requests per second; absent for the closed model.
    pub target_rate: Option<f64>,
    /// Responses received in the measured window (any status).
    pub responses: u64,
    /// Every response received and checked: warm-up, window, and those still
    /// in flight at the end that came within the timeout (any status).
    #[serde(default)]
    pub checked_responses: u64,
    /// Responses per second over the measured window.
    pub requests_per_sec: f64,
    /// Latency of the counted responses, in microseconds.
    pub latency_us: LatencyUs,
    /// Responses whose status was not 2xx.
    pub non_2xx: u64,
    /// 2xx responses whose body differed from the expected one.
    pub body_mismatches: u64,
    /// Connect, read or write errors and unparseable responses.
    pub socket_errors: u64,
    /// Requests without a response within the timeout.
    pub timeouts: u64,
}

impl LoadReport {
    /// Every response or request that failed a check.
    pub fn errors(&self) -> u64 {
        self.non_2xx + self.body_mismatches + self.socket_errors + self.timeouts
    }
}

/// CPU time over the measured window of a load (the first spec's window
/// when several run together): who was busy while it was measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WindowCpu {
    /// Wall time between the readings at the window's start and end, in nanoseconds.
    pub window_ns: u64,
    /// CPU time and run-queue wait of the load thread (the whole generator:
    /// one current-thread runtime) over the window; None if unreadable.
    pub generator: Option<CpuTimes>,
    /// What the caller's probe read over the window (a server's CPU time);
    /// None without a probe or when a reading failed.
    pub probed: Option<CpuTimes>,
}

/// Reads a CPU time (e.g. a server's), at the start and the end of the
/// measured window, on the load thread; None when it cannot.
pub type CpuProbe<'a> = &'a (dyn Fn() -> Option<CpuTimes> + Sync);

/// Runs the load on the calling thread and returns the report.
pub fn run(spec: &LoadSpec) -> std::io::Result<LoadReport> {
    Ok(run_together(std::slice::from_ref(spec))?.remove(0))
}

/// Runs several loads at once on the calling thread, one runtime for all, all
/// starting at the same instant (e.g. a measured client and a background
/// client); returns one report per spec, in order.
pub fn run_together(specs: &[LoadSpec]) -> std::io::Result<Vec<LoadReport>> {
    Ok(run_measured(specs, &|| None)?.0)
}

/// [`run_together`], also reading this thread's CPU time and `probe` at the
/// start and the end of the first spec's measured window (on the load
/// thread, between requests: a reading costs microseconds).
pub fn run_measured(
    specs: &[LoadSpec],
    probe: CpuProbe,
) -> std::io::Result<(Vec<LoadReport>, WindowCpu)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let local = tokio::task::LocalSet::new();
    let (stats, cpu) = local.block_on(&runtime, async {
        let start = Instant::now();
        let mut handles = Vec::new();
        let all: Vec<Rc<RefCell<Stats>>> = specs
            .iter()
            .map(|spec| {
                let plan = Rc::new(plan(spec, start));
                let stats = Rc::new(RefCell::new(Stats::new()));
                for i in 0..spec.connections {
                    let task =
                        run_connection(Rc::clone(&plan), Rc::clone(&stats), i, spec.connections);
                    handles.push(tokio::task::spawn_local(task));
                }
                stats
            })
            .collect();
        let cpu = match specs.first() {
            Some(spec) => {
                let from = start + spec.warmup;
                window_cpu(from, from + spec.duration, probe).await
            }
            None => WindowCpu::default(),
        };
        for h in handles {
            h.await.expect("connection task");
        }
        (all, cpu)
    });
    let reports = specs
        .iter()
        .zip(&stats)
        .map(|(spec, s)| report(spec, &s.borrow()))
        .collect();
    Ok((reports, cpu))
}

/// Reads the clocks at `from` and at `end` (the connections run meanwhile:
/// this future only sleeps between the readings).
async fn window_cpu(from: Instant, end: Instant, probe: CpuProbe<'_>) -> WindowCpu {
    let read = || (Instant::now(), cputime::this_thread(), probe());
    tokio::time::sleep_until(from.into()).await;
    let (t0, g0, p0) = read();
    tokio::time::sleep_until(end.into()).await;
    let (t1, g1, p1) = read();
    let delta = |a: Option<CpuTimes>, b: Option<CpuTimes>| Some(a?.until(b?));
    WindowCpu {
        window_ns: t1.duration_since(t0).as_nanos() as u64,
        generator: delta(g0, g1),
        probed: delta(p0, p1),
    }
}

fn plan(spec: &LoadSpec, start: Instant) -> Plan {
    let measure_from = start + spec.warmup;
    Plan {
        addr: spec.addr,
        start,
        request: http::get_request(&spec.host_header, &spec.path),
        expected_body: spec.expected_body.as_ref().map(|b| b.as_bytes().to_vec()),
        measure_from,
        end: measure_from + spec.duration,
        timeout: spec.timeout,
        interval: spec
            .rate
            .map(|r| Duration::from_secs_f64(spec.connections as f64 / r)),
    }
}

fn report(spec: &LoadSpec, s: &Stats) -> LoadReport {
    let h = &s.latency_us;
    let q = |q: f64| {
        if s.responses == 0 {
            0
        } else {
            h.value_at_quantile(q)
        }
    };
    LoadReport {
        url: spec.url.clone(),
        connections: spec.connections,
        duration_s: spec.duration.as_secs_f64(),
        warmup_s: spec.warmup.as_secs_f64(),
        target_rate: spec.rate,
        responses: s.responses,
        checked_responses: s.checked,
        requests_per_sec: s.responses as f64 / spec.duration.as_secs_f64(),
        latency_us: LatencyUs {
            p50: q(0.5),
            p90: q(0.9),
            p99: q(0.99),
            p999: q(0.999),
            max: if s.responses == 0 { 0 } else { h.max() },
            mean: if s.responses == 0 { 0.0 } else { h.mean() },
        },
        non_2xx: s.non_2xx,
        body_mismatches: s.body_mismatches,
        socket_errors: s.socket_errors,
        timeouts: s.timeouts,
    }
}

/// Descriptors a load needs beyond one per connection (stdio, the runtime's own).
pub const SPARE_FDS: u64 = 64;

/// Raises the soft open-file limit to the hard limit (children started later
/// inherit it, so servers can accept as many connections as the generator opens).
pub fn raise_fd_limit() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit with a valid rlimit struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 0;
        }
        let raised = libc::rlimit {
            rlim_cur: lim.rlim_max,
            rlim_max: lim.rlim_max,
        };
        if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
            return lim.rlim_max;
        }
    }
    lim.rlim_cur
}

/// Raises the soft open-file limit to fit `needed` descriptors if the hard
/// limit allows; returns the limit in force, or an error saying what is missing.
pub fn ensure_fd_limit(needed: u64) -> Result<u64, String> {
    // SAFETY: getrlimit/setrlimit with a valid rlimit struct.
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
        return Err(format!(
            "cannot read the open-file limit: {}",
            std::io::Error::last_os_error()
        ));
    }
    if lim.rlim_cur >= needed {
        return Ok(lim.rlim_cur);
    }
    if lim.rlim_max < needed {
        return Err(format!(
            "{needed} open files are needed but the hard limit is {} (raise it with ulimit -Hn)",
            lim.rlim_max
        ));
    }
    let raised = libc::rlimit {
        rlim_cur: needed,
        rlim_max: lim.rlim_max,
    };
    // SAFETY: as above.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } != 0 {
        return Err(format!(
            "{needed} open files are needed but raising the limit failed: {}",
            std::io::Error::last_os_error()
        ));
    }
    Ok(needed)
}
