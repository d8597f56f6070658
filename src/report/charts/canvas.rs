//! Drawing a chart description into SVG text and PNG bytes.
//!
//! A chart module describes its figure as plain data, a [`Figure`]: two
//! axes, marks in data units and legend entries. [`render`] draws it, or any
//! other [`Picture`] (the scorecard has no axes), with plotters twice, once
//! on the SVG backend and once on an in-memory RGB bitmap that is encoded as
//! PNG. The legend sits in its own panel right of the plot, so it never
//! covers data.

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::Axis;
use super::legend::{draw_legend, LegendEntry};
use super::style::{self, Glyph, SeriesStyle, INK};
use super::{Chart, DrawResult};

/// Default size of a chart, in pixels (SVG user units and PNG pixels).
pub(super) const WIDTH: u32 = 800;
/// Default height of a chart, in pixels.
pub(super) const HEIGHT: u32 = 500;

/// Something drawn in the plot, positioned in data units.
pub(super) enum Mark {
    /// A polyline.
    Line {
        points: Vec<(f64, f64)>,
        colour: RGBColor,
        dash: Option<(u32, u32)>,
        width: u32,
    },
    /// One marker per point, in an implementation's style.
    Points {
        points: Vec<(f64, f64)>,
        style: SeriesStyle,
    },
    /// A filled rectangle with an outline.
    Bar {
        x: (f64, f64),
        y: (f64, f64),
        fill: RGBColor,
        stroke: RGBColor,
    },
    /// A translucent area between two lines with the same x values in
    /// order (a min–max band).
    Band {
        upper: Vec<(f64, f64)>,
        lower: Vec<(f64, f64)>,
        colour: RGBColor,
    },
    /// A vertical error bar with caps at `x` from `y.0` to `y.1`.
    ErrorBar {
        x: f64,
        y: (f64, f64),
        colour: RGBColor,
    },
    /// A hollow circle around a point's marker (e.g. a CPU-bound level).
    Ring { at: (f64, f64), colour: RGBColor },
    /// Text anchored at a data point, shifted by `offset` pixels.
    Text {
        at: (f64, f64),
        offset: (i32, i32),
        text: String,
        anchor: (HPos, VPos),
        colour: RGBColor,
    },
}

/// A whole chart as data.
pub(super) struct Figure {
    /// File stem.
    pub name: &'static str,
    /// Title drawn above the plot.
    pub title: String,
    /// One sentence for the report.
    pub caption: String,
    /// Size in pixels.
    pub size: (u32, u32),
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
    /// What is drawn, in order (later marks on top).
    pub marks: Vec<Mark>,
    /// The legend panel's entries, top to bottom.
    pub legend: Vec<LegendEntry>,
    /// Width of the legend panel, in pixels.
    pub legend_width: u32,
}

impl Figure {
    /// A figure of the default size with an empty legend and no marks.
    pub fn new(name: &'static str, title: &str, caption: String, x: Axis, y: Axis) -> Figure {
        Figure {
            name,
            title: title.to_string(),
            caption,
            size: (WIDTH, HEIGHT),
            x,
            y,
            marks: Vec::new(),
            legend: Vec::new(),
            legend_width: 200,
        }
    }
}

/// A picture plotters can draw on any backend: a [`Figure`], or a layout of
/// its own such as the scorecard's.
pub(super) trait Picture {
    /// Width and height, in pixels.
    fn size(&self) -> (u32, u32);

    /// Draws the whole picture on `root`, the image's full area.
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static;

    /// The chart made of this picture's name, title and caption and its images.
    fn into_chart(self, svg: String, png: Vec<u8>) -> Chart;
}

impl Picture for Figure {
    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        draw(root, self)
    }

    fn into_chart(self, svg: String, png: Vec<u8>) -> Chart {
        Chart {
            name: self.name.to_string(),
            title: self.title,
            caption: self.caption,
            svg,
            png,
        }
    }
}

/// Small multiples: plots in a grid under one title, with one legend panel
/// for all of them. Each plot is a [`Figure`] whose title is drawn over it;
/// its own name, caption and legend are not used.
pub(super) struct Panels {
    /// File stem.
    pub name: &'static str,
    /// Title drawn above the grid.
    pub title: String,
    /// One sentence for the report.
    pub caption: String,
    /// Size in pixels.
    pub size: (u32, u32),
    /// Plots per row.
    pub columns: usize,
    /// The plots, left to right, then top to bottom.
    pub plots: Vec<Figure>,
    /// The legend panel's entries, top to bottom.
    pub legend: Vec<LegendEntry>,
    /// Width of the legend panel, in pixels.
    pub legend_width: u32,
}

