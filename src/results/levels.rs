//! The rounds of an io level and who was the bottleneck in them.
//!
//! Each concurrency level of a server is measured in rounds (`run
//! --io-rounds`), the servers of a scenario loaded in turn, so a slow phase
//! of the machine hits them alike. A round keeps its load report and the CPU
//! time of the server and of the load generator over the measured window.
//! Per level: requests/s over the rounds as an [`Estimate`] (median and 95%
//! bootstrap interval), the median CPU shares, and the two marks, CPU-bound
//! and generator-bound, decided by [`bottleneck`] on the busy shares (CPU
//! time plus the time spent ready to run but waiting for a CPU, which on a
//! machine shared with other work is how a saturated process loses its
//! core). In: rounds as the io suite
//! measures them; out: the level's summary, and the benchmark's `levels`
//! (one report per level: the median round), which every reader of a file
//! written before rounds already understands.

use serde::{Deserialize, Serialize};

use super::summary::estimate;
use super::{Estimate, ServerBenchmark};
use crate::load::LoadReport;
use crate::stats::Sample;

/// A level whose median CPU share reaches this fraction of the cores
/// available is bound by them: the server's (its `--server-cpus`) makes it
/// CPU-bound, the load generator's one core makes it generator-bound. 90%
/// leaves room for the time a busy process still loses to interrupts, the
/// scheduler and the other process on its core, and is far above what a
/// server waiting on I/O uses.
pub const BOUND_SHARE: f64 = 0.9;

/// One round of one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelRound {
    /// Round number (0-based).
    pub round: u32,
    /// The level's load report in this round.
    pub report: LoadReport,
    /// Mixed scenarios: the level measured again while the background client ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loaded: Option<LoadReport>,
    /// Mixed scenarios: the background client's own report during `loaded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<LoadReport>,
    /// Wall time of the measured window (of `report`), in nanoseconds.
    pub window_ns: u64,
    /// CPU time (user + system) of the server's process group over the
    /// window, every thread, in nanoseconds; absent when `/proc` could not be read.
    pub server_cpu_ns: Option<u64>,
    /// Time the server's live threads spent ready to run but waiting for a
    /// CPU over the window, summed, in nanoseconds; absent when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_wait_ns: Option<u64>,
    /// CPU time of the load generator's thread over the window, in
    /// nanoseconds; absent when it could not be read.
    pub generator_cpu_ns: Option<u64>,
    /// Time the load generator's thread spent ready to run but waiting for
    /// its CPU over the window, in nanoseconds; absent when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator_wait_ns: Option<u64>,
}

impl LevelRound {
    /// The server's CPU time over the window as a share of one core.
    pub fn server_share(&self) -> Option<f64> {
        share(self.server_cpu_ns, self.window_ns)
    }

    /// The generator's CPU time over the window as a share of its core.
    pub fn generator_share(&self) -> Option<f64> {
        share(self.generator_cpu_ns, self.window_ns)
    }

    /// The server's time running or waiting for a CPU, as a share of one core.
    pub fn server_busy(&self) -> Option<f64> {
        busy(self.server_cpu_ns, self.server_wait_ns, self.window_ns)
    }

    /// The generator's time running or waiting for its CPU, as a share of it.
    pub fn generator_busy(&self) -> Option<f64> {
        busy(
            self.generator_cpu_ns,
            self.generator_wait_ns,
            self.window_ns,
        )
    }
}

fn share(cpu_ns: Option<u64>, window_ns: u64) -> Option<f64> {
    (window_ns > 0).then(|| cpu_ns.map(|c| c as f64 / window_ns as f64))?
}

/// CPU time plus run-queue wait (none when unknown) over the window.
fn busy(cpu_ns: Option<u64>, wait_ns: Option<u64>, window_ns: u64) -> Option<f64> {
    share(cpu_ns.map(|c| c + wait_ns.unwrap_or(0)), window_ns)
}

/// Every round of one level, and their summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelRounds {
    /// Connections of the level.
    pub connections: usize,
    /// Every round measured, in the order run.
    pub rounds: Vec<LevelRound>,
    /// Requests per second over the rounds: median and 95% bootstrap
    /// interval of the median (one round: that value, no interval).
    pub requests_per_sec: Estimate,
    /// Median over the rounds of the server's CPU share of one core (1.0:
    /// one core busy the whole window); absent when never read.
    pub server_cpu_share: Option<f64>,
    /// Median over the rounds of the load generator's CPU share of its core.
    pub generator_cpu_share: Option<f64>,
    /// Median over the rounds of the server's busy share: CPU time plus the
    /// time its threads waited for a CPU while ready to run, over the window
    /// (equal to the CPU share on an otherwise idle core).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_busy_share: Option<f64>,
    /// Median over the rounds of the load generator's busy share of its core.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator_busy_share: Option<f64>,
    /// The server was busy (running, or ready and waiting for a CPU) at
    /// least [`BOUND_SHARE`] of its cores' time: the level measures CPU per
    /// request more than waiting.
    pub cpu_bound: bool,
    /// The load generator was busy at least [`BOUND_SHARE`] of its core's
    /// time: the level's throughput is the generator's, and is not compared.
    pub generator_bound: bool,
}

