//! The text report of `langbench load`, wrk-style.

use crate::load::LoadReport;

use super::duration_ns;

/// A few lines: throughput, latency percentiles, every kind of error.
pub fn load_summary(r: &LoadReport) -> String {
    let model = match r.target_rate {
        Some(rate) => format!("open model at {rate} requests/s"),
        None => "closed model".to_string(),
    };
    let us = |v: u64| duration_ns(v as f64 * 1e3);
    format!(
        "Load {}: {} connections, {} s measured after {} s warm-up, {model}\n  Requests/s:  {:.1}  ({} responses)\n  Latency:     p50 {}  p90 {}  p99 {}  p99.9 {}  max {}\n  Errors:      non-2xx {}, body mismatches {}, socket errors {}, timeouts {}\n",
        r.url,
        r.connections,
        r.duration_s,
        r.warmup_s,
        r.requests_per_sec,
        r.responses,
        us(r.latency_us.p50),
        us(r.latency_us.p90),
        us(r.latency_us.p99),
        us(r.latency_us.p999),
        us(r.latency_us.max),
        r.non_2xx,
        r.body_mismatches,
        r.socket_errors,
        r.timeouts,
    )
}
