//! Charts of a results file, as SVG text and PNG bytes.
//!
//! Each chart function takes a [`ResultsFile`] and returns a [`Chart`], or
//! `None` when the file has no data for it (e.g. no I/O suite was run);
//! [`all_charts`] returns every chart that has data. The [`scorecard`] is
//! drawn from the claims' verdicts instead. Nothing here writes files or
//! prints: the caller decides where the bytes go.
//!
//! Every chart uses the same colour per language ([`lang_colour`]; a
//! variant keeps its language's colour and differs by marker, dash or a
//! lighter fill, and a runtime other than the default by a hollow marker,
//! a dash of its own or a darker fill, see [`SeriesStyle`]; charts keep
//! every implementation apart by language, variant and runtime) and draws its text with DejaVu Sans
//! embedded in the binary, never a system font. The legend sits in a panel
//! beside the plot, so it hides no data; points that cannot be drawn (a
//! failed benchmark, a level not run, a non-positive value on a log axis)
//! are named in the legend instead of disappearing silently.

mod axis;
mod canvas;
mod concurrency;
mod cpu;
pub mod history;
mod http;
mod instructions;
mod legend;
mod lines;
mod process;
mod scorecard;
mod style;
#[cfg(test)]
mod tests;
mod warmup;

pub use concurrency::{parallel_speedup, tasks_memory};
pub use cpu::{article_level, cpu_geomean, cpu_relative};
pub use http::{http_io_ideal, http_io_p99, http_io_rps, http_json_p99, http_json_rps, http_mixed};
pub use instructions::cpu_instructions;
pub use process::{cpu_memory, cpu_startup};
pub use scorecard::scorecard;
pub use style::{
    darken, lang_colour, lighten, runtime_index, svg_colour, variant_index, Marker, SeriesStyle,
    FONT_FAMILY,
};
pub use warmup::cpu_warmup;

use crate::lang::Impl;
use crate::results::{Benchmark, ResultsFile};

/// What drawing with plotters returns (canvas, legend and scorecard).
type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// One rendered chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// File stem, e.g. `cpu-relative` (the caller adds `.svg` / `.png`).
    pub name: String,
    /// The title drawn at the top of the chart.
    pub title: String,
    /// One sentence saying what the chart shows, for the report.
    pub caption: String,
    /// The chart as an SVG document.
    pub svg: String,
    /// The chart as PNG bytes: 800 px wide, 500 px high (`cpu-startup` grows
    /// with its rows, `cpu-warmup` with its rows of panels, 260 px each; `cpu-instructions` is 100 px wider per workload beyond
    /// five; the `scorecard` is 900 px wide and grows with its rows), text
    /// drawn with the embedded font.
    pub png: Vec<u8>,
}

/// Every chart the results have data for, in report order
/// (`cpu-instructions` only for a file with instruction counts).
pub fn all_charts(results: &ResultsFile) -> Vec<Chart> {
    let makers: [fn(&ResultsFile) -> Option<Chart>; 14] = [
        cpu_relative,
        cpu_instructions,
        cpu_geomean,
        cpu_warmup,
        cpu_startup,
        cpu_memory,
        http_json_rps,
        http_io_rps,
        http_io_ideal,
        http_json_p99,
        http_io_p99,
        http_mixed,
        tasks_memory,
        parallel_speedup,
    ];
    makers.iter().filter_map(|make| make(results)).collect()
}

/// An implementation as charts show it: language, variant and runtime, and
/// its display name (`python-threads`, `node@bun`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Implementation {
    imp: Impl,
    name: String,
}

impl Implementation {
    fn new(imp: Impl) -> Implementation {
        Implementation {
            name: imp.name(),
            imp,
        }
    }

    fn style(&self) -> SeriesStyle {
        SeriesStyle::of(&self.imp)
    }

    /// True if `bench` measured this implementation (language, variant and
    /// runtime alike).
    fn measured(&self, bench: &Benchmark) -> bool {
        bench.lang == self.imp.lang
            && bench.variant == self.imp.variant
            && bench.runtime == self.imp.runtime
    }
}

/// The distinct implementations among `items`, in chart order
/// ([`crate::lang::Lang::ALL`] order; within a language the plain implementation, its variants, then
/// each other runtime's, see `style::order_key`).
fn implementations(items: impl IntoIterator<Item = Impl>) -> Vec<Implementation> {
    let mut list: Vec<Implementation> = Vec::new();
    for imp in items {
        if !list.iter().any(|i| i.imp == imp) {
            list.push(Implementation::new(imp));
        }
    }
    list.sort_by_key(|i| style::order_key(&i.imp));
    list
}

/// The distinct names in first-seen order.
fn distinct_in_order<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
    }
    out
}

/// The horizontal offset of member `i` of `k` in a group of width `width`
/// centred on 0, and the width each member gets.
fn group_slot(i: usize, k: usize, width: f64) -> (f64, f64) {
    let k = k.max(1);
    let each = width / k as f64;
    (-width / 2.0 + each * (i as f64 + 0.5), each)
}

/// The first clause of a failure message (before the first `:`), which
/// says what happened without the details.
fn short_message(message: &str) -> &str {
    message.split(':').next().unwrap_or(message).trim()
}

/// Bytes to MiB.
fn mib(bytes: f64) -> f64 {
    bytes / (1024.0 * 1024.0)
}