/// What limited a level, from its CPU shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Bottleneck {
    /// The server's cores were (nearly) saturated.
    pub cpu_bound: bool,
    /// The load generator's core was (nearly) saturated.
    pub generator_bound: bool,
}

/// The marks of a level from its busy shares (of one core): the server's
/// against its `server_cores`, the generator's against its one core. An
/// unknown share marks nothing.
pub fn bottleneck(
    server_share: Option<f64>,
    server_cores: usize,
    generator_share: Option<f64>,
) -> Bottleneck {
    let at_least = |share: Option<f64>, cores: f64| share.is_some_and(|s| s >= BOUND_SHARE * cores);
    Bottleneck {
        cpu_bound: at_least(server_share, server_cores.max(1) as f64),
        generator_bound: at_least(generator_share, 1.0),
    }
}

impl LevelRounds {
    /// The level with its first round; `server_cores` is the number of CPUs
    /// the server may run on.
    pub fn new(connections: usize, first: LevelRound, server_cores: usize) -> LevelRounds {
        let rps = estimate(vec![first.report.requests_per_sec])
            .unwrap_or_else(|| estimate(vec![0.0]).expect("one finite value"));
        let mut level = LevelRounds {
            connections,
            rounds: Vec::new(),
            requests_per_sec: rps,
            server_cpu_share: None,
            generator_cpu_share: None,
            server_busy_share: None,
            generator_busy_share: None,
            cpu_bound: false,
            generator_bound: false,
        };
        level.push(first, server_cores);
        level
    }

    /// Adds a round and summarises the rounds again.
    pub fn push(&mut self, round: LevelRound, server_cores: usize) {
        self.rounds.push(round);
        let rps = self.rounds.iter().map(|r| r.report.requests_per_sec);
        if let Some(e) = estimate(rps.collect()) {
            self.requests_per_sec = e;
        }
        self.server_cpu_share = median(self.rounds.iter().filter_map(LevelRound::server_share));
        self.generator_cpu_share =
            median(self.rounds.iter().filter_map(LevelRound::generator_share));
        self.server_busy_share = median(self.rounds.iter().filter_map(LevelRound::server_busy));
        self.generator_busy_share =
            median(self.rounds.iter().filter_map(LevelRound::generator_busy));
        let marks = bottleneck(
            self.server_busy_share,
            server_cores,
            self.generator_busy_share,
        );
        self.cpu_bound = marks.cpu_bound;
        self.generator_bound = marks.generator_bound;
    }

    /// The round whose requests/s is the median (the lower of the two
    /// middle ones for an even count): the level's report in `levels`, so
    /// its latencies belong to the same round as its throughput.
    pub fn median_round(&self) -> &LevelRound {
        let mut order: Vec<&LevelRound> = self.rounds.iter().collect();
        order.sort_by(|a, b| {
            a.report
                .requests_per_sec
                .total_cmp(&b.report.requests_per_sec)
        });
        order[(order.len() - 1) / 2]
    }

    /// The round whose loaded p99 is the median (mixed scenarios).
    fn median_loaded(&self) -> Option<&LevelRound> {
        let mut order: Vec<&LevelRound> =
            self.rounds.iter().filter(|r| r.loaded.is_some()).collect();
        order.sort_by_key(|r| r.loaded.as_ref().map(|l| l.latency_us.p99));
        order.get(order.len().checked_sub(1)? / 2).copied()
    }
}

fn median(values: impl Iterator<Item = f64>) -> Option<f64> {
    Sample::new(values.collect()).ok().map(|s| s.median())
}

impl ServerBenchmark {
    /// Adds a measured round of the level at `connections` and sets the
    /// level's reports in `levels`, `loaded_levels` and
    /// `background_levels` to its median round.
    pub fn add_round(&mut self, connections: usize, round: LevelRound, server_cores: usize) {
        match self
            .level_rounds
            .iter_mut()
            .find(|l| l.connections == connections)
        {
            Some(level) => level.push(round, server_cores),
            None => self
                .level_rounds
                .push(LevelRounds::new(connections, round, server_cores)),
        }
        self.levels = self
            .level_rounds
            .iter()
            .map(|l| l.median_round().report.clone())
            .collect();
        let loaded: Vec<&LevelRound> = self
            .level_rounds
            .iter()
            .filter_map(LevelRounds::median_loaded)
            .collect();
        self.loaded_levels = loaded.iter().filter_map(|r| r.loaded.clone()).collect();
        self.background_levels = loaded.iter().filter_map(|r| r.background.clone()).collect();
    }

