//! `langbench load URL`: the load generator on its own, like wrk or oha.

use anyhow::{Context, Result};

use crate::exit::{input_error, Outcome};
use crate::report::load::load_summary;
use crate::{affinity, load};

use crate::cli::LoadArgs;
use crate::config::{parse_cpus, parse_duration, parse_duration_or_zero};
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
        let target = load::target(&args.url, args.allow_remote).map_err(input_error)?;
        if args.connections == 0 {
            return Err(input_error("--connections must be at least 1"));
        }
        if args.rate.is_some_and(|r| !(r.is_finite() && r > 0.0)) {
            return Err(input_error(
                "--rate must be a positive number of requests per second",
            ));
        }
        Ok(LoadConfig {
            spec: LoadSpec {
                url: args.url.clone(),
                addr: target.addr,
                host_header: target.host_header,
                path: target.path,
                connections: args.connections,
                duration: parse_duration(&args.duration, "--duration")?,
                warmup: parse_duration_or_zero(&args.warmup, "--warmup")?,
                rate: args.rate,
                timeout: parse_duration(&args.timeout, "--timeout")?,
                expected_body: args.expect_body.clone(),
            },
            cpus: args
                .cpus
                .as_deref()
                .map(|text| parse_cpus(text, "--cpus"))
                .transpose()?,
            json: args.json,
        })
    }
}
