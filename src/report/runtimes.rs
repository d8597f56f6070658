//! The Verdicts per runtime section of REPORT.md and index.html: each
//! testable claim's verdict with the default runtimes, then with each other
//! runtime standing in for its language's default ([`RuntimeMatrix`]), and
//! where a verdict changes with the runtime. Absent when the results hold
//! no runtime but the defaults.

use crate::claims::{Flip, RuntimeCell, RuntimeColumn, RuntimeMatrix, Verdict};
use crate::lang::Lang;

use super::markup::{Cell, Section, Table};

/// What a cell of a claim that names no implementation of the runtime's
/// language shows: not read again, the default verdict holds.
pub const NOT_INVOLVED: &str = "—";

/// A version as a column header shows it: its first words, before any
/// parenthesis (`deno 2.1.4 (stable, release, ...)` is `deno 2.1.4`).
fn short_version(version: &str) -> &str {
    version.split(" (").next().unwrap_or(version).trim()
}

/// `bun (1.2.3)`, or the name alone when the file records no version.
fn header(column: &RuntimeColumn) -> String {
    match column.version.as_deref().map(short_version) {
        Some(v) if !v.is_empty() => format!("{} ({v})", column.runtime),
        _ => column.runtime.to_string(),
    }
}

/// `bun, deno in place of node; pypy in place of python`.
fn stand_ins(columns: &[RuntimeColumn]) -> String {
    let mut parts = Vec::new();
    for lang in Lang::ALL {
        let names: Vec<&str> = columns
            .iter()
            .filter(|c| c.lang == lang)
            .map(|c| c.runtime.as_str())
            .collect();
        if !names.is_empty() {
            parts.push(format!("{} in place of {lang}", names.join(", ")));
        }
    }
    parts.join("; ")
}

/// `python-gil with python3.13t (SUPPORTED → CONTRADICTED)`.
fn flip_text(f: &Flip) -> String {
    format!(
        "{} with {} ({} → {})",
        f.id,
        f.column.runtime,
        f.default.label(),
        f.with_runtime.label()
    )
}

/// The lines under the table: the verdicts that change with a runtime (or
/// that none does), then those a runtime left untested for want of data.
fn flip_notes(matrix: &RuntimeMatrix) -> Vec<String> {
    let flips = matrix.flips();
    let (untested, changed): (Vec<&Flip>, Vec<&Flip>) = flips
        .iter()
        .partition(|f| f.with_runtime == Verdict::NotTested);
    let mut notes = vec![if changed.is_empty() {
        "No verdict changes with the runtime: every claim a runtime could be read on gets \
         the default runtimes' verdict."
            .to_string()
    } else {
        let list: Vec<String> = changed.iter().map(|f| flip_text(f)).collect();
        format!("The verdict changes with the runtime: {}.", list.join("; "))
    }];
    if !untested.is_empty() {
        // By runtime, in column order: `with bun, a, b; with pypy, c`.
        let list: Vec<String> = matrix
            .columns
            .iter()
            .filter_map(|column| {
                let ids: Vec<&str> = untested
                    .iter()
                    .filter(|f| f.column == column)
                    .map(|f| f.id)
                    .collect();
                (!ids.is_empty()).then(|| format!("with {}, {}", column.runtime, ids.join(", ")))
            })
            .collect();
        notes.push(format!(
            "Not tested with the runtime, which did not run (or could not run) an \
             implementation the claim reads: {}.",
            list.join("; ")
        ));
    }
    notes
}

