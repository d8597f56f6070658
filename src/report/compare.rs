//! `langbench compare` output: a terminal table, a GitHub Markdown table (for
//! a CI job summary or a PR comment) and JSON. Each renderer takes a
//! [`Comparison`] and returns a string; the command prints it.

use crate::compare::{Change, Comparison, Verdict};
use crate::kinds::Metric;
use crate::report::markup::{Cell, Table};
use crate::report::{bytes, duration_ns};
use crate::stats::SINGLE_MEASUREMENT_NOISE;

/// The comparison as aligned columns, a summary line, then the benchmarks on one side only.
pub fn table(c: &Comparison) -> String {
    let mut out = changes(c).to_columns();
    out.push_str(&summary(c));
    out.push('\n');
    out.push_str(&one_side(c, |name| format!("  {name}\n")));
    out
}

/// The comparison as a GitHub Markdown table (changed verdicts in bold) with
/// the same summary line.
pub fn markdown(c: &Comparison) -> String {
    let mut out = format!("### langbench compare: {}\n\n", c.metric.name());
    out.push_str(&changes(c).to_markdown());
    out.push('\n');
    out.push_str(&summary(c));
    out.push('\n');
    let side = one_side(c, |name| format!("- `{name}`\n"));
    if !side.is_empty() {
        out.push('\n');
        out.push_str(&side);
    }
    out
}

/// The comparison as pretty JSON (with a final newline).
pub fn json(c: &Comparison) -> String {
    let mut s = serde_json::to_string_pretty(c).expect("comparison serialises");
    s.push('\n');
    s
}

/// "N benchmarks: R regressed, I improved, U unchanged (threshold 5%, metric kernel_time)".
pub fn summary(c: &Comparison) -> String {
    let rule = if c.metric.is_deterministic() {
        "; a count: the ratio of medians decides, no bootstrap"
    } else {
        ""
    };
    format!(
        "{} benchmarks: {} regressed, {} improved, {} unchanged (threshold {}%, metric {}{rule})",
        c.benchmarks.len(),
        c.count(Verdict::Regressed),
        c.count(Verdict::Improved),
        c.count(Verdict::Unchanged),
        c.threshold_pct,
        c.metric.name()
    )
}

/// One row per benchmark in both files: medians, change with its interval, verdict.
fn changes(c: &Comparison) -> Table {
    // A count has no bootstrap interval: the brackets hold the range of the
    // repeats' ratios, and the change shows to 0.01% (the threshold is 1%).
    let interval = if c.metric.is_deterministic() {
        "change [range]"
    } else {
        "change [95% CI]"
    };
    let mut table = Table::new([
        "benchmark",
        "base median",
        "new median",
        interval,
        "verdict",
    ])
    .right_aligned([1, 2, 3]);
    for ch in &c.benchmarks {
        table.push(row(c.metric, ch));
    }
    table
}

fn row(metric: Metric, ch: &Change) -> [Cell; 5] {
    let change = if ch.single_measurement {
        format!(
            "{} [{}, {}] (measured once: ±{:.0}% band)",
            pct(ch.ratio),
            pct(ch.ci_low),
            pct(ch.ci_high),
            SINGLE_MEASUREMENT_NOISE * 100.0
        )
    } else if metric.is_deterministic() {
        let pct = |r: f64| format!("{:+.2}%", (r - 1.0) * 100.0);
        format!(
            "{} [{}, {}]",
            pct(ch.ratio),
            pct(ch.ci_low),
            pct(ch.ci_high)
        )
    } else {
        format!(
            "{} [{}, {}]",
            pct(ch.ratio),
            pct(ch.ci_low),
            pct(ch.ci_high)
        )
    };
    let verdict = ch.verdict.label();
    [
        ch.name.clone().into(),
        value(metric, ch.base_median).into(),
        value(metric, ch.new_median).into(),
        change.into(),
        if ch.verdict == Verdict::Unchanged {
            verdict.into()
        } else {
            Cell::strong(verdict)
        },
    ]
}

/// Lines naming the benchmarks found on one side only, each formatted by `item`.
fn one_side(c: &Comparison, item: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    for (title, names) in [
        ("only in BASE", &c.only_in_base),
        ("only in NEW", &c.only_in_new),
    ] {
        if !names.is_empty() {
            out.push_str(&format!("{title} ({}):\n", names.len()));
            for name in names {
                out.push_str(&item(name));
            }
        }
    }
    if !c.not_compared.is_empty() {
        out.push_str(&format!("not compared ({}):\n", c.not_compared.len()));
        for n in &c.not_compared {
            out.push_str(&item(&format!("{}: {}", n.name, n.reason)));
        }
    }
    out
}

/// A ratio as a signed percentage change: 1.25 → `+25.0%`.
pub(crate) fn pct(ratio: f64) -> String {
    format!("{:+.1}%", (ratio - 1.0) * 100.0)
}

/// A value of `metric` in its natural unit (`12.34 ms`, `3.1 MiB`, `8123 req/s`).
pub(crate) fn value(metric: Metric, v: f64) -> String {
    match metric {
        Metric::KernelTime | Metric::WallTime | Metric::CpuTime => duration_ns(v),
        Metric::PeakRss => bytes(v),
        Metric::RequestsPerSecond => format!("{v:.0} req/s"),
        Metric::P99Latency => duration_ns(v * 1e3),
        Metric::Instructions => format!("{} instr", count(v)),
        Metric::EstimatedCycles => format!("{} cycles", count(v)),
    }
}

/// A count with five significant digits and a metric prefix (`1.2346 M`,
/// `987.65 k`), so a 0.1% change shows.
pub(crate) fn count(v: f64) -> String {
    let (scaled, prefix) = if v.abs() >= 1e9 {
        (v / 1e9, " G")
    } else if v.abs() >= 1e6 {
        (v / 1e6, " M")
    } else if v.abs() >= 1e3 {
        (v / 1e3, " k")
    } else {
        (v, "")
    };
    let decimals = if scaled.abs() >= 100.0 {
        2
    } else if scaled.abs() >= 10.0 {
        3
    } else {
        4
    };
    format!("{scaled:.decimals$}{prefix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comparison() -> Comparison {
        Comparison {
            metric: Metric::KernelTime,
            unit: "ns",
            threshold_pct: 5.0,
            benchmarks: vec![Change {
                name: "nbody/rust (quick)".into(),
                base_median: 1e6,
                new_median: 1.5e6,
                ratio: 1.5,
                ci_low: 1.4,
                ci_high: 1.6,
                single_measurement: false,
                verdict: Verdict::Regressed,
            }],
            only_in_base: vec!["nbody/go (quick)".into()],
            only_in_new: vec![],
            not_compared: vec![],
        }
    }

    #[test]
    fn table_shows_interval_summary_and_one_side() {
        let t = table(&comparison());
        assert!(t.contains("+50.0% [+40.0%, +60.0%]"), "{t}");
        assert!(t.contains("1 benchmarks: 1 regressed, 0 improved, 0 unchanged (threshold 5%, metric kernel_time)"), "{t}");
        assert!(t.contains("only in BASE (1):\n  nbody/go (quick)"), "{t}");
    }

    #[test]
    fn markdown_is_a_github_table() {
        let m = markdown(&comparison());
        assert!(m.contains("| nbody/rust (quick) | 1.00 ms | 1.50 ms | +50.0% [+40.0%, +60.0%] | **regressed** |"), "{m}");
    }
}
