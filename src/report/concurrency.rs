//! The table `langbench run` prints for a concurrency workload: one row per
//! implementation, one column per level.

use crate::lang::Impl;
use crate::metrics::derived::{memory_per_task, speedup};
use crate::results::{Benchmark, Level};
use crate::runner::verify::FailureKind;
use crate::workload::{ConcurrencyWorkload, Vary};

use super::markup::Table;
use super::{bytes, class_mark, duration_ns, iteration_counts, unsteady_notes};

/// The tables of one concurrency workload. Tasks-like workloads (levels vary
/// the size): peak RSS with memory per task, then wall and CPU time.
/// Workers-like workloads: kernel time with speedup and efficiency. Levels
/// not measured show why in a note under the table.
pub fn concurrency_table(workload: &ConcurrencyWorkload, benches: &[Benchmark]) -> String {
    let mut levels: Vec<u64> = benches
        .iter()
        .filter_map(|b| b.level.map(|l| l.value))
        .collect();
    levels.sort_unstable();
    levels.dedup();
    let mut impls: Vec<Impl> = benches.iter().map(|b| b.imp()).collect();
    impls.sort();
    impls.dedup();
    let at = |imp: &Impl, level: u64| {
        benches
            .iter()
            .find(|b| b.imp() == *imp && b.level.map(|l| l.value) == Some(level))
    };
    let name = |imp: &Impl| imp.name();
    let level_name = |value: u64| {
        Level {
            vary: workload.vary,
            value,
        }
        .to_string()
    };

    let mut out = String::new();
    if let Some(b) = benches.first() {
        let sizes = match workload.vary {
            Vary::Size => String::new(),
            Vary::Workers => format!("--size {}, ", b.size),
        };
        let runs = benches
            .iter()
            .map(|b| b.runs.iter().filter(|r| !r.warmup).count())
            .max()
            .unwrap_or(0);
        out.push_str(&format!(
            "{} — {}\n  size {}: {sizes}{} {}; {} per level, {} per run\n",
            workload.name,
            workload.title,
            b.size_name,
            workload.level_meaning,
            levels
                .iter()
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            count(runs as u64, "run"),
            iteration_counts(benches),
        ));
    }
    let header: Vec<String> = std::iter::once("impl".to_string())
        .chain(levels.iter().map(|&l| level_name(l)))
        .collect();
    let status = |b: Option<&Benchmark>| -> Option<String> {
        let b = b?;
        if b.summary.is_some() {
            return None;
        }
        Some(
            match b.failures.first().map(|f| f.kind) {
                Some(FailureKind::ResourceLimit) => "limit",
                Some(FailureKind::NotRun) => "not run",
                Some(_) => "FAILED",
                None => "not measured",
            }
            .to_string(),
        )
    };
    let mut tables: Vec<(&str, Table)> = Vec::new();
    match workload.vary {
        Vary::Size => {
            let mut rss = Table::new(header.clone());
            let mut time = Table::new(header.clone());
            for imp in &impls {
                let mut rss_row = vec![name(imp)];
                let mut time_row = vec![name(imp)];
                let mut first: Option<(u64, f64)> = None;
                for &level in &levels {
                    let b = at(imp, level);
                    if let Some(s) = status(b) {
                        rss_row.push(s.clone());
                        time_row.push(s);
                        continue;
                    }
                    let Some(s) = b.and_then(|b| b.summary.as_ref()) else {
                        rss_row.push(String::new());
                        time_row.push(String::new());
                        continue;
                    };
                    let here = (level, s.max_rss_bytes.median);
                    let per_task = first
                        .and_then(|f| memory_per_task(f, here))
                        .map(|m| format!(" ({}/task)", bytes(m.max(0.0))))
                        .unwrap_or_default();
                    first.get_or_insert(here);
                    rss_row.push(format!("{}{per_task}", bytes(here.1)));
                    time_row.push(format!(
                        "{} ({})",
                        duration_ns(s.wall_ns.median),
                        duration_ns(s.cpu_ns.median)
                    ));
                }
                rss.push(rss_row);
                time.push(time_row);
            }
            tables.push((
                "peak RSS, median (memory per task: growth since the first level / tasks added)",
                rss,
            ));
            tables.push((
                "wall time of the process, median (CPU time: user + system)",
                time,
            ));
        }
        Vary::Workers => {
            let mut kernel = Table::new(header.clone());
            for imp in &impls {
                let mut row = vec![name(imp)];
                let t1 = at(imp, 1)
                    .and_then(|b| b.summary.as_ref())
                    .map(|s| s.kernel_ns.median);
                for &level in &levels {
                    let b = at(imp, level);
                    if let Some(s) = status(b) {
                        row.push(s);
                        continue;
                    }
                    let Some(s) = b.and_then(|b| b.summary.as_ref()) else {
                        row.push(String::new());
                        continue;
                    };
                    let tw = s.kernel_ns.median;
                    let gain = match t1.and_then(|t1| speedup(t1, tw, level)) {
                        Some((x, e)) if level > 1 => format!(" ({x:.2}x, {:.0}%)", e * 100.0),
                        _ => String::new(),
                    };
                    let unsteady: Vec<String> = s
                        .classes
                        .iter()
                        .filter(|c| !c.class.is_steady())
                        .map(|c| format!(" {} {}/{}", class_mark(c.class), c.runs, s.runs))
                        .collect();
                    row.push(format!("{}{gain}{}", duration_ns(tw), unsteady.concat()));
                }
                kernel.push(row);
            }
            tables.push((
                "kernel time, median (speedup T(1)/T(W), efficiency speedup/W)",
                kernel,
            ));
        }
    }
    for (title, table) in tables {
        out.push_str(&format!("  {title}\n"));
        out.push_str(&table.to_columns());
    }
    out.push_str(&unsteady_notes(benches));
    for b in benches.iter().filter(|b| b.summary.is_none()) {
        let why = b
            .failures
            .first()
            .map_or("no measured run", |f| f.message.as_str());
        out.push_str(&format!(
            "  {} {}: {why}\n",
            b.implementation(),
            b.level.map(|l| l.to_string()).unwrap_or_default()
        ));
    }
    out
}

