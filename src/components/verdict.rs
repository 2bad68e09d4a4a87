//! The headline verdict above the timeline: what the stack did, in words and numbers, against
//! the same scenario and seed without it (or without one layer). Deltas are coloured by better
//! or worse for the reader, never by sign, and carry a glyph and a word besides the colour.

use resilience_engine::sim::{Outcome, Totals};
use yew::prelude::*;

use crate::compare_model::{self, Delta, Measure, delta, format_value};
use crate::doc::CompareWith;
use crate::number::fixed;
use crate::state::AppContext;

/// One headline figure.
struct Figure {
    label: &'static str,
    with: f64,
    without: Option<f64>,
    higher_is_better: bool,
    measure: Measure,
    /// The unit after the number ("%" prints differences in "pp").
    unit: &'static str,
}

impl Figure {
    /// The value with its unit.
    fn show(&self, value: f64) -> String {
        let number = format_value(value, self.measure);
        match self.unit {
            "" => number,
            "×" => format!("{number}×"),
            unit => format!("{number} {unit}"),
        }
    }

    /// The difference against the comparison, classified, if there is one.
    fn delta(&self) -> Option<Delta> {
        self.without.map(|without| delta(self.with, without, self.measure, self.higher_is_better, self.unit))
    }
}

fn figures(with: &Totals, without: Option<&Totals>) -> Vec<Figure> {
    let figure = |label, value: fn(&Totals) -> f64, higher_is_better, measure, unit| Figure {
        label,
        with: value(with),
        without: without.map(value),
        higher_is_better,
        measure,
        unit,
    };
    let mut figures = vec![
        figure("success", |t| t.success_rate * 100.0, true, Measure::Percent, "%"),
        figure("goodput", |t| t.goodput_rps, true, Measure::Amount, "req/s"),
        figure("p99 latency", |t| t.latency.p99_ms, false, Measure::Amount, "ms"),
        figure("amplification", |t| t.amplification, false, Measure::Ratio, "×"),
    ];
    let fallback = figure("fallback answers", |t| t.outcomes.get(Outcome::Fallback) as f64, true, Measure::Count, "");
    if fallback.with > 0.0 {
        figures.push(fallback);
    }
    figures
}

/// What one figure's change says, in words: (better?, phrase).
fn change_phrase(figure: &Figure, without: f64, verdict: compare_model::Verdict) -> Option<(bool, String)> {
    let better = verdict == compare_model::Verdict::Better;
    let (with, from, to) = (figure.with, figure.show(without), figure.show(figure.with));
    let phrase = match (figure.label, verdict) {
        (_, compare_model::Verdict::Same) => return None,
        ("success", _) => format!("{} success from {from} to {to}", if better { "lifts" } else { "lowers" }),
        ("amplification", _) if without > 0.0 => {
            let change = (with - without).abs() / without * 100.0;
            format!("sends {} % {} calls downstream", fixed(change, 0), if better { "fewer" } else { "more" })
        }
        ("p99 latency", _) => format!("{} the p99 latency from {from} to {to}", if better { "cuts" } else { "raises" }),
        ("goodput", _) => format!("{} goodput from {from} to {to}", if better { "raises" } else { "lowers" }),
        ("fallback answers", _) if better => {
            format!("answers {} requests with a fallback", format_value(with - without, Measure::Count))
        }
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

/// The sentence that opens the verdict: what got better and what got worse, the two most
/// important changes each way.
fn headline(figures: &[Figure], against: &str) -> String {
    let success = figures.first().map_or(0.0, |f| f.with);
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    for figure in figures {
        let (Some(without), Some(delta)) = (figure.without, figure.delta()) else { continue };
        match change_phrase(figure, without, delta.verdict) {
            Some((true, phrase)) => good.push(phrase),
            Some((false, phrase)) => bad.push(phrase),
            None => {}
        }
    }
    // The two most important changes each way; the figures below show every one.
    good.truncate(2);
    bad.truncate(2);
    if figures.iter().all(|f| f.without.is_none()) {
        return format!("With this stack, {} % of requests got a real answer.", fixed(success, 1));
    }
    match (good.is_empty(), bad.is_empty()) {
        (true, true) => format!("This stack changes little {against}: {} % success either way.", fixed(success, 1)),
        (false, true) => format!("Against the same run {against}, this stack {}.", join(&good)),
        (true, false) => format!("Against the same run {against}, this stack {}.", join(&bad)),
        (false, false) => {
            format!("Against the same run {against}, this stack {}, but {}.", join(&good), join(&bad))
        }
    }
}

fn tile(figure: &Figure) -> Html {
    let delta = figure.delta().map(|delta| {
        let word = delta.verdict.class();
        html! {
            <span class={classes!("delta", word)}>
                <span aria-hidden="true">{ delta.arrow }{ " " }</span>{ delta.text }
                <span class="delta-word">{ format!(" · {word}") }</span>
            </span>
        }
    });
    html! {
        <div class="figure" data-figure={figure.label}>
            <span class="figure-label">{ figure.label }</span>
            <span class="figure-value">{ figure.show(figure.with) }</span>
            { for delta }
        </div>
    }
}

/// The verdict panel (a plain function: it reads only the app's state, and its parent draws
/// again whenever that changes).
pub fn verdict(state: &AppContext) -> Html {
    let Some(result) = &state.result else { return html! {} };
    let with = &result.report.summary.total;
    let without = result.baseline.as_deref().map(|(summary, _)| &summary.total);
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
