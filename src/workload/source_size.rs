//! Source size as the Computer Language Benchmarks Game reports it: comments
//! removed, runs of whitespace collapsed to one space, then gzip-compressed.
//! A rough, language-neutral measure of how much code a solution needs.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use flate2::{write::GzEncoder, Compression};

/// Comment syntax of a source language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentStyle {
    /// `//` and `/* */`; strings in `"`, and `'`/`` ` `` where `backtick_and_quote`.
    CLike {
        /// Whether `'` and `` ` `` open string literals (JS, Go) or not (Rust lifetimes).
        quote_strings: bool,
    },
    /// `#` line comments and stand-alone triple-quoted docstrings.
    Python,
}

/// Removes comments and collapses whitespace runs to a single space.
pub fn strip_comments(src: &str, style: CommentStyle) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let mut line_start = true;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match style {
            CommentStyle::CLike { .. } if c == '/' && next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            CommentStyle::CLike { .. } if c == '/' && next == Some('*') => {
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    i += 1;
                }
                i += 2;
                out.push(' ');
                continue;
            }
            CommentStyle::Python if c == '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            CommentStyle::Python if line_start && is_triple(&chars, i) => {
                let quote = chars[i];
                i += 3;
                while i < chars.len() && !(chars[i] == quote && is_triple(&chars, i)) {
                    i += 1;
                }
                i += 3;
                continue;
            }
            _ => {}
        }
        if is_string_quote(c, style) {
            i = copy_string(&chars, i, &mut out);
            line_start = false;
            continue;
        }
        if c == '\n' {
            line_start = true;
        } else if !c.is_whitespace() {
            line_start = false;
        }
        out.push(c);
        i += 1;
    }
    collapse_whitespace(&out)
}

fn is_triple(chars: &[char], i: usize) -> bool {
    let q = chars[i];
    (q == '"' || q == '\'') && chars.get(i + 1) == Some(&q) && chars.get(i + 2) == Some(&q)
}

fn is_string_quote(c: char, style: CommentStyle) -> bool {
    match style {
        CommentStyle::CLike { quote_strings } => {
            c == '"' || (quote_strings && (c == '\'' || c == '`'))
        }
        CommentStyle::Python => c == '"' || c == '\'',
    }
}

/// Copies a string literal starting at `start` (its quote) and returns the index after it.
fn copy_string(chars: &[char], start: usize, out: &mut String) -> usize {
    let quote = chars[start];
    out.push(quote);
    let mut i = start + 1;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        if c == '\\' && i < chars.len() {
            out.push(chars[i]);
            i += 1;
        } else if c == quote {
            break;
        }
    }
    i
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Rust sources keep their unit tests in a `#[cfg(test)]` module at the end
/// of the file; the other languages keep tests elsewhere, so it is not counted.
fn without_rust_tests<'a>(text: &'a str, ext: &str) -> &'a str {
    match (ext, text.find("#[cfg(test)]")) {
        ("rs", Some(i)) => &text[..i],
        _ => text,
    }
}

/// The gzip (level 9) size in bytes of `text`.
pub fn gzip_len(text: &str) -> usize {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(text.as_bytes()).expect("writing to memory");
    enc.finish().expect("writing to memory").len()
}

/// The gzip size of all files under `dir` whose extension is `ext`, comments stripped.
pub fn gzip_source_size(dir: &Path, ext: &str, style: CommentStyle) -> Result<usize> {
    let mut files = Vec::new();
    collect_files(dir, ext, &mut files)?;
    files.sort();
    let mut all = String::new();
    for f in &files {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("reading source '{}'", f.display()))?;
        all.push_str(&strip_comments(without_rust_tests(&text, ext), style));
        all.push('\n');
    }
    Ok(gzip_len(&all))
}

fn collect_files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing '{}'", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() {
            if name != "target" && name != "node_modules" && name != "__pycache__" {
                collect_files(&path, ext, out)?;
            }
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: CommentStyle = CommentStyle::CLike {
        quote_strings: true,
    };

    #[test]
    fn strips_c_comments_but_not_strings() {
        let src = "// header\nlet a = \"// not a comment\"; /* block\n */ let b = 1; // tail\n";
        assert_eq!(
            strip_comments(src, C),
            "let a = \"// not a comment\"; let b = 1;"
        );
    }

    #[test]
    fn rust_lifetimes_are_not_strings() {
        let rust = CommentStyle::CLike {
            quote_strings: false,
        };
        let src = "fn f<'a>(x: &'a str) {} // c\n";
        assert_eq!(strip_comments(src, rust), "fn f<'a>(x: &'a str) {}");
    }

    #[test]
    fn strips_python_comments_and_docstrings() {
        let src = "\"\"\"Module doc.\n\nMore.\"\"\"\nx = '#not'  # comment\ny = \"\"\"kept\"\"\"\n";
        assert_eq!(
            strip_comments(src, CommentStyle::Python),
            "x = '#not' y = \"\"\"kept\"\"\""
        );
    }

    #[test]
    fn rust_test_module_is_not_counted() {
        let src = "fn f() {}\n#[cfg(test)]\nmod tests { fn t() {} }\n";
        assert_eq!(without_rust_tests(src, "rs"), "fn f() {}\n");
        assert_eq!(without_rust_tests(src, "go"), src);
    }

    #[test]
    fn gzip_of_repetitive_text_is_small() {
        let text = "abc ".repeat(1000);
        assert!(gzip_len(&text) < 100);
    }
}
