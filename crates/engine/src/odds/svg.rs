//! A sweep as a self-contained SVG (no scripts, no external references): a heatmap for two
//! knobs, a line chart for one, with axis titles, value labels, a legend and a tooltip
//! (`<title>`) on every cell or point, each marked with its cell's index (`data-cell`) so that
//! a page showing the chart can open the cell a reader clicks. A heatmap's rows are groups of
//! their own ([`ROW_ID`]), so a page can redraw one row as its cells come in.

use core::fmt::Write as _;

use super::{Axis, SweepResult};

/// Plot area, in pixels.
const PLOT_PX: f64 = 480.0;
/// Margins: left (row labels), top (title), legend column width, bottom (column labels).
const LEFT_PX: f64 = 170.0;
const TOP_PX: f64 = 50.0;
const LEGEND_PX: f64 = 150.0;
const BOTTOM_PX: f64 = 90.0;

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
    let (width, height) = (LEFT_PX + PLOT_PX + LEGEND_PX, TOP_PX + PLOT_PX + BOTTOM_PX);
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
        lines(&wrap(&title, TITLE_CHARS, 2), 12.0, 16.0)
    );
    let scale = Scale::of(result);
    match axes.as_slice() {
        [rows, columns] => heatmap(&mut out, result, rows, columns, &scale),
        [axis] => line(&mut out, result, (axis, &names.chart), &scale),
        _ => {}
    }
    legend(&mut out, result, &names.chart, &scale);
    out.push_str("</svg>\n");
    out
}

/// The range of the charted values: 0..1 for an assertion's share, else the cells' min..max.
struct Scale {
    low: f64,
    high: f64,
    share: bool,
}

impl Scale {
    fn of(result: &SweepResult) -> Self {
        if result.chart.starts_with(crate::expect::KEY) {
            return Self { low: 0.0, high: 1.0, share: true };
        }
        let values = result.cells.iter().filter_map(|c| c.value);
        let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
        if low.is_finite() { Self { low, high, share: false } } else { Self { low: 0.0, high: 1.0, share: false } }
    }

    /// Where `v` lies in the range, 0..1.
    fn at(&self, v: f64) -> f64 {
        if self.high > self.low { ((v - self.low) / (self.high - self.low)).clamp(0.0, 1.0) } else { 0.5 }
    }

    /// The colour of `v`: red → yellow → green for a share (green: holds), light → dark blue
    /// for a figure.
    fn colour(&self, v: f64) -> String {
        let t = self.at(v);
        let mix = |a: [f64; 3], b: [f64; 3], t: f64| {
            let c = |i: usize| (a[i] + (b[i] - a[i]) * t).round() as u8;
            format!("#{:02x}{:02x}{:02x}", c(0), c(1), c(2))
        };
        if self.share {
            let (red, yellow, green) = ([207.0, 34.0, 46.0], [240.0, 200.0, 60.0], [26.0, 127.0, 55.0]);
            if t < 0.5 { mix(red, yellow, t * 2.0) } else { mix(yellow, green, t * 2.0 - 1.0) }
        } else {
            mix([239.0, 243.0, 255.0], [8.0, 48.0, 107.0], t)
        }
    }

    fn text(&self, v: f64) -> String {
        if self.share { format!("{:.0} %", v * 100.0) } else { format!("{v:.3}") }
    }
}

/// The id of a heatmap row's group, `<g id="sweep-row-N">`: a page showing the chart as cells
/// come in can redraw the rows that changed, not the whole chart.
pub const ROW_ID: &str = "sweep-row-";

fn heatmap(out: &mut String, result: &SweepResult, rows: &Axis, columns: &Axis, scale: &Scale) {
    let (h, w) = (PLOT_PX / rows.labels.len().max(1) as f64, PLOT_PX / columns.labels.len().max(1) as f64);
    let mut drawn = vec![String::new(); rows.labels.len()];
    for cell in &result.cells {
        let (Some(r), Some(c)) = (cell.coords.first(), cell.coords.get(1)) else { continue };
        let Some(row) = drawn.get_mut(*r) else { continue };
        heatmap_cell(row, cell, (*r, *c), (w, h), (rows, columns), scale);
    }
    for (r, row) in drawn.iter().enumerate() {
        let _ = writeln!(out, "<g id=\"{ROW_ID}{r}\">{row}</g>");
    }
    for (r, label) in rows.labels.iter().enumerate() {
        let y = TOP_PX + (r as f64 + 0.5) * h + 4.0;
        let _ =
            writeln!(out, "<text x=\"{:.1}\" y=\"{y:.1}\" text-anchor=\"end\">{}</text>", LEFT_PX - 6.0, xml(label));
    }
    column_labels(out, columns, w);
    axis_titles(out, &rows.path, &columns.path);
}

/// One cell of the heatmap at `(row, column)`, `size` (width, height) pixels: its colour, its
/// tooltip, and a mark when it is invalid or has no value (a cell not run yet has none).
fn heatmap_cell(
    out: &mut String,
    cell: &super::CellSummary,
    (r, c): (usize, usize),
    (w, h): (f64, f64),
    (rows, columns): (&Axis, &Axis),
    scale: &Scale,
) {
    let (x, y) = (LEFT_PX + c as f64 * w, TOP_PX + r as f64 * h);
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
    if !mark.is_empty() {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{mark}</text>",
            x + w / 2.0,
            y + h / 2.0 + 4.0
        );
    }
}

