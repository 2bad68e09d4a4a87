//! A sweep as a self-contained SVG (no scripts, no external references): a heatmap for two
//! knobs, a line chart for one, with axis titles, value labels, a legend and a tooltip
//! (`<title>`) on every cell or point, each marked with its cell's index (`data-cell`) so that
//! a page showing the chart can open the cell a reader clicks. A heatmap's rows are groups of
//! their own ([`ROW_ID`]), so a page can redraw one row as its cells come in.

use core::fmt::Write as _;

mod legend;
mod line;
mod scale;

use super::{Axis, SweepResult};
use legend::Kind;
use scale::Scale;

/// Where a chart's parts go, in pixels: the plot square, the margins around it (row labels on
/// the left, the title on top, column labels below) and the legend, beside the plot or under it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layout {
    /// The plot's width (and a heatmap's height).
    pub plot_px: f64,
    /// The plot's height: its width for a heatmap's square cells, half of it for a line chart
    /// (see [`chart_laid_out`]).
    pub plot_height_px: f64,
    /// Left of the plot: the vertical axis title and the row labels.
    pub left_px: f64,
    /// Above the plot: the title.
    pub top_px: f64,
    /// Below the plot: the column labels and the horizontal axis title.
    pub bottom_px: f64,
    /// Right of the plot: the legend's column, or a margin when the legend is below.
    pub right_px: f64,
    /// The legend lies under the plot, its colour bar across (a narrow screen), instead of in
    /// a column beside it.
    pub legend_below: bool,
}

impl Layout {
    /// For a file or a wide screen: 800 × 620, the legend beside the plot.
    pub const WIDE: Self = Self {
        plot_px: 480.0,
        plot_height_px: 480.0,
        left_px: 170.0,
        top_px: 50.0,
        bottom_px: 90.0,
        right_px: 150.0,
        legend_below: false,
    };
    /// For a phone: about 360 wide, so that its text stays readable at the screen's width; the
    /// legend under the plot.
    pub const NARROW: Self = Self {
        plot_px: 270.0,
        plot_height_px: 270.0,
        left_px: 80.0,
        top_px: 48.0,
        bottom_px: 80.0,
        right_px: 10.0,
        legend_below: true,
    };

    fn width(&self) -> f64 {
        self.left_px + self.plot_px + self.right_px
    }

    fn height(&self) -> f64 {
        let legend = if self.legend_below { LEGEND_BELOW_PX } else { 0.0 };
        self.top_px + self.plot_height_px + self.bottom_px + legend
    }

    /// Characters of the title on one line.
    fn title_chars(&self) -> usize {
        // About 8 pixels a character at 14 px, bold (96 on a wide chart).
        ((self.width() - 32.0) / 8.0) as usize
    }
}

/// A line chart's plot height, as a share of its width.
const LINE_HEIGHT_SHARE: f64 = 0.5;

/// Height of a legend under the plot, in pixels.
const LEGEND_BELOW_PX: f64 = 110.0;

/// The sweep as a heatmap (two knobs) or a line chart (one knob), its chart and knobs named as
/// the document names them (`p99_ms`, `/endpoints/0/stack/0/retry/max_attempts`).
#[must_use]
pub fn chart(result: &SweepResult) -> String {
    let knobs: Vec<String> = result.knobs.iter().map(|k| k.path.clone()).collect();
    chart_named(result, &Names { chart: result.chart.clone(), knobs })
}

/// What a chart calls its figure and its knobs, in words for readers ("p99 latency (ms)",
/// "storefront › layer 0 › retry › max attempts").
#[derive(Clone, Debug, PartialEq)]
pub struct Names {
    /// The charted figure or claim.
    pub chart: String,
    /// Each knob, in the sweep's order.
    pub knobs: Vec<String>,
}

/// [`chart`], with the figure and the knobs called by `names` in its title, axes, legend and
/// tooltips.
#[must_use]
pub fn chart_named(result: &SweepResult, names: &Names) -> String {
    chart_laid_out(result, names, &Layout::WIDE)
}

