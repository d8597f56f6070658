//! The per-workload table `langbench run` prints, and the `exec` summary.

use crate::results::{Benchmark, Estimate, ServerBenchmark};
use crate::workload::{Background, Scenario, Workload};

use super::markup::Table;
use super::{bytes, duration_ns, iteration_counts, steady_cell, unsteady_notes};

/// The table of one workload: one row per language, fastest kernel first, failures last.
pub fn workload_table(
    workload: &Workload,
    benches: &[Benchmark],
    runs: u32,
    warmup: u32,
) -> String {
    let mut out = String::new();
    if let Some(b) = benches.first() {
        out.push_str(&format!(
            "{} — {}\n  size {}: --size {} ({}), {} per run; {} runs + {} warm-up\n",
            workload.name,
            workload.title,
            b.size_name,
            b.size,
            workload.size_meaning,
            iteration_counts(benches),
            runs,
            warmup
        ));
    }
    let mut table = Table::new([
        "lang",
        "kernel median",
        "95% CI",
        "1st iter",
        "wall median",
        "CPU",
        "peak RSS",
        "x fastest",
        "steady state",
    ]);
    let mut passed: Vec<&Benchmark> = benches.iter().filter(|b| b.summary.is_some()).collect();
    passed.sort_by(|a, b| kernel(a).total_cmp(&kernel(b)));
    for b in passed {
        let s = b.summary.as_ref().expect("filtered");
        table.push([
            b.implementation(),
            duration_ns(s.kernel_ns.median),
            ci(&s.kernel_ns),
            duration_ns(s.first_iteration_ns.median),
            duration_ns(s.wall_ns.median),
            duration_ns(s.cpu_ns.median),
            bytes(s.max_rss_bytes.median),
            s.kernel_ratio
                .map(|r| format!("{r:.2}"))
                .unwrap_or_default(),
            steady_cell(s),
        ]);
    }
    out.push_str(&table.to_columns());
    out.push_str(&unsteady_notes(benches));
    if let Some(note) = small_sample_note(runs) {
        out.push_str(&note);
    }
    for b in benches.iter().filter(|b| b.summary.is_none()) {
        match b.failures.first() {
            Some(f) => out.push_str(&format!(
                "  {}  FAILED: {}\n",
                b.implementation(),
                f.message
            )),
            None => out.push_str(&format!("  {}  not measured\n", b.implementation())),
        }
    }
    out
}

/// Below 6 runs the bootstrap interval of the median is the min–max range,
/// whose real coverage is 1 - 2 * 0.5^n; say so rather than imply 95%.
fn small_sample_note(runs: u32) -> Option<String> {
    (runs < 6).then(|| {
        let coverage = 100.0 * (1.0 - 2.0 * 0.5f64.powi(runs as i32));
        format!(
            "  note: with {runs} runs the 95% CI is the min–max range, which covers the median only {coverage:.0}% of the time; use --runs 6 or more\n"
        )
    })
}

fn kernel(b: &Benchmark) -> f64 {
    b.summary
        .as_ref()
        .map_or(f64::INFINITY, |s| s.kernel_ns.median)
}

fn ci(e: &Estimate) -> String {
    format!("[{}, {}]", duration_ns(e.ci_low), duration_ns(e.ci_high))
}

