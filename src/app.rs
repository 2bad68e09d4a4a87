//! The page: pick an example, run it in the browser, read the summary.

use resilience_engine::sim::Report;
use resilience_engine::{RunOptions, Scenario, examples, run};
use yew::prelude::*;

use crate::components::summary_table::SummaryTable;

/// What a run of one example gave: its scenario and report, or why it failed.
#[derive(Clone, PartialEq)]
pub struct RunResult {
    /// Example name.
    pub example: String,
    /// Scenario title and description.
    pub scenario: Option<(String, String)>,
    /// The outcome.
    pub outcome: Result<ReportView, String>,
}

/// The parts of a report the page shows.
#[derive(Clone, PartialEq)]
pub struct ReportView {
    /// The summary.
    pub summary: resilience_engine::sim::Summary,
    /// Digest of the run.
    pub digest: u64,
    /// Events processed.
    pub events: u64,
    /// Wall-clock time of the run, in milliseconds.
    pub millis: f64,
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

fn run_example(name: &str) -> RunResult {
    let Some(json) = examples::get(name) else {
        return RunResult {
            example: name.to_owned(),
            scenario: None,
            outcome: Err(format!("no example called {name:?}")),
        };
    };
    let scenario = match Scenario::from_json(json) {
        Ok(s) => s,
        Err(e) => return RunResult { example: name.to_owned(), scenario: None, outcome: Err(e.to_string()) },
    };
    let started = now_ms();
    let outcome = run(&scenario, &RunOptions::default())
        .map(|report: Report| ReportView {
            summary: report.summary,
            digest: report.digest,
            events: report.events,
            millis: now_ms() - started,
        })
        .map_err(|e| e.to_string());
    RunResult { example: name.to_owned(), scenario: Some((scenario.name, scenario.description)), outcome }
}

/// The root component.
#[function_component(App)]
pub fn app() -> Html {
    let result = use_state(|| run_example(examples::DEFAULT));
    let on_change = {
        let result = result.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            result.set(run_example(&select.value()));
        })
    };
    let rerun = {
        let result = result.clone();
        Callback::from(move |_| result.set(run_example(&result.example)))
    };
    let options = examples::ALL.iter().map(|(name, _)| {
        html! { <option value={*name} selected={*name == result.example}>{ *name }</option> }
    });
    html! {
        <main>
            <h1>{ "Resilience Playground" }</h1>
            <p class="tagline">{ "Resilience patterns on a virtual clock, simulated in your browser: fail fast, fail gracefully, stop the spread." }</p>
            <div class="controls">
                <label>{ "Example" }
                    <select id="example" onchange={on_change} aria-label="Example scenario">{ for options }</select>
                </label>
                <button id="rerun" onclick={rerun}>{ "Run again" }</button>
            </div>
            { view_result(&result) }
        </main>
    }
}

fn view_result(result: &RunResult) -> Html {
    let header = result.scenario.as_ref().map(|(title, description)| {
        html! {
            <section class="description" aria-label="Scenario">
                <strong id="scenario-title">{ title.clone() }</strong>
                <p>{ description.clone() }</p>
            </section>
        }
    });
    let body = match &result.outcome {
        Ok(view) => html! {
            <>
                <SummaryTable summary={view.summary.clone()} />
                <p class="meta" id="run-meta">
                    { format!("{} events in {:.1} ms (wasm) · digest {:016x}", view.events, view.millis, view.digest) }
                </p>
            </>
        },
        Err(message) => html! { <div class="error" role="alert">{ message.clone() }</div> },
    };
    html! { <>{ for header }{ body }</> }
}
