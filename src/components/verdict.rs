//! The headline verdict above the timeline: what the stack did, in words and numbers, against
//! the same scenario and seed without it (or without one layer). Deltas are coloured by better
//! or worse for the reader, never by sign, and carry a glyph and a word besides the colour.

use resilience_engine::sim::{Outcome, Totals};
use yew::prelude::*;

use crate::doc::CompareWith;
use crate::state::use_app;
use crate::view_model::{Trend, sign_arrow};

/// One headline figure.
struct Figure {
    label: &'static str,
    with: f64,
    without: Option<f64>,
    higher_is_better: bool,
    /// Differences at or under this count as none, in the figure's unit.
    tolerance: f64,
    value: fn(f64) -> String,
    delta: fn(f64) -> String,
}

fn percent(v: f64) -> String {
    format!("{v:.1} %")
}
fn points(v: f64) -> String {
    format!("{v:+.1} pp")
}
fn per_second(v: f64) -> String {
    format!("{v:.0} req/s")
}
fn per_second_delta(v: f64) -> String {
    format!("{v:+.0} req/s")
}
fn millis(v: f64) -> String {
    if v >= 1_000.0 { format!("{:.2} s", v / 1e3) } else { format!("{v:.0} ms") }
}
fn millis_delta(v: f64) -> String {
    if v.abs() >= 1_000.0 { format!("{:+.2} s", v / 1e3) } else { format!("{v:+.0} ms") }
}
fn times(v: f64) -> String {
    format!("{v:.2}×")
}
fn times_delta(v: f64) -> String {
    format!("{v:+.2}×")
}
fn count(v: f64) -> String {
    format!("{v:.0}")
}
fn count_delta(v: f64) -> String {
    format!("{v:+.0}")
}

fn figures(with: &Totals, without: Option<&Totals>) -> Vec<Figure> {
    let mut figures = vec![
        Figure {
            label: "success",
            with: with.success_rate * 100.0,
            without: without.map(|t| t.success_rate * 100.0),
            higher_is_better: true,
            tolerance: 0.05,
            value: percent,
            delta: points,
        },
        Figure {
            label: "goodput",
            with: with.goodput_rps,
            without: without.map(|t| t.goodput_rps),
            higher_is_better: true,
            tolerance: 0.5,
            value: per_second,
            delta: per_second_delta,
        },
        Figure {
            label: "p99 latency",
            with: with.latency.p99_ms,
            without: without.map(|t| t.latency.p99_ms),
            higher_is_better: false,
            tolerance: 0.5,
            value: millis,
            delta: millis_delta,
        },
        Figure {
            label: "amplification",
            with: with.amplification,
            without: without.map(|t| t.amplification),
            higher_is_better: false,
            tolerance: 0.005,
            value: times,
            delta: times_delta,
        },
    ];
    let fallback = |t: &Totals| t.outcomes.get(Outcome::Fallback) as f64;
    if fallback(with) > 0.0 {
        figures.push(Figure {
            label: "fallback answers",
            with: fallback(with),
            without: without.map(fallback),
            higher_is_better: true,
            tolerance: 0.5,
            value: count,
            delta: count_delta,
        });
    }
    figures
}

/// The sentence that opens the verdict.
fn headline(with: &Totals, without: Option<&Totals>, against: &str) -> String {
    let now = with.success_rate * 100.0;
    match without {
        None => format!("With this stack, {now:.1} % of requests got a real answer."),
        Some(base) => {
            let before = base.success_rate * 100.0;
            match Trend::of(now, before, true, 0.05) {
                Trend::Better => {
                    format!("This stack lifts success from {before:.1} % {against} to {now:.1} %.")
                }
                Trend::Worse => format!("This stack lowers success from {before:.1} % {against} to {now:.1} %."),
                Trend::Same => format!("Success is {now:.1} %, the same as {against}; see what else changed."),
            }
        }
    }
}

fn tile(figure: &Figure) -> Html {
    let delta = figure.without.map(|without| {
        let trend = Trend::of(figure.with, without, figure.higher_is_better, figure.tolerance);
        let difference = figure.with - without;
        let arrow = if trend == Trend::Same { "=" } else { sign_arrow(difference) };
        let text = if trend == Trend::Same { "no change".to_owned() } else { (figure.delta)(difference) };
        html! {
            <span class={classes!("delta", trend.word())}>
                <span aria-hidden="true">{ arrow }{ " " }</span>{ text }
                <span class="delta-word">{ format!(" · {}", trend.word()) }</span>
            </span>
        }
    });
    html! {
        <div class="figure" data-figure={figure.label}>
            <span class="figure-label">{ figure.label }</span>
            <span class="figure-value">{ (figure.value)(figure.with) }</span>
            { for delta }
        </div>
    }
}

/// The verdict panel.
#[function_component(Verdict)]
pub fn verdict() -> Html {
    let state = use_app();
    let Some(result) = &state.result else { return html! {} };
    let with = &result.report.summary.total;
    let without = result.baseline.as_ref().map(|(summary, _)| &summary.total);
    let against = match state.compare_with {
        CompareWith::NoPatterns => "without the stack".to_owned(),
        CompareWith::WithoutLayer { layer, .. } => format!("without layer {}", layer + 1),
    };
    html! {
        <section class="panel verdict" id="verdict" aria-labelledby="verdict-title" aria-live="polite">
            <h2 id="verdict-title" class="verdict-headline">{ headline(with, without, &against) }</h2>
            <div class="figures">{ for figures(with, without).iter().map(tile) }</div>
            if without.is_some() {
                <p class="verdict-note">{ format!("Deltas: with the stack against the same scenario and seed {against}.") }</p>
            }
        </section>
    }
}
