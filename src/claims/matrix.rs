//! Verdicts per runtime: each claim read again with a language represented
//! by each of its other runtimes (PyPy for Python, Bun for Node.js, ...).
//!
//! The claims name implementations (`node`, `python-threads`), which are the
//! default runtimes' (`node@bun` is another name), so [`super::evaluate`]
//! reads the defaults only. For a runtime, the results file is rewritten
//! with that runtime standing in for its language's default
//! ([`crate::results::standin::standing_in`]) and the claims that name an
//! implementation of that language are evaluated on it, with the same
//! code, intervals and levels as the headline verdicts. A claim that names
//! none (or names runtimes itself, `node@bun`) cannot change, since nothing
//! it reads is replaced, so it is not evaluated again: its cell says
//! [`RuntimeCell::NotInvolved`].
//!
//! In: a claims file, a results file and the source sizes. Out: a
//! [`RuntimeMatrix`], one row per testable claim and one column per runtime
//! other than a default, empty when the file has none.

use serde::Serialize;

use super::evaluate::{evaluate, Verdict};
use super::{ClaimBody, ClaimsFile, SourceSizes};
use crate::lang::runtime::RuntimeName;
use crate::lang::Lang;
use crate::results::standin::{other_runtimes, standing_in};
use crate::results::ResultsFile;

/// A column: one runtime other than its language's default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuntimeColumn {
    /// The language whose implementations it ran.
    pub lang: Lang,
    /// The runtime (`bun`, `pypy`, `python3.13t`, `go1.24`).
    pub runtime: RuntimeName,
    /// Its version as the results file's toolchains record it, if they do.
    pub version: Option<String>,
}

/// One cell: a claim's verdict with one runtime standing in for its
/// language's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuntimeCell {
    /// The claim read again with the runtime standing in.
    Read(Verdict),
    /// The claim names no implementation of the runtime's language, so the
    /// runtime cannot change it: the default verdict holds (not read again).
    NotInvolved,
}

/// One claim across the runtimes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixRow {
    /// The claim's id.
    pub id: String,
    /// The article's words.
    pub quote: String,
    /// The verdict with every language at its default runtime (the
    /// headline verdict).
    pub default: Verdict,
    /// One cell per column of the matrix, in its order.
    pub cells: Vec<RuntimeCell>,
}

/// A claim whose verdict changes with a runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flip<'a> {
    /// The claim's id.
    pub id: &'a str,
    /// The runtime's column.
    pub column: &'a RuntimeColumn,
    /// The verdict with the default runtimes.
    pub default: Verdict,
    /// The verdict with the runtime standing in.
    pub with_runtime: Verdict,
}

/// Every testable claim's verdict with the default runtimes and with each
/// other runtime standing in for its language's default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuntimeMatrix {
    /// The runtimes other than the defaults, by language then as run
    /// listed them ([`other_runtimes`]).
    pub columns: Vec<RuntimeColumn>,
    /// One row per claim with tests, in claims-file order.
    pub rows: Vec<MatrixRow>,
}

impl RuntimeMatrix {
    /// True when the results file has no runtime but the defaults.
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// Every cell whose verdict differs from its row's default, row by
    /// row, columns in order.
    pub fn flips(&self) -> Vec<Flip<'_>> {
        let mut out = Vec::new();
        for row in &self.rows {
            for (column, cell) in self.columns.iter().zip(&row.cells) {
                if let RuntimeCell::Read(v) = *cell {
                    if v != row.default {
                        out.push(Flip {
                            id: &row.id,
                            column,
                            default: row.default,
                            with_runtime: v,
                        });
                    }
                }
            }
        }
        out
    }
}

/// True if `name` (an implementation as a claims file names it) is one of
/// `lang`'s default runtime: `python`, `python-threads`. A name with its
/// runtime (`python-threads@pypy`) reads that runtime whatever stands in
/// for the default, so it is none.
fn names_lang(name: &str, lang: Lang) -> bool {
    !name.contains('@')
        && (name == lang.name()
            || name
                .strip_prefix(lang.name())
                .is_some_and(|rest| rest.starts_with('-')))
}

/// The matrix of `claims` on `results` (empty, with no evaluation at all,
/// when `results` holds no runtime but the defaults).
pub fn runtime_matrix(
    claims: &ClaimsFile,
    results: &ResultsFile,
    sources: &SourceSizes,
) -> RuntimeMatrix {
    let runtimes = other_runtimes(results);
    if runtimes.is_empty() {
        return RuntimeMatrix {
            columns: Vec::new(),
            rows: Vec::new(),
        };
    }
    let testable = ClaimsFile {
        claims: claims
            .claims
            .iter()
            .filter(|c| matches!(c.body, ClaimBody::Tests(_)))
            .cloned()
            .collect(),
        ..claims.clone()
    };
    let mut rows: Vec<MatrixRow> = evaluate(&testable, results, sources)
        .into_iter()
        .map(|v| MatrixRow {
            id: v.id,
            quote: v.quote,
            default: v.verdict,
            cells: Vec::new(),
        })
        .collect();
    let mut columns = Vec::new();
    for (lang, runtime) in runtimes {
        let involved = |body: &ClaimBody| match body {
            ClaimBody::Tests(tests) => tests
                .iter()
                .any(|t| t.implementations().iter().any(|n| names_lang(n, lang))),
            ClaimBody::NotMeasurable(_) => false,
        };
        let subset = ClaimsFile {
            claims: testable
                .claims
                .iter()
                .filter(|c| involved(&c.body))
                .cloned()
                .collect(),
            ..claims.clone()
        };
        let read = evaluate(&subset, &standing_in(results, lang, &runtime), sources);
        for row in &mut rows {
            let cell = read
                .iter()
                .find(|v| v.id == row.id)
                .map_or(RuntimeCell::NotInvolved, |v| RuntimeCell::Read(v.verdict));
            row.cells.push(cell);
        }
        let version = results
            .toolchains
            .iter()
            .find(|t| t.lang == lang && t.runtime.as_ref() == Some(&runtime))
            .map(|t| t.version.clone());
        columns.push(RuntimeColumn {
            lang,
            runtime,
            version,
        });
    }
    RuntimeMatrix { columns, rows }
}

#[cfg(test)]
mod tests;
