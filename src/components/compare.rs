//! Compare: the same scenario and seed with no patterns at all, side by side, with deltas.

use resilience_engine::sim::{Outcome, Totals};
use yew::prelude::*;

use crate::state::AppContext;

/// The comparison panel.
#[function_component(Compare)]
pub fn compare() -> Html {
    let state = use_context::<AppContext>().expect("state context");
    let Some(result) = &state.result else { return html! {} };
    let Some((baseline, _)) = &result.baseline else { return html! {} };
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
            <h2 id="compare-title">{ "Compare with no patterns" }</h2>
            <p class="muted">{ "Same scenario, same seed, every stack emptied." }</p>
            <table id="compare">
                <thead><tr><th scope="col">{ "Measure" }</th><th class="num" scope="col">{ "with your stack" }</th>
                    <th class="num" scope="col">{ "no patterns" }</th><th class="num" scope="col">{ "difference" }</th></tr></thead>
                <tbody>{ for body }</tbody>
            </table>
        </section>
    }
}
