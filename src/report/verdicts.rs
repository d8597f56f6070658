//! The report of a run: the verdict table first, the evidence of each claim,
//! the verdicts per runtime when other runtimes than the defaults ran, the
//! charts with one sentence each, the machine and toolchains, and how to
//! reproduce; as Markdown (`REPORT.md`) and as one self-contained HTML page
//! (`index.html`, charts inlined as SVG). Each claim says which readings
//! decided its verdict and which were shown without deciding it. Renderers
//! return strings.

use crate::claims::{ClaimVerdict, Evidence, Measure, Reads, RuntimeMatrix, Verdict};
use crate::metrics::derived::Derived;
use crate::results::ResultsFile;

use super::bytes;
use super::compare::value;
use super::counts::{count_section, counts_only_note};
use super::markup::{escape, Cell, Table};
use super::runtimes::runtime_section;
use super::steady::steady_section;

/// A chart as the report shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Path of the SVG relative to the report (e.g. `charts/cpu-relative.svg`).
    pub file: String,
    /// Its title.
    pub title: String,
    /// One sentence saying what it shows.
    pub caption: String,
    /// The SVG itself, inlined in the HTML page.
    pub svg: String,
}

/// Everything a report shows.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// The results file's path, as given.
    pub results_path: &'a str,
    /// The results.
    pub results: &'a ResultsFile,
    /// Where the claims come from.
    pub claims_source: &'a str,
    /// The verdicts, in claims-file order.
    pub verdicts: &'a [ClaimVerdict],
    /// The verdicts with each runtime other than a default standing in for
    /// its language's (empty without such runtimes: no section).
    pub runtimes: &'a RuntimeMatrix,
    /// The charts.
    pub figures: &'a [Figure],
    /// Where the source sizes came from, when not from the results file.
    pub source_note: Option<&'a str>,
}

/// How a claim's verdict is decided, in one paragraph.
const RULE: &str = "A comparison is SUPPORTED when the whole 95% confidence interval of the ratio \
lies on the side the article claims, CONTRADICTED when it lies wholly on the other side, and \
INCONCLUSIVE when it straddles; NOT TESTED when the data is missing. Intervals are percentile \
bootstraps over the measured runs (10,000 resamples, fixed seed); a value measured once (a load \
level) gets the stated noise band instead. A claim holds only if every deciding comparison \
does: one contradiction contradicts it, missing data leaves it not tested, anything inconclusive \
leaves it inconclusive; a comparison shown as not deciding (such as the share of the ideal at a \
level where servers were CPU-bound, which measures CPU per request) does not enter the verdict. \
I/O claims are read at the highest load level where every server they compare was below the \
CPU-bound mark. Claims about learning curve and ecosystem are not measurable by a benchmark \
and get no verdict.";

/// How many deciding comparisons got each verdict, as `5 supported`, `1
/// inconclusive`: supported, contradicted, inconclusive, not tested in that
/// order, a verdict no comparison got left out; comparisons that do not
/// decide are not counted. The report joins them with commas; the scorecard
/// wraps its lines between them.
pub(crate) fn tally(evidence: &[Evidence]) -> Vec<String> {
    [
        (Verdict::Supported, "supported"),
        (Verdict::Contradicted, "contradicted"),
        (Verdict::Inconclusive, "inconclusive"),
        (Verdict::NotTested, "not tested"),
    ]
    .iter()
    .filter_map(|(v, name)| {
        let n = evidence
            .iter()
            .filter(|e| e.decides && e.verdict == *v)
            .count();
        (n > 0).then(|| format!("{n} {name}"))
    })
    .collect()
}

/// The verdict table's count of a claim's comparisons: the [`tally`] of
/// those that decide, then how many were shown without deciding.
fn comparisons(evidence: &[Evidence]) -> String {
    let mut out = tally(evidence).join(", ");
    let shown = evidence.iter().filter(|e| !e.decides).count();
    if shown > 0 {
        out.push_str(&format!("; {shown} shown, not deciding"));
    }
    out
}

/// Each reading of a claim (what its tests read: tests reading the same
/// way are one) with the combined verdict of its comparisons, as
/// `ideal_fraction, http-io c=100 (highest I/O-bound level): SUPPORTED`; the
/// readings that decide the claim's verdict, then those shown without
/// deciding it.
fn by_reading(evidence: &[Evidence]) -> (Vec<String>, Vec<String>) {
    let mut readings: Vec<(bool, &str)> = Vec::new();
    for e in evidence {
        if !readings.contains(&(e.decides, e.reading.as_str())) {
            readings.push((e.decides, &e.reading));
        }
    }
    let (mut deciding, mut shown) = (Vec::new(), Vec::new());
    for (decides, reading) in readings {
        let of = evidence
            .iter()
            .filter(|e| e.decides == decides && e.reading == reading);
        let verdict = crate::claims::combine(of.map(|e| e.verdict));
        let line = format!("{reading}: {}", verdict.label());
        if decides {
            deciding.push(line);
        } else {
            shown.push(line);
        }
    }
    (deciding, shown)
}