impl Picture for Panels {
    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        root.fill(&style::BACKGROUND)?;
        let body = root.titled(&self.title, style::text(style::TITLE_SIZE, INK))?;
        let (w, _) = body.dim_in_pixel();
        let (grid, legend) = body.split_horizontally(w.saturating_sub(self.legend_width));
        let columns = self.columns.max(1);
        let rows = self.plots.len().div_ceil(columns).max(1);
        for (cell, fig) in grid.split_evenly((rows, columns)).iter().zip(&self.plots) {
            let area = cell.titled(&fig.title, style::text(style::AXIS_LABEL_SIZE, INK))?;
            draw_plot(&area, fig)?;
        }
        draw_legend(&legend, &self.legend)?;
        root.present()?;
        Ok(())
    }

    fn into_chart(self, svg: String, png: Vec<u8>) -> Chart {
        Chart {
            name: self.name.to_string(),
            title: self.title,
            caption: self.caption,
            svg,
            png,
        }
    }
}

/// Draws the picture as SVG and PNG; `None` if plotters reports an error
/// (which only a missing font or a broken backend can cause).
pub(super) fn render(picture: impl Picture) -> Option<Chart> {
    style::register_embedded_font();
    let (w, h) = picture.size();
    let mut svg = String::new();
    picture
        .draw(SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area())
        .ok()?;
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    picture
        .draw(BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area())
        .ok()?;
    let png = encode_png(&rgb, w, h)?;
    Some(picture.into_chart(svg, png))
}

/// The RGB buffer `rgb` of a `w` × `h` image as PNG bytes.
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Option<Vec<u8>> {
    use image::ImageEncoder;
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(rgb, w, h, image::ExtendedColorType::Rgb8)
        .ok()?;
    Some(png)
}

fn draw<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, fig: &Figure) -> DrawResult
where
    DB::ErrorType: 'static,
{
    root.fill(&style::BACKGROUND)?;
    let body = root.titled(&fig.title, style::text(style::TITLE_SIZE, INK))?;
    let (w, _) = body.dim_in_pixel();
    let (plot, legend) = body.split_horizontally(w.saturating_sub(fig.legend_width));
    draw_plot(&plot, fig)?;
    draw_legend(&legend, &fig.legend)?;
    root.present()?;
    Ok(())
}

fn draw_plot<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, fig: &Figure) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (x, y) = (&fig.x, &fig.y);
    let tick_style = style::text(style::TICK_SIZE, INK);
    let widest_y_label = y
        .ticks
        .iter()
        .map(|&v| area.estimate_text_size(&(y.format)(v), &tick_style))
        .filter_map(Result::ok)
        .map(|(w, _)| w)
        .max()
        .unwrap_or(0);
    let x_range = Ticked::of(x);
    let y_range = Ticked::of(y);
    let mut chart = ChartBuilder::on(area)
        .margin_top(8)
        .margin_bottom(6)
        .margin_right(16)
        .margin_left(6)
        .x_label_area_size(52)
        .y_label_area_size(widest_y_label + 40)
        .build_cartesian_2d(x_range, y_range)?;
    let x_format = |t: &f64| (x.format)(x.inverse(*t));
    let y_format = |t: &f64| (y.format)(y.inverse(*t));
    let mut mesh = chart.configure_mesh();
    mesh.x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .x_desc(x.label.as_str())
        .y_desc(y.label.as_str())
        .label_style(tick_style.clone())
        .axis_desc_style(style::text(style::AXIS_LABEL_SIZE, INK))
        .axis_style(INK)
        .bold_line_style(style::GRID)
        .light_line_style(TRANSPARENT);
    if !x.grid {
        mesh.disable_x_mesh();
    }
    if !y.grid {
        mesh.disable_y_mesh();
    }
    mesh.draw()?;
    for mark in &fig.marks {
        draw_mark(&mut chart, x, y, mark)?;
    }
    Ok(())
}

/// A plotted range with exactly the axis' ticks as key points (no light
/// lines), in plotted coordinates.
struct Ticked {
    range: std::ops::Range<f64>,
    ticks: Vec<f64>,
}

impl Ticked {
    fn of(axis: &Axis) -> Ticked {
        Ticked {
            range: axis.t(axis.lo)..axis.t(axis.hi),
            ticks: axis.ticks.iter().map(|&v| axis.t(v)).collect(),
        }
    }
}

impl Ranged for Ticked {
    type ValueType = f64;
    type FormatOption = NoDefaultFormatting;

    fn range(&self) -> std::ops::Range<f64> {
        self.range.clone()
    }

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        if !(span.is_finite() && span > 0.0) {
            return limit.0;
        }
        let share = (value - self.range.start) / span;
        limit.0 + (f64::from(limit.1 - limit.0) * share).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }
}

