//! `langbench export`: one results file in the formats CI dashboards read.
//!
//! - github-action-benchmark's `customSmallerIsBetter` and
//!   `customBiggerIsBetter` tools: a JSON array of `{name, unit, value, range,
//!   extra}`; one file holds one direction, so a format holds only the metrics
//!   of its direction.
//! - Bencher Metric Format: `{benchmark: {measure: {value, lower_value,
//!   upper_value}}}`, one measure per metric.
//! - CSV, one row per benchmark and metric, with the run's start and commit so
//!   files of several runs can be concatenated.
//! - A Markdown summary for a CI job summary or a PR comment.
//!
//! Every value is the median of the measured runs, with its 95% bootstrap
//! interval (fixed seed, so exports are reproducible). A value measured once
//! (a load level) has no interval; the formats say so rather than invent one.
//! An instruction count (`instructions`, `estimated_cycles`) is the median of
//! its repeats under cachegrind: it has no sampling noise to bootstrap, only
//! repeats that agree or not, so its bounds are its min–max over the repeats,
//! named so where a format has words (github's `extra`, the Markdown note),
//! given as Bencher's `lower_value`/`upper_value`, and left out of the CSV's
//! `ci_low`/`ci_high` (its `min` and `max` hold them).
//! In: a [`ResultsFile`]; out: bytes the caller writes.

use serde_json::{json, Map, Value};

use crate::kinds::{ExportFormat, Metric};
use crate::metrics::{samples, BenchmarkKey};
use crate::report::compare::value;
use crate::report::markup::Table;
use crate::results::ResultsFile;
use crate::stats::{Summary, RESAMPLES, SEED};

/// One benchmark's value of one metric.
#[derive(Debug, Clone)]
struct Entry {
    key: BenchmarkKey,
    metric: Metric,
    summary: Summary,
}

/// What an entry's bounds are.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Bounds {
    /// Measured (or counted) once: none.
    None,
    /// A time's or a rate's 95% bootstrap interval of the median.
    Interval(f64, f64),
    /// A count's smallest and largest value over its repeats.
    Range(f64, f64),
}

impl Entry {
    /// True when the value was measured once (no interval).
    fn single(&self) -> bool {
        self.summary.n == 1
    }

    /// The bounds to export, if any.
    fn bounds(&self) -> Bounds {
        let s = &self.summary;
        if self.single() {
            Bounds::None
        } else if self.metric.is_deterministic() {
            Bounds::Range(s.min, s.max)
        } else {
            Bounds::Interval(s.ci_low, s.ci_high)
        }
    }

    /// The larger distance from the median to one of its bounds (0 without).
    fn half_width(&self) -> f64 {
        let m = self.summary.median;
        match self.bounds() {
            Bounds::None => 0.0,
            Bounds::Interval(lo, hi) | Bounds::Range(lo, hi) => (hi - m).max(m - lo),
        }
    }
}

/// `results` in `format`, for `metrics` (in that order, benchmarks in key order).
pub fn export(results: &ResultsFile, format: ExportFormat, metrics: &[Metric]) -> Vec<u8> {
    let entries = entries(results, metrics);
    match format {
        ExportFormat::GithubSmaller | ExportFormat::GithubBigger => github(&entries),
        ExportFormat::Bencher => bencher(&entries),
        ExportFormat::Csv => csv(results, &entries),
        ExportFormat::Markdown => markdown(results, metrics, &entries),
    }
}

fn entries(results: &ResultsFile, metrics: &[Metric]) -> Vec<Entry> {
    let mut out = Vec::new();
    for &metric in metrics {
        for (key, sample) in samples(results, metric) {
            out.push(Entry {
                key,
                metric,
                summary: sample.summarize(RESAMPLES, SEED),
            });
        }
    }
    out
}

fn pretty(v: &Value) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(v).expect("JSON serialises");
    s.push('\n');
    s.into_bytes()
}

