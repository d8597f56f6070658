//! The I/O suite: each scenario's servers under a sweep of concurrency levels,
//! each level measured in interleaved rounds.
//!
//! In: the selected scenarios, the toolchains, a [`RunConfig`]. Out:
//! [`ServerBenchmark`]s appended to the results file, saved after every
//! round. For each scenario every server starts (in a shuffled order), pinned
//! to the server CPUs; then level by level, in each of `--io-rounds` rounds,
//! `langbench load` (in this process, on a thread pinned to the client CPUs)
//! loads each server in turn, in an order shuffled per level and round, after
//! a warm-up, while the others wait with no connection open: a slow phase of
//! the machine hits them alike. Each round records the server's CPU time (its
//! process group, from `/proc`) and the generator's over the measured window.
//! Any failed check, a crash or a missed ready line fails that benchmark and
//! stops its server; the suite goes on. At the end, or on Ctrl-C, every
//! server is stopped and what it used recorded.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Result;

use super::{build_units, round_order, save, Observer};
use crate::config::RunConfig;
use crate::kinds::Suite;
use crate::lang::build::{self, Prepared};
use crate::lang::{Impl, Toolchain};
use crate::load::{self, LoadReport, LoadSpec, WindowCpu};
use crate::results::{
    FailureRecord, LevelRound, ResultsFile, ServerBenchmark, ServerUsage, SkippedLevel,
};
use crate::runner::interrupt;
use crate::runner::server::ServerProcess;
use crate::runner::verify::FailureKind;
use crate::workload::{Scenario, ServerWorkload};

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
    observer.planned(planned as u64 * u64::from(config.io_rounds));
    for (workload, scenario) in &config.selection.scenarios {
        let mut impls: Vec<&Impl> = builds
            .keys()
            .filter(|(name, _)| name == &workload.name)
            .map(|(_, imp)| imp)
            .collect();
        impls.sort();
        let first = results.servers.len();
        let mut servers: Vec<Option<ServerProcess>> = Vec::new();
        for imp in &impls {
            results
                .servers
                .push(new_benchmark(config, workload, scenario, imp));
            servers.push(None);
        }
        // Started in a shuffled order; a server that fails to start (or to
        // build) is recorded as failed and never loaded.
        for k in round_order(impls.len(), &scenario.name, 0) {
            if interrupt::requested() {
                break;
            }
            let prepared = &builds[&(workload.name.clone(), impls[k].clone())];
            servers[k] = start(config, prepared, &mut results.servers[first + k]);
        }
        save(config, results)?;
        let swept = sweep(config, scenario, first, &mut servers, observer, results);
        // Whatever happened, every server is stopped and its usage recorded.
        for (k, server) in servers.iter_mut().enumerate() {
            if let Some(server) = server.take() {
                stop(server, &mut results.servers[first + k]);
            }
        }
        swept?;
        if interrupt::requested() {
            // Keep what was measured or failed; a server stopped before its
            // first level holds nothing.
            let kept: Vec<ServerBenchmark> = results
                .servers
                .drain(first..)
                .filter(|s| !s.levels.is_empty() || !s.failures.is_empty())
                .collect();
            results.servers.extend(kept);
            save(config, results)?;
            return Ok(());
        }
        save(config, results)?;
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

/// The benchmark of one scenario in one language, nothing measured yet.
fn new_benchmark(
    config: &RunConfig,
    workload: &ServerWorkload,
    scenario: &Scenario,
    imp: &Impl,
) -> ServerBenchmark {
    let timing = workload.timing(config.size).expect("validated size");
    ServerBenchmark {
        scenario: scenario.name.clone(),
        workload: workload.name.clone(),
        lang: imp.lang,
        variant: imp.variant.clone(),
        runtime: imp.runtime.clone(),
        size_name: config.size,
        path: scenario.path.clone(),
        expected_body: scenario.expected_body.clone(),
        command: Vec::new(),
        env: Vec::new(),
        build: None,
        warmup_s: timing.warmup_s,
        duration_s: timing.duration_s,
        ideal_rps_per_connection: scenario.ideal_rps_per_connection,
        rate: scenario.rate,
        levels: Vec::new(),
        loaded_levels: Vec::new(),
        background_levels: Vec::new(),
        level_rounds: Vec::new(),
        skipped_levels: Vec::new(),
        server: None,
        failures: Vec::new(),
    }
}

/// Starts the server of `bench` pinned to the server CPUs; None (with the
/// failure recorded) when it was not built or did not get ready.
fn start(
    config: &RunConfig,
    prepared: &Result<Prepared, build::BuildError>,
    bench: &mut ServerBenchmark,
) -> Option<ServerProcess> {
    let prepared = match prepared {
        Ok(p) => p,
        Err(e) => {
            bench.failures.push(failure(
                FailureKind::Build,
                e.message.clone(),
                e.output_tail.clone(),
            ));
            return None;
        }
    };
    bench.command = prepared.argv.clone();
    bench.env = prepared.env.clone();
    bench.build = prepared.build.clone();
    let mut argv = prepared.argv.clone();
    argv.extend(["--port".to_string(), "0".to_string()]);
    match ServerProcess::start(
        &argv,
        &prepared.env,
        &config.server_cpus,
        config.ready_timeout,
    ) {
        Ok(s) => Some(s),
        Err(_) if interrupt::requested() => None,
        Err(e) => {
            bench
                .failures
                .push(failure(FailureKind::ServerStart, e.message, e.stderr_tail));
            None
        }
    }
}

/// The levels of one scenario, each in `config.io_rounds` rounds; in each
/// round every running server is loaded once, in an order shuffled per
/// level and round, while the others wait idle (no connection open). A
/// server whose level fails is stopped and loaded no more. Saves after
/// every round.
fn sweep(
    config: &RunConfig,
    scenario: &Scenario,
    first: usize,
    servers: &mut [Option<ServerProcess>],
    observer: &dyn Observer,
    results: &mut ResultsFile,
) -> Result<()> {
    let background = scenario.background.as_ref().map_or(0, |b| b.connections);
    for &connections in scenario.levels(config.size) {
        if let Err(reason) =
            load::ensure_fd_limit((connections + background) as u64 + load::SPARE_FDS)
        {
            for (k, _) in servers.iter().enumerate().filter(|(_, s)| s.is_some()) {
                results.servers[first + k]
                    .skipped_levels
                    .push(SkippedLevel {
                        connections,
                        reason: reason.clone(),
                    });
            }
            continue;
        }
        let seed = format!("{} c={connections}", scenario.name);
        for round in 0..config.io_rounds {
            for k in round_order(servers.len(), &seed, round) {
                if interrupt::requested() {
                    return Ok(());
                }
                let Some(server) = servers[k].as_mut() else {
                    continue;
                };
                let bench = &mut results.servers[first + k];
                let result = run_level(config, server, scenario, connections, round, bench);
                let label = bench.label();
                if interrupt::requested() {
                    // A server killed by Ctrl-C failed nothing.
                    return Ok(());
                }
                observer.level_done(
                    &label,
                    connections,
                    result.as_ref().err().map(|(_, m)| m.as_str()),
                );
                if let Err((kind, message)) = result {
                    let server = servers[k].take().expect("running");
                    bench
                        .failures
                        .push(failure(kind, message, server.stderr_tail()));
                    stop(server, bench);
                }
            }
            save(config, results)?;
        }
    }
    Ok(())
}

/// Stops a server and records how it ended and what it used.
fn stop(mut server: ServerProcess, bench: &mut ServerBenchmark) {
    let crashed = !server.is_running();
    let stderr_tail = server.stderr_tail();
    let exit = server.stop(STOP_GRACE);
    if !crashed && !exit.clean && !interrupt::requested() && bench.failures.is_empty() {
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
}

/// Measures one round of one level: alone, then (mixed scenarios) again
/// while the background client runs, with the server's and the
/// generator's CPU time over the measured window. Adds the round to
/// `bench`; returns the first failure.
fn run_level(
    config: &RunConfig,
    server: &mut ServerProcess,
    scenario: &Scenario,
    connections: usize,
    round: u32,
    bench: &mut ServerBenchmark,
) -> Result<(), (FailureKind, String)> {
    let warmup = Duration::from_secs_f64(bench.warmup_s);
    let duration = Duration::from_secs_f64(bench.duration_s);
    let cpus = &config.client_cpus;
    let spec = level_spec(
        server.port,
        &scenario.path,
        &scenario.expected_body,
        connections,
        scenario.rate,
        warmup,
        duration,
    );
    // Found before the load starts: a scan of /proc has no place in the window.
    let group = server.group_cpu();
    let (mut reports, cpu) = load_pinned(std::slice::from_ref(&spec), cpus, &|| group.read())
        .map_err(|e| (FailureKind::LoadErrors, format!("c={connections}: {e}")))?;
    let quiet = reports.remove(0);
    let mut checked = check_level(server, connections, "", &quiet);
    let mut measured = LevelRound {
        round,
        report: quiet,
        loaded: None,
        background: None,
        window_ns: cpu.window_ns,
        server_cpu_ns: cpu.probed.map(|c| c.cpu_ns),
        server_wait_ns: cpu.probed.and_then(|c| c.wait_ns),
        generator_cpu_ns: cpu.generator.map(|c| c.cpu_ns),
        generator_wait_ns: cpu.generator.and_then(|c| c.wait_ns),
    };
    if let (Some(bg), Ok(())) = (&scenario.background, &checked) {
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
        checked = load_pinned(&[spec, bg_spec], cpus, &|| None)
            .map_err(|e| {
                (
                    FailureKind::LoadErrors,
                    format!("c={connections} under load: {e}"),
                )
            })
            .and_then(|(mut reports, _)| {
                let busy = reports.pop().expect("two reports");
                let loaded = reports.pop().expect("two reports");
                let checked =
                    check_level(server, connections, " under load", &loaded).and_then(|()| {
                        check_level(server, bg.connections, " (background client)", &busy)
                    });
                measured.loaded = Some(loaded);
                measured.background = Some(busy);
                checked
            });
    }
    bench.add_round(connections, measured, config.server_cpus.len());
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
/// never shares the server's core; `probe` is read at the start and the end
/// of the first load's measured window.
fn load_pinned(
    specs: &[LoadSpec],
    cpus: &[usize],
    probe: load::CpuProbe,
) -> std::io::Result<(Vec<LoadReport>, WindowCpu)> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                crate::affinity::pin(0, cpus)?;
                load::run_measured(specs, probe)
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
