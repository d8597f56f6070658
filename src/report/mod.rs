//! Turning results into text people read: terminal tables for `run`,
//! `exec`, `list` and `doctor`, Markdown and HTML reports, charts. Renderers
//! return strings; callers print them. A table is filled once, as a
//! [`markup::Table`], and rendered as terminal columns or Markdown.

pub mod charts;
pub mod compare;
pub mod concurrency;
pub mod counts;
pub mod export;
pub mod history;
pub mod load;
pub mod markup;
pub mod table;
pub mod verdicts;

/// Formats nanoseconds with a unit that keeps 3–4 significant digits.
pub fn duration_ns(ns: f64) -> String {
    let abs = ns.abs();
    if abs >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if abs >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if abs >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Formats bytes in binary units.
pub fn bytes(b: f64) -> String {
    const KIB: f64 = 1024.0;
    if b >= KIB * KIB * KIB {
        format!("{:.2} GiB", b / (KIB * KIB * KIB))
    } else if b >= KIB * KIB {
        format!("{:.1} MiB", b / (KIB * KIB))
    } else if b >= KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{b:.0} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(duration_ns(1_234_567_890.0), "1.235 s");
        assert_eq!(duration_ns(12_345_678.0), "12.35 ms");
        assert_eq!(duration_ns(1_500.0), "1.50 µs");
        assert_eq!(duration_ns(999.0), "999 ns");
        assert_eq!(bytes(3.0 * 1024.0 * 1024.0), "3.0 MiB");
        assert_eq!(bytes(512.0), "512 B");
    }
}