/// github-action-benchmark's custom format. `range` is the larger half-width
/// of the bounds ("± x"); `extra` (the tooltip) gives n and the bounds, and
/// says which kind they are.
fn github(entries: &[Entry]) -> Vec<u8> {
    let items: Vec<Value> = entries
        .iter()
        .map(|e| {
            let s = &e.summary;
            let unit = e.metric.unit();
            let mut item = json!({
                "name": format!("{} [{}]", e.key, e.metric.name()),
                "unit": unit,
                "value": s.median,
            });
            let extra = match e.bounds() {
                Bounds::None if e.metric.is_deterministic() => {
                    "counted once under cachegrind: no range".to_string()
                }
                Bounds::None => "measured once: no interval".to_string(),
                Bounds::Interval(lo, hi) => format!(
                    "n = {}\n95% CI of the median: {} – {} {unit}\nmin {}, max {}",
                    s.n,
                    round(lo),
                    round(hi),
                    round(s.min),
                    round(s.max)
                ),
                Bounds::Range(lo, hi) => format!(
                    "{} repeats under cachegrind (a count, not time)\nmin – max over the \
                     repeats: {} – {} {unit} (no confidence interval)",
                    s.n,
                    round(lo),
                    round(hi)
                ),
            };
            if e.bounds() != Bounds::None {
                item["range"] = json!(format!("± {}", round(e.half_width())));
            }
            item["extra"] = json!(extra);
            item
        })
        .collect();
    pretty(&Value::Array(items))
}

/// Bencher's measure slug of a metric: its built-in `throughput`
/// (operations/s) for requests/s; the others are custom measures named with
/// their unit, since Bencher creates unknown measures on first use.
fn bencher_measure(metric: Metric) -> &'static str {
    match metric {
        Metric::KernelTime => "kernel-time-ns",
        Metric::WallTime => "wall-time-ns",
        Metric::CpuTime => "cpu-time-ns",
        Metric::PeakRss => "peak-rss-bytes",
        Metric::RequestsPerSecond => "throughput",
        Metric::P99Latency => "p99-latency-us",
        // Bencher's built-in measures for instruction counts (as iai's).
        Metric::Instructions => "instructions",
        Metric::EstimatedCycles => "estimated-cycles",
    }
}