/// The sentences saying which readings decided a claim's verdict and which
/// were shown without deciding it.
fn decided_on(evidence: &[Evidence]) -> Vec<String> {
    let (deciding, shown) = by_reading(evidence);
    let mut out = Vec::new();
    if !deciding.is_empty() {
        out.push(format!("Decided on: {}.", deciding.join("; ")));
    }
    if !shown.is_empty() {
        out.push(format!("Shown, not deciding: {}.", shown.join("; ")));
    }
    out
}

/// The distinct notes of a claim's evidence (how intervals were made), in order.
fn notes(evidence: &[Evidence]) -> Vec<&str> {
    let mut notes: Vec<&str> = Vec::new();
    for e in evidence {
        if !notes.contains(&e.note.as_str()) {
            notes.push(&e.note);
        }
    }
    notes
}

/// A value in the metric's unit.
fn metric_value(metric: Measure, v: f64) -> String {
    match metric.reads() {
        Reads::Measured(m) => value(m, v),
        Reads::Derived(Derived::MemoryPerTask) => bytes(v),
        Reads::Derived(Derived::IdealFraction) => format!("{:.0}% of ideal", v * 100.0),
        Reads::Derived(Derived::P99UnderCpuLoad) => format!("{v:.2} ms"),
        Reads::Derived(Derived::Speedup) => format!("{v:.2}x"),
        Reads::SourceSize => format!("{v:.0} B"),
    }
}

/// One evidence row: measured on, statement, the two medians, the advantage
/// (or the value, for a bound) with its interval, the verdict.
fn evidence_cells(e: &Evidence) -> [String; 6] {
    let value = |v: Option<f64>| v.map(|v| metric_value(e.metric, v)).unwrap_or_default();
    let bound = e.b_median.is_none();
    let (est, interval) = match (e.estimate, e.ci_low, e.ci_high) {
        (Some(x), Some(l), Some(h)) if bound => (
            metric_value(e.metric, x),
            format!(
                "[{}, {}]",
                metric_value(e.metric, l),
                metric_value(e.metric, h)
            ),
        ),
        (Some(x), Some(l), Some(h)) => (format!("{x:.2}x"), format!("[{l:.2}, {h:.2}]")),
        _ => (String::new(), String::new()),
    };
    [
        format!("{} ({})", e.on, e.metric.name()),
        e.statement.clone(),
        if bound {
            value(e.a_median)
        } else {
            format!("{} vs {}", value(e.a_median), value(e.b_median))
        },
        est,
        interval,
        if e.decides {
            e.verdict.label().to_string()
        } else {
            format!("{} (not deciding)", e.verdict.label())
        },
    ]
}

/// The heading of the runtime matrix's section.
const RUNTIMES_HEADING: &str = "Verdicts per runtime";

const EVIDENCE_HEADER: [&str; 6] = [
    "measured on",
    "statement",
    "medians",
    "advantage",
    "95% interval",
    "verdict",
];

