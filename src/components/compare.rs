//! Compare: the same scenario and seed with no patterns at all, side by side, with deltas.

use resilience_engine::sim::{Outcome, Totals};
use yew::prelude::*;

use crate::compare_model::{Measure, delta, format_value};
use crate::doc::{self, CompareWith};
use crate::state::{Action, AppContext};

/// The comparison panel.
pub fn compare(state: &AppContext) -> Html {
    let Some(result) = &state.result else { return html! {} };
    let Some((baseline, _)) = result.baseline.as_deref() else { return html! {} };
    let label = match state.compare_with {
        CompareWith::NoPatterns => "no patterns".to_owned(),
        CompareWith::WithoutLayer { layer, .. } => format!("without layer {}", layer + 1),
    };
    let body = rows(&result.report.summary.total, &baseline.total).into_iter().map(row);
    html! {
        <section class="panel compare" aria-labelledby="compare-title">
            <h2 id="compare-title">{ "Compare" }</h2>
            <label class="compare-with">{ "Same scenario and seed, against " }{ compare_with(state) }</label>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Comparison table"><table id="compare">
                <thead><tr><th scope="col">{ "Measure" }</th><th class="num" scope="col">{ "with your stack" }</th>
                    <th class="num" scope="col">{ label }</th><th class="num" scope="col">{ "difference" }</th></tr></thead>
                <tbody>{ for body }</tbody>
            </table></div>
        </section>
    }
}

/// The choice of what to compare against: no patterns at all, or the stack without one layer.
fn compare_with(state: &AppContext) -> Html {
    let layers = state.doc["endpoints"][state.endpoint]["stack"].as_array().map_or(&[][..], Vec::as_slice);
    let choices: Vec<(CompareWith, String)> =
        std::iter::once((CompareWith::NoPatterns, "no patterns at all".to_owned()))
            .chain(layers.iter().enumerate().map(|(i, layer)| {
                let with = CompareWith::WithoutLayer { endpoint: state.endpoint, layer: i };
                (with, format!("this stack without layer {} ({})", i + 1, doc::variant(Some(layer)).replace('_', " ")))
            }))
            .collect();
    let options = choices
        .iter()
        .map(|(with, text)| html! { <option selected={*with == state.compare_with}>{ text.clone() }</option> });
    html! { <select id="compare-with" onchange={choose(state, &choices)}>{ for options }</select> }
}

/// Picking a choice re-runs the comparison against it.
fn choose(state: &AppContext, choices: &[(CompareWith, String)]) -> Callback<Event> {
    let dispatch = state.dispatcher();
    let options: Vec<CompareWith> = choices.iter().map(|(w, _)| *w).collect();
    Callback::from(move |event: Event| {
        let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
        if let Some(with) = options.get(select.selected_index().max(0) as usize) {
            dispatch.dispatch(Action::CompareWith(*with));
        }
    })
}

/// One measure of the table: label, with the stack, against, kind, unit, higher is better.
type Row = (&'static str, f64, f64, Measure, &'static str, bool);

/// The measures compared, with the stack and without.
fn rows(with: &Totals, without: &Totals) -> Vec<Row> {
    // Every outcome from the breaker's rejection on is a failure (rejections, timeouts, errors).
    let failed = |t: &Totals| {
        let first = Outcome::RejectedByBreaker as usize;
        Outcome::ALL[first..].iter().map(|o| t.outcomes.get(*o)).sum::<u64>() as f64
    };
    let fallbacks = |t: &Totals| t.outcomes.get(Outcome::Fallback) as f64;
    vec![
        ("success rate", with.success_rate * 100.0, without.success_rate * 100.0, Measure::Percent, "%", true),
        ("goodput", with.goodput_rps, without.goodput_rps, Measure::Amount, "req/s", true),
        ("errors, timeouts and rejections", failed(with), failed(without), Measure::Count, "", false),
        ("fallback answers", fallbacks(with), fallbacks(without), Measure::Count, "", true),
        ("latency p50", with.latency.p50_ms, without.latency.p50_ms, Measure::Amount, "ms", false),
        ("latency p99", with.latency.p99_ms, without.latency.p99_ms, Measure::Amount, "ms", false),
        ("amplification", with.amplification, without.amplification, Measure::Ratio, "attempts/request", false),
        (
            "peak downstream",
            with.peak_downstream_rps,
            without.peak_downstream_rps,
            Measure::Amount,
            "attempts/s",
            false,
        ),
    ]
}

/// One row: both values and the difference, with its verdict in words.
fn row((label, a, b, measure, unit, higher_is_better): Row) -> Html {
    let change = delta(a, b, measure, higher_is_better, unit);
    let value = |v: f64| {
        let text = format_value(v, measure);
        if unit.is_empty() { text } else { format!("{text} {unit}") }
    };
    let word = change.verdict.class();
    html! {
        <tr>
            <th scope="row">{ label }</th>
            <td class="num">{ value(a) }</td>
            <td class="num">{ value(b) }</td>
            <td class={classes!("num", "delta", word)} title={word}>
                { change.text }<span class="arrow" aria-hidden="true">{ format!(" {}", change.arrow) }</span><span class="sr-only">{ format!(" ({word})") }</span>
            </td>
        </tr>
    }
}
