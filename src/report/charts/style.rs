//! The look shared by every chart: one colour per language, how variants of
//! a language differ from it, the embedded font and the text sizes.
//!
//! Colours come from the Okabe–Ito palette, chosen to stay apart for the
//! common kinds of colour blindness: Node.js bluish green, Python blue, Go
//! sky blue (lighter than Python's, so the two blues also differ in
//! lightness), Rust vermillion. A variant of a language (`python-threads`,
//! `rust-threads`) keeps its language's colour and differs by a fixed
//! variant index: another marker shape, another dash pattern for lines, and
//! a lighter fill (with the full colour as outline) for bars. A runtime
//! other than the default (`node@bun`, `python@pypy`) keeps the colour too
//! and differs by a fixed runtime index: hollow markers (a shape of its own
//! for the plain implementation), a dash pattern of its own and a darker
//! bar fill.

use std::sync::Once;

use plotters::style::text_anchor::Pos;
use plotters::style::{
    register_font, Color, FontDesc, FontFamily, FontStyle, RGBColor, TextStyle, WHITE,
};

use crate::lang::runtime::RuntimeName;
use crate::lang::{Impl, Lang};

/// The font every chart uses, embedded in the binary: DejaVu Sans
/// (Bitstream Vera license, see `assets/fonts/LICENSE-DejaVu.txt`).
const FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// The family name text is drawn with. Plotters writes it as the SVG
/// `font-family`, so an SVG viewer without DejaVu Sans falls back to its
/// sans-serif; the PNG glyphs always come from the embedded font.
pub const FONT_FAMILY: &str = "DejaVu Sans, sans-serif";

/// Text sizes, in pixels.
pub(super) const TITLE_SIZE: f64 = 22.0;
pub(super) const AXIS_LABEL_SIZE: f64 = 16.0;
pub(super) const TICK_SIZE: f64 = 14.0;
pub(super) const LEGEND_SIZE: f64 = 14.0;
pub(super) const NOTE_SIZE: f64 = 12.5;
pub(super) const ANNOTATION_SIZE: f64 = 13.0;

/// Dark grey for text and axes (softer than black, still high contrast).
pub(super) const INK: RGBColor = RGBColor(34, 34, 34);
/// Grey for notes and reference lines.
pub(super) const MUTED: RGBColor = RGBColor(90, 90, 90);
/// Light grey for grid lines.
pub(super) const GRID: RGBColor = RGBColor(225, 225, 225);

/// Registers the embedded font with plotters, once per process. Plotters
/// is built without its `ttf` feature, so no code path can read system fonts;
/// a family that was not registered fails to draw instead.
pub(super) fn register_embedded_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Text drawn with plotters' default family ("sans-serif") gets the
        // embedded font too. The bytes are a valid TTF checked by a test,
        // so a failure here can only mean a broken build; drawing would
        // then report the missing font as an error.
        for family in [FONT_FAMILY, "sans-serif"] {
            let _ = register_font(family, FontStyle::Normal, FONT_BYTES);
        }
    });
}

/// Text in the embedded font, `size` pixels, in `colour`.
pub(super) fn text(size: f64, colour: RGBColor) -> TextStyle<'static> {
    TextStyle {
        font: FontDesc::new(FontFamily::Name(FONT_FAMILY), size, FontStyle::Normal),
        color: colour.to_backend_color(),
        pos: Pos::default(),
    }
}

/// The colour of a language, the same in every chart (Okabe–Ito palette).
pub fn lang_colour(lang: Lang) -> RGBColor {
    match lang {
        Lang::Node => RGBColor(0, 158, 115),
        Lang::Python => RGBColor(0, 114, 178),
        Lang::Go => RGBColor(86, 180, 233),
        Lang::Rust => RGBColor(213, 94, 0),
    }
}

/// Which variant of a language an implementation is: 0 for the plain
/// implementation, then a fixed index per known variant name so a variant
/// looks the same in every chart.
pub fn variant_index(variant: Option<&str>) -> usize {
    match variant {
        None => 0,
        Some("threads") => 1,
        Some("processes") => 2,
        Some("flask") => 3,
        Some(_) => 4,
    }
}

