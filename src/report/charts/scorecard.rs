//! The scorecard: the article's table beside what the measurements say.
//!
//! Unlike the other charts it has no axes: one row per claim, the claim's
//! quote on the left (the article's own words, wrapped) and its verdict on
//! the right as a coloured cell with the label and how many comparisons it
//! rests on. It takes the verdicts rather than the results file, so it is
//! not among [`super::all_charts`]; the report draws it first. Text is
//! measured with the embedded font before drawing, so the height grows with
//! the wrapped rows and nothing is clipped.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{render, Picture};
use super::legend::wrap_words;
use super::style::{self, GRID, INK, MUTED};
use super::{Chart, DrawResult};
use crate::claims::{ClaimVerdict, Verdict};
use crate::report::verdicts::tally;

/// Width of the scorecard, in pixels.
const WIDTH: i32 = 900;
/// Space left and right of the table, and above and below it.
const MARGIN: i32 = 24;
/// Width of the verdict cell.
const CELL_WIDTH: i32 = 260;
/// Space between the quote column and the verdict cell.
const GAP: i32 = 24;
/// Space inside a row, above and below its content.
const ROW_PAD: i32 = 11;
/// Space inside a verdict cell, left and right of its text.
const CELL_PAD: i32 = 12;
/// The article's words.
const QUOTE_SIZE: f64 = 15.5;
/// The verdict label in its cell.
const LABEL_SIZE: f64 = 16.0;
/// Room to spare when wrapping: a viewer's fallback font may run a little
/// wider than the embedded one the text was measured with.
const WRAP_SLACK: i32 = 14;

const TITLE: &str = "The article's claims against the measurements";

/// How a claim's verdict is decided, drawn under the table so the PNG
/// stands on its own.
const RULE_NOTE: &str = "A comparison is supported (or contradicted) when the whole 95% \
interval of its ratio lies on the claimed (or the other) side, inconclusive when it straddles. \
A claim is SUPPORTED only if every comparison is; one contradicted comparison contradicts it; \
missing data leaves it NOT TESTED; anything else is INCONCLUSIVE.";

/// What the scorecard shows, in one sentence for the report.
const CAPTION: &str = "The article's claims in its own words beside the verdict of the \
measurements and the comparisons it rests on: a claim is supported only if the 95% interval of \
every comparison lies on the claimed side, and one interval wholly on the other side \
contradicts it.";

/// The scorecard of `verdicts`, in their order; `None` if there are none.
pub fn scorecard(verdicts: &[ClaimVerdict]) -> Option<Chart> {
    if verdicts.is_empty() {
        return None;
    }
    // The layout measures text with the embedded font.
    style::register_embedded_font();
    render(Layout::of(verdicts)?)
}

/// The fill of a verdict cell: bluish green, red, amber, grey. They stay
/// apart for the common colour blindnesses (the green leans to blue for
/// that) and in lightness too, red darkest and grey lightest, so even a
/// greyscale print tells them apart; dark text stays readable on each (a
/// contrast of 5:1 or more), and the label says the verdict in words.
fn verdict_fill(v: Verdict) -> RGBColor {
    match v {
        Verdict::Supported => RGBColor(105, 198, 185),
        Verdict::Contradicted => RGBColor(232, 124, 110),
        Verdict::Inconclusive => RGBColor(241, 202, 115),
        Verdict::NotTested | Verdict::NotMeasurable => RGBColor(226, 226, 226),
    }
}

/// The outline of a verdict cell: a darker shade of its fill.
fn verdict_edge(v: Verdict) -> RGBColor {
    match v {
        Verdict::Supported => RGBColor(0, 135, 120),
        Verdict::Contradicted => RGBColor(190, 60, 45),
        Verdict::Inconclusive => RGBColor(195, 135, 0),
        Verdict::NotTested | Verdict::NotMeasurable => RGBColor(150, 150, 150),
    }
}

/// What the verdict rests on, as pieces that should not be split over
/// lines: `18 comparisons:`, `13 supported,`, `1 contradicted,` ... (those
/// that decide the verdict); for a claim without comparisons, why.
fn comparisons(v: &ClaimVerdict) -> Vec<String> {
    if v.verdict == Verdict::NotMeasurable {
        return vec!["no benchmark can measure this".into()];
    }
    // Only the comparisons that decide the verdict are counted.
    let total = v.evidence.iter().filter(|e| e.decides).count();
    if total == 0 {
        return vec!["no comparison could be made".into()];
    }
    let noun = if total == 1 {
        "comparison"
    } else {
        "comparisons"
    };
    let counts = tally(&v.evidence);
    let last = counts.len().saturating_sub(1);
    let mut pieces = vec![format!("{total} {noun}:")];
    pieces.extend(counts.into_iter().enumerate().map(|(i, count)| {
        if i < last {
            format!("{count},")
        } else {
            count
        }
    }));
    pieces
}

