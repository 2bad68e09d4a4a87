//! A one-knob sweep as a line chart: a point per value of the knob, its height the charted
//! value on an axis from zero; the line breaks where a cell has no value, and a cell whose
//! setting makes the scenario invalid is marked on the axis.

use core::fmt::Write as _;

use super::super::{Axis, CellSummary, SweepResult};
use super::scale::Scale;
use super::{Layout, axis_titles, column_labels, xml};

/// The line chart of `result` along `axis`, `chart` naming what is charted.
pub(super) fn line(out: &mut String, result: &SweepResult, (axis, chart): (&Axis, &str), scale: &Scale, at: &Layout) {
    let n = axis.labels.len().max(1);
    let (left, top, plot, height) = (at.left_px, at.top_px, at.plot_px, at.plot_height_px);
    let w = plot / n as f64;
    let _ = writeln!(
        out,
        "<rect x=\"{left}\" y=\"{top}\" width=\"{plot}\" height=\"{height}\" fill=\"none\" stroke=\"#888\"/>"
    );
    let point = |i: usize, v: f64| (left + (i as f64 + 0.5) * w, top + height * (1.0 - scale.at(v)));
    for run in runs_of_values(&result.cells) {
        let points: Vec<String> =
            run.iter().map(|(i, v)| point(*i, *v)).map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = writeln!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\"/>",
            points.join(" ")
        );
    }
    for cell in &result.cells {
        let label = axis.labels.get(cell.index).map_or("", String::as_str);
        let x = left + (cell.index as f64 + 0.5) * w;
        let (shown, mark) = match (&cell.invalid, cell.value) {
            (Some(why), _) => (format!("invalid: {why}"), "×"),
            (None, Some(v)) => (scale.text(v), ""),
            (None, None) if cell.runs == 0 => continue,
            (None, None) => ("no value".to_owned(), "–"),
        };
        let tip = xml(&format!("{} = {label}: {shown}", axis.path));
        match cell.value.filter(|_| mark.is_empty()) {
            Some(v) => {
                let (_, y) = point(cell.index, v);
                let _ = writeln!(
                    out,
                    "<circle data-cell=\"{}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"{}\" stroke=\"#333\"><title>{tip}</title></circle>",
                    cell.index,
                    scale.colour(v)
                );
            }
            // A mark just above the axis, where the point would be.
            None => {
                let _ = writeln!(
                    out,
                    "<text data-cell=\"{}\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"14\">{mark}<title>{tip}</title></text>",
                    cell.index,
                    top + height - 6.0
                );
            }
        }
    }
    for (t, v) in [(0.0, scale.low), (0.5, (scale.low + scale.high) / 2.0), (1.0, scale.high)] {
        let y = top + height * (1.0 - t) + 4.0;
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

/// The cells' values as runs of neighbours that all have one (index, value): the line breaks
/// at a cell without a value rather than bridging it.
fn runs_of_values(cells: &[CellSummary]) -> Vec<Vec<(usize, f64)>> {
    let mut runs: Vec<Vec<(usize, f64)>> = vec![Vec::new()];
    for cell in cells {
        match (cell.value, runs.last_mut()) {
            (Some(v), Some(run)) => run.push((cell.index, v)),
            (None, Some(run)) if !run.is_empty() => runs.push(Vec::new()),
            _ => {}
        }
    }
    runs.retain(|run| !run.is_empty());
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(index: usize, value: Option<f64>) -> CellSummary {
        CellSummary { index, coords: vec![index], runs: 1, invalid: None, value, odds: None }
    }

    #[test]
    fn the_line_breaks_at_a_cell_without_a_value() {
        let cells = [cell(0, Some(1.0)), cell(1, Some(2.0)), cell(2, None), cell(3, Some(4.0)), cell(4, None)];
        assert_eq!(runs_of_values(&cells), vec![vec![(0, 1.0), (1, 2.0)], vec![(3, 4.0)]]);
        assert!(runs_of_values(&[cell(0, None)]).is_empty());
    }
}