/// Bencher Metric Format: bounds only where there are any (a time's
/// interval, a count's min–max over its repeats).
fn bencher(entries: &[Entry]) -> Vec<u8> {
    let mut root = Map::new();
    for e in entries {
        let mut metric = json!({ "value": e.summary.median });
        if let Bounds::Interval(lo, hi) | Bounds::Range(lo, hi) = e.bounds() {
            metric["lower_value"] = json!(lo);
            metric["upper_value"] = json!(hi);
        }
        let bench = root
            .entry(e.key.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        bench[bencher_measure(e.metric)] = metric;
    }
    pretty(&Value::Object(root))
}

/// One row per benchmark and metric; `ci_low` and `ci_high` are empty for
/// a value measured once and for a count (its `min` and `max` are its range).
fn csv(results: &ResultsFile, entries: &[Entry]) -> Vec<u8> {
    let mut out = String::from(
        "started_at,commit,size,benchmark,metric,unit,n,median,ci_low,ci_high,min,max\n",
    );
    let commit = results.git.as_ref().map_or("", |g| g.commit.as_str());
    for e in entries {
        let s = &e.summary;
        let (lo, hi) = match e.bounds() {
            Bounds::Interval(lo, hi) => (round(lo), round(hi)),
            Bounds::None | Bounds::Range(..) => (String::new(), String::new()),
        };
        let cells = [
            results.started_at.clone(),
            commit.to_string(),
            results.settings.size.to_string(),
            e.key.to_string(),
            e.metric.name().to_string(),
            e.metric.unit().to_string(),
            s.n.to_string(),
            round(s.median),
            lo,
            hi,
            round(s.min),
            round(s.max),
        ];
        let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

/// A CSV cell, quoted when it holds a comma, a quote or a line break.
fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// A number with at most 6 significant digits and no exponent, for text formats.
fn round(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let digits = (5 - v.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The Markdown summary: what ran where, how many passed, then one table for
/// the programs (cpu, concurrency) and one for the servers (io), a column per
/// metric: median ± the larger half-width of its bounds, in percent; under
/// the programs' table, when it has counts, what their ± is.
fn markdown(results: &ResultsFile, metrics: &[Metric], entries: &[Entry]) -> Vec<u8> {
    let m = &results.machine;
    let commit = results
        .git
        .as_ref()
        .map_or("no commit".to_string(), |g| g.short());
    let outcomes = results.outcomes();
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|(_, why)| why.is_some())
        .map(|(label, _)| label.as_str())
        .collect();
    let (total, passed) = (outcomes.len(), outcomes.len() - failed.len());
    let limited = results.benchmarks.iter().filter(|b| b.limited()).count();
    let limits = if limited > 0 {
        format!(" {limited} concurrency levels stopped at a limit.")
    } else {
        String::new()
    };
    let mut out = format!(
        "### langbench run: {} ({} size)\n\n{}, {} CPUs · {} · started {}\n\n{passed} of {total} benchmarks passed.{limits}\n",
        results.status.name(),
        results.settings.size,
        m.cpu_model,
        m.logical_cpus,
        commit,
        results.started_at,
    );
    if !failed.is_empty() {
        out.push_str(&format!("\nFailed: {}.\n", failed.join(", ")));
    }
    for io in [false, true] {
        let cols: Vec<Metric> = metrics
            .iter()
            .copied()
            .filter(|m| m.is_io() == io)
            // A metric the file has no value of (counts in a timed run) gets no column.
            .filter(|m| entries.iter().any(|e| e.metric == *m))
            .collect();
        out.push_str(&markdown_table(&cols, entries));
        if cols.iter().any(|m| m.is_deterministic()) {
            out.push_str(COUNT_NOTE);
        }
    }
    out.into_bytes()
}

/// What a count's ± means in the Markdown summary.
const COUNT_NOTE: &str = "\nInstructions and estimated cycles per iteration are counts under \
valgrind's cachegrind, not time: their ± is the larger distance from the median to the fewest \
or most over the repeats, not a confidence interval.\n";

/// A table with a row per benchmark and a column per metric of `cols`; empty without entries.
fn markdown_table(cols: &[Metric], entries: &[Entry]) -> String {
    let keys: std::collections::BTreeSet<&BenchmarkKey> = entries
        .iter()
        .filter(|e| cols.contains(&e.metric))
        .map(|e| &e.key)
        .collect();
    if keys.is_empty() {
        return String::new();
    }
    let mut header = vec!["benchmark".to_string()];
    header.extend(cols.iter().map(|m| m.words().to_string()));
    let mut table = Table::new(header).right_aligned(1..=cols.len());
    for key in keys {
        let mut row = vec![key.to_string()];
        for &m in cols {
            let cell = entries
                .iter()
                .find(|e| e.metric == m && &e.key == key)
                .map_or("–".to_string(), |e| {
                    let s = &e.summary;
                    if e.single() || s.median == 0.0 {
                        value(m, s.median)
                    } else {
                        // A count's range is small and a 1% change matters: two decimals.
                        let decimals = if m.is_deterministic() { 2 } else { 1 };
                        let half = e.half_width() / s.median * 100.0;
                        format!("{} ± {half:.decimals$}%", value(m, s.median))
                    }
                });
            row.push(cell);
        }
        table.push(row);
    }
    format!("\n{}", table.to_markdown())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions() {
        use clap::ValueEnum;
        assert!(ExportFormat::GithubSmaller.holds(Metric::PeakRss));
        assert!(!ExportFormat::GithubSmaller.holds(Metric::RequestsPerSecond));
        assert!(ExportFormat::GithubBigger.holds(Metric::RequestsPerSecond));
        assert!(!ExportFormat::GithubBigger.holds(Metric::KernelTime));
        for &f in ExportFormat::value_variants() {
            assert!(f.default_metrics().iter().all(|&m| f.holds(m)));
        }
    }

    #[test]
    fn markdown_rows_follow_the_key_order_so_levels_ascend() {
        use crate::kinds::Size;
        use crate::metrics::KeyLevel;
        use crate::stats::Sample;
        let entry = |c: usize| Entry {
            key: BenchmarkKey {
                workload: "http-json".into(),
                implementation: "go".into(),
                level: Some(KeyLevel::Connections(c)),
                size: Size::Quick,
            },
            metric: Metric::RequestsPerSecond,
            summary: Sample::new(vec![c as f64]).unwrap().summarize(10, 1),
        };
        let entries: Vec<Entry> = [64, 1, 256, 16].into_iter().map(entry).collect();
        let table = markdown_table(&[Metric::RequestsPerSecond], &entries);
        let rows: Vec<&str> = table
            .lines()
            .filter_map(|l| l.strip_prefix("| http-json/go "))
            .map(|l| l.split(' ').next().unwrap())
            .collect();
        assert_eq!(rows, ["c=1", "c=16", "c=64", "c=256"], "{table}");
    }

    #[test]
    fn numbers_and_cells() {
        assert_eq!(round(1234567.891), "1234568");
        assert_eq!(round(12.3456789), "12.3457");
        assert_eq!(round(0.5), "0.5");
        assert_eq!(round(0.0), "0");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(csv_cell("nbody/rust (quick)"), "nbody/rust (quick)");
    }
}
