//! I/O-suite charts: throughput, fraction of the ideal throughput and p99
//! latency against the number of connections (`http-json`, `http-io`), and
//! the latency of `/json` alone and under a CPU load (`http-mixed`). A level
//! measured in rounds is drawn at its median with the 95% interval as an
//! error bar; a ring marks a CPU-bound level, and a legend note each
//! generator-bound one, whose throughput is not compared.

use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{short_number, significant, Axis};
use super::canvas::{render, Figure, Mark};
use super::legend::LegendEntry;
use super::lines::{line_figure, Series};
use super::style::{lighten, INK, MUTED};
use super::{group_slot, short_message, Chart, Implementation};
use crate::load::LoadReport;
use crate::results::levels::BOUND_SHARE;
use crate::results::{LevelRounds, ResultsFile, ServerBenchmark};

const CONNECTIONS: &str = "concurrent connections (log scale)";

/// The scenario's server benchmarks, in chart order of implementation.
fn servers<'a>(results: &'a ResultsFile, scenario: &str) -> Vec<&'a ServerBenchmark> {
    let mut list: Vec<&ServerBenchmark> = results
        .servers
        .iter()
        .filter(|s| s.scenario == scenario)
        .collect();
    list.sort_by_key(|s| super::style::order_key(&s.imp()));
    list
}

/// One series per server, from a value of each measured level.
fn sweep(
    servers: &[&ServerBenchmark],
    value: impl Fn(&ServerBenchmark, &LoadReport) -> Option<f64>,
) -> Vec<Series> {
    servers
        .iter()
        .map(|s| Series {
            imp: Implementation::new(s.imp()),
            points: s
                .levels
                .iter()
                .filter_map(|l| Some((l.connections as f64, value(s, l)?)))
                .collect(),
        })
        .collect()
}

/// A level's requests/s as the charts show it: the median over its rounds
/// (the one value of a level measured once).
fn rps(s: &ServerBenchmark, l: &LoadReport) -> f64 {
    s.rounds_of(l.connections)
        .map_or(l.requests_per_sec, |r| r.requests_per_sec.median)
}

/// What a sweep chart draws beyond its lines: the 95% interval of the
/// median as an error bar at each level measured in several rounds (when
/// `interval` gives one), and a ring around the point of each CPU-bound
/// level; with a legend entry and a sentence for the caption.
fn annotate(
    fig: &mut Figure,
    servers: &[&ServerBenchmark],
    value: impl Fn(&ServerBenchmark, &LoadReport) -> Option<f64>,
    interval: impl Fn(&ServerBenchmark, &LevelRounds) -> Option<(f64, f64)>,
) {
    let (mut bars, mut rings, mut rounds) = (Vec::new(), Vec::new(), 0);
    for s in servers {
        let colour = Implementation::new(s.imp()).style().colour;
        for l in &s.levels {
            let Some(level) = s.rounds_of(l.connections) else {
                continue;
            };
            let x = l.connections as f64;
            if let Some((lo, hi)) = interval(s, level).filter(|_| level.rounds.len() > 1) {
                if fig.y.accepts(lo) && fig.y.accepts(hi) {
                    rounds = rounds.max(level.rounds.len());
                    bars.push(Mark::ErrorBar {
                        x,
                        y: (lo, hi),
                        colour,
                    });
                }
            }
            if let Some(y) = value(s, l).filter(|&y| level.cpu_bound && fig.y.accepts(y)) {
                rings.push(Mark::Ring { at: (x, y), colour });
            }
        }
    }
    let mut said = Vec::new();
    if !bars.is_empty() {
        said.push(format!(
            "error bars: the 95% bootstrap interval of the median over {rounds} rounds"
        ));
    }
    if !rings.is_empty() {
        said.push(format!(
            "a ring marks a level where the server was CPU-bound (at least {:.0}% of its core \
             busy), which measures CPU per request rather than waiting",
            BOUND_SHARE * 100.0
        ));
        fig.legend.push(LegendEntry::Ring {
            label: "ring: server CPU-bound".into(),
            colour: INK,
        });
    }
    for s in servers {
        for l in s.level_rounds.iter().filter(|l| l.generator_bound) {
            said.push(format!(
                "{}: {} connections generator-bound (the load generator's core {:.0}% busy), \
                 so its throughput is not compared",
                s.implementation(),
                l.connections,
                l.generator_busy_share.unwrap_or(1.0) * 100.0
            ));
        }
    }
    if !said.is_empty() {
        let sentence = said.join("; ");
        let mut first = sentence.chars();
        let upper: String = first
            .next()
            .into_iter()
            .flat_map(char::to_uppercase)
            .collect();
        fig.caption = format!("{} {upper}{}.", fig.caption, first.as_str());
    }
    fig.marks.extend(bars);
    fig.marks.extend(rings);
}