/// `REPORT.md`.
pub fn markdown(input: &ReportInput) -> String {
    let r = input.results;
    let mut out = String::from("# langbench report\n\n");
    out.push_str(&format!(
        "What the measurements of `{}` say about the claims of *{}*.\n\n",
        input.results_path, input.claims_source
    ));
    out.push_str("## Verdicts\n\n");
    let mut verdicts = Table::new(["claim", "the article says", "verdict", "comparisons"]);
    for v in input.verdicts {
        let detail = match &v.reason {
            Some(why) => why.clone(),
            None => comparisons(&v.evidence),
        };
        verdicts.push([
            format!("[{id}](#{id})", id = v.id).into(),
            v.quote.clone().into(),
            Cell::strong(v.verdict.label()),
            detail.into(),
        ]);
    }
    out.push_str(&verdicts.to_markdown());
    out.push_str(&format!("\n{RULE}\n\n"));
    if let Some(note) = counts_only_note(r) {
        out.push_str(&format!("{note}\n\n"));
    }
    if let Some(note) = input.source_note {
        out.push_str(&format!("{note}\n\n"));
    }
    out.push_str("## Evidence\n");
    for v in input.verdicts.iter().filter(|v| !v.evidence.is_empty()) {
        out.push_str(&format!(
            "\n<a id=\"{}\"></a>\n### {}: {}\n\n> {}\n\n",
            v.id,
            v.id,
            v.verdict.label(),
            v.quote
        ));
        if let Some(proxy) = &v.weak_proxy {
            out.push_str(&format!("Weak proxy: {proxy}.\n\n"));
        }
        for line in decided_on(&v.evidence) {
            out.push_str(&format!("{line}\n\n"));
        }
        let mut table = Table::new(EVIDENCE_HEADER);
        for e in &v.evidence {
            table.push(evidence_cells(e));
        }
        out.push_str(&table.to_markdown());
        for n in notes(&v.evidence) {
            out.push_str(&format!("\n- {n}"));
        }
        out.push('\n');
    }
    if let Some(section) = runtime_section(input.runtimes) {
        out.push_str(&section.to_markdown(RUNTIMES_HEADING));
    }
    if let Some(section) = count_section(r) {
        out.push_str(&section.to_markdown("Instruction counts"));
    }
    if let Some(section) = steady_section(r) {
        out.push_str(&section.to_markdown("Steady state"));
    }
    if !input.figures.is_empty() {
        out.push_str("\n## Charts\n");
        for f in input.figures {
            out.push_str(&format!(
                "\n### {}\n\n![{}]({})\n\n{}\n",
                f.title, f.title, f.file, f.caption
            ));
        }
    }
    out.push_str(&format!(
        "\n## Machine and toolchains\n\n{}\n",
        machine_lines(r).join("\n")
    ));
    out.push_str(&format!("\n## Reproduce\n\n```sh\n{}\n```\n", reproduce(r)));
    out
}

fn machine_lines(r: &ResultsFile) -> Vec<String> {
    let m = &r.machine;
    let mut lines = vec![
        format!(
            "- Machine: {}, {} logical CPUs, {} of memory, Linux {}{}",
            m.cpu_model,
            m.logical_cpus,
            bytes(m.memory_bytes as f64),
            m.kernel,
            if m.virtualized {
                ", virtual machine"
            } else {
                ""
            }
        ),
        format!(
            "- Run: started {}, status {:?}, size `{}`, {}",
            r.started_at,
            r.status,
            r.settings.size,
            if !crate::kinds::Measure::counts_only(&r.settings.measure) {
                format!(
                    "{} runs + {} warm-up per CPU benchmark",
                    r.settings.runs, r.settings.warmup
                )
            } else {
                "no timed run (instruction counts only)".to_string()
            }
        ),
        match &r.git {
            Some(g) => format!(
                "- langbench {} at commit `{}`{}",
                r.langbench_version,
                g.commit,
                if g.dirty {
                    " (with uncommitted changes)"
                } else {
                    ""
                }
            ),
            None => format!("- langbench {}", r.langbench_version),
        },
    ];
    let others = r.others_cpus();
    if !others.is_empty() {
        lines.push(format!(
            "- Other work on the machine while the programs ran (on average over the \
             measured runs; the machine's busy time less the program's): {}",
            super::others_cpus_text(&others)
        ));
    }
    if r.settings.count_runs > 0 {
        lines.push(format!(
            "- Instruction counts: {} per benchmark under {} (cachegrind)",
            super::counts::repeats(r.settings.count_runs),
            r.settings.valgrind.as_deref().unwrap_or("valgrind")
        ));
    }
    for t in &r.toolchains {
        match &t.runtime {
            None => lines.push(format!("- {}: {}", t.lang, t.version)),
            Some(name) => lines.push(format!("- {} runtime {name}: {}", t.lang, t.version)),
        }
    }
    for s in &r.skipped {
        let who = match &s.runtime {
            None => s.lang.to_string(),
            Some(name) => format!("{} runtime {name}", s.lang),
        };
        lines.push(format!(
            "- skipped {}{}: {}",
            who,
            s.workload
                .as_ref()
                .map(|w| format!(" ({w})"))
                .unwrap_or_default(),
            s.reason
        ));
    }
    lines
}

fn reproduce(r: &ResultsFile) -> String {
    let args: Vec<&str> = r.command_line.iter().skip(1).map(String::as_str).collect();
    let mut cmd = format!("cargo run --release -- {}", args.join(" "));
    if let Some(g) = &r.git {
        cmd = format!("git checkout {}\n{cmd}", g.commit);
    }
    cmd
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Supported => "supported",
        Verdict::Contradicted => "contradicted",
        Verdict::Inconclusive => "inconclusive",
        Verdict::NotTested => "not-tested",
        Verdict::NotMeasurable => "not-measurable",
    }
}