fn column_labels(out: &mut String, columns: &Axis, w: f64) {
    let y = TOP_PX + PLOT_PX + 14.0;
    for (c, label) in columns.labels.iter().enumerate() {
        let x = LEFT_PX + (c as f64 + 0.5) * w;
        let _ = writeln!(
            out,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"end\" transform=\"rotate(-45 {x:.1} {y:.1})\">{}</text>",
            xml(label)
        );
    }
}

fn axis_titles(out: &mut String, vertical: &str, horizontal: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
        LEFT_PX + PLOT_PX / 2.0,
        TOP_PX + PLOT_PX + BOTTOM_PX - 8.0,
        xml(horizontal)
    );
    let (x, y) = (14.0, TOP_PX + PLOT_PX / 2.0);
    let _ = writeln!(
        out,
        "<text x=\"{x}\" y=\"{y:.1}\" text-anchor=\"middle\" font-weight=\"bold\" transform=\"rotate(-90 {x} {y:.1})\">{}</text>",
        xml(vertical)
    );
}

fn line(out: &mut String, result: &SweepResult, (axis, chart): (&Axis, &str), scale: &Scale) {
    let n = axis.labels.len().max(1);
    let w = PLOT_PX / n as f64;
    let _ = writeln!(
        out,
        "<rect x=\"{LEFT_PX}\" y=\"{TOP_PX}\" width=\"{PLOT_PX}\" height=\"{PLOT_PX}\" fill=\"none\" stroke=\"#888\"/>"
    );
    let point = |i: usize, v: f64| (LEFT_PX + (i as f64 + 0.5) * w, TOP_PX + PLOT_PX * (1.0 - scale.at(v)));
    let points: Vec<String> = result
        .cells
        .iter()
        .filter_map(|c| c.value.map(|v| point(c.index, v)))
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    let _ = writeln!(
        out,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\"/>",
        points.join(" ")
    );
    for cell in &result.cells {
        let label = axis.labels.get(cell.index).map_or("", String::as_str);
        if let Some(v) = cell.value {
            let (x, y) = point(cell.index, v);
            let colour = scale.colour(v);
            let tip = format!("{} = {label}: {}", axis.path, scale.text(v));
            let _ = writeln!(
                out,
                "<circle data-cell=\"{}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"{colour}\" stroke=\"#333\"><title>{}</title></circle>",
                cell.index,
                xml(&tip)
            );
        }
    }
    for (t, v) in [(0.0, scale.low), (0.5, (scale.low + scale.high) / 2.0), (1.0, scale.high)] {
        let y = TOP_PX + PLOT_PX * (1.0 - t) + 4.0;
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{y:.1}\" text-anchor=\"end\">{}</text>",
            LEFT_PX - 6.0,
            xml(&scale.text(v))
        );
    }
    column_labels(out, axis, w);
    axis_titles(out, chart, &axis.path);
}

/// The colour bar with its ends, and the marks for invalid and empty cells.
fn legend(out: &mut String, result: &SweepResult, chart: &str, scale: &Scale) {
    let x = LEFT_PX + PLOT_PX + 24.0;
    let heading = wrap(chart, LEGEND_CHARS, 4);
    let _ = writeln!(
        out,
        "<g class=\"legend\"><text x=\"{x}\" y=\"{}\" font-weight=\"bold\">{}</text>",
        TOP_PX + 4.0,
        lines(&heading, x, 13.0)
    );
    let top = TOP_PX + 14.0 + 13.0 * (heading.len().max(1) - 1) as f64;
    let steps = 10;
    for i in 0..=steps {
        let t = f64::from(steps - i) / f64::from(steps);
        let v = scale.low + (scale.high - scale.low) * t;
        let y = top + f64::from(i) * 16.0;
        let _ = writeln!(out, "<rect x=\"{x}\" y=\"{y}\" width=\"20\" height=\"16\" fill=\"{}\"/>", scale.colour(v));
        if i == 0 || i == steps || i == steps / 2 {
            let _ = writeln!(out, "<text x=\"{}\" y=\"{}\">{}</text>", x + 26.0, y + 12.0, xml(&scale.text(v)));
        }
    }
    let y = top + f64::from(steps + 1) * 16.0 + 16.0;
    let _ = writeln!(
        out,
        "<text x=\"{x}\" y=\"{y}\">× invalid cell</text><text x=\"{x}\" y=\"{}\">– no value</text><text x=\"{x}\" y=\"{}\">blank: not run yet</text>",
        y + 16.0,
        y + 32.0
    );
    let _ = writeln!(out, "<text x=\"{x}\" y=\"{}\">{} seed(s) a cell</text></g>", y + 48.0, result.seeds);
}

/// Characters of the title on one line, and of the legend's heading.
const TITLE_CHARS: usize = 96;
const LEGEND_CHARS: usize = 22;

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