impl ValueFormatter<f64> for Ticked {
    fn format(value: &f64) -> String {
        super::axis::short_number(*value)
    }
}

/// Radius of a [`Mark::Ring`], in pixels: clear of the largest marker (7).
pub(super) const RING_RADIUS: i32 = 10;

type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<Ticked, Ticked>>;

fn draw_mark<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    x: &Axis,
    y: &Axis,
    mark: &Mark,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let at = |(px, py): (f64, f64)| (x.t(px), y.t(py));
    match mark {
        Mark::Line {
            points,
            colour,
            dash,
            width,
        } => {
            let pts: Vec<(f64, f64)> = points.iter().map(|&p| at(p)).collect();
            let line = colour.stroke_width(*width);
            match dash {
                None => chart.draw_series(std::iter::once(PathElement::new(pts, line)))?,
                Some((on, off)) => chart.draw_series(std::iter::once(DashedPathElement::new(
                    pts, *on, *off, line,
                )))?,
            };
        }
        Mark::Points { points, style } => {
            for &p in points {
                draw_marker(chart, at(p), *style)?;
            }
        }
        Mark::Bar {
            x: (x0, x1),
            y: (y0, y1),
            fill,
            stroke,
        } => {
            let corners = [at((*x0, *y0)), at((*x1, *y1))];
            chart.draw_series([
                Rectangle::new(corners, fill.filled()),
                Rectangle::new(corners, stroke.stroke_width(1)),
            ])?;
        }
        Mark::Band {
            upper,
            lower,
            colour,
        } => {
            // One quadrilateral per step: plotters' bitmap fill of one long
            // polygon with steep edges leaves stray lines below the plot.
            let fill = colour.mix(0.18).filled();
            let quads = upper
                .windows(2)
                .zip(lower.windows(2))
                .map(|(u, l)| Polygon::new(vec![at(u[0]), at(u[1]), at(l[1]), at(l[0])], fill));
            chart.draw_series(quads)?;
        }
        Mark::ErrorBar {
            x: ex,
            y: (lo, hi),
            colour,
        } => {
            let (top, bottom) = (at((*ex, *hi)), at((*ex, *lo)));
            let line = colour.stroke_width(2);
            let cap = |c| EmptyElement::at(c) + PathElement::new(vec![(-5, 0), (5, 0)], line);
            chart.draw_series(std::iter::once(PathElement::new(vec![top, bottom], line)))?;
            chart.draw_series([cap(top), cap(bottom)])?;
        }
        Mark::Ring { at: p, colour } => {
            chart.draw_series(std::iter::once(
                EmptyElement::at(at(*p)) + Circle::new((0, 0), RING_RADIUS, colour.stroke_width(2)),
            ))?;
        }
        Mark::Text {
            at: p,
            offset,
            text,
            anchor,
            colour,
        } => {
            let style =
                style::text(style::ANNOTATION_SIZE, *colour).pos(Pos::new(anchor.0, anchor.1));
            chart.draw_series(std::iter::once(
                EmptyElement::at(at(*p)) + Text::new(text.clone(), *offset, style),
            ))?;
        }
    }
    Ok(())
}

fn draw_marker<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    c: (f64, f64),
    style: SeriesStyle,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let fill = style.colour.filled();
    let stroke = style.colour.stroke_width(2);
    // A hollow marker is white inside, so a line through it does not show.
    let inside = if style.hollow() { WHITE.filled() } else { fill };
    match style.marker().glyph() {
        Glyph::Circle(r) => {
            let edge = if style.hollow() {
                stroke
            } else {
                WHITE.stroke_width(1)
            };
            chart.draw_series([
                EmptyElement::at(c) + Circle::new((0, 0), r, inside),
                EmptyElement::at(c) + Circle::new((0, 0), r, edge),
            ])?;
        }
        Glyph::Polygon(pts) => {
            if style.hollow() {
                let mut closed = pts.clone();
                closed.push(pts[0]);
                chart.draw_series(std::iter::once(
                    EmptyElement::at(c) + Polygon::new(pts, inside),
                ))?;
                chart.draw_series(std::iter::once(
                    EmptyElement::at(c) + PathElement::new(closed, stroke),
                ))?;
            } else {
                chart.draw_series(std::iter::once(
                    EmptyElement::at(c) + Polygon::new(pts, inside),
                ))?;
            }
        }
        Glyph::Strokes(lines) => {
            chart.draw_series(
                lines
                    .into_iter()
                    .map(|l| EmptyElement::at(c) + PathElement::new(l.to_vec(), stroke)),
            )?;
        }
    }
    Ok(())
}