/// `1 run`, `3 runs`.
fn count(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::runtime::RuntimeName;

    #[test]
    fn a_runtime_has_its_own_row_with_its_own_numbers() {
        let text = include_str!("../../tests/fixtures/results/all-suites.json");
        let results: crate::results::ResultsFile = serde_json::from_str(text).unwrap();
        let mut benches: Vec<Benchmark> = results
            .benchmarks
            .into_iter()
            .filter(|b| b.workload == "parallel")
            .collect();
        let threads: Vec<Benchmark> = benches
            .iter()
            .filter(|b| b.variant.as_deref() == Some("threads"))
            .cloned()
            .collect();
        for mut b in threads {
            b.runtime = Some(RuntimeName::parse("python3.13t").unwrap());
            if let Some(s) = b.summary.as_mut() {
                s.kernel_ns.median /= 2.0;
            }
            benches.push(b);
        }
        let workload = ConcurrencyWorkload {
            name: "parallel".into(),
            title: "t".into(),
            description: String::new(),
            level_meaning: "workers".into(),
            reference: String::new(),
            vary: Vary::Workers,
            dir: Default::default(),
            sizes: Vec::new(),
            limits: Vec::new(),
        };
        let table = concurrency_table(&workload, &benches);
        let row = |name: &str| {
            table
                .lines()
                .find(|l| l.split_whitespace().next() == Some(name))
                .unwrap_or_else(|| panic!("no row {name}: {table}"))
                .trim_start()[name.len()..]
                .trim()
                .to_string()
        };
        let (default, free) = (row("python-threads"), row("python-threads@python3.13t"));
        assert_ne!(default, free, "{table}");
    }
}