/// Which runtime of a language runs an implementation: 0 for the default,
/// then a fixed index per built-in runtime (`bun` 1, `deno` 2, `node22` 3,
/// `node24` 4, `node26` 5; `pypy` 1, `python3.13t` 2; `go1.24` 1) so a
/// runtime looks the same in every chart, and 6 for any other (a user
/// file's).
pub fn runtime_index(runtime: Option<&RuntimeName>) -> usize {
    match runtime.map(RuntimeName::as_str) {
        None => 0,
        Some("bun" | "pypy" | "go1.24") => 1,
        Some("deno" | "python3.13t") => 2,
        Some("node22") => 3,
        Some("node24") => 4,
        Some("node26") => 5,
        Some(_) => 6,
    }
}

/// The shapes of a plain implementation run by another runtime than the
/// default, by runtime index from 1: none of them a variant's shape, all
/// drawn hollow (the plus is a stroke).
const RUNTIME_MARKERS: [Marker; 6] = [
    Marker::Circle,
    Marker::TriangleDown,
    Marker::Plus,
    Marker::Pentagon,
    Marker::Star,
    Marker::Hexagon,
];

/// How one implementation is drawn: its language's colour, the variant
/// index and the runtime index. The default runtime's implementations have
/// filled markers and, per variant, their shape, dash and lighter bar fill;
/// another runtime's have hollow markers (the runtime's own shape for the
/// plain implementation, the variant's for a variant), the runtime's dash
/// and a darker bar fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesStyle {
    /// The language's colour ([`lang_colour`]).
    pub colour: RGBColor,
    /// 0 for the plain implementation; see [`variant_index`].
    pub variant: usize,
    /// 0 for the language's default runtime; see [`runtime_index`].
    pub runtime: usize,
}

impl SeriesStyle {
    /// The style of implementation `imp` (language, variant and runtime).
    pub fn of(imp: &Impl) -> Self {
        SeriesStyle {
            colour: lang_colour(imp.lang),
            variant: variant_index(imp.variant.as_deref()),
            runtime: runtime_index(imp.runtime.as_ref()),
        }
    }

    /// The fill of a bar: the full colour for the plain implementation,
    /// lighter for each variant, darker for each runtime other than the
    /// default (the outline keeps the full colour).
    pub fn bar_fill(&self) -> RGBColor {
        let amount = [0.0, 0.45, 0.65, 0.3, 0.55][self.variant.min(4)];
        let fill = lighten(self.colour, amount);
        match self.runtime {
            0 => fill,
            r => darken(fill, [0.22, 0.44, 0.66, 0.33, 0.55, 0.11][(r - 1).min(5)]),
        }
    }

    /// Dash pattern of a line, `(dash, gap)` in pixels; `None` for solid.
    pub fn dash(&self) -> Option<(u32, u32)> {
        if self.runtime > 0 {
            return Some(
                [(2, 2), (12, 3), (2, 6), (20, 4), (7, 7), (4, 2)][(self.runtime - 1).min(5)],
            );
        }
        match self.variant {
            0 => None,
            1 => Some((9, 5)),
            2 => Some((3, 4)),
            3 => Some((16, 5)),
            _ => Some((6, 3)),
        }
    }

    /// The marker shape drawn on each point.
    pub fn marker(&self) -> Marker {
        if self.runtime > 0 && self.variant == 0 {
            return RUNTIME_MARKERS[(self.runtime - 1).min(5)];
        }
        match self.variant {
            0 => Marker::Circle,
            1 => Marker::Triangle,
            2 => Marker::Square,
            3 => Marker::Diamond,
            _ => Marker::Cross,
        }
    }

    /// True when the marker is drawn as an outline (another runtime than
    /// the default), not filled.
    pub fn hollow(&self) -> bool {
        self.runtime > 0
    }
}

