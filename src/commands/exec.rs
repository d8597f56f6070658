//! `langbench exec -- CMD ARGS...`: time any command with the same runner as
//! the workloads (no shell), so its measurements can be checked against
//! hyperfine -N or /usr/bin/time.

use anyhow::{bail, Result};
use serde_json::json;

use crate::exit::Outcome;
use crate::report::table::exec_summary;
use crate::results::{summary, Estimate};
use crate::runner::{
    interrupt, mock::MockExecutor, orphans, ExecError, Executor, Job, ProcessExecutor, Termination,
};
use std::time::Duration;

use crate::cli::ExecArgs;
use crate::config::{check_counts, parse_duration};

/// Runs the command `warmup + runs` times and prints the statistics.
pub fn run(config: &ExecConfig) -> Result<Outcome> {
    interrupt::install()?;
    orphans::become_subreaper()?;
    let executor: Box<dyn Executor> = if config.mock {
        Box::new(MockExecutor::default())
    } else {
        Box::new(ProcessExecutor)
    };
    let job = Job {
        env: Vec::new(),
        clear_env: false,
        cwd: None,
        argv: config.argv.clone(),
        label: config.argv.join(" "),
        timeout: config.timeout,
        stdout_limit: 64 * 1024,
        expected: None,
        iterations: 1,
    };
    let (mut wall, mut user, mut sys, mut rss) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..config.warmup + config.runs {
        let out = match executor.execute(&job) {
            Ok(out) => out,
            // The command itself is the user's input.
            Err(ExecError::Start(m)) => return Err(crate::exit::input_error(m)),
            Err(ExecError::Lost(m)) => bail!(m),
        };
        if interrupt::requested() {
            return Ok(Outcome::Interrupted);
        }
        if out.termination != Termination::Exited(0) {
            eprintln!("{}", out.stderr_tail.trim_end());
            bail!(
                "run {} of '{}' ended with {:?}",
                i + 1,
                job.label,
                out.termination
            );
        }
        if i >= config.warmup {
            wall.push(out.wall_ns);
            user.push(out.user_ns);
            sys.push(out.sys_ns);
            rss.push(out.max_rss_bytes);
        }
    }
    let est = |v: &[u64]| -> Result<Estimate> {
        summary::estimate(v.iter().map(|&x| x as f64).collect())
            .ok_or_else(|| anyhow::anyhow!("no measured run"))
    };
    let (wall, user, sys, rss) = (est(&wall)?, est(&user)?, est(&sys)?, est(&rss)?);
    if config.json {
        let doc = json!({
            "command": config.argv,
            "runs": config.runs,
            "warmup": config.warmup,
            "wall_ns": wall,
            "user_ns": user,
            "sys_ns": sys,
            "max_rss_bytes": rss,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        print!("{}", exec_summary(&config.argv, &wall, &user, &sys, &rss));
    }
    Ok(Outcome::Success)
}

/// Everything `langbench exec` needs.
#[derive(Debug, Clone)]
pub struct ExecConfig {
    /// The command to time.
    pub argv: Vec<String>,
    /// Measured runs.
    pub runs: u32,
    /// Warm-up runs.
    pub warmup: u32,
    /// Per-run timeout.
    pub timeout: Duration,
    /// Print JSON.
    pub json: bool,
    /// Use the deterministic mock.
    pub mock: bool,
}

impl TryFrom<&ExecArgs> for ExecConfig {
    type Error = anyhow::Error;

    fn try_from(args: &ExecArgs) -> Result<ExecConfig> {
        check_counts(args.runs, args.warmup)?;
        Ok(ExecConfig {
            argv: args.command.clone(),
            runs: args.runs,
            warmup: args.warmup,
            timeout: parse_duration(&args.timeout, "--timeout")?,
            json: args.json,
            mock: args.debug_mock,
        })
    }
}
