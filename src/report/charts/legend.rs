//! The legend panel beside the plot: one row per entry (a symbol in the
//! series' style and its wrapped label), then notes in a smaller grey font.
//! Being outside the plot area, the legend can never cover data.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{self, Glyph, SeriesStyle, INK, MUTED};
use super::DrawResult;

/// One entry of the legend panel.
pub(super) enum LegendEntry {
    /// An implementation drawn as a line with markers.
    Line { label: String, style: SeriesStyle },
    /// An implementation drawn as markers only.
    Points { label: String, style: SeriesStyle },
    /// A filled box (bars).
    Swatch {
        label: String,
        fill: RGBColor,
        stroke: RGBColor,
    },
    /// A reference line in one colour, maybe dashed.
    Reference {
        label: String,
        colour: RGBColor,
        dash: Option<(u32, u32)>,
    },
    /// A hollow ring, as drawn around marked points.
    Ring { label: String, colour: RGBColor },
    /// Text only, in a smaller grey font (limits, skipped levels).
    Note(String),
}

/// Draws `entries` top to bottom in `area`.
pub(super) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (w, _) = area.dim_in_pixel();
    let text_x = 44;
    // Room to spare: the estimated width of a line can be a few pixels short.
    let wrap_width = w.saturating_sub(text_x as u32 + 18);
    let mut y = 14i32;
    for entry in entries {
        let (label, size, colour) = match entry {
            LegendEntry::Note(text) => (text.as_str(), style::NOTE_SIZE, MUTED),
            LegendEntry::Line { label, .. }
            | LegendEntry::Points { label, .. }
            | LegendEntry::Swatch { label, .. }
            | LegendEntry::Reference { label, .. }
            | LegendEntry::Ring { label, .. } => (label.as_str(), style::LEGEND_SIZE, INK),
        };
        let text_style = style::text(size, colour).pos(Pos::new(HPos::Left, VPos::Center));
        let lines = wrap(area, label, &text_style, wrap_width);
        let line_height = (size * 1.3).round() as i32;
        let mid = y + line_height / 2;
        draw_symbol(area, entry, (6, text_x - 6), mid)?;
        let text_left = if matches!(entry, LegendEntry::Note(_)) {
            8
        } else {
            text_x
        };
        for (i, line) in lines.iter().enumerate() {
            let pos = (text_left, mid + i as i32 * line_height);
            area.draw_text(line, &text_style, pos)?;
        }
        y += line_height * lines.len() as i32 + 8;
    }
    Ok(())
}

fn draw_symbol<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entry: &LegendEntry,
    (x0, x1): (i32, i32),
    mid: i32,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let centre = ((x0 + x1) / 2, mid);
    let line = |colour: RGBColor, dash: Option<(u32, u32)>| -> DrawResult {
        let style = colour.stroke_width(2);
        let pts = vec![(x0, mid), (x1, mid)];
        match dash {
            None => area.draw(&PathElement::new(pts, style))?,
            Some((on, off)) => area.draw(&DashedPathElement::new(pts, on, off, style))?,
        }
        Ok(())
    };
    match entry {
        LegendEntry::Line { style, .. } => {
            line(style.colour, style.dash())?;
            draw_legend_marker(area, centre, *style)?;
        }
        LegendEntry::Points { style, .. } => draw_legend_marker(area, centre, *style)?,
        LegendEntry::Swatch { fill, stroke, .. } => {
            let corners = [(x0 + 4, mid - 7), (x1 - 4, mid + 7)];
            area.draw(&Rectangle::new(corners, fill.filled()))?;
            area.draw(&Rectangle::new(corners, stroke.stroke_width(1)))?;
        }
        LegendEntry::Reference { colour, dash, .. } => line(*colour, *dash)?,
        LegendEntry::Ring { colour, .. } => {
            area.draw(&Circle::new(centre, 7, colour.stroke_width(2)))?;
        }
        LegendEntry::Note(_) => {}
    }
    Ok(())
}

fn draw_legend_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (cx, cy): (i32, i32),
    style: SeriesStyle,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let fill = style.colour.filled();
    let stroke = style.colour.stroke_width(2);
    let inside = if style.hollow() { WHITE.filled() } else { fill };
    let shift = |pts: &[(i32, i32)]| {
        pts.iter()
            .map(|&(x, y)| (cx + x, cy + y))
            .collect::<Vec<_>>()
    };
    match style.marker().glyph() {
        Glyph::Circle(r) => {
            area.draw(&Circle::new((cx, cy), r, inside))?;
            if style.hollow() {
                area.draw(&Circle::new((cx, cy), r, stroke))?;
            }
        }
        Glyph::Polygon(pts) => {
            area.draw(&Polygon::new(shift(&pts), inside))?;
            if style.hollow() {
                let mut closed = shift(&pts);
                closed.push(closed[0]);
                area.draw(&PathElement::new(closed, stroke))?;
            }
        }
        Glyph::Strokes(lines) => {
            for l in lines {
                area.draw(&PathElement::new(shift(&l), stroke))?;
            }
        }
    }
    Ok(())
}

/// Greedy word wrap of `text` to lines at most `width` pixels wide; a line
/// still too wide with a runtime in it (`python-threads@python3.13t`) is
/// broken before the `@`.
fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    width: u32,
) -> Vec<String> {
    let fits = |s: &str| {
        area.estimate_text_size(s, style)
            .map(|(w, _)| w <= width)
            .unwrap_or(true)
    };
    break_at_runtime(wrap_words(text.split_whitespace(), fits), fits)
}

/// `lines` with each line that does not fit and holds an `@` broken before
/// its last `@`.
fn break_at_runtime(lines: Vec<String>, fits: impl Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        match line.rfind('@') {
            Some(at) if at > 0 && !fits(&line) => {
                out.push(line[..at].trim_end().to_string());
                out.push(line[at..].to_string());
            }
            _ => out.push(line),
        }
    }
    out
}

/// Greedy wrap of `words` joined by spaces into lines that each `fits`; a
/// "word" may hold spaces of its own, to keep it on one line.
pub(super) fn wrap_words<'a>(
    words: impl IntoIterator<Item = &'a str>,
    fits: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in words {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if fits(&candidate) || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_label_breaks_before_its_runtime() {
        let fits = |s: &str| s.len() <= 16;
        let lines = wrap_words("python-threads@python3.13t".split_whitespace(), fits);
        assert_eq!(
            break_at_runtime(lines, fits),
            ["python-threads", "@python3.13t"]
        );
        let short = vec!["node@bun".to_string()];
        assert_eq!(break_at_runtime(short, fits), ["node@bun"]);
    }
}