/// Legend notes for failures, skipped levels and levels with errors.
fn server_notes(servers: &[&ServerBenchmark]) -> Vec<LegendEntry> {
    let mut notes = Vec::new();
    for s in servers {
        let name = s.implementation();
        if let Some(f) = s.failures.first() {
            notes.push(LegendEntry::Note(format!(
                "{name}: failed: {}",
                short_message(&f.message)
            )));
        }
        for k in &s.skipped_levels {
            notes.push(LegendEntry::Note(format!(
                "{name}: {} connections not run: {}",
                k.connections,
                short_message(&k.reason)
            )));
        }
        for l in s.level_rounds.iter().filter(|l| l.generator_bound) {
            notes.push(LegendEntry::Note(format!(
                "{name}: {} connections generator-bound (load generator's core {:.0}% busy): \
                 throughput not compared",
                l.connections,
                l.generator_busy_share.unwrap_or(1.0) * 100.0
            )));
        }
        for l in s.levels.iter().filter(|l| l.errors() > 0) {
            notes.push(LegendEntry::Note(format!(
                "{name}: {} errors at {} connections",
                l.errors(),
                l.connections
            )));
        }
    }
    notes
}

fn connections_axis(values: Vec<f64>) -> Option<Axis> {
    Axis::log(CONNECTIONS, values).map(|a| a.with_format(short_number))
}

/// Finishes a sweep chart: notes, then render.
fn sweep_chart(fig: Option<Figure>, servers: &[&ServerBenchmark]) -> Option<Chart> {
    let mut fig = fig?;
    fig.legend.extend(server_notes(servers));
    render(fig)
}

fn rps_chart(
    results: &ResultsFile,
    scenario: &str,
    name: &'static str,
    what: &str,
) -> Option<Chart> {
    let servers = servers(results, scenario);
    let series = sweep(&servers, |s, l| Some(rps(s, l)));
    let ideal = servers.iter().find_map(|s| s.ideal_rps_per_connection);
    let caption = format!(
        "Requests per second each {scenario} server ({what}) answered against the number of \
         concurrent connections of the closed-loop client, one line per implementation{}.",
        ideal.map_or(String::new(), |i| format!(
            "; dashed: the ideal, {} requests/s per connection",
            significant(i)
        ))
    );
    let max_connections = servers
        .iter()
        .flat_map(|s| &s.levels)
        .map(|l| l.connections)
        .max();
    let fig = line_figure(
        name,
        &format!("{scenario}: throughput against concurrency"),
        caption,
        series,
        connections_axis,
        |ys| {
            let ideal_top = ideal.zip(max_connections).map(|(i, c)| i * c as f64);
            Axis::log(
                "requests per second (log scale)",
                ys.into_iter().chain(ideal_top),
            )
            .map(|a| a.with_format(short_number))
        },
    );
    let fig = fig.map(|mut fig| {
        if let Some(per) = ideal {
            let (lo, hi) = (fig.x.lo, fig.x.hi);
            // Straight on log-log axes, but sampled so it stays right on any scale.
            let points = (0..=40)
                .map(|i| lo * (hi / lo).powf(f64::from(i) / 40.0))
                .map(|c| (c, per * c))
                .collect();
            fig.marks.insert(
                0,
                Mark::Line {
                    points,
                    colour: MUTED,
                    dash: Some((6, 4)),
                    width: 1,
                },
            );
            fig.legend.push(LegendEntry::Reference {
                label: format!("ideal ({} req/s per connection)", significant(per)),
                colour: MUTED,
                dash: Some((6, 4)),
            });
        }
        annotate(
            &mut fig,
            &servers,
            |s, l| Some(rps(s, l)),
            |_, r| Some((r.requests_per_sec.ci_low, r.requests_per_sec.ci_high)),
        );
        fig
    });
    sweep_chart(fig, &servers)
}

