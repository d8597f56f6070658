//! `langbench load URL`: the load generator on its own, like wrk or oha.

use anyhow::{Context, Result};

use crate::exit::{input_error, Outcome};
use crate::report::load::load_summary;
use crate::{affinity, load};
use std::time::Duration;

use crate::cli::LoadArgs;
use crate::config::parse_duration;
use crate::load::LoadSpec;

/// Runs the load and prints the report; exit 1 if any response failed a check.
pub fn run(config: &LoadConfig) -> Result<Outcome> {
    load::ensure_fd_limit(config.spec.connections as u64 + load::SPARE_FDS).map_err(input_error)?;
    if let Some(cpus) = &config.cpus {
        affinity::pin(0, cpus).with_context(|| format!("pinning to CPUs {cpus:?}"))?;
    }
    let report = load::run(&config.spec).context("starting the load generator")?;
    if config.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", load_summary(&report));
    }
    Ok(if report.errors() > 0 || report.responses == 0 {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}

/// Everything `langbench load` needs.
#[derive(Debug, Clone)]
pub struct LoadConfig {
    /// The validated load.
    pub spec: LoadSpec,
    /// CPUs to pin the generator to.
    pub cpus: Option<Vec<usize>>,
    /// Print JSON.
    pub json: bool,
}

impl TryFrom<&LoadArgs> for LoadConfig {
    type Error = anyhow::Error;

    fn try_from(args: &LoadArgs) -> Result<LoadConfig> {
        let url = url::Url::parse(&args.url)
            .map_err(|e| input_error(format!("'{}' is not a URL: {e}", args.url)))?;
        if url.scheme() != "http" {
            return Err(input_error(format!(
                "'{}': only http:// URLs are supported",
                args.url
            )));
        }
        let host = url
            .host_str()
            .ok_or_else(|| input_error(format!("'{}' has no host", args.url)))?;
        let port = url.port_or_known_default().unwrap_or(80);
        let addr = resolve(host, port).map_err(|e| input_error(format!("'{}': {e}", args.url)))?;
        if !addr.ip().is_loopback() && !args.allow_remote {
            return Err(input_error(format!(
                "'{}' is not a loopback address ({}); pass --allow-remote to load another machine",
                host,
                addr.ip()
            )));
        }
        if args.connections == 0 {
            return Err(input_error("--connections must be at least 1"));
        }
        if args.rate.is_some_and(|r| !(r.is_finite() && r > 0.0)) {
            return Err(input_error(
                "--rate must be a positive number of requests per second",
            ));
        }
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        Ok(LoadConfig {
            spec: LoadSpec {
                url: args.url.clone(),
                addr,
                host_header: match url.port() {
                    Some(p) => format!("{host}:{p}"),
                    None => host.to_string(),
                },
                path,
                connections: args.connections,
                duration: parse_duration(&args.duration, "--duration")?,
                warmup: if args.warmup.trim() == "0" {
                    Duration::ZERO
                } else {
                    parse_duration(&args.warmup, "--warmup")?
                },
                rate: args.rate,
                timeout: parse_duration(&args.timeout, "--timeout")?,
                expected_body: args.expect_body.clone(),
            },
            cpus: args
                .cpus
                .as_deref()
                .map(|text| {
                    crate::affinity::parse_cpu_list(text)
                        .and_then(|l| crate::affinity::check_cpus(&l).map(|()| l))
                })
                .transpose()
                .map_err(|e| input_error(format!("--cpus {e}")))?,
            json: args.json,
        })
    }
}

/// The first address `host:port` resolves to.
fn resolve(host: &str, port: u16) -> std::result::Result<std::net::SocketAddr, String> {
    use std::net::ToSocketAddrs;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve '{host}': {e}"))?
        .next()
        .ok_or_else(|| format!("'{host}' resolves to no address"))
}