/// [`chart_named`], laid out as `at` says (a phone's page asks for [`Layout::NARROW`]).
#[must_use]
pub fn chart_laid_out(result: &SweepResult, names: &Names, at: &Layout) -> String {
    // A line chart is a row of points: half as tall as wide.
    let line_layout = Layout { plot_height_px: at.plot_px * LINE_HEIGHT_SHARE, ..*at };
    let at = if result.knobs.len() == 1 { &line_layout } else { at };
    let (width, height) = (at.width(), at.height());
    let axes: Vec<Axis> = result
        .knobs
        .iter()
        .enumerate()
        .map(|(i, k)| Axis { path: names.knobs.get(i).unwrap_or(&k.path).clone(), ..k.clone() })
        .collect();
    let title = format!("{} over {}", names.chart, names.knobs.join(" × "));
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">\n<title>{}</title>\n<rect width=\"{width}\" height=\"{height}\" fill=\"#fff\"/>\n<text x=\"12\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{}</text>\n",
        xml(&title),
        lines(&wrap(&title, at.title_chars(), 2), 12.0, 16.0)
    );
    let (scale, kind) = match axes.as_slice() {
        [rows, columns] => {
            let scale = Scale::of(result);
            heatmap(&mut out, result, (rows, columns), &scale, at);
            (scale, Kind::Heatmap)
        }
        [axis] => {
            let scale = Scale::from_zero(result);
            line::line(&mut out, result, (axis, &names.chart), &scale, at);
            (scale, Kind::Line)
        }
        _ => (Scale::of(result), Kind::Heatmap),
    };
    if at.legend_below {
        legend::below(&mut out, result, (&names.chart, kind), &scale, at);
    } else {
        legend::beside(&mut out, result, (&names.chart, kind), &scale, at);
    }
    out.push_str("</svg>\n");
    out
}

/// The id of a heatmap row's group, `<g id="sweep-row-N">`: a page showing the chart as cells
/// come in can redraw the rows that changed, not the whole chart.
pub const ROW_ID: &str = "sweep-row-";

fn heatmap(out: &mut String, result: &SweepResult, (rows, columns): (&Axis, &Axis), scale: &Scale, at: &Layout) {
    let (h, w) = (at.plot_height_px / rows.labels.len().max(1) as f64, at.plot_px / columns.labels.len().max(1) as f64);
    let mut drawn = vec![String::new(); rows.labels.len()];
    for cell in &result.cells {
        let (Some(r), Some(c)) = (cell.coords.first(), cell.coords.get(1)) else { continue };
        let Some(row) = drawn.get_mut(*r) else { continue };
        heatmap_cell(row, cell, (*r, *c), (w, h), (rows, columns), (scale, at));
    }
    for (r, row) in drawn.iter().enumerate() {
        let _ = writeln!(out, "<g id=\"{ROW_ID}{r}\">{row}</g>");
    }
    for (r, label) in rows.labels.iter().enumerate() {
        let y = at.top_px + (r as f64 + 0.5) * h + 4.0;
        let _ =
            writeln!(out, "<text x=\"{:.1}\" y=\"{y:.1}\" text-anchor=\"end\">{}</text>", at.left_px - 6.0, xml(label));
    }
    column_labels(out, columns, w, at);
    axis_titles(out, &rows.path, &columns.path, at);
}