/// Line height of text of `size` pixels.
fn line_height(size: f64) -> i32 {
    (size * 1.3).round() as i32
}

/// `text` wrapped to `width` pixels in text of `size` pixels.
fn wrap(text: &str, size: f64, width: i32) -> Vec<String> {
    wrap_pieces(text.split_whitespace(), size, width)
}

/// `pieces` joined by spaces and wrapped to `width` pixels in text of
/// `size` pixels, never splitting a piece.
fn wrap_pieces<'a>(
    pieces: impl IntoIterator<Item = &'a str>,
    size: f64,
    width: i32,
) -> Vec<String> {
    let font = style::text(size, INK).font;
    let width = (width - WRAP_SLACK).max(1) as u32;
    wrap_words(pieces, |s| {
        font.box_size(s).map(|(w, _)| w <= width).unwrap_or(true)
    })
}

/// One claim's row, measured.
struct Row<'a> {
    verdict: &'a ClaimVerdict,
    quote: Vec<String>,
    comparisons: Vec<String>,
    /// Top edge, in pixels from the top of the image.
    top: i32,
    height: i32,
}

/// Every position of the scorecard, worked out before drawing.
struct Layout<'a> {
    title_top: i32,
    header_top: i32,
    rows: Vec<Row<'a>>,
    note: Vec<String>,
    note_top: i32,
    height: i32,
}

impl Layout<'_> {
    fn of(verdicts: &[ClaimVerdict]) -> Option<Layout<'_>> {
        let quote_width = cell_left() - GAP - MARGIN;
        let cell_text_width = CELL_WIDTH - 2 * CELL_PAD;
        let title_h = style::text(style::TITLE_SIZE, INK)
            .font
            .box_size(TITLE)
            .ok()?
            .1 as i32;
        let title_top = 14;
        let header_top = title_top + title_h + 16;
        let mut top = header_top + line_height(style::TICK_SIZE) + 8;
        let mut rows = Vec::new();
        for v in verdicts {
            let quote = wrap(&v.quote, QUOTE_SIZE, quote_width);
            let pieces = comparisons(v);
            let comparisons = wrap_pieces(
                pieces.iter().map(String::as_str),
                style::NOTE_SIZE,
                cell_text_width,
            );
            let left =
                line_height(QUOTE_SIZE) * quote.len() as i32 + 2 + line_height(style::NOTE_SIZE);
            let right = cell_content_height(comparisons.len()) + 12;
            let height = left.max(right) + 2 * ROW_PAD;
            rows.push(Row {
                verdict: v,
                quote,
                comparisons,
                top,
                height,
            });
            top += height;
        }
        let note_top = top + 14;
        let note = wrap(RULE_NOTE, style::NOTE_SIZE, WIDTH - 2 * MARGIN);
        let height = note_top + line_height(style::NOTE_SIZE) * note.len() as i32 + MARGIN;
        Some(Layout {
            title_top,
            header_top,
            rows,
            note,
            note_top,
            height,
        })
    }
}

/// Left edge of the verdict cells.
fn cell_left() -> i32 {
    WIDTH - MARGIN - CELL_WIDTH
}

/// Height of a cell's text: the label and `lines` lines of comparisons.
fn cell_content_height(lines: usize) -> i32 {
    line_height(LABEL_SIZE) + 2 + line_height(style::NOTE_SIZE) * lines as i32
}

impl Picture for Layout<'_> {
    fn size(&self) -> (u32, u32) {
        (WIDTH as u32, self.height as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        draw(root, self)
    }

    fn into_chart(self, svg: String, png: Vec<u8>) -> Chart {
        Chart {
            name: "scorecard".into(),
            title: TITLE.into(),
            caption: CAPTION.into(),
            svg,
            png,
        }
    }
}