/// The section on `matrix`; None when it has no runtime column.
pub fn runtime_section(matrix: &RuntimeMatrix) -> Option<Section> {
    if matrix.is_empty() {
        return None;
    }
    let mut table = Table::new(
        ["claim".to_string(), "default runtimes".to_string()]
            .into_iter()
            .chain(matrix.columns.iter().map(header)),
    );
    for row in &matrix.rows {
        let mut cells: Vec<Cell> = vec![row.id.clone().into(), row.default.label().into()];
        cells.extend(row.cells.iter().map(|cell| match *cell {
            RuntimeCell::NotInvolved => NOT_INVOLVED.into(),
            RuntimeCell::Read(v) if v != row.default => Cell::strong(v.label()),
            RuntimeCell::Read(v) => v.label().into(),
        }));
        table.push(cells);
    }
    let intro = vec![
        format!(
            "Each claim read again with one runtime standing in for its language's default \
             ({}): that runtime's benchmarks and servers replace the default runtime's, every \
             other language is read as its default runtime measured it, and the tests, levels \
             and intervals are those of the verdicts above. A runtime that did not run an \
             implementation a claim reads leaves the claim NOT TESTED. A verdict that differs \
             from the default runtimes' is in bold.",
            stand_ins(&matrix.columns)
        ),
        format!(
            "{NOT_INVOLVED} marks a claim that names no implementation of the runtime's \
             language: the runtime cannot change it, so it is not read again and the default \
             runtimes' verdict holds."
        ),
    ];
    Some(Section {
        intro,
        table,
        notes: flip_notes(matrix),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::MatrixRow;
    use crate::lang::runtime::RuntimeName;

    fn column(lang: Lang, name: &str, version: Option<&str>) -> RuntimeColumn {
        RuntimeColumn {
            lang,
            runtime: RuntimeName::parse(name).unwrap(),
            version: version.map(String::from),
        }
    }

    fn matrix() -> RuntimeMatrix {
        RuntimeMatrix {
            columns: vec![
                column(Lang::Node, "deno", Some("deno 2.1.4 (stable, release)")),
                column(Lang::Python, "python3.13t", Some("Python 3.13.1")),
                column(Lang::Python, "pypy", None),
            ],
            rows: vec![
                MatrixRow {
                    id: "python-gil".into(),
                    quote: "q".into(),
                    default: Verdict::Supported,
                    cells: vec![
                        RuntimeCell::NotInvolved,
                        RuntimeCell::Read(Verdict::Contradicted),
                        RuntimeCell::Read(Verdict::NotTested),
                    ],
                },
                MatrixRow {
                    id: "node-not-for-cpu".into(),
                    quote: "q".into(),
                    default: Verdict::Inconclusive,
                    cells: vec![
                        RuntimeCell::Read(Verdict::Inconclusive),
                        RuntimeCell::NotInvolved,
                        RuntimeCell::NotInvolved,
                    ],
                },
            ],
        }
    }

    #[test]
    fn a_column_per_runtime_and_flips_said_under_the_table() {
        let md = runtime_section(&matrix())
            .unwrap()
            .to_markdown("Verdicts per runtime");
        assert!(md.contains(
            "| claim | default runtimes | deno (deno 2.1.4) | python3.13t (Python 3.13.1) | pypy |\n"
        ));
        assert!(md.contains("| python-gil | SUPPORTED | — | **CONTRADICTED** | **NOT TESTED** |\n"));
        assert!(md.contains("| node-not-for-cpu | INCONCLUSIVE | INCONCLUSIVE | — | — |\n"));
        assert!(md.contains("(deno in place of node; python3.13t, pypy in place of python)"));
        assert!(md.contains(
            "- The verdict changes with the runtime: python-gil with python3.13t \
             (SUPPORTED → CONTRADICTED).\n"
        ));
        assert!(md.contains("implementation the claim reads: with pypy, python-gil."));
    }

    #[test]
    fn no_flip_is_said_too() {
        let mut m = matrix();
        m.rows.remove(0);
        let section = runtime_section(&m).unwrap();
        assert_eq!(section.notes.len(), 1);
        assert!(section.notes[0].starts_with("No verdict changes with the runtime"));
    }

    #[test]
    fn no_section_without_runtimes() {
        let m = RuntimeMatrix {
            columns: Vec::new(),
            rows: Vec::new(),
        };
        assert!(runtime_section(&m).is_none());
    }
}
