//! Line charts with one line per implementation: the shape shared by the
//! I/O-suite sweeps and the concurrency-suite charts.

use super::axis::Axis;
use super::canvas::{Figure, Mark};
use super::legend::LegendEntry;
use super::Implementation;

/// One implementation's points, in data units, sorted by x.
pub(super) struct Series {
    /// The implementation drawn.
    pub imp: Implementation,
    /// `(x, y)` points.
    pub points: Vec<(f64, f64)>,
}

/// Builds the axes from the series' values and draws one line with
/// markers per implementation. `x_axis` / `y_axis` get every x / y value
/// and return the axis (`None` when no value can be shown). Points an axis
/// cannot show (non-positive on a log axis) are left out and named in a
/// legend note, so nothing disappears silently. `None` when nothing can be drawn.
pub(super) fn line_figure(
    name: &'static str,
    title: &str,
    caption: String,
    series: Vec<Series>,
    x_axis: impl FnOnce(Vec<f64>) -> Option<Axis>,
    y_axis: impl FnOnce(Vec<f64>) -> Option<Axis>,
) -> Option<Figure> {
    let x = x_axis(
        series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0))
            .collect(),
    )?;
    let y = y_axis(
        series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .collect(),
    )?;
    let mut marks = Vec::new();
    let mut legend = Vec::new();
    let mut notes = Vec::new();
    for s in &series {
        let (shown, hidden): (Vec<_>, Vec<_>) = s
            .points
            .iter()
            .copied()
            .partition(|(px, py)| x.accepts(*px) && y.accepts(*py));
        if !hidden.is_empty() {
            notes.push(LegendEntry::Note(format!(
                "{}: {} point(s) of zero or less not shown on the log scale",
                s.imp.name,
                hidden.len()
            )));
        }
        if shown.is_empty() {
            continue;
        }
        let style = s.imp.style();
        marks.push(Mark::Line {
            points: shown.clone(),
            colour: style.colour,
            dash: style.dash(),
            width: 2,
        });
        marks.push(Mark::Points {
            points: shown,
            style,
        });
        legend.push(LegendEntry::Line {
            label: s.imp.name.clone(),
            style,
        });
    }
    if marks.is_empty() {
        return None;
    }
    legend.extend(notes);
    let mut fig = Figure::new(name, title, caption, x, y);
    fig.marks = marks;
    fig.legend = legend;
    Some(fig)
}