/// `http-json` throughput against concurrency, one line per implementation.
pub fn http_json_rps(results: &ResultsFile) -> Option<Chart> {
    rps_chart(
        results,
        "http-json",
        "http-json-rps",
        "a small JSON object serialised per request",
    )
}

/// `http-io` throughput against concurrency, with the ideal throughput.
pub fn http_io_rps(results: &ResultsFile) -> Option<Chart> {
    rps_chart(
        results,
        "http-io",
        "http-io-rps",
        "each request waits on a timer, as for a database call",
    )
}

/// `http-io` throughput as a percentage of the ideal (`ideal_rps_per_connection × connections`).
pub fn http_io_ideal(results: &ResultsFile) -> Option<Chart> {
    let servers = servers(results, "http-io");
    let percent = |s: &ServerBenchmark, c: usize, rps: f64| {
        let ideal = s.ideal_rps_per_connection? * c as f64;
        (ideal > 0.0).then(|| rps / ideal * 100.0)
    };
    let series = sweep(&servers, |s, l| percent(s, l.connections, rps(s, l)));
    let per = servers.iter().find_map(|s| s.ideal_rps_per_connection)?;
    let caption = format!(
        "Throughput of each http-io server as a percentage of the ideal ({} requests/s per \
         connection times the connections) against the number of concurrent connections.",
        significant(per)
    );
    let fig = line_figure(
        "http-io-ideal",
        "http-io: throughput as a share of the ideal",
        caption,
        series,
        connections_axis,
        |ys| {
            let top = ys
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .fold(100.0, f64::max);
            Some(Axis::fixed(
                "throughput (% of the ideal)",
                0.0,
                (top / 10.0).ceil() * 10.0,
                20.0,
            ))
        },
    );
    let fig = fig.map(|mut fig| {
        annotate(
            &mut fig,
            &servers,
            |s, l| percent(s, l.connections, rps(s, l)),
            |s, r| {
                let e = &r.requests_per_sec;
                Some((
                    percent(s, r.connections, e.ci_low)?,
                    percent(s, r.connections, e.ci_high)?,
                ))
            },
        );
        fig
    });
    sweep_chart(fig, &servers)
}

fn p99_chart(results: &ResultsFile, scenario: &str, name: &'static str) -> Option<Chart> {
    let servers = servers(results, scenario);
    let series = sweep(&servers, |_, l| Some(l.latency_us.p99 as f64 / 1000.0));
    let caption = format!(
        "99th-percentile latency of each {scenario} server against the number of concurrent \
         connections, milliseconds, log scales."
    );
    let fig = line_figure(
        name,
        &format!("{scenario}: p99 latency against concurrency"),
        caption,
        series,
        connections_axis,
        |ys| Axis::log("latency, 99th percentile (ms, log scale)", ys),
    );
    let fig = fig.map(|mut fig| {
        annotate(
            &mut fig,
            &servers,
            |_, l| Some(l.latency_us.p99 as f64 / 1000.0),
            |_, _| None,
        );
        fig
    });
    sweep_chart(fig, &servers)
}

/// `http-json` p99 latency against concurrency, log scales, ms.
pub fn http_json_p99(results: &ResultsFile) -> Option<Chart> {
    p99_chart(results, "http-json", "http-json-p99")
}

/// `http-io` p99 latency against concurrency, log scales, ms.
pub fn http_io_p99(results: &ResultsFile) -> Option<Chart> {
    p99_chart(results, "http-io", "http-io-p99")
}