/// The table of one I/O scenario (rows in language order): per language, requests/s and p99 latency at
/// each concurrency level (and the fraction of the ideal throughput when the
/// scenario has one), then the server's CPU time and peak memory.
pub fn scenario_table(
    scenario: &Scenario,
    benches: &[ServerBenchmark],
    server_cpus: &[usize],
    client_cpus: &[usize],
) -> String {
    let mut out = String::new();
    let mut benches: Vec<&ServerBenchmark> = benches.iter().collect();
    benches.sort_by_key(|b| (b.lang, b.variant.clone()));
    let Some(first) = benches.first() else {
        return out;
    };
    let rounds = benches
        .iter()
        .flat_map(|b| &b.level_rounds)
        .map(|l| l.rounds.len())
        .max()
        .unwrap_or(1);
    out.push_str(&format!(
        "{} — {}\n  GET {}; {} s per level after {} s warm-up, {}; server on CPU {:?}, load on CPU {:?}\n",
        scenario.name,
        scenario.description,
        scenario.path,
        first.duration_s,
        first.warmup_s,
        if rounds == 1 { "1 round".to_string() } else { format!("{rounds} rounds (servers loaded in turn)") },
        server_cpus,
        client_cpus
    ));
    let levels = scenario.levels(first.size_name);
    if let Some(bg) = &scenario.background {
        out.push_str(&mixed_rows(&benches, levels, bg));
        out.push_str(&cpu_shares(&benches, levels));
        return with_failures(out, &benches);
    }
    let mut header = vec!["lang".to_string()];
    header.extend(levels.iter().map(|c| format!("c={c}: req/s, p99")));
    header.extend(["server CPU".to_string(), "peak RSS".to_string()]);
    let mut table = Table::new(header);
    for b in &benches {
        let mut row = vec![b.implementation()];
        for &c in levels {
            row.push(match b.levels.iter().find(|r| r.connections == c) {
                Some(r) => {
                    // Over rounds: the median and its interval; once: the value.
                    let (rps, interval) = match b.rounds_of(c).map(|l| &l.requests_per_sec) {
                        Some(e) if e.n > 1 => {
                            (e.median, format!(" [{:.0}, {:.0}]", e.ci_low, e.ci_high))
                        }
                        _ => (r.requests_per_sec, String::new()),
                    };
                    let ideal = b
                        .ideal_rps_per_connection
                        .map(|i| format!(" ({:.0}%)", 100.0 * rps / (i * c as f64)))
                        .unwrap_or_default();
                    format!(
                        "{rps:.0}{interval}{ideal}, {}",
                        duration_ns(r.latency_us.p99 as f64 * 1e3)
                    )
                }
                None => "-".to_string(),
            });
        }
        match &b.server {
            Some(u) => {
                row.push(duration_ns((u.user_ns + u.sys_ns) as f64));
                row.push(bytes(u.max_rss_bytes as f64));
            }
            None => row.extend(["-".to_string(), "-".to_string()]),
        }
        table.push(row);
    }
    out.push_str(&table.to_columns());
    if rounds > 1 {
        out.push_str(
            "  (req/s: median over the rounds [95% bootstrap interval]; p99: of the median round)\n",
        );
    }
    if first.ideal_rps_per_connection.is_some() {
        out.push_str("  (%: requests/s as a share of the ideal, connections / wait time)\n");
    }
    out.push_str(&cpu_shares(&benches, levels));
    with_failures(out, &benches)
}

/// Who was busy at each level: the server's and the load generator's CPU
/// share of one core over the measured window (median over the rounds),
/// with the marks. Empty for a file written before the shares were read.
fn cpu_shares(benches: &[&ServerBenchmark], levels: &[usize]) -> String {
    if benches.iter().all(|b| b.level_rounds.is_empty()) {
        return String::new();
    }
    let pct = |share: Option<f64>| share.map_or("?".to_string(), |s| format!("{:.0}%", s * 100.0));
    // The CPU share, and the busy share beside it when waits for the core
    // added to it (other work on the machine).
    let cell = |cpu: Option<f64>, busy: Option<f64>| match (cpu, busy) {
        (Some(c), Some(b)) if b - c >= 0.05 => format!("{} (busy {})", pct(cpu), pct(busy)),
        _ => pct(cpu),
    };
    let mut header = vec!["CPU share".to_string()];
    header.extend(levels.iter().map(|c| format!("c={c}: server / load")));
    let mut table = Table::new(header);
    for b in benches {
        let mut row = vec![b.implementation()];
        for &c in levels {
            row.push(b.rounds_of(c).map_or("-".to_string(), |l| {
                let mut text = format!(
                    "{} / {}",
                    cell(l.server_cpu_share, l.server_busy_share),
                    cell(l.generator_cpu_share, l.generator_busy_share)
                );
                if l.cpu_bound {
                    text.push_str(" CPU-bound");
                }
                if l.generator_bound {
                    text.push_str(" generator-bound");
                }
                text
            }));
        }
        table.push(row);
    }
    format!(
        "{}  (CPU time as a share of one core over the measured window, median over the rounds; \
         busy adds the time spent ready to run but waiting for the core; CPU-bound: the server \
         was busy at least {bound:.0}% of its cores' time, so the level measures CPU per \
         request; generator-bound: the load generator was busy at least {bound:.0}% of its \
         core's time, so its throughput is not compared)\n",
        table.to_columns(),
        bound = crate::results::levels::BOUND_SHARE * 100.0
    )
}

