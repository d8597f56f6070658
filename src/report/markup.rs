//! One table, three renderings: aligned columns for a terminal, a GitHub
//! Markdown table and an HTML table.
//!
//! A renderer fills a [`Table`] once (header, rows, which columns are
//! numbers) and asks for the text it prints or writes, as hyperfine's
//! `MarkupExporter` writes the table body once for Markdown and AsciiDoc. In:
//! cells as text; out: strings. Every terminal and Markdown table of
//! langbench is a [`Table`]; of the HTML report's, the instruction counts'
//! (the verdict and evidence tables colour their cells, so `verdicts.rs`
//! writes those itself). A [`Section`] is a report section built around one
//! table (paragraphs, the table, notes), rendered the same two ways.

/// How a column's cells line up in Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Align {
    /// `---`: text.
    #[default]
    Left,
    /// `---:`: numbers.
    Right,
}

/// One cell of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// What the cell says.
    pub text: String,
    /// Bold in Markdown (`**text**`), plain in terminal columns.
    pub strong: bool,
}

impl Cell {
    /// A cell shown in bold in Markdown.
    pub fn strong(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            strong: true,
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell {
            text,
            strong: false,
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_string())
    }
}

/// A table: header cells, an alignment per column and rows of cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    header: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table with these column headers, every column left-aligned, no rows.
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Table {
        let header: Vec<String> = header.into_iter().map(Into::into).collect();
        Table {
            align: vec![Align::Left; header.len()],
            header,
            rows: Vec::new(),
        }
    }

    /// The same table with the columns at these indices right-aligned in
    /// Markdown. Terminal columns stay left-aligned: [`Table::to_columns`]
    /// pads every cell on the right, as langbench's tables always have.
    pub fn right_aligned(mut self, columns: impl IntoIterator<Item = usize>) -> Table {
        for c in columns {
            self.align[c] = Align::Right;
        }
        self
    }

    /// Appends a row.
    pub fn push<C: Into<Cell>>(&mut self, cells: impl IntoIterator<Item = C>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// True when the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The header then the rows as aligned columns (see [`columns`]).
    pub fn to_columns(&self) -> String {
        let mut rows = vec![self.header.clone()];
        rows.extend(
            self.rows
                .iter()
                .map(|row| row.iter().map(|c| c.text.clone()).collect()),
        );
        columns(&rows)
    }

    /// A GitHub Markdown table: `| a | b |`, the alignment line, the rows.
    /// Cells are written as they are (no escaping).
    pub fn to_markdown(&self) -> String {
        let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
        let mut out = line(self.header.clone());
        out.push('|');
        for align in &self.align {
            out.push_str(match align {
                Align::Left => "---|",
                Align::Right => "---:|",
            });
        }
        out.push('\n');
        for row in &self.rows {
            let cells = row.iter().map(|c| {
                if c.strong {
                    format!("**{}**", c.text)
                } else {
                    c.text.clone()
                }
            });
            out.push_str(&line(cells.collect()));
        }
        out
    }

    /// An HTML `<table>` (text escaped, strong cells in `<strong>`,
    /// right-aligned columns styled so), ending with a line break.
    pub fn to_html(&self) -> String {
        let style = |c: usize| match self.align[c] {
            Align::Left => "",
            Align::Right => " style=\"text-align:right\"",
        };
        let mut out = String::from("<table>\n<tr>");
        for (c, h) in self.header.iter().enumerate() {
            out.push_str(&format!("<th{}>{}</th>", style(c), escape(h)));
        }
        out.push_str("</tr>\n");
        for row in &self.rows {
            out.push_str("<tr>");
            for (c, cell) in row.iter().enumerate() {
                let text = escape(&cell.text);
                let text = if cell.strong {
                    format!("<strong>{text}</strong>")
                } else {
                    text
                };
                out.push_str(&format!("<td{}>{text}</td>", style(c)));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
        out
    }
}

/// `s` with the characters HTML gives a meaning (`& < > "`) escaped, for
/// text and attribute values of the report's `index.html`.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Lays out rows as left-aligned columns separated by two spaces, each line
/// indented by two; the last cell of a row is not padded.
fn columns(rows: &[Vec<String>]) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, s)| {
                format!(
                    "{s:<w$}",
                    w = if c + 1 == row.len() { 0 } else { widths[c] }
                )
            })
            .collect();
        out.push_str("  ");
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(["name", "time", "verdict"]).right_aligned([1]);
        t.push(["a", "1.00 ms", "same"]);
        t.push([Cell::from("bbb"), "12.5 ms".into(), Cell::strong("slower")]);
        t
    }

    #[test]
    fn aligns_columns() {
        let rows = vec![
            vec!["a".into(), "bb".into(), "c".into()],
            vec!["aaa".into(), "b".into(), "c".into()],
        ];
        assert_eq!(columns(&rows), "  a    bb  c\n  aaa  b   c\n");
    }

    #[test]
    fn terminal_columns_are_padded_and_plain() {
        assert_eq!(
            sample().to_columns(),
            "  name  time     verdict\n  a     1.00 ms  same\n  bbb   12.5 ms  slower\n"
        );
    }

    #[test]
    fn markdown_aligns_numbers_and_bolds_strong_cells() {
        assert_eq!(
            sample().to_markdown(),
            "| name | time | verdict |\n|---|---:|---|\n| a | 1.00 ms | same |\n\
             | bbb | 12.5 ms | **slower** |\n"
        );
    }

    #[test]
    fn html_escapes_and_aligns() {
        let mut t = sample();
        t.push(["<c>", "1 & 2", ""]);
        assert_eq!(
            t.to_html(),
            "<table>\n<tr><th>name</th><th style=\"text-align:right\">time</th><th>verdict</th></tr>\n\
             <tr><td>a</td><td style=\"text-align:right\">1.00 ms</td><td>same</td></tr>\n\
             <tr><td>bbb</td><td style=\"text-align:right\">12.5 ms</td><td><strong>slower</strong></td></tr>\n\
             <tr><td>&lt;c&gt;</td><td style=\"text-align:right\">1 &amp; 2</td><td></td></tr>\n</table>\n"
        );
    }

    #[test]
    fn an_empty_table_is_its_header() {
        let t = Table::new(["x", "y"]);
        assert!(t.is_empty());
        assert_eq!(t.to_columns(), "  x  y\n");
        assert_eq!(t.to_markdown(), "| x | y |\n|---|---|\n");
    }
}

