//! A run's summary and its assertions' verdicts as Markdown (for a pull request or a docs
//! page) or as an SVG card.

use core::fmt::Write as _;

use super::Verdict;
use crate::Scenario;
use crate::sim::{Outcome, Report};

/// The summary figures and every verdict as a Markdown section.
#[must_use]
pub fn markdown(scenario: &Scenario, report: &Report, verdicts: &[Verdict]) -> String {
    let total = &report.summary.total;
    let mut out = format!("### {}\n\n", escape(&scenario.name));
    let held = verdicts.iter().filter(|v| v.pass).count();
    let _ = writeln!(out, "**{held} of {} assertions hold** (seed {}).\n", verdicts.len(), scenario.seed);
    out.push_str("| | claim | measured |\n|---|---|---|\n");
    for v in verdicts {
        let mark = if v.pass { "✅ pass" } else { "❌ fail" };
        let _ = writeln!(out, "| {mark} | {} | {} |", escape(&v.claim), escape(&v.measured));
    }
    out.push_str("\n| figure | value |\n|---|---|\n");
    let _ = writeln!(out, "| requests | {} |", total.requests);
    let _ = writeln!(out, "| success rate | {:.2} % |", total.success_rate * 100.0);
    let _ = writeln!(out, "| goodput | {:.1} req/s |", total.goodput_rps);
    let latency = &total.latency;
    let _ = writeln!(
        out,
        "| latency p50 / p99 / max | {:.1} / {:.1} / {:.1} ms |",
        latency.p50_ms, latency.p99_ms, latency.max_ms
    );
    let _ = writeln!(out, "| amplification | {:.2} attempts/request |", total.amplification);
    for outcome in Outcome::ALL.into_iter().filter(|o| total.outcomes.get(*o) > 0) {
        let _ = writeln!(out, "| {} | {} |", outcome.name(), total.outcomes.get(outcome));
    }
    out
}

/// Keeps a table cell one cell: pipes and line breaks are escaped.
fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Row height of the SVG card, in pixels.
const ROW_PX: usize = 22;

/// The verdicts and the outcome mix as a self-contained SVG card (no scripts, no external
/// references).
#[must_use]
pub fn svg(scenario: &Scenario, report: &Report, verdicts: &[Verdict]) -> String {
    let total = &report.summary.total;
    let height = 70 + ROW_PX * verdicts.len();
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"13\">\n<title>{}</title>\n<rect width=\"640\" height=\"{height}\" fill=\"#fff\"/>\n<text x=\"12\" y=\"22\" font-weight=\"bold\">{}</text>\n",
        xml(&scenario.name),
        xml(&scenario.name)
    );
    let mut x = 12.0;
    for outcome in Outcome::ALL.into_iter().filter(|o| total.outcomes.get(*o) > 0) {
        let width = 616.0 * total.outcomes.get(outcome) as f64 / total.requests.max(1) as f64;
        let _ = writeln!(
            out,
            "<rect x=\"{x:.1}\" y=\"32\" width=\"{width:.1}\" height=\"14\" fill=\"{}\"><title>{}: {}</title></rect>",
            outcome.colour(),
            outcome.name(),
            total.outcomes.get(outcome)
        );
        x += width;
    }
    for (i, v) in verdicts.iter().enumerate() {
        let y = 70 + ROW_PX * i;
        let (mark, colour) = if v.pass { ("✓ pass", "#1a7f37") } else { ("✗ fail", "#cf222e") };
        let _ = writeln!(
            out,
            "<text x=\"12\" y=\"{y}\" fill=\"{colour}\">{mark}</text><text x=\"72\" y=\"{y}\">{}: {}</text>",
            xml(&v.claim),
            xml(&v.measured)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// Text safe inside XML.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