fn draw<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, layout: &Layout) -> DrawResult
where
    DB::ErrorType: 'static,
{
    root.fill(&style::BACKGROUND)?;
    let at = |h: HPos| Pos::new(h, VPos::Top);
    root.draw_text(
        TITLE,
        &style::text(style::TITLE_SIZE, INK).pos(at(HPos::Center)),
        (WIDTH / 2, layout.title_top),
    )?;
    let header = style::text(style::TICK_SIZE, MUTED).pos(at(HPos::Left));
    root.draw_text("the article says", &header, (MARGIN, layout.header_top))?;
    root.draw_text(
        "verdict of the measurements",
        &header,
        (cell_left(), layout.header_top),
    )?;
    let rule_at = |y: i32, colour: RGBColor| {
        PathElement::new(
            vec![(MARGIN, y), (WIDTH - MARGIN, y)],
            colour.stroke_width(1),
        )
    };
    if let Some(first) = layout.rows.first() {
        root.draw(&rule_at(first.top, MUTED))?;
    }
    for row in &layout.rows {
        draw_row(&root, row)?;
        root.draw(&rule_at(row.top + row.height, GRID))?;
    }
    let note = style::text(style::NOTE_SIZE, MUTED).pos(at(HPos::Left));
    for (i, line) in layout.note.iter().enumerate() {
        let y = layout.note_top + i as i32 * line_height(style::NOTE_SIZE);
        root.draw_text(line, &note, (MARGIN, y))?;
    }
    root.present()?;
    Ok(())
}

