//! A sweep as a self-contained SVG (no scripts, no external references): a heatmap for two
//! knobs, a line chart for one, with axis titles, value labels, a legend and a tooltip
//! (`<title>`) on every cell or point, each marked with its cell's index (`data-cell`) so that
//! a page showing the chart can open the cell a reader clicks. A heatmap's rows are groups of
//! their own ([`ROW_ID`]), so a page can redraw one row as its cells come in.

use core::fmt::Write as _;

use super::{Axis, SweepResult};

/// Where a chart's parts go, in pixels: the plot square, the margins around it (row labels on
/// the left, the title on top, column labels below) and the legend, beside the plot or under it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layout {
    /// The plot's side.
    pub plot_px: f64,
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
    pub const WIDE: Self =
        Self { plot_px: 480.0, left_px: 170.0, top_px: 50.0, bottom_px: 90.0, right_px: 150.0, legend_below: false };
    /// For a phone: about 360 wide, so that its text stays readable at the screen's width; the
    /// legend under the plot.
    pub const NARROW: Self =
        Self { plot_px: 270.0, left_px: 80.0, top_px: 48.0, bottom_px: 80.0, right_px: 10.0, legend_below: true };

    fn width(&self) -> f64 {
        self.left_px + self.plot_px + self.right_px
    }

    fn height(&self) -> f64 {
        let legend = if self.legend_below { LEGEND_BELOW_PX } else { 0.0 };
        self.top_px + self.plot_px + self.bottom_px + legend
    }

    /// Characters of the title on one line.
    fn title_chars(&self) -> usize {
        // About 8 pixels a character at 14 px, bold (96 on a wide chart).
        ((self.width() - 32.0) / 8.0) as usize
    }
}

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
    let scale = Scale::of(result);
    match axes.as_slice() {
        [rows, columns] => heatmap(&mut out, result, (rows, columns), &scale, at),
        [axis] => line(&mut out, result, (axis, &names.chart), &scale, at),
        _ => {}
    }
    if at.legend_below {
        legend_below(&mut out, result, &names.chart, &scale, at);
    } else {
        legend(&mut out, result, &names.chart, &scale, at);
    }
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

fn heatmap(out: &mut String, result: &SweepResult, (rows, columns): (&Axis, &Axis), scale: &Scale, at: &Layout) {
    let (h, w) = (at.plot_px / rows.labels.len().max(1) as f64, at.plot_px / columns.labels.len().max(1) as f64);
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
    if !mark.is_empty() {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{mark}</text>",
            x + w / 2.0,
            y + h / 2.0 + 4.0
        );
    }
}

fn column_labels(out: &mut String, columns: &Axis, w: f64, at: &Layout) {
    let y = at.top_px + at.plot_px + 14.0;
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
        at.top_px + at.plot_px + at.bottom_px - 8.0,
        xml(horizontal)
    );
    let (x, y) = (14.0, at.top_px + at.plot_px / 2.0);
    let _ = writeln!(
        out,
        "<text x=\"{x}\" y=\"{y:.1}\" text-anchor=\"middle\" font-weight=\"bold\" transform=\"rotate(-90 {x} {y:.1})\">{}</text>",
        xml(vertical)
    );
}

fn line(out: &mut String, result: &SweepResult, (axis, chart): (&Axis, &str), scale: &Scale, at: &Layout) {
    let n = axis.labels.len().max(1);
    let (left, top, plot) = (at.left_px, at.top_px, at.plot_px);
    let w = plot / n as f64;
    let _ = writeln!(
        out,
        "<rect x=\"{left}\" y=\"{top}\" width=\"{plot}\" height=\"{plot}\" fill=\"none\" stroke=\"#888\"/>"
    );
    let point = |i: usize, v: f64| (left + (i as f64 + 0.5) * w, top + plot * (1.0 - scale.at(v)));
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
        let y = top + plot * (1.0 - t) + 4.0;
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{y:.1}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            xml(&scale.text(v))
        );
    }
    column_labels(out, axis, w, at);
    axis_titles(out, chart, &axis.path, at);
}

/// The colour bar with its ends, and the marks for invalid and empty cells.
fn legend(out: &mut String, result: &SweepResult, chart: &str, scale: &Scale, at: &Layout) {
    let x = at.left_px + at.plot_px + 24.0;
    let heading = wrap(chart, LEGEND_CHARS, 4);
    let _ = writeln!(
        out,
        "<g class=\"legend\"><text x=\"{x}\" y=\"{}\" font-weight=\"bold\">{}</text>",
        at.top_px + 4.0,
        lines(&heading, x, 13.0)
    );
    let top = at.top_px + 14.0 + 13.0 * (heading.len().max(1) - 1) as f64;
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

/// The legend under the plot, for a narrow chart: its heading on one line, the colour bar across
/// the plot's width (low on the left) with its ends and middle, then the marks, two a line.
fn legend_below(out: &mut String, result: &SweepResult, chart: &str, scale: &Scale, at: &Layout) {
    let (x, top) = (at.left_px, at.top_px + at.plot_px + at.bottom_px + 14.0);
    let heading = wrap(chart, (at.plot_px / 6.5) as usize, 1);
    let _ = writeln!(
        out,
        "<g class=\"legend\"><text x=\"{x}\" y=\"{top}\" font-weight=\"bold\">{}</text>",
        lines(&heading, x, 13.0)
    );
    let steps = 10;
    let step_px = at.plot_px / f64::from(steps + 1);
    for i in 0..=steps {
        let v = scale.low + (scale.high - scale.low) * f64::from(i) / f64::from(steps);
        let left = x + f64::from(i) * step_px;
        let _ = writeln!(
            out,
            "<rect x=\"{left:.1}\" y=\"{}\" width=\"{step_px:.1}\" height=\"14\" fill=\"{}\"/>",
            top + 8.0,
            scale.colour(v)
        );
        let anchor = match i {
            0 => "start",
            i if i == steps => "end",
            _ => "middle",
        };
        if i == 0 || i == steps || i == steps / 2 {
            let label_x = if i == steps {
                left + step_px
            } else if i == 0 {
                left
            } else {
                left + step_px / 2.0
            };
            let _ = writeln!(
                out,
                "<text x=\"{label_x:.1}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
                top + 36.0,
                xml(&scale.text(v))
            );
        }
    }
    let (y, half) = (top + 56.0, at.plot_px / 2.0);
    let _ = writeln!(
        out,
        "<text x=\"{x}\" y=\"{y}\">× invalid cell</text><text x=\"{}\" y=\"{y}\">– no value</text><text x=\"{x}\" y=\"{}\">blank: not run yet</text>",
        x + half,
        y + 16.0
    );
    let _ = writeln!(out, "<text x=\"{}\" y=\"{}\">{} seed(s) a cell</text></g>", x + half, y + 16.0, result.seeds);
}

/// Characters of the legend's heading on one line, in its column beside the plot.
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