/// `index.html`: the same content, self-contained (styles and SVG charts inline).
pub fn html(input: &ReportInput) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>langbench report</title>\n<style>\n\
body{font-family:\"DejaVu Sans\",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\n\
table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}\n\
th{background:#f2f2f2}.supported{background:#d9f2d9}.contradicted{background:#f8d4d4}.inconclusive{background:#fdf1c7}\n\
.not-tested,.not-measurable{background:#e8e8e8}figure{margin:2em 0}figure svg{max-width:100%;height:auto}\n\
figcaption{font-style:italic;margin-top:.5em}blockquote{border-left:4px solid #ccc;margin:0;padding-left:1em}\n\
</style>\n</head>\n<body>\n<h1>langbench report</h1>\n",
    );
    out.push_str(&format!(
        "<p>What the measurements of <code>{}</code> say about the claims of <em>{}</em>.</p>\n",
        escape(input.results_path),
        escape(input.claims_source)
    ));
    out.push_str("<h2>Verdicts</h2>\n<table id=\"verdicts\">\n<tr><th>claim</th><th>the article says</th><th>verdict</th><th>comparisons</th></tr>\n");
    for v in input.verdicts {
        let detail = v.reason.clone().unwrap_or_else(|| comparisons(&v.evidence));
        out.push_str(&format!(
            "<tr><td><a href=\"#{id}\">{id}</a></td><td>{}</td><td class=\"{}\"><strong>{}</strong></td><td>{}</td></tr>\n",
            escape(&v.quote),
            verdict_class(v.verdict),
            v.verdict.label(),
            escape(&detail),
            id = escape(&v.id)
        ));
    }
    out.push_str(&format!("</table>\n<p>{}</p>\n", escape(RULE)));
    if let Some(note) = counts_only_note(input.results) {
        out.push_str(&format!("<p>{}</p>\n", escape(note)));
    }
    if let Some(note) = input.source_note {
        out.push_str(&format!("<p>{}</p>\n", escape(note)));
    }
    out.push_str("<h2>Evidence</h2>\n");
    for v in input.verdicts.iter().filter(|v| !v.evidence.is_empty()) {
        out.push_str(&format!(
            "<h3 id=\"{}\">{}: <span class=\"{}\">{}</span></h3>\n<blockquote>{}</blockquote>\n",
            escape(&v.id),
            escape(&v.id),
            verdict_class(v.verdict),
            v.verdict.label(),
            escape(&v.quote)
        ));
        if let Some(proxy) = &v.weak_proxy {
            out.push_str(&format!("<p>Weak proxy: {}.</p>\n", escape(proxy)));
        }
        for line in decided_on(&v.evidence) {
            out.push_str(&format!("<p>{}</p>\n", escape(&line)));
        }
        out.push_str("<table>\n<tr>");
        for h in EVIDENCE_HEADER {
            out.push_str(&format!("<th>{h}</th>"));
        }
        out.push_str("</tr>\n");
        for e in &v.evidence {
            let cells = evidence_cells(e);
            out.push_str("<tr>");
            for (i, c) in cells.iter().enumerate() {
                let class = if i == cells.len() - 1 {
                    format!(" class=\"{}\"", verdict_class(e.verdict))
                } else {
                    String::new()
                };
                out.push_str(&format!("<td{class}>{}</td>", escape(c)));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n<ul>");
        for n in notes(&v.evidence) {
            out.push_str(&format!("<li>{}</li>", escape(n)));
        }
        out.push_str("</ul>\n");
    }
    if let Some(section) = runtime_section(input.runtimes) {
        out.push_str(&section.to_html(RUNTIMES_HEADING, "verdicts-per-runtime"));
    }
    if let Some(section) = count_section(input.results) {
        out.push_str(&section.to_html("Instruction counts", "instruction-counts"));
    }
    if let Some(section) = steady_section(input.results) {
        out.push_str(&section.to_html("Steady state", "steady-state"));
    }
    if !input.figures.is_empty() {
        out.push_str("<h2>Charts</h2>\n");
        for f in input.figures {
            out.push_str(&format!(
                "<figure id=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
                escape(&f.file),
                f.svg,
                escape(&f.caption)
            ));
        }
    }
    out.push_str("<h2>Machine and toolchains</h2>\n<ul>\n");
    for line in machine_lines(input.results) {
        out.push_str(&format!(
            "<li>{}</li>\n",
            escape(line.trim_start_matches("- "))
        ));
    }
    out.push_str(&format!(
        "</ul>\n<h2>Reproduce</h2>\n<pre>{}</pre>\n</body>\n</html>\n",
        escape(&reproduce(input.results))
    ));
    out
}
