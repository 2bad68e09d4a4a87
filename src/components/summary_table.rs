//! The summary table: totals by outcome (colour plus glyph, never colour alone), success rate,
//! goodput, latency percentiles, amplification and peak downstream rate.

use std::rc::Rc;

use resilience_engine::sim::{Outcome, Totals};
use yew::prelude::*;

use crate::number::fixed;
use crate::state::RunView;

/// Props of [`SummaryTable`].
#[derive(Properties, PartialEq, Debug)]
pub struct Props {
    /// The run whose summary is shown (shared: a render neither copies nor compares it).
    pub run: Rc<RunView>,
}

/// Summary of a run, one column per endpoint (and one for all of them).
#[function_component(SummaryTable)]
pub fn summary_table(props: &Props) -> Html {
    let summary = &props.run.report.summary;
    let columns: Vec<&Totals> = if summary.endpoints.len() > 1 {
        std::iter::once(&summary.total).chain(&summary.endpoints).collect()
    } else {
        vec![&summary.total]
    };
    let head = columns.iter().map(|t| html! { <th class="num" scope="col">{ t.name.clone() }</th> });
    let outcome_rows = Outcome::ALL.iter().filter(|o| columns.iter().any(|t| t.outcomes.get(**o) > 0)).map(|o| {
        let cells = columns.iter().map(|t| html! { <td class="num">{ t.outcomes.get(*o) }</td> });
        html! {
            <tr data-outcome={o.name()}>
                <th scope="row">
                    <span class="swatch" style={format!("background:{}", o.colour())} aria-hidden="true"></span>
                    <span class="glyph" aria-hidden="true">{ o.glyph() }</span>{ o.name() }
                </th>
                { for cells }
            </tr>
        }
    });
    let row = |label: &str, f: &dyn Fn(&Totals) -> String| {
        let cells = columns.iter().map(|t| html! { <td class="num">{ f(t) }</td> });
        html! { <tr><th scope="row">{ label.to_owned() }</th>{ for cells }</tr> }
    };
    html! {
        <table id="summary" aria-label="Run summary">
            <thead><tr><th scope="col">{ "Measure" }</th>{ for head }</tr></thead>
            <tbody>
                { row("requests", &|t| t.requests.to_string()) }
                { for outcome_rows }
                { row("success rate", &|t| format!("{} %", fixed(t.success_rate * 100.0, 2))) }
                { row("goodput", &|t| format!("{} req/s", fixed(t.goodput_rps, 1))) }
                { row("latency p50", &|t| format!("{} ms", fixed(t.latency.p50_ms, 1))) }
                { row("latency p95", &|t| format!("{} ms", fixed(t.latency.p95_ms, 1))) }
                { row("latency p99", &|t| format!("{} ms", fixed(t.latency.p99_ms, 1))) }
                { row("latency max", &|t| format!("{} ms", fixed(t.latency.max_ms, 1))) }
                { row("amplification", &|t| format!("{} attempts/request", fixed(t.amplification, 3))) }
                { row("peak downstream", &|t| format!("{} attempts/s", fixed(t.peak_downstream_rps, 0))) }
            </tbody>
        </table>
    }
}
