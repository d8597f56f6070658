//! The I/O suite: each scenario's servers under a sweep of concurrency levels.
//!
//! In: the selected scenarios, the toolchains, a [`RunConfig`]. Out:
//! [`ServerBenchmark`]s appended to the results file, saved after every
//! benchmark. For each scenario the languages run in a shuffled order; each
//! server starts pinned to the server CPUs, and `langbench load` (in this
//! process, on a thread pinned to the client CPUs) loads it at each level
//! after a warm-up. Any failed check, a crash or a missed ready line fails
//! that benchmark; the suite goes on.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Result;

use super::{build_units, round_order, save, Observer};
use crate::config::RunConfig;
use crate::kinds::Suite;
use crate::lang::build::{self, Prepared};
use crate::lang::{Impl, Toolchain};
use crate::load::{self, LoadReport, LoadSpec};
use crate::results::{FailureRecord, ResultsFile, ServerBenchmark, ServerUsage, SkippedLevel};
use crate::runner::interrupt;
use crate::runner::server::ServerProcess;
use crate::runner::verify::FailureKind;
use crate::workload::{Scenario, ServerWorkload, Timing};

/// How long a server may take to exit after SIGTERM.
pub const STOP_GRACE: Duration = Duration::from_secs(5);
/// A response slower than this is a timeout.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs every selected scenario in every available language.
pub fn run_io_suite(
    config: &RunConfig,
    toolchains: &[Toolchain],
    observer: &dyn Observer,
    results: &mut ResultsFile,
) -> Result<()> {
    // Before any server starts, so servers inherit it and can accept every
    // connection the generator opens.
    load::raise_fd_limit();
    let Some(builds) = build_servers(config, toolchains, observer, results) else {
        return Ok(());
    };
    let planned: usize = config
        .selection
        .scenarios
        .iter()
        .map(|(w, s)| {
            let impls = builds
                .iter()
                .filter(|((name, _), b)| name == &w.name && b.is_ok())
                .count();
            s.levels(config.size).len() * impls
        })
        .sum();
    observer.planned(planned as u64);
    for (workload, scenario) in &config.selection.scenarios {
        let mut impls: Vec<&Impl> = builds
            .keys()
            .filter(|(name, _)| name == &workload.name)
            .map(|(_, imp)| imp)
            .collect();
        impls.sort();
        let first = results.servers.len();
        for k in round_order(impls.len(), &scenario.name, 0) {
            if interrupt::requested() {
                return Ok(());
            }
            let imp = impls[k];
            let bench = run_benchmark(
                config,
                workload,
                scenario,
                imp,
                &builds[&(workload.name.clone(), imp.clone())],
                observer,
            );
            if interrupt::requested() {
                return Ok(());
            }
            results.servers.push(bench);
            save(config, results)?;
        }
        observer.scenario_done(scenario, &results.servers[first..]);
    }
    Ok(())
}

type Builds = HashMap<(String, Impl), Result<Prepared, build::BuildError>>;

/// Builds each selected server workload once per implementation (a
/// language without one is recorded as skipped). None when Ctrl-C stopped it.
fn build_servers(
    config: &RunConfig,
    toolchains: &[Toolchain],
    observer: &dyn Observer,
    results: &mut ResultsFile,
) -> Option<Builds> {
    let mut builds = Builds::new();
    for workload in config.selection.server_workloads() {
        let units = build_units(
            config,
            toolchains,
            Suite::Io,
            &workload.name,
            &workload.dir,
            observer,
            results,
        )?;
        for unit in units {
            builds.insert((workload.name.clone(), unit.imp), unit.prepared);
        }
    }
    Some(builds)
}

/// One scenario in one language: start, sweep the levels, stop.
fn run_benchmark(
    config: &RunConfig,
    workload: &ServerWorkload,
    scenario: &Scenario,
    imp: &Impl,
    prepared: &Result<Prepared, build::BuildError>,
    observer: &dyn Observer,
) -> ServerBenchmark {
    let timing = workload.timing(config.size).expect("validated size");
    let mut bench = ServerBenchmark {
        scenario: scenario.name.clone(),
        workload: workload.name.clone(),
        lang: imp.lang,
        variant: imp.variant.clone(),
        size_name: config.size,
        path: scenario.path.clone(),
        expected_body: scenario.expected_body.clone(),
        command: Vec::new(),
        build: None,
        warmup_s: timing.warmup_s,
        duration_s: timing.duration_s,
        ideal_rps_per_connection: scenario.ideal_rps_per_connection,
        rate: scenario.rate,
        levels: Vec::new(),
        loaded_levels: Vec::new(),
        background_levels: Vec::new(),
        skipped_levels: Vec::new(),
        server: None,
        failures: Vec::new(),
    };
    let prepared = match prepared {
        Ok(p) => p,
        Err(e) => {
            bench.failures.push(failure(
                FailureKind::Build,
                e.message.clone(),
                e.output_tail.clone(),
            ));
            return bench;
        }
    };
    bench.command = prepared.argv.clone();
    bench.build = prepared.build.clone();
    let mut argv = prepared.argv.clone();
    argv.extend(["--port".to_string(), "0".to_string()]);
    let mut server = match ServerProcess::start(&argv, &config.server_cpus, config.ready_timeout) {
        Ok(s) => s,
        Err(e) => {
            bench
                .failures
                .push(failure(FailureKind::ServerStart, e.message, e.stderr_tail));
            return bench;
        }
    };
    let label = format!("{}/{imp}", scenario.name);
    let background = scenario.background.as_ref().map_or(0, |b| b.connections);
    for &connections in scenario.levels(config.size) {
        if interrupt::requested() {
            break;
        }
        if let Err(reason) =
            load::ensure_fd_limit((connections + background) as u64 + load::SPARE_FDS)
        {
            bench.skipped_levels.push(SkippedLevel {
                connections,
                reason,
            });
            continue;
        }
        let result = run_level(
            &mut server,
            scenario,
            connections,
            timing,
            &config.client_cpus,
            &mut bench,
        );
        observer.level_done(
            &label,
            connections,
            result.as_ref().err().map(|(_, m)| m.as_str()),
        );
        if let Err((kind, message)) = result {
            bench
                .failures
                .push(failure(kind, message, server.stderr_tail()));
            break;
        }
    }
    let crashed = !server.is_running();
    let stderr_tail = server.stderr_tail();
    let exit = server.stop(STOP_GRACE);
    if !crashed && !exit.clean && !interrupt::requested() {
        bench.failures.push(failure(
            FailureKind::ServerShutdown,
            format!(
                "server did not exit cleanly within {} s of SIGTERM ({})",
                STOP_GRACE.as_secs(),
                exit.ended
            ),
            stderr_tail,
        ));
    }
    bench.server = Some(ServerUsage {
        user_ns: exit.user_ns,
        sys_ns: exit.sys_ns,
        max_rss_bytes: exit.max_rss_bytes,
        ended: exit.ended,
    });
    bench
}