/// Rows of a mixed scenario: latency alone and with the background client.
fn mixed_rows(benches: &[&ServerBenchmark], levels: &[usize], bg: &Background) -> String {
    let ms = |us: u64| duration_ns(us as f64 * 1e3);
    let mut header = vec!["lang".to_string()];
    for c in levels {
        header.push(format!("c={c}: p50 / p99 alone"));
        header.push(format!("with {} busy", bg.path));
    }
    header.push(format!("{} req/s", bg.path));
    let mut table = Table::new(header);
    for b in benches {
        let mut row = vec![b.implementation()];
        for (i, _) in levels.iter().enumerate() {
            for list in [&b.levels, &b.loaded_levels] {
                row.push(list.get(i).map_or("-".into(), |r| {
                    format!("{} / {}", ms(r.latency_us.p50), ms(r.latency_us.p99))
                }));
            }
        }
        let bg_rps: Vec<String> = b
            .background_levels
            .iter()
            .map(|r| format!("{:.0}", r.requests_per_sec))
            .collect();
        row.push(if bg_rps.is_empty() {
            "-".into()
        } else {
            bg_rps.join(", ")
        });
        table.push(row);
    }
    format!(
        "{}  (the background client keeps {} connections busy on {} while each level is measured again)\n",
        table.to_columns(),
        bg.connections,
        bg.path
    )
}

/// Appends dropped requests, skipped levels and failures under a scenario table.
fn with_failures(mut out: String, benches: &[&ServerBenchmark]) -> String {
    for b in benches {
        for loaded in [false, true] {
            for (c, reports) in b.reports_by_level(loaded) {
                let sum = |f: fn(&crate::load::LoadReport) -> u64| -> u64 {
                    reports.iter().map(|r| f(r)).sum()
                };
                let (timeouts, errors) = (sum(|r| r.timeouts), sum(|r| r.socket_errors));
                if timeouts + errors == 0 {
                    continue;
                }
                let over = if reports.len() > 1 {
                    format!(" over {} rounds", reports.len())
                } else {
                    String::new()
                };
                out.push_str(&format!(
                    "  {}  c={c}{}: {timeouts} timeouts and {errors} socket errors besides {} responses{over}\n",
                    b.implementation(),
                    if loaded { " under load" } else { "" },
                    sum(|r| r.responses),
                ));
            }
        }
        for s in &b.skipped_levels {
            out.push_str(&format!(
                "  {}  c={} skipped: {}\n",
                b.implementation(),
                s.connections,
                s.reason
            ));
        }
        if let Some(f) = b.failures.first() {
            out.push_str(&format!(
                "  {}  FAILED: {}\n",
                b.implementation(),
                f.message
            ));
        }
    }
    out
}