/// A section of the report built around one table: the paragraphs before
/// it, the table, and the lines after it (what a mark means, what failed).
#[derive(Debug, Clone)]
pub struct Section {
    /// The paragraphs before the table.
    pub intro: Vec<String>,
    /// The table.
    pub table: Table,
    /// Lines after the table.
    pub notes: Vec<String>,
}

impl Section {
    /// As Markdown under `## heading`, starting and ending with a newline.
    pub fn to_markdown(&self, heading: &str) -> String {
        let mut out = format!("\n## {heading}\n\n");
        for p in &self.intro {
            out.push_str(&format!("{p}\n\n"));
        }
        out.push_str(&self.table.to_markdown());
        for n in &self.notes {
            out.push_str(&format!("\n- {n}"));
        }
        out.push('\n');
        out
    }

    /// As HTML under `<h2 id="id">heading</h2>`.
    pub fn to_html(&self, heading: &str, id: &str) -> String {
        let mut out = format!("<h2 id=\"{id}\">{}</h2>\n", escape(heading));
        for p in &self.intro {
            out.push_str(&format!("<p>{}</p>\n", escape(p)));
        }
        out.push_str(&self.table.to_html());
        out.push_str("<ul>");
        for n in &self.notes {
            out.push_str(&format!("<li>{}</li>", escape(n)));
        }
        out.push_str("</ul>\n");
        out
    }
}
