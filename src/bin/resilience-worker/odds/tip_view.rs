//! A tipping-point search's results: where the claim tips, how far the seeds agree on it, the
//! probes as a chart of the share of seeds on which the claim holds by the knob's value, and
//! the table of probes (each opens its run).

use core::fmt::Write as _;

use resilience_engine::odds::{self, Target};
use serde_json::Value;

use super::view::{esc, plain};

/// A knob's value as the form writes it (`30s`, `4`), or a dash.
fn value_text(value: Option<&Value>) -> String {
    value.map_or_else(|| "—".to_owned(), plain)
}

/// The search's results; `knob` names the knob in words; on a `narrow` page (a phone) the
/// chart is drawn for its width, so that its text stays readable.
pub fn tip_results(out: &mut String, tip: &odds::Tip, knob: &str, narrow: bool) {
    let _ = write!(
        out,
        "<h3>Where “{}” tips</h3><p id=\"odds-tip\">Along {}: holds at {} and fails at {} ({}). A value holds when the claim holds on at least half of its seeds.</p>",
        esc(&tip.claim),
        esc(knob),
        esc(&value_text(tip.last_holding.as_ref())),
        esc(&value_text(tip.first_failing.as_ref())),
        note_words(&tip.note)
    );
    if tip.probes.len() >= 2 {
        let _ = write!(out, "<p id=\"odds-tip-seeds\">{}</p>", esc(&agreement(tip)));
        chart(out, tip, knob, if narrow { NARROW_PX } else { WIDE_PX });
    }
    out.push_str("<table class=\"odds-probes\"><thead><tr><th>Probe</th><th>Value</th><th>Holds on</th><th></th></tr></thead><tbody>");
    for (i, probe) in tip.probes.iter().enumerate() {
        let class = if probe.holding() { "pass" } else { "fail" };
        let shown = esc(&value_text(Some(&probe.value)));
        let _ = write!(
            out,
            "<tr class=\"{class}\"><td>{}</td><td>{shown}</td><td>{:.0} % ({} of {})</td><td><button type=\"button\" data-act=\"probe\" data-arg=\"{i}\" aria-label=\"Open the run of probe {} ({shown})\">Open</button></td></tr>",
            i + 1,
            probe.share * 100.0,
            probe.holds,
            probe.seeds,
            i + 1
        );
    }
    out.push_str("</tbody></table>");
}

/// What the search found, in the form's words (the engine's note names its ends `from` and
/// `to`).
fn note_words(note: &str) -> &str {
    match note {
        "the assertion flips inside the bracket" => "it flips between these two",
        "the assertion still holds at to" => {
            "it still holds at the end of the range: move “to (fails)” further to find where it fails"
        }
        "the assertion already fails at from" => {
            "it already fails at the start of the range: start “from (holds)” where it holds"
        }
        other => other,
    }
}

/// How far the seeds agree, in words: where every seed holds the claim, where every seed fails
/// it, and whether the tip depends on the run between.
fn agreement(tip: &odds::Tip) -> String {
    let (holds, fails) = (tip.holds_on_every_seed_to.as_ref(), tip.fails_on_every_seed_from.as_ref());
    let seeds = tip.probes.first().map_or(0, |p| p.seeds);
    if seeds == 1 {
        return "One seed a probe: run more seeds a probe to see how much the tip depends on the run.".to_owned();
    }
    let (h, f) = (value_text(holds), value_text(fails));
    if tip.probes.iter().all(|p| p.share >= 1.0) {
        return format!("All {seeds} seeds hold the claim at every value probed.");
    }
    if tip.probes.iter().all(|p| p.share <= 0.0) {
        return format!("All {seeds} seeds fail the claim at every value probed.");
    }
    // The search's ends: its first two probes.
    let (from, to) =
        (value_text(tip.probes.first().map(|p| &p.value)), value_text(tip.probes.get(1).map(|p| &p.value)));
    let between = |a: &str, b: &str| if a == b { format!("at {a}") } else { format!("from {a} to {b}") };
    match (holds, fails) {
        (Some(_), Some(_)) if holds == tip.last_holding.as_ref() && fails == tip.first_failing.as_ref() => {
            format!("All {seeds} seeds agree at every probe: each of them tips between {h} and {f}.")
        }
        (Some(_), Some(_)) => format!(
            "Across the {seeds} seeds of each probe: every seed holds the claim {} and fails it {}; in between the seeds disagree, so where it tips depends on the run (shaded in the chart).",
            between(&from, &h),
            between(&f, &to)
        ),
        (Some(_), None) => format!(
            "Every seed holds the claim {}; beyond it the seeds disagree, and some still hold it at {to}.",
            between(&from, &h)
        ),
        (None, Some(_)) => {
            format!("Some seeds fail the claim already at {from}; every seed fails it {}.", between(&f, &to))
        }
        (None, None) => "The seeds disagree at every probe: where the claim tips depends on the run.".to_owned(),
    }
}