/// One cell of the heatmap at `(row, column)`, `size` (width, height) pixels: its colour, its
/// tooltip, and a mark when it is invalid or has no value (a cell not run yet has none).
fn heatmap_cell(
    out: &mut String,
    cell: &super::CellSummary,
    (r, c): (usize, usize),
    (w, h): (f64, f64),
    (rows, columns): (&Axis, &Axis),
    (scale, at): (&Scale, &Layout),
) {
    let (x, y) = (at.left_px + c as f64 * w, at.top_px + r as f64 * h);
    let (fill, shown, mark) = match (&cell.invalid, cell.value) {
        (Some(why), _) => ("#9e9e9e".to_owned(), format!("invalid: {why}"), "×"),
        (None, Some(v)) => (scale.colour(v), scale.text(v), ""),
        // Not run yet (a sweep running or cancelled): blank, so it is neither read as a
        // value nor drawn as a mark.
        (None, None) if cell.runs == 0 => ("#f6f8fa".to_owned(), "not run yet".to_owned(), ""),
        (None, None) => ("#eeeeee".to_owned(), "no value".to_owned(), "–"),
    };
    let tip = format!("{} = {}, {} = {}: {shown}", rows.path, rows.labels[r], columns.path, columns.labels[c]);
    let _ = writeln!(
        out,
        "<rect data-cell=\"{}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{fill}\" stroke=\"#fff\"><title>{}</title></rect>",
        cell.index,
        xml(&tip)
    );
    // The value in words on a cell wide enough for it: the chart reads without telling colours
    // apart (red from green, for a reader who cannot), in the text colour its fill needs.
    let label = match (cell.value, mark) {
        (Some(v), "") if w >= VALUE_CELL_MIN_PX.0 && h >= VALUE_CELL_MIN_PX.1 => scale.text(v),
        _ => mark.to_owned(),
    };
    if !label.is_empty() {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{}\" pointer-events=\"none\">{}</text>",
            x + w / 2.0,
            y + h / 2.0 + 4.0,
            ink_on(&fill),
            xml(&label)
        );
    }
}

/// The smallest heatmap cell that shows its value in words, in pixels (width, height).
const VALUE_CELL_MIN_PX: (f64, f64) = (44.0, 18.0);

/// Text that reads on `fill` (`#rrggbb`): near-black on a light colour, white on a dark one.
fn ink_on(fill: &str) -> &'static str {
    let channel = |i: usize| fill.get(1 + 2 * i..3 + 2 * i).and_then(|h| u8::from_str_radix(h, 16).ok());
    let light = match (channel(0), channel(1), channel(2)) {
        (Some(r), Some(g), Some(b)) => 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b) > 150.0,
        _ => true,
    };
    if light { "#111111" } else { "#ffffff" }
}

fn column_labels(out: &mut String, columns: &Axis, w: f64, at: &Layout) {
    let y = at.top_px + at.plot_height_px + 14.0;
    for (c, label) in columns.labels.iter().enumerate() {
        let x = at.left_px + (c as f64 + 0.5) * w;
        let _ = writeln!(
            out,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"end\" transform=\"rotate(-45 {x:.1} {y:.1})\">{}</text>",
            xml(label)
        );
    }
}

fn axis_titles(out: &mut String, vertical: &str, horizontal: &str, at: &Layout) {
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
        at.left_px + at.plot_px / 2.0,
        at.top_px + at.plot_height_px + at.bottom_px - 8.0,
        xml(horizontal)
    );
    let (x, y) = (14.0, at.top_px + at.plot_height_px / 2.0);
    let _ = writeln!(
        out,
        "<text x=\"{x}\" y=\"{y:.1}\" text-anchor=\"middle\" font-weight=\"bold\" transform=\"rotate(-90 {x} {y:.1})\">{}</text>",
        xml(vertical)
    );
}

/// `text` in lines of at most `width` characters, broken between words, at most `most` lines
/// (the last cut with an ellipsis when there is more).
fn wrap(text: &str, width: usize, most: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.len() > most {
        lines.truncate(most);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    lines
}

/// Lines as `<tspan>`s, each `step` pixels below the one before, starting at `x`.
fn lines(lines: &[String], x: f64, step: f64) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let dy = if i == 0 { 0.0 } else { step };
        let _ = write!(out, "<tspan x=\"{x}\" dy=\"{dy}\">{}</tspan>", xml(line));
    }
    out
}

/// Text safe inside XML.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
