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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::LatencyUs;

    #[test]
    fn summary_shows_every_figure() {
        let r = LoadReport {
            url: "http://127.0.0.1:8080/json".into(),
            connections: 64,
            duration_s: 5.0,
            warmup_s: 1.0,
            target_rate: None,
            responses: 350_000,
            checked_responses: 350_000,
            requests_per_sec: 70_000.0,
            latency_us: LatencyUs {
                p50: 800,
                p90: 1_500,
                p99: 2_500,
                p999: 4_000,
                max: 9_000,
                mean: 900.0,
            },
            non_2xx: 1,
            body_mismatches: 2,
            socket_errors: 3,
            timeouts: 4,
        };
        assert_eq!(
            load_summary(&r),
            "Load http://127.0.0.1:8080/json: 64 connections, 5 s measured after 1 s warm-up, closed model\n\
             \x20 Requests/s:  70000.0  (350000 responses)\n\
             \x20 Latency:     p50 800.00 µs  p90 1.50 ms  p99 2.50 ms  p99.9 4.00 ms  max 9.00 ms\n\
             \x20 Errors:      non-2xx 1, body mismatches 2, socket errors 3, timeouts 4\n"
        );
        let open = LoadReport {
            target_rate: Some(100.0),
            ..r
        };
        assert!(load_summary(&open).contains("open model at 100 requests/s"));
    }
}