    /// The rounds of the level at `connections`, if it was measured in rounds.
    pub fn rounds_of(&self, connections: usize) -> Option<&LevelRounds> {
        self.level_rounds
            .iter()
            .find(|l| l.connections == connections)
    }

    /// Each measured level's reports, one per round (a file written before
    /// rounds: its one report); `loaded` for the reports under the
    /// background client.
    pub fn reports_by_level(&self, loaded: bool) -> Vec<(usize, Vec<&LoadReport>)> {
        if self.level_rounds.is_empty() {
            let list = if loaded {
                &self.loaded_levels
            } else {
                &self.levels
            };
            return list.iter().map(|r| (r.connections, vec![r])).collect();
        }
        self.level_rounds
            .iter()
            .map(|l| {
                let reports = l.rounds.iter().filter_map(|r| {
                    if loaded {
                        r.loaded.as_ref()
                    } else {
                        Some(&r.report)
                    }
                });
                (l.connections, reports.collect::<Vec<_>>())
            })
            .filter(|(_, reports)| !reports.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first http-json server of the fixture, with no level.
    fn server() -> ServerBenchmark {
        let text = include_str!("../../tests/fixtures/results/all-suites.json");
        let r: super::super::ResultsFile = serde_json::from_str(text).expect("fixture parses");
        let mut s = r.servers[0].clone();
        s.levels.clear();
        s
    }

    fn round(round: u32, rps: f64, server_ms: u64, generator_ms: u64) -> LevelRound {
        let text = include_str!("../../tests/fixtures/results/all-suites.json");
        let r: super::super::ResultsFile = serde_json::from_str(text).expect("fixture parses");
        let mut report = r.servers[0].levels[1].clone();
        report.requests_per_sec = rps;
        LevelRound {
            round,
            report,
            loaded: None,
            background: None,
            window_ns: 1_000_000_000,
            server_cpu_ns: Some(server_ms * 1_000_000),
            server_wait_ns: None,
            generator_cpu_ns: Some(generator_ms * 1_000_000),
            generator_wait_ns: Some(0),
        }
    }

    #[test]
    fn the_marks_are_at_ninety_percent_of_the_cores() {
        let b = |s, cores, g| bottleneck(Some(s), cores, Some(g));
        assert_eq!(b(0.5, 1, 0.3), Bottleneck::default());
        assert!(b(0.9, 1, 0.3).cpu_bound);
        assert!(!b(0.89, 1, 0.3).cpu_bound);
        assert!(!b(1.5, 2, 0.3).cpu_bound, "1.5 of 2 cores is 75%");
        assert!(b(1.8, 2, 0.3).cpu_bound);
        let g = b(0.4, 1, 0.95);
        assert!(g.generator_bound && !g.cpu_bound);
        assert_eq!(bottleneck(None, 1, None), Bottleneck::default());
    }

    #[test]
    fn rounds_give_a_median_an_interval_and_the_median_round() {
        let mut bench = server();
        bench.add_round(16, round(0, 100.0, 950, 300), 1);
        let level = bench.rounds_of(16).unwrap();
        assert_eq!(level.requests_per_sec.n, 1);
        assert_eq!(level.requests_per_sec.ci_low, 100.0);
        bench.add_round(16, round(1, 140.0, 930, 980), 1);
        bench.add_round(16, round(2, 120.0, 400, 970), 1);
        let level = bench.rounds_of(16).unwrap();
        assert_eq!(level.rounds.len(), 3);
        assert_eq!(level.requests_per_sec.median, 120.0);
        assert!(level.requests_per_sec.ci_low <= 120.0 && level.requests_per_sec.ci_high >= 120.0);
        assert_eq!(level.server_cpu_share, Some(0.93));
        assert_eq!(level.generator_cpu_share, Some(0.97));
        assert!(level.cpu_bound && level.generator_bound);
        assert_eq!(level.server_busy_share, Some(0.93));
        assert_eq!(bench.levels.len(), 1);
        assert_eq!(bench.levels[0].requests_per_sec, 120.0, "the median round");
        // A generator kept off its core by other work is as bound as a busy one.
        let mut starved = round(3, 130.0, 100, 500);
        starved.generator_wait_ns = Some(450_000_000);
        assert_eq!(starved.generator_share(), Some(0.5));
        assert_eq!(starved.generator_busy(), Some(0.95));
        let by_level = bench.reports_by_level(false);
        assert_eq!(by_level.len(), 1);
        assert_eq!(by_level[0].1.len(), 3);
    }
}
