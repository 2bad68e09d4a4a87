//! Compare: the same scenario and seed with no patterns at all, side by side, with deltas.

use resilience_engine::sim::{Outcome, Totals};
use yew::prelude::*;

use crate::doc::{self, CompareWith};
use crate::state::{Action, use_app};

/// The comparison panel.
#[function_component(Compare)]
pub fn compare() -> Html {
    let state = use_app();
    let Some(result) = &state.result else { return html! {} };
    let Some((baseline, _)) = &result.baseline else { return html! {} };
    let layers = state.doc["endpoints"][state.endpoint]["stack"].as_array().cloned().unwrap_or_default();
    let label = match state.compare_with {
        CompareWith::NoPatterns => "no patterns".to_owned(),
        CompareWith::WithoutLayer { layer, .. } => format!("without layer {}", layer + 1),
    };
    let choices: Vec<(CompareWith, String)> =
        std::iter::once((CompareWith::NoPatterns, "no patterns at all".to_owned()))
            .chain(layers.iter().enumerate().map(|(i, layer)| {
                let with = CompareWith::WithoutLayer { endpoint: state.endpoint, layer: i };
                (with, format!("this stack without layer {} ({})", i + 1, doc::variant(Some(layer)).replace('_', " ")))
            }))
            .collect();
    let on_choose = {
        let dispatch = state.dispatcher();
        let options: Vec<CompareWith> = choices.iter().map(|(w, _)| *w).collect();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            if let Some(with) = options.get(select.selected_index().max(0) as usize) {
                dispatch.dispatch(Action::CompareWith(*with));
            }
        })
    };
    let (with, without) = (&result.report.summary.total, &baseline.total);
    let failed = |t: &Totals| {
        t.outcomes.get(Outcome::Failed)
            + t.outcomes.get(Outcome::TimedOut)
            + t.outcomes.get(Outcome::RejectedByBreaker)
            + t.outcomes.get(Outcome::RejectedByBulkhead)
    };
    let rows: Vec<(&str, f64, f64, &str, bool)> = vec![
        ("success rate", with.success_rate * 100.0, without.success_rate * 100.0, "%", true),
        ("goodput", with.goodput_rps, without.goodput_rps, "req/s", true),
        ("errors, timeouts and rejections", failed(with) as f64, failed(without) as f64, "", false),
        (
            "fallback answers",
            with.outcomes.get(Outcome::Fallback) as f64,
            without.outcomes.get(Outcome::Fallback) as f64,
            "",
            true,
        ),
        ("latency p50", with.latency.p50_ms, without.latency.p50_ms, "ms", false),
        ("latency p99", with.latency.p99_ms, without.latency.p99_ms, "ms", false),
        ("amplification", with.amplification, without.amplification, "attempts/request", false),
        ("peak downstream", with.peak_downstream_rps, without.peak_downstream_rps, "attempts/s", false),
    ];
    let body = rows.into_iter().map(|(label, a, b, unit, higher_is_better)| {
        let delta = a - b;
        let better = if higher_is_better { delta > 0.0 } else { delta < 0.0 };
        let class = if delta.abs() < 1e-9 {
            "same"
        } else if better {
            "better"
        } else {
            "worse"
        };
        let (arrow, word) = if delta.abs() < 1e-9 {
            ("=", "same")
        } else if better {
            ("▲", "better")
        } else {
            ("▼", "worse")
        };
        html! {
            <tr>
                <th scope="row">{ label }</th>
                <td class="num">{ format!("{a:.2} {unit}") }</td>
                <td class="num">{ format!("{b:.2} {unit}") }</td>
                <td class={classes!("num", class)} title={word}>{ format!("{delta:+.2} {arrow}") }<span class="sr-only">{ word }</span></td>
            </tr>
        }
    });
    html! {
        <section class="panel compare" aria-labelledby="compare-title">
            <h2 id="compare-title">{ "Compare" }</h2>
            <label class="compare-with">{ "Same scenario and seed, against " }
                <select id="compare-with" onchange={on_choose}>
                    { for choices.iter().map(|(with, text)| html! { <option selected={*with == state.compare_with}>{ text.clone() }</option> }) }
                </select>
            </label>
            <table id="compare">
                <thead><tr><th scope="col">{ "Measure" }</th><th class="num" scope="col">{ "with your stack" }</th>
                    <th class="num" scope="col">{ label }</th><th class="num" scope="col">{ "difference" }</th></tr></thead>
                <tbody>{ for body }</tbody>
            </table>
        </section>
    }
}
