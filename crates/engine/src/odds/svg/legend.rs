//! A chart's legend: its heading, a heatmap's colour bar, and notes on the marks the chart
//! shows (only those it shows) and on the seeds behind each value.

use core::fmt::Write as _;

use super::super::SweepResult;
use super::scale::Scale;
use super::{Layout, lines, wrap, xml};

/// Characters of the legend's heading on one line, in its column beside the plot.
const LEGEND_CHARS: usize = 22;

/// Which chart the legend is for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Kind {
    /// Two knobs: coloured cells, with a colour bar.
    Heatmap,
    /// One knob: points on a line, whose height is the value (no colour bar).
    Line,
}

/// The legend's notes: the marks the chart shows, then what a value stands for.
fn notes(result: &SweepResult, kind: Kind) -> Vec<String> {
    let mut notes = Vec::new();
    let without_value =
        |run: bool| result.cells.iter().any(|c| c.invalid.is_none() && c.value.is_none() && (c.runs > 0) == run);
    if result.cells.iter().any(|c| c.invalid.is_some()) {
        notes.push("× invalid setting".to_owned());
    }
    if without_value(true) {
        notes.push("– no value".to_owned());
    }
    if without_value(false) {
        notes.push(if kind == Kind::Heatmap { "blank: not run yet" } else { "no point: not run yet" }.to_owned());
    }
    let seeds = if result.seeds == 1 { "1 seed".to_owned() } else { format!("{} seeds", result.seeds) };
    let each = if kind == Kind::Heatmap { "a cell" } else { "a point" };
    notes.push(match (result.chart.starts_with(crate::expect::KEY), result.seeds) {
        (true, _) => format!("{each}: share of {seeds}"),
        (false, 1) => format!("{each}: {seeds}"),
        (false, _) => format!("{each}: median of {seeds}"),
    });
    notes
}

/// The legend in a column beside the plot.
pub(super) fn beside(out: &mut String, result: &SweepResult, (chart, kind): (&str, Kind), scale: &Scale, at: &Layout) {
    let x = at.left_px + at.plot_px + 24.0;
    let heading = wrap(chart, LEGEND_CHARS, 4);
    let _ = writeln!(
        out,
        "<g class=\"legend\"><text x=\"{x}\" y=\"{}\" font-weight=\"bold\">{}</text>",
        at.top_px + 4.0,
        lines(&heading, x, 13.0)
    );
    let mut y = at.top_px + 14.0 + 13.0 * (heading.len().max(1) - 1) as f64;
    if kind == Kind::Heatmap {
        let steps = 10;
        for i in 0..=steps {
            let t = f64::from(steps - i) / f64::from(steps);
            let v = scale.low + (scale.high - scale.low) * t;
            let step_y = y + f64::from(i) * 16.0;
            let _ = writeln!(
                out,
                "<rect x=\"{x}\" y=\"{step_y}\" width=\"20\" height=\"16\" fill=\"{}\"/>",
                scale.colour(v)
            );
            if i == 0 || i == steps || i == steps / 2 {
                let _ =
                    writeln!(out, "<text x=\"{}\" y=\"{}\">{}</text>", x + 26.0, step_y + 12.0, xml(&scale.text(v)));
            }
        }
        y += f64::from(steps + 1) * 16.0;
    }
    for note in notes(result, kind) {
        y += 16.0;
        let _ = write!(out, "<text x=\"{x}\" y=\"{y}\">{}</text>", xml(&note));
    }
    out.push_str("</g>\n");
}

/// The legend under the plot, for a narrow chart: its heading on one line, a heatmap's colour
/// bar across the plot's width (low on the left) with its ends and middle, then the notes, two
/// a line.
pub(super) fn below(out: &mut String, result: &SweepResult, (chart, kind): (&str, Kind), scale: &Scale, at: &Layout) {
    let (x, top) = (at.left_px, at.top_px + at.plot_height_px + at.bottom_px + 14.0);
    let heading = wrap(chart, (at.plot_px / 6.5) as usize, 1);
    let _ = writeln!(
        out,
        "<g class=\"legend\"><text x=\"{x}\" y=\"{top}\" font-weight=\"bold\">{}</text>",
        lines(&heading, x, 13.0)
    );
    let mut y = top + 24.0;
    if kind == Kind::Heatmap {
        colour_bar_across(out, scale, (x, top), at);
        y = top + 56.0;
    }
    let half = at.plot_px / 2.0;
    for (i, note) in notes(result, kind).iter().enumerate() {
        let note_x = if i % 2 == 0 { x } else { x + half };
        let _ = write!(out, "<text x=\"{note_x}\" y=\"{}\">{}</text>", y + (i / 2) as f64 * 16.0, xml(note));
    }
    out.push_str("</g>\n");
}

/// The colour bar of a legend under the plot, `(x, top)` its heading's corner.
fn colour_bar_across(out: &mut String, scale: &Scale, (x, top): (f64, f64), at: &Layout) {
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
        let (anchor, label_x) = match i {
            0 => ("start", left),
            i if i == steps => ("end", left + step_px),
            i if i == steps / 2 => ("middle", left + step_px / 2.0),
            _ => continue,
        };
        let _ = writeln!(
            out,
            "<text x=\"{label_x:.1}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
            top + 36.0,
            xml(&scale.text(v))
        );
    }
}