/// Tint of the bars measured while the CPU load runs.
const LOADED_TINT: f64 = 0.6;

/// `http-mixed`: `/json` p50 and p99 alone and while the CPU load runs,
/// grouped per implementation, log scale, ms (first level of each server).
pub fn http_mixed(results: &ResultsFile) -> Option<Chart> {
    let servers = servers(results, "http-mixed");
    // (implementation, [p50 alone, p50 loaded, p99 alone, p99 loaded]) in ms.
    let rows: Vec<_> = servers
        .iter()
        .filter_map(|s| {
            let alone = s.levels.first()?;
            let loaded = s
                .loaded_levels
                .iter()
                .find(|l| l.connections == alone.connections)?;
            let ms = |us: u64| us as f64 / 1000.0;
            let imp = Implementation::new(s.imp());
            Some((
                imp,
                alone.connections,
                [
                    ms(alone.latency_us.p50),
                    ms(loaded.latency_us.p50),
                    ms(alone.latency_us.p99),
                    ms(loaded.latency_us.p99),
                ],
            ))
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let x = Axis::categories(
        "implementation",
        rows.iter().map(|r| r.0.name.clone()).collect(),
    );
    let values = rows
        .iter()
        .flat_map(|r| r.2)
        .chain(rows.iter().map(|r| r.2[3] * 2.5));
    let y = Axis::log("/json latency (ms, log scale)", values)?;
    let mut marks = Vec::new();
    for (g, (imp, _, v)) in rows.iter().enumerate() {
        let style = imp.style();
        let colour = style.colour;
        for (i, &value) in v.iter().enumerate() {
            if !y.accepts(value) {
                continue;
            }
            // Two pairs with a gap between them: p50 (alone, loaded), p99 (alone, loaded).
            let (offset, width) = group_slot(i + i / 2, 5, 0.84);
            let centre = g as f64 + offset;
            let fill = if i % 2 == 0 {
                style.bar_fill()
            } else {
                lighten(style.bar_fill(), LOADED_TINT)
            };
            marks.push(Mark::Bar {
                x: (centre - width * 0.45, centre + width * 0.45),
                y: (y.lo, value),
                fill,
                stroke: colour,
            });
        }
        for (pair, label) in [(0usize, "p50"), (1, "p99")] {
            let top = v[pair * 2].max(v[pair * 2 + 1]);
            let (a, _) = group_slot(pair * 3, 5, 0.84);
            let (b, _) = group_slot(pair * 3 + 1, 5, 0.84);
            marks.push(Mark::Text {
                at: (g as f64 + (a + b) / 2.0, top),
                offset: (0, -4),
                text: label.into(),
                anchor: (HPos::Center, VPos::Bottom),
                colour: INK,
            });
        }
    }
    let connections = rows[0].1;
    let rate = servers.iter().find_map(|s| s.rate);
    let caption = format!(
        "Median (p50) and 99th-percentile (p99) latency of /json{} with {connections} \
         connections (open model), alone and while a background client keeps CPU-heavy requests in flight on the same server, per \
         implementation, milliseconds, log scale.",
        rate.map_or(String::new(), |r| format!(" at {} requests/s", significant(r)))
    );
    let mut fig = Figure::new(
        "http-mixed",
        "http-mixed: /json latency alone and under CPU load",
        caption,
        x,
        y,
    );
    fig.marks = marks;
    fig.legend = rows
        .iter()
        .map(|r| LegendEntry::Swatch {
            label: r.0.name.clone(),
            fill: r.0.style().bar_fill(),
            stroke: r.0.style().colour,
        })
        .collect();
    fig.legend.push(LegendEntry::Swatch {
        label: "solid: /json alone".into(),
        fill: MUTED,
        stroke: MUTED,
    });
    fig.legend.push(LegendEntry::Swatch {
        label: "light: with the CPU load".into(),
        fill: lighten(MUTED, LOADED_TINT),
        stroke: MUTED,
    });
    fig.legend.extend(server_notes(&servers));
    render(fig)
}