/// Measures one level: alone, then (mixed scenarios) again while the
/// background client runs. Appends the reports; returns the first failure.
fn run_level(
    server: &mut ServerProcess,
    scenario: &Scenario,
    connections: usize,
    timing: Timing,
    cpus: &[usize],
    bench: &mut ServerBenchmark,
) -> Result<(), (FailureKind, String)> {
    let warmup = Duration::from_secs_f64(timing.warmup_s);
    let duration = Duration::from_secs_f64(timing.duration_s);
    let spec = level_spec(
        server.port,
        &scenario.path,
        &scenario.expected_body,
        connections,
        scenario.rate,
        warmup,
        duration,
    );
    let quiet = load_pinned(std::slice::from_ref(&spec), cpus)
        .map_err(|e| (FailureKind::LoadErrors, format!("c={connections}: {e}")))?
        .remove(0);
    let checked = check_level(server, connections, "", &quiet);
    bench.levels.push(quiet);
    checked?;
    let Some(bg) = &scenario.background else {
        return Ok(());
    };
    // The background client runs in the same generator runtime, from the same
    // instant, over the foreground's whole warm-up and measurement; its
    // responses are checked like any others.
    let bg_spec = level_spec(
        server.port,
        &bg.path,
        &bg.expected_body,
        bg.connections,
        None,
        Duration::ZERO,
        warmup + duration,
    );
    let mut reports = load_pinned(&[spec, bg_spec], cpus).map_err(|e| {
        (
            FailureKind::LoadErrors,
            format!("c={connections} under load: {e}"),
        )
    })?;
    let busy = reports.pop().expect("two reports");
    let loaded = reports.pop().expect("two reports");
    let checked = check_level(server, connections, " under load", &loaded)
        .and_then(|()| check_level(server, bg.connections, " (background client)", &busy));
    bench.loaded_levels.push(loaded);
    bench.background_levels.push(busy);
    checked
}

/// The load of one level against the server on `port`.
fn level_spec(
    port: u16,
    path: &str,
    expected_body: &str,
    connections: usize,
    rate: Option<f64>,
    warmup: Duration,
    duration: Duration,
) -> LoadSpec {
    LoadSpec {
        url: format!("http://127.0.0.1:{port}{path}"),
        addr: ([127, 0, 0, 1], port).into(),
        host_header: format!("127.0.0.1:{port}"),
        path: path.to_string(),
        connections,
        duration,
        warmup,
        rate,
        timeout: REQUEST_TIMEOUT,
        expected_body: Some(expected_body.to_string()),
    }
}

/// Fails a level whose server died, whose responses failed a check (status,
/// body) or that got no response at all, in the window or out of it (a slow
/// background request may complete only after the window). Timeouts and socket errors of a
/// server that is answering are a result (an overloaded server drops or
/// delays requests), reported with the level, not a failure.
fn check_level(
    server: &mut ServerProcess,
    connections: usize,
    what: &str,
    report: &LoadReport,
) -> Result<(), (FailureKind, String)> {
    if !server.is_running() {
        return Err((
            FailureKind::ServerExited,
            format!("server exited during the c={connections}{what} level"),
        ));
    }
    if report.non_2xx + report.body_mismatches > 0 || report.checked_responses == 0 {
        return Err((
            FailureKind::LoadErrors,
            format!("c={connections}{what}: {}", describe_errors(report)),
        ));
    }
    Ok(())
}

/// Runs the loads together on a thread pinned to `cpus`, so the generator
/// never shares the server's core.
fn load_pinned(specs: &[LoadSpec], cpus: &[usize]) -> std::io::Result<Vec<LoadReport>> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                crate::affinity::pin(0, cpus)?;
                load::run_together(specs)
            })
            .join()
            .expect("load thread")
    })
}

fn describe_errors(r: &LoadReport) -> String {
    format!(
        "{} non-2xx, {} body mismatches, {} socket errors, {} timeouts in {} responses",
        r.non_2xx, r.body_mismatches, r.socket_errors, r.timeouts, r.responses
    )
}

fn failure(kind: FailureKind, message: String, stderr_tail: String) -> FailureRecord {
    FailureRecord {
        round: None,
        kind,
        message,
        stderr_tail,
        wall_ns: None,
    }
}
