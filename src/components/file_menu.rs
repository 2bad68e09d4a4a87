//! Import and export: the scenario as JSON (download, upload, or drop it on the page), the
//! trace as CSV or JSON, the metrics as CSV, and the timeline (PNG) and charts (SVG) as images
//! that carry their scenario, so that dropping one back reopens it.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::share;
use crate::state::{Action, AppContext, Banner, use_app};

/// Reads `file` and opens the scenario it holds, or imports the library configuration it
/// holds into the shown endpoint's stack (or says why it cannot).
pub fn import_file(state: AppContext, file: web_sys::File) {
    wasm_bindgen_futures::spawn_local(async move {
        match share::read_scenario(file).await {
            Ok(share::Opened::Config(text)) => crate::components::library_io::import_config(state, text),
            Ok(share::Opened::Scenario(doc)) => state.dispatch(Action::Import(Ok(doc))),
            Err(error) => state.dispatch(Action::Import(Err(error))),
        }
    });
}

/// The hidden file input behind "Open a file…" (always on the page, for the menu's button to
/// click and for tests): the file it is given is opened or imported ([`import_file`]).
pub fn file_input(state: &AppContext) -> Html {
    let on_file = {
        let state = state.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                import_file(state.clone(), file);
            }
            input.set_value("");
        })
    };
    html! {
        <input id={FILE_INPUT_ID} type="file" accept=".json,application/json,.png,image/png,.svg,image/svg+xml,.yml,.yaml" hidden=true onchange={on_file} />
    }
}

/// The id of [`file_input`].
const FILE_INPUT_ID: &str = "file-input";

/// The file menu's items, for [`crate::components::menu::Menu`].
pub fn items() -> Html {
    html! { <FileMenuItems /> }
}

/// The file menu's items (drawn only while the menu is open).
#[function_component(FileMenuItems)]
fn file_menu_items() -> Html {
    let state = use_app();
    let cursor = crate::playback::use_cursor_cell();
    let stem = share::file_stem(state.doc["name"].as_str().unwrap_or("scenario"));
    let download_json = {
        let doc = state.doc.clone();
        let stem = stem.clone();
        Callback::from(move |_| {
            // Indented by the worker chunk (the pretty printer would cost the bundle a copy).
            let stem = stem.clone();
            crate::worker::ask(None, format!(r#"{{"op":"pretty","doc":{doc}}}"#), move |reply| {
                let json = reply.ok().and_then(|r| r["text"].as_str().map(str::to_owned)).unwrap_or_default();
                share::download(&format!("{stem}.json"), "application/json", json.as_bytes());
            });
        })
    };
    let choose = Callback::from(|_| {
        let input = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(FILE_INPUT_ID));
        if let Some(input) = input.and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            input.click();
        }
    });
    let export = |kind: &'static str| {
        let state = state.clone();
        let cursor = cursor.clone();
        let stem = stem.clone();
        Callback::from(move |_| export_as(&state, cursor.0.get(), kind, &stem))
    };
    let has_trace = state.result.as_ref().is_some_and(|r| r.report.trace.is_some());
    html! {
        <div class="menu" role="group" aria-label="Import and export">
            <button id="download-json" onclick={download_json}>{ "Download scenario (JSON)" }</button>
            <button id="upload-json" onclick={choose}>{ "Open a file… (JSON, PNG, SVG, YAML)" }</button>
            <button id="export-trace-csv" disabled={!has_trace} onclick={export("trace-csv")}>{ "Export trace (CSV)" }</button>
            <button id="export-trace-json" disabled={!has_trace} onclick={export("trace-json")}>{ "Export trace (JSON)" }</button>
            <button id="export-metrics-csv" onclick={export("metrics-csv")}>{ "Export metrics (CSV)" }</button>
            <button id="export-png" disabled={!has_trace} onclick={export("png")}>{ "Export timeline (PNG)" }</button>
            <button id="export-svg" onclick={export("svg")}>{ "Export charts (SVG)" }</button>
            <p class="muted">{ "Images carry their scenario: drop one on the page to reopen it." }</p>
        </div>
    }
}

fn export_as(state: &AppContext, cursor_us: u64, kind: &'static str, stem: &str) {
    let Some(result) = state.result.clone() else { return };
    let (state, stem) = (state.clone(), stem.to_owned());
    if kind == "png" || kind == "svg" {
        // Images carry the scenario's link, which the worker chunk encodes.
        let view = state.shared_view(cursor_us);
        return share::with_payload(&result.doc.clone(), &view.clone(), move |payload| {
            let image = payload.ok().and_then(|payload| match kind {
                "png" => crate::export_png::timeline_png(&result.scenario, &view, &payload)
                    .map(|png| (format!("{stem}-timeline.png"), "image/png", png)),
                _ => share::charts_svg(&result.doc, &payload)
                    .map(|svg| (format!("{stem}-charts.svg"), "image/svg+xml", svg.into_bytes())),
            });
            deliver(&state, kind, image);
        });
    }
    // Traces and metrics are written by the worker chunk, from its run of the same scenario.
    let trace_events = super::analysis::trace_events(&state);
    let request = format!(r#"{{"op":"export","format":"{kind}","trace_events":{trace_events},"doc":{}}}"#, result.doc);
    crate::worker::ask(None, request, move |reply| {
        let (suffix, mime) = match kind {
            "trace-csv" => ("trace.csv", "text/csv"),
            "trace-json" => ("trace.json", "application/json"),
            _ => ("metrics.csv", "text/csv"),
        };
        let text = reply.ok().and_then(|r| r["text"].as_str().map(str::to_owned));
        deliver(&state, kind, text.map(|t| (format!("{stem}-{suffix}"), mime, t.into_bytes())));
    });
}

/// Offers the file for download, or says there is nothing to export.
fn deliver(state: &AppContext, kind: &str, file: Option<(String, &str, Vec<u8>)>) {
    if let Some((name, mime, bytes)) = &file {
        share::download(name, mime, bytes);
    } else {
        state.dispatch(Action::Notify(Banner {
            error: true,
            text: format!("Nothing to export as {kind} yet."),
            ..Banner::default()
        }));
    }
}