/// The `exec` summary, hyperfine-style.
pub fn exec_summary(
    argv: &[String],
    wall: &Estimate,
    user: &Estimate,
    sys: &Estimate,
    rss: &Estimate,
) -> String {
    format!(
        "Command: {}\n  Time (median … 95% CI):  {} [{} … {}]\n  Time (mean ± σ):         {} ± {}\n  Range (min … max):       {} … {}    {} runs\n  CPU (median):            user {}, system {}\n  Peak RSS (median):       {}\n",
        argv.join(" "),
        duration_ns(wall.median),
        duration_ns(wall.ci_low),
        duration_ns(wall.ci_high),
        duration_ns(wall.mean),
        duration_ns(wall.std_dev),
        duration_ns(wall.min),
        duration_ns(wall.max),
        wall.n,
        duration_ns(user.median),
        duration_ns(sys.median),
        bytes(rss.median),
    )
}

/// The table of instruction counts (`run --measure instructions`): the rows
/// of [`super::counts::count_rows`] (by workload, then language), each with
/// its ratio to Rust as the report gives it, the spread over the repeats and
/// a flag where it passed the runtime's tolerance; failures after.
pub fn count_table(benches: &[Benchmark]) -> String {
    use super::compare::count;
    use super::counts::{count_rows, spread};
    let mut out = String::from(
        "instruction counts under cachegrind, per kernel iteration (K1..K2 iterations counted apart)\n",
    );
    let mut table = Table::new([
        "benchmark",
        "instructions",
        "est. cycles",
        "÷ Rust",
        "spread",
        "K1..K2",
        "repeats",
        "",
    ]);
    for row in count_rows(benches) {
        let Some(s) = row.summary else { continue };
        let c = row.counting;
        table.push([
            row.bench.label(),
            count(s.instructions.median),
            count(s.estimated_cycles.median),
            row.to_rust.map_or("–".to_string(), |r| format!("{r:.2}")),
            spread(s),
            format!("{}..{}", c.k1, c.k2),
            s.repeats.to_string(),
            if s.deterministic {
                String::new()
            } else {
                format!("NON-DETERMINISTIC (spread > {}%)", c.tolerance_pct)
            },
        ]);
    }
    out.push_str(&table.to_columns());
    for b in benches.iter().filter(|b| !b.passed()) {
        match b.failures.first() {
            Some(f) => out.push_str(&format!("  {}  FAILED: {}\n", b.label(), f.message)),
            None => out.push_str(&format!("  {}  not counted\n", b.label())),
        }
    }
    out.push_str(
        "  Instructions are not time: claims are decided on time. Estimated cycles = L1 hits \
         + 5 x LL hits + 35 x RAM hits of the simulated caches (Gungraun's formula).\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::load::{LatencyUs, LoadReport};
    use crate::results::ServerUsage;

    fn report(connections: usize, rps: f64, p50: u64, p99: u64) -> LoadReport {
        LoadReport {
            url: "http://127.0.0.1:1/x".into(),
            connections,
            duration_s: 5.0,
            warmup_s: 2.0,
            target_rate: None,
            responses: (rps * 5.0) as u64,
            checked_responses: (rps * 5.0) as u64,
            requests_per_sec: rps,
            latency_us: LatencyUs {
                p50,
                p90: p99,
                p99,
                p999: p99,
                max: p99,
                mean: p50 as f64,
            },
            non_2xx: 0,
            body_mismatches: 0,
            socket_errors: 0,
            timeouts: 0,
        }
    }

    fn scenario(background: Option<Background>, ideal: Option<f64>) -> Scenario {
        Scenario {
            name: "web".into(),
            description: "d".into(),
            path: "/x".into(),
            expected_body: "{}".into(),
            ideal_rps_per_connection: ideal,
            levels: vec![(crate::kinds::Size::Default, vec![10, 100])],
            rate: None,
            background,
        }
    }

    fn bench(
        levels: Vec<LoadReport>,
        loaded: Vec<LoadReport>,
        bg: Vec<LoadReport>,
        ideal: Option<f64>,
    ) -> ServerBenchmark {
        ServerBenchmark {
            scenario: "web".into(),
            workload: "w".into(),
            lang: Lang::Go,
            variant: None,
            runtime: None,
            size_name: crate::kinds::Size::Default,
            path: "/x".into(),
            expected_body: "{}".into(),
            command: vec![],
            env: vec![],
            build: None,
            warmup_s: 2.0,
            duration_s: 5.0,
            ideal_rps_per_connection: ideal,
            rate: None,
            levels,
            loaded_levels: loaded,
            background_levels: bg,
            level_rounds: vec![],
            skipped_levels: vec![],
            server: Some(ServerUsage {
                user_ns: 2_000_000_000,
                sys_ns: 500_000_000,
                max_rss_bytes: 10 << 20,
                ended: "exit status 0".into(),
            }),
            failures: vec![],
        }
    }

    #[test]
    fn sweep_shows_throughput_share_of_ideal_and_p99() {
        let b = bench(
            vec![
                report(10, 900.0, 11_000, 14_000),
                report(100, 8_000.0, 12_000, 20_000),
            ],
            vec![],
            vec![],
            Some(100.0),
        );
        let t = scenario_table(&scenario(None, Some(100.0)), &[b], &[0], &[1]);
        assert!(t.contains("c=10: req/s, p99"), "{t}");
        assert!(t.contains("900 (90%), 14.00 ms"), "{t}");
        assert!(t.contains("8000 (80%), 20.00 ms"), "{t}");
        assert!(t.contains("2.500 s") && t.contains("10.0 MiB"), "{t}");
    }

    #[test]
    fn mixed_shows_latency_alone_and_under_load() {
        let bg = Background {
            path: "/cpu".into(),
            expected_body: "{}".into(),
            connections: 2,
        };
        let b = bench(
            vec![report(10, 100.0, 300, 900)],
            vec![report(10, 100.0, 20_000, 40_000)],
            vec![report(2, 55.0, 36_000, 40_000)],
            None,
        );
        let t = scenario_table(&scenario(Some(bg), None), &[b], &[0], &[1]);
        assert!(t.contains("with /cpu busy"), "{t}");
        assert!(t.contains("300.00 µs / 900.00 µs"), "{t}");
        assert!(t.contains("20.00 ms / 40.00 ms"), "{t}");
        assert!(t.contains("  55\n") || t.contains(" 55\n"), "{t}");
    }
}

#[cfg(test)]
mod count_tests {
    use super::*;
    use crate::report::counts::testing::add_counts;
    use crate::results::ResultsFile;

    #[test]
    fn the_count_table_gives_each_row_its_ratio_to_rust() {
        let text = include_str!("../../tests/fixtures/results/all-suites.json");
        let mut results: ResultsFile = serde_json::from_str(text).expect("fixture parses");
        add_counts(&mut results, 1.0);
        let table = count_table(&results.benchmarks);
        let median = |lang: crate::lang::Lang| {
            results
                .benchmarks
                .iter()
                .find(|b| b.workload == "nbody" && b.lang == lang)
                .and_then(|b| b.counting.as_ref()?.summary.as_ref())
                .map(|s| s.instructions.median)
                .unwrap()
        };
        let ratio = median(crate::lang::Lang::Python) / median(crate::lang::Lang::Rust);
        let row = table
            .lines()
            .find(|l| l.trim_start().starts_with("nbody/python "))
            .unwrap_or_else(|| panic!("{table}"));
        assert!(row.contains(&format!(" {ratio:.2} ")), "{ratio:.2}: {row}");
        assert!(row.contains(" 2..4 ") && row.contains(" 0.000% "), "{row}");
        // Instructions, then estimated cycles (1.5 times them here).
        let python = median(crate::lang::Lang::Python);
        let cells: Vec<&str> = row
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(
            cells[1..3],
            [
                crate::report::compare::count(python),
                crate::report::compare::count(python * 1.5)
            ],
            "{row}"
        );
        let rust = table
            .lines()
            .find(|l| l.trim_start().starts_with("nbody/rust "))
            .unwrap();
        assert!(rust.contains(" 1.00 "), "{rust}");
        assert!(table.contains("÷ Rust"), "{table}");
    }
}