fn draw_row<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, row: &Row) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let left = Pos::new(HPos::Left, VPos::Top);
    let centre = Pos::new(HPos::Center, VPos::Top);
    let quote = style::text(QUOTE_SIZE, INK).pos(left);
    let mut y = row.top + ROW_PAD;
    for line in &row.quote {
        root.draw_text(line, &quote, (MARGIN, y))?;
        y += line_height(QUOTE_SIZE);
    }
    let id = style::text(style::NOTE_SIZE, MUTED).pos(left);
    root.draw_text(&row.verdict.id, &id, (MARGIN, y + 2))?;

    let v = row.verdict.verdict;
    let (x0, x1) = (cell_left(), WIDTH - MARGIN);
    let (y0, y1) = (row.top + 6, row.top + row.height - 6);
    root.draw(&Rectangle::new(
        [(x0, y0), (x1, y1)],
        verdict_fill(v).filled(),
    ))?;
    root.draw(&Rectangle::new(
        [(x0, y0), (x1, y1)],
        verdict_edge(v).stroke_width(1),
    ))?;
    let mid = (x0 + x1) / 2;
    let mut y = (y0 + y1) / 2 - cell_content_height(row.comparisons.len()) / 2;
    let label = style::text(LABEL_SIZE, INK).pos(centre);
    root.draw_text(v.label(), &label, (mid, y))?;
    y += line_height(LABEL_SIZE) + 2;
    let small = style::text(style::NOTE_SIZE, INK).pos(centre);
    for line in &row.comparisons {
        root.draw_text(line, &small, (mid, y))?;
        y += line_height(style::NOTE_SIZE);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::{Evidence, Measure};

    fn evidence(verdict: Verdict) -> Evidence {
        Evidence {
            test: 0,
            metric: Measure::KernelTime,
            on: "nbody".into(),
            statement: "rust better than go".into(),
            a_median: None,
            b_median: None,
            estimate: None,
            ci_low: None,
            ci_high: None,
            verdict,
            note: String::new(),
            reading: "kernel_time (each workload)".into(),
            decides: true,
        }
    }

    fn claim(id: &str, quote: &str, verdict: Verdict, evidence: Vec<Evidence>) -> ClaimVerdict {
        ClaimVerdict {
            id: id.into(),
            topic: "speed".into(),
            quote: quote.into(),
            weak_proxy: None,
            verdict,
            evidence,
            reason: None,
        }
    }

    fn verdicts() -> Vec<ClaimVerdict> {
        use Verdict::*;
        let many = |s, c, i| {
            let mut e = vec![evidence(Supported); s];
            e.extend(vec![evidence(Contradicted); c]);
            e.extend(vec![evidence(Inconclusive); i]);
            e
        };
        let mut unmeasurable = claim(
            "ecosystem",
            "Ecosystem: Node.js Huge (npm), Python Mature, Go Growing, Rust Growing",
            NotMeasurable,
            vec![],
        );
        unmeasurable.reason = Some("not something a benchmark measures".into());
        vec![
            claim(
                "speed-levels",
                "Speed: Rust Extremely High, Go Very High, Node.js Moderate, Python Low",
                Contradicted,
                many(13, 1, 4),
            ),
            claim(
                "python-gil",
                "Python: Limited multithreading (due to GIL)",
                Supported,
                many(2, 0, 0),
            ),
            claim(
                "node-not-for-cpu",
                "Node.js: Not ideal for CPU-bound tasks, and a quote long enough to wrap \
                 over more than one line of the scorecard, maybe even three of them",
                Inconclusive,
                many(1, 0, 1),
            ),
            claim(
                "go-goroutines",
                "Go: Built-in concurrency",
                NotTested,
                vec![evidence(NotTested)],
            ),
            unmeasurable,
        ]
    }

    fn png_size(png: &[u8]) -> (u32, u32) {
        let img =
            image::load_from_memory_with_format(png, image::ImageFormat::Png).expect("PNG decodes");
        (img.width(), img.height())
    }

    #[test]
    fn no_verdicts_no_scorecard() {
        assert!(scorecard(&[]).is_none());
    }

    #[test]
    fn every_claim_and_verdict_is_drawn() {
        let chart = scorecard(&verdicts()).unwrap();
        assert_eq!(chart.name, "scorecard");
        assert!(chart.svg.starts_with("<svg"));
        // Plotters escapes the apostrophe of the title.
        assert!(chart.svg.contains(&chart.title.replace('\'', "&apos;")));
        assert!(chart.svg.contains("DejaVu Sans"));
        assert!(chart.caption.ends_with('.'));
        for v in verdicts() {
            // Plotters writes each text element's content on its own line.
            assert!(
                chart.svg.contains(&format!("\n{}\n</text>", v.id)),
                "{}",
                v.id
            );
            let first_words: String = v.quote.split(' ').take(3).collect::<Vec<_>>().join(" ");
            assert!(chart.svg.contains(&first_words), "{first_words}");
            let label = format!("\n{}\n</text>", v.verdict.label());
            assert!(chart.svg.contains(&label), "{}", v.verdict.label());
        }
        // The tally wraps between its pieces, never inside one.
        for piece in [
            "18 comparisons:",
            "13 supported,",
            "1 contradicted,",
            "4 inconclusive",
        ] {
            assert!(chart.svg.contains(piece), "{piece}");
        }
        assert!(chart.svg.contains("no benchmark can measure this"));
        for v in [
            Verdict::Supported,
            Verdict::Contradicted,
            Verdict::Inconclusive,
        ] {
            let colour = style::svg_colour(verdict_fill(v));
            assert!(chart.svg.contains(&colour), "{colour}");
        }
    }

    #[test]
    fn png_is_900_wide_and_grows_with_the_rows() {
        let chart = scorecard(&verdicts()).unwrap();
        assert!(chart.png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let (w, h) = png_size(&chart.png);
        assert_eq!(w, 900);
        assert!(chart.svg.contains(&format!("width=\"{w}\"")));
        assert!(chart.svg.contains(&format!("height=\"{h}\"")));
        let one = scorecard(&verdicts()[..1]).unwrap();
        let (_, h1) = png_size(&one.png);
        assert!(h > h1 + 4 * 40, "{h} vs {h1}");
    }

    #[test]
    fn long_quotes_wrap_inside_their_column() {
        style::register_embedded_font();
        let long = &verdicts()[2].quote;
        let lines = wrap(long, QUOTE_SIZE, cell_left() - GAP - MARGIN);
        assert!(lines.len() >= 2, "{lines:?}");
        assert_eq!(lines.join(" "), *long);
        let font = style::text(QUOTE_SIZE, INK).font;
        for line in &lines {
            let (w, _) = font.box_size(line).unwrap();
            assert!((w as i32) < cell_left() - GAP - MARGIN, "{line}");
        }
    }

    #[test]
    fn the_tally_counts_each_kind_of_comparison() {
        let v = verdicts();
        let tally = |v: &ClaimVerdict| comparisons(v).join(" ");
        assert_eq!(
            tally(&v[0]),
            "18 comparisons: 13 supported, 1 contradicted, 4 inconclusive"
        );
        assert_eq!(tally(&v[1]), "2 comparisons: 2 supported");
        assert_eq!(tally(&v[3]), "1 comparison: 1 not tested");
        assert_eq!(tally(&v[4]), "no benchmark can measure this");
        // Comparisons shown without deciding the verdict are not counted.
        let mut shown = v[1].clone();
        shown.evidence.push(Evidence {
            decides: false,
            ..evidence(Verdict::Contradicted)
        });
        assert_eq!(tally(&shown), "2 comparisons: 2 supported");
    }
}