/// Marker shapes: the first five for the variants, the rest for runtimes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// Circle (plain implementations).
    Circle,
    /// Triangle pointing up.
    Triangle,
    /// Square.
    Square,
    /// Diamond.
    Diamond,
    /// Diagonal cross (×).
    Cross,
    /// Triangle pointing down.
    TriangleDown,
    /// Upright cross (+).
    Plus,
    /// Pentagon.
    Pentagon,
    /// Five-pointed star.
    Star,
    /// Hexagon.
    Hexagon,
}

/// What a marker is made of, in pixels around its centre (y down).
pub(super) enum Glyph {
    /// A circle of this radius.
    Circle(i32),
    /// A closed polygon.
    Polygon(Vec<(i32, i32)>),
    /// Line segments, drawn as strokes whether filled or hollow.
    Strokes(Vec<[(i32, i32); 2]>),
}

impl Marker {
    /// The marker's geometry, shared by the plot and the legend.
    pub(super) fn glyph(self) -> Glyph {
        let poly = |pts: &[(i32, i32)]| Glyph::Polygon(pts.to_vec());
        match self {
            Marker::Circle => Glyph::Circle(5),
            Marker::Triangle => poly(&[(0, -7), (6, 4), (-6, 4)]),
            Marker::Square => poly(&[(-5, -5), (5, -5), (5, 5), (-5, 5)]),
            Marker::Diamond => poly(&[(0, -7), (7, 0), (0, 7), (-7, 0)]),
            Marker::Cross => Glyph::Strokes(vec![[(-5, -5), (5, 5)], [(-5, 5), (5, -5)]]),
            Marker::TriangleDown => poly(&[(0, 7), (6, -4), (-6, -4)]),
            Marker::Plus => Glyph::Strokes(vec![[(-6, 0), (6, 0)], [(0, -6), (0, 6)]]),
            Marker::Pentagon => poly(&[(0, -6), (6, -2), (4, 5), (-4, 5), (-6, -2)]),
            Marker::Star => poly(&[
                (0, -7),
                (2, -2),
                (7, -2),
                (3, 1),
                (4, 6),
                (0, 3),
                (-4, 6),
                (-3, 1),
                (-7, -2),
                (-2, -2),
            ]),
            Marker::Hexagon => poly(&[(6, 0), (3, 5), (-3, 5), (-6, 0), (-3, -5), (3, -5)]),
        }
    }
}

/// Mixes `colour` with black; `amount` 0 keeps the colour, 1 gives black.
pub fn darken(colour: RGBColor, amount: f64) -> RGBColor {
    let mix = |c: u8| (c as f64 * (1.0 - amount.clamp(0.0, 1.0))).round() as u8;
    RGBColor(mix(colour.0), mix(colour.1), mix(colour.2))
}

/// Mixes `colour` with white; `amount` 0 keeps the colour, 1 gives white.
pub fn lighten(colour: RGBColor, amount: f64) -> RGBColor {
    let mix = |c: u8| (c as f64 + (255.0 - c as f64) * amount.clamp(0.0, 1.0)).round() as u8;
    RGBColor(mix(colour.0), mix(colour.1), mix(colour.2))
}

/// The colour as SVG writes it (`#RRGGBB`), to find a colour in an SVG.
pub fn svg_colour(colour: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2)
}

/// The page background.
pub(super) const BACKGROUND: RGBColor = WHITE;

/// The sort key of an implementation: languages in [`Lang::ALL`] order;
/// within one, the default runtime's plain implementation, then its
/// variants, then each other runtime's (by runtime index, then name) in
/// the same order.
pub(super) fn order_key(imp: &Impl) -> (usize, usize, String, usize, String) {
    let lang_pos = Lang::ALL
        .iter()
        .position(|&l| l == imp.lang)
        .unwrap_or(usize::MAX);
    (
        lang_pos,
        runtime_index(imp.runtime.as_ref()),
        imp.runtime
            .as_ref()
            .map_or(String::new(), |r| r.to_string()),
        variant_index(imp.variant.as_deref()),
        imp.variant.clone().unwrap_or_default(),
    )
}
