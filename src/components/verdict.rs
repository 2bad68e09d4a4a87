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
    if v.abs() < 100.0 { format!("{v:.1} req/s") } else { format!("{v:.0} req/s") }
}
fn per_second_delta(v: f64) -> String {
    if v.abs() < 100.0 { format!("{v:+.1} req/s") } else { format!("{v:+.0} req/s") }
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

/// What one figure's change says, in words: (better?, phrase).
fn change_phrase(label: &str, with: f64, without: f64, trend: Trend) -> Option<(bool, String)> {
    let better = trend == Trend::Better;
    let phrase = match (label, trend) {
        (_, Trend::Same) => return None,
        ("success", _) => {
            format!("{} success from {without:.1} % to {with:.1} %", if better { "lifts" } else { "lowers" })
        }
        ("amplification", _) if without > 0.0 => {
            let change = (with - without).abs() / without * 100.0;
            format!("sends {change:.0} % {} calls downstream", if better { "fewer" } else { "more" })
        }
        ("p99 latency", _) => format!(
            "{} the p99 latency from {} to {}",
            if better { "cuts" } else { "raises" },
            millis(without),
            millis(with)
        ),
        ("goodput", _) => format!(
            "{} goodput from {} to {}",
            if better { "raises" } else { "lowers" },
            per_second(without),
            per_second(with)
        ),
        ("fallback answers", _) if better => format!("answers {} requests with a fallback", count(with - without)),
        _ => return None,
    };
    Some((better, phrase))
}

/// Joins phrases as "a, b and c".
fn join(phrases: &[String]) -> String {
    match phrases {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The sentence that opens the verdict: what got better and what got worse, most important
/// first.
fn headline(figures: &[Figure], against: &str) -> String {
    let success = figures.first().map_or(0.0, |f| f.with);
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    for figure in figures {
        let Some(without) = figure.without else { continue };
        let trend = Trend::of(figure.with, without, figure.higher_is_better, figure.tolerance);
        match change_phrase(figure.label, figure.with, without, trend) {
            Some((true, phrase)) => good.push(phrase),
            Some((false, phrase)) => bad.push(phrase),
            None => {}
        }
    }
    if figures.iter().all(|f| f.without.is_none()) {
        return format!("With this stack, {success:.1} % of requests got a real answer.");
    }
    match (good.is_empty(), bad.is_empty()) {
        (true, true) => format!("This stack changes little {against}: {success:.1} % success either way."),
        (false, true) => format!("Against the same run {against}, this stack {}.", join(&good)),
        (true, false) => format!("Against the same run {against}, this stack {}.", join(&bad)),
        (false, false) => {
            format!("Against the same run {against}, this stack {}, but {}.", join(&good), join(&bad))
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
    let figures = figures(with, without);
    html! {
        <section class="panel verdict" id="verdict" aria-labelledby="verdict-title" aria-live="polite">
            <h2 id="verdict-title" class="verdict-headline">{ headline(&figures, &against) }</h2>
            <div class="figures">{ for figures.iter().map(tile) }</div>
            if without.is_some() {
                <p class="verdict-note">{ format!("Deltas: with the stack against the same scenario and seed {against}.") }</p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totals(success_rate: f64, p99_ms: f64, amplification: f64) -> Totals {
        let mut totals = Totals { success_rate, amplification, goodput_rps: success_rate * 100.0, ..Totals::default() };
        totals.latency.p99_ms = p99_ms;
        totals
    }

    #[test]
    fn the_headline_says_what_got_better_and_what_got_worse() {
        let breaker =
            headline(&figures(&totals(0.655, 88.6, 0.662), Some(&totals(0.661, 88.6, 1.0))), "without the stack");
        assert_eq!(
            breaker,
            "Against the same run without the stack, this stack sends 34 % fewer calls downstream, but lowers success from 66.1 % to 65.5 % and lowers goodput from 66.1 req/s to 65.5 req/s."
        );
        let retry = headline(&figures(&totals(0.998, 300.0, 1.3), Some(&totals(0.8, 100.0, 1.0))), "without layer 1");
        assert!(
            retry.starts_with("Against the same run without layer 1, this stack lifts success from 80.0 % to 99.8 %"),
            "{retry}"
        );
        assert!(retry.contains("but raises the p99 latency from 100 ms to 300 ms"), "{retry}");
        let same = headline(&figures(&totals(0.9, 50.0, 1.0), Some(&totals(0.9, 50.0, 1.0))), "without the stack");
        assert_eq!(same, "This stack changes little without the stack: 90.0 % success either way.");
        let alone = headline(&figures(&totals(0.9, 50.0, 1.0), None), "");
        assert_eq!(alone, "With this stack, 90.0 % of requests got a real answer.");
    }
}