/// The chart's width on a wide page, and on a phone's (its text then about as large as the
/// page's), in its viewBox's units.
const WIDE_PX: f64 = 600.0;
/// See [`WIDE_PX`].
const NARROW_PX: f64 = 360.0;
/// The plot's edges in the chart: left, right margin, top and bottom.
const PLOT: (f64, f64, f64, f64) = (44.0, 10.0, 10.0, 130.0);

/// The probes as points in order of value (evenly spaced: a search's probes crowd around the
/// tip), their height the share of seeds on which the claim holds, over a dashed line at half
/// the seeds (where a value stops holding); the band where the seeds disagree is shaded. Each
/// point opens its probe's run.
fn chart(out: &mut String, tip: &odds::Tip, knob: &str, width: f64) {
    let number = |v: &Value| Target::of(v).and_then(|t| t.read(v));
    let mut order: Vec<(usize, f64)> =
        tip.probes.iter().enumerate().filter_map(|(i, p)| Some((i, number(&p.value)?))).collect();
    order.sort_by(|a, b| a.1.total_cmp(&b.1));
    if order.is_empty() {
        return;
    }
    let (left, margin, top, bottom) = PLOT;
    let right = width - margin;
    let slot = (right - left) / order.len() as f64;
    let x = |rank: usize| left + (rank as f64 + 0.5) * slot;
    let y = |share: f64| bottom - (bottom - top) * share;
    let _ = write!(
        out,
        "<svg class=\"tip-chart\" viewBox=\"0 0 {width} 200\" style=\"max-width: {width}px\" role=\"img\" aria-label=\"Share of seeds on which the claim holds at each probe, in order of {}\">",
        esc(knob)
    );
    // The seeds disagree between the last probe where all held and the first where all failed.
    let rank_of =
        |value: Option<&Value>| value.and_then(|v| order.iter().position(|(i, _)| &tip.probes[*i].value == v));
    let band = (rank_of(tip.holds_on_every_seed_to.as_ref()), rank_of(tip.fails_on_every_seed_from.as_ref()));
    if let (Some(a), Some(b)) = band {
        let (from, to) = (x(a.min(b)), x(a.max(b)));
        if to - from > slot {
            let _ = write!(
                out,
                "<rect class=\"disagree\" x=\"{:.1}\" y=\"{top}\" width=\"{:.1}\" height=\"{}\"><title>the seeds disagree here</title></rect>",
                from + slot / 2.0,
                to - from - slot,
                bottom - top
            );
        }
    }
    let _ = write!(
        out,
        "<line class=\"half\" x1=\"{left}\" x2=\"{right}\" y1=\"{0}\" y2=\"{0}\"/><line class=\"axis\" x1=\"{left}\" x2=\"{right}\" y1=\"{bottom}\" y2=\"{bottom}\"/>",
        y(0.5)
    );
    let line: Vec<String> = order
        .iter()
        .enumerate()
        .map(|(rank, (i, _))| format!("{:.1},{:.1}", x(rank), y(tip.probes[*i].share)))
        .collect();
    let _ = write!(out, "<polyline class=\"line\" points=\"{}\"/>", line.join(" "));
    for (rank, (i, _)) in order.iter().enumerate() {
        let probe = &tip.probes[*i];
        let class = if probe.holding() { "probe" } else { "probe fail" };
        let shown = esc(&value_text(Some(&probe.value)));
        let (cx, cy) = (x(rank), y(probe.share));
        let _ = write!(
            out,
            "<circle class=\"{class}\" data-act=\"probe\" data-arg=\"{i}\" cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"5\"><title>probe {}: {shown} holds on {:.0} % of seeds ({} of {})</title></circle>",
            i + 1,
            probe.share * 100.0,
            probe.holds,
            probe.seeds
        );
        let label_y = bottom + 12.0;
        let _ = write!(
            out,
            "<text x=\"{cx:.1}\" y=\"{label_y}\" text-anchor=\"end\" transform=\"rotate(-40 {cx:.1} {label_y})\">{shown}</text>"
        );
    }
    for (share, label) in [(0.0, "0 %"), (0.5, "50 %"), (1.0, "100 %")] {
        let _ =
            write!(out, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text>", left - 6.0, y(share) + 4.0);
    }
    // The probes close in on the tip, so they crowd there: evenly spaced, each readable, the
    // axis says it is not to scale.
    let _ = write!(
        out,
        "<text x=\"{:.1}\" y=\"194\" text-anchor=\"middle\">{}: probes in order (not to scale)</text></svg>",
        (left + right) / 2.0,
        esc(knob)
    );
}
