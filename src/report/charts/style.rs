//! The look shared by every chart: one colour per language, how variants of
//! a language differ from it, the embedded font and the text sizes.
//!
//! Colours come from the Okabe–Ito palette, chosen to stay apart for the
//! common kinds of colour blindness: Node.js bluish green, Python blue, Go
//! sky blue (lighter than Python's, so the two blues also differ in
//! lightness), Rust vermillion. A variant of a language (`python-threads`,
//! `rust-threads`) keeps its language's colour and differs by a fixed
//! variant index: another marker shape, another dash pattern for lines, and
//! a lighter fill (with the full colour as outline) for bars.

use std::sync::Once;

use plotters::style::text_anchor::Pos;
use plotters::style::{
    register_font, Color, FontDesc, FontFamily, FontStyle, RGBColor, TextStyle, WHITE,
};

use crate::lang::Lang;

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

/// How one implementation is drawn: its language's colour plus the variant index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesStyle {
    /// The language's colour ([`lang_colour`]).
    pub colour: RGBColor,
    /// 0 for the plain implementation; see [`variant_index`].
    pub variant: usize,
}

impl SeriesStyle {
    /// The style of implementation `lang` + `variant`.
    pub fn of(lang: Lang, variant: Option<&str>) -> Self {
        SeriesStyle {
            colour: lang_colour(lang),
            variant: variant_index(variant),
        }
    }

    /// The fill of a bar: the full colour for the plain implementation,
    /// lighter for each variant (the outline keeps the full colour).
    pub fn bar_fill(&self) -> RGBColor {
        let amount = [0.0, 0.45, 0.65, 0.3, 0.55][self.variant.min(4)];
        lighten(self.colour, amount)
    }

    /// Dash pattern of a line, `(dash, gap)` in pixels; `None` for solid.
    pub fn dash(&self) -> Option<(u32, u32)> {
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
        match self.variant {
            0 => Marker::Circle,
            1 => Marker::Triangle,
            2 => Marker::Square,
            3 => Marker::Diamond,
            _ => Marker::Cross,
        }
    }
}

/// Marker shapes, one per variant index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// Filled circle (plain implementations).
    Circle,
    /// Filled triangle.
    Triangle,
    /// Filled square.
    Square,
    /// Filled diamond.
    Diamond,
    /// Cross.
    Cross,
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

/// The sort key of an implementation: languages in [`Lang::ALL`] order,
/// the plain implementation before its variants.
pub(super) fn order_key(lang: Lang, variant: Option<&str>) -> (usize, usize, String) {
    let lang_pos = Lang::ALL
        .iter()
        .position(|&l| l == lang)
        .unwrap_or(usize::MAX);
    (
        lang_pos,
        variant_index(variant),
        variant.unwrap_or("").to_string(),
    )
}
