//! The odds dialog: the scenario across seeds, parameter sweeps and tipping points, run on a
//! pool of workers off the page's thread.
//!
//! The worker draws the dialog (`src/bin/resilience-worker/odds`) and keeps its form and
//! results, so closing the dialog loses nothing and the first-paint bundle carries almost none
//! of it: here are an empty box and the wires. A drawing comes in two parts, the form and the
//! batch's status and results; the results pushed while a batch runs leave the form (and what a
//! reader types in it) alone. Each click on an element with `data-act`, and each pick in a list, goes
//! back with the form's values, the page's cores and its address's query (`?workers=N` sets the
//! pool's size). A started sweep is written into the document when the dialog closes (so it
//! travels in links), and a picked seed, cell or probe opens that run in the playground (one
//! undo step).

use std::cell::Cell;

use serde_json::Value;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::dialog::Dialog;
use crate::state::{Action, AppContext, Banner, Edit};

thread_local! {
    /// How many times the reader has changed a field of the form (typed in it or picked).
    static FIELD_EDITS: Cell<u32> = const { Cell::new(0) };
}

/// The dialog (shown while `state.odds`).
pub fn odds_dialog(state: &AppContext) -> Html {
    if !state.odds {
        return html! {};
    }
    let onclick = on_act(state);
    // A pick in a list may change the form (a knob's range, its fields); typed values go
    // with the next act.
    let onchange = {
        let state = state.clone();
        Callback::from(move |event: Event| {
            if event.target_dyn_into::<web_sys::HtmlSelectElement>().is_some() {
                send(&state, "form", "");
            }
        })
    };
    let oninput = Callback::from(|_: InputEvent| FIELD_EDITS.set(FIELD_EDITS.get().wrapping_add(1)));
    let onkeydown = on_key(state);
    let close = {
        let state = state.clone();
        Callback::from(move |_| close(&state))
    };
    html! {
        <Dialog labelled_by="odds-title" class="odds-dialog">
            <div class="odds-head">
                <h2 id="odds-title">{ "Odds: across seeds, sweeps and tipping points" }</h2>
                <button id="odds-close" onclick={close} aria-label="Close the odds dialog">{ "×" }</button>
            </div>
            <div class="odds" {onclick} {onchange} {oninput} {onkeydown}>
                <div id="odds-form-area" />
                <div id="odds-status-area" />
                <div id="odds-run-area" />
            </div>
        </Dialog>
    }
}

/// Sends the act of the element with `data-act` (and `data-arg`) that a click lands in.
fn on_act(state: &AppContext) -> Callback<MouseEvent> {
    let state = state.clone();
    Callback::from(move |event: MouseEvent| {
        let target = event.target_dyn_into::<web_sys::Element>();
        let Some(acting) = target.and_then(|t| t.closest("[data-act]").ok().flatten()) else { return };
        let attribute = |name: &str| acting.get_attribute(name).unwrap_or_default();
        send(&state, &attribute("data-act"), &attribute("data-arg"));
    })
}

/// Enter in a text field runs, as in a form. On the chart, the arrow keys, Home and End move
/// the picked cell (the worker knows the chart's axes), and Enter opens its run.
fn on_key(state: &AppContext) -> Callback<KeyboardEvent> {
    let state = state.clone();
    Callback::from(move |event: KeyboardEvent| {
        let key = event.key();
        let on_chart = event.target_dyn_into::<web_sys::Element>().is_some_and(|t| t.id() == "odds-heatmap");
        let act = match (on_chart, key.as_str()) {
            (true, "Enter") => "open-cell",
            (true, "ArrowUp" | "ArrowDown" | "ArrowLeft" | "ArrowRight" | "Home" | "End") => "move",
            (false, "Enter") if event.target_dyn_into::<web_sys::HtmlInputElement>().is_some() => "run",
            _ => return,
        };
        event.prevent_default();
        send(&state, act, &key);
    })
}

/// An embed's sweep panel (`panels=…,sweep`, for a scenario with a sweep): what the sweep would
/// run and a button that runs it on the reader's device, then its chart as the dialog draws it;
/// a cell clicked opens its run in the embed (whose link back then opens it in the playground).
/// The worker draws into it once [`draw_sweep_panel`] asks.
pub fn sweep_panel(state: &AppContext) -> Html {
    html! {
        <section class="panel odds odds-embed" aria-label="Sweep" onclick={on_act(state)} onkeydown={on_key(state)}>
            <div id="odds-status-area" />
            <div id="odds-run-area" />
        </section>
    }
}

/// Asks the worker to draw the embed's sweep panel (and what it pushes as its sweep runs).
pub fn draw_sweep_panel(state: &AppContext) {
    crate::worker::on_push(Some(Box::new(|push| draw(&push, false))));
    send(state, "open", "");
}

/// The header's button that opens the dialog and asks the worker for its drawing.
pub fn odds_button(state: &AppContext) -> Html {
    let state = state.clone();
    let onclick = Callback::from(move |_| {
        state.dispatch(Action::ToggleOdds);
        crate::worker::on_push(Some(Box::new(|push| draw(&push, false))));
        send(&state, "open", "");
    });
    html! { <button id="open-odds" {onclick} title="Run across seeds, sweep settings, find tipping points">{ "Odds" }</button> }
}

/// Sends an act with the form's values and the document; draws the reply, or opens the run it
/// names.
fn send(state: &AppContext, act: &str, arg: &str) {
    let Some(window) = web_sys::window() else { return };
    let text = |t: &str| Value::from(t).to_string();
    let request = format!(
        r#"{{"op":"odds","act":{},"arg":{},"form":{},"cores":{},"narrow":{},"embed":{},"search":{},"doc":{}}}"#,
        text(act),
        text(arg),
        form_values(),
        window.navigator().hardware_concurrency(),
        // As the style sheet's phone layout (see `Layout::NARROW`).
        window.inner_width().ok().and_then(|w| w.as_f64()).is_some_and(|w| w < 700.0),
        state.embed.is_some(),
        text(&window.location().search().unwrap_or_default()),
        state.doc
    );
    let state = state.clone();
    let edits_sent = FIELD_EDITS.get();
    let run = act == "run";
    crate::worker::ask(None, request, move |reply| match reply {
        Ok(reply) => {
            answered(&state, &reply, edits_sent);
            // A run refused for a field's value: the focus goes to that field.
            if run {
                let _ = crate::dom_events::focus_first(".odds [aria-invalid]");
            }
        }
        Err(why) => {
            let why = why.replace('&', "&amp;").replace('<', "&lt;");
            put("odds-run-area", &format!("<p class=\"odds-error\" role=\"alert\">{why}</p>"), None);
        }
    });
}

/// Closes the dialog (its batch goes on); the worker answers with the edit that writes the last
/// sweep started into the document, if one waits (an edit redraws the whole page: not while a
/// batch runs).
pub fn close(state: &AppContext) {
    send(state, "close", "");
    state.dispatch(Action::ToggleOdds);
}

/// `edits_sent`: the reader's field edits when the request went out.
fn answered(state: &AppContext, reply: &Value, edits_sent: u32) {
    if let Some(file) = reply.get("download") {
        let text = file["text"].as_str().unwrap_or_default();
        return crate::share::download(file["name"].as_str().unwrap_or("odds.csv"), "text/csv", text.as_bytes());
    }
    let Some(Value::Array(edits)) = reply.get("edits") else {
        // A field changed after the request went out: the reply's form would drop it, so the
        // form is asked for again, with it.
        let fresh = FIELD_EDITS.get() == edits_sent;
        draw(reply, fresh);
        if !fresh && reply.get("form").is_some() {
            send(state, "form", "");
        }
        return;
    };
    let pairs: Vec<(String, Value)> =
        edits.iter().filter_map(|e| Some((e.get(0)?.as_str()?.to_owned(), e.get(1)?.clone()))).collect();
    if reply.get("closed").is_some() {
        // The dialog closed: the sweep it started, if any, as one undo step.
        if !pairs.is_empty() {
            state.dispatch(Action::Edit(Edit::SetMany(pairs)));
        }
        return;
    }
    // One undo step: the run opened and the sweep it came from.
    state.dispatch(Action::Edit(Edit::SetMany(pairs)));
    // The dialog closes (an embed's panel has none).
    if state.odds {
        state.dispatch(Action::ToggleOdds);
    }
    // What was opened, in words (the worker's).
    let text = reply["said"].as_str().unwrap_or_default().to_owned();
    state.dispatch(Action::Notify(Banner { text, offer_undo: true, ..Banner::default() }));
}

/// Draws a reply's parts: the form (only when its key changed), the status, and the results
/// when the reply has them, whole or as `parts` (a push while a batch runs has no form, and the
/// results only now and then, often as the heatmap rows that changed); so the form, and what a
/// reader is typing in it, stays; so does a form the reader changed after the request went out
/// (`with_form` false).
fn draw(reply: &Value, with_form: bool) {
    let text = |key: &str| reply.get(key).and_then(Value::as_str);
    if let (true, Some(form), Some(key)) = (with_form, text("form"), text("form_key")) {
        put("odds-form-area", form, Some(key));
    }
    let document = web_sys::window().and_then(|w| w.document());
    let had_focus = document.as_ref().and_then(|d| d.active_element()).is_some_and(|e| !e.id().is_empty());
    // The status is redrawn on every push while a batch runs: nodes whose markup is unchanged
    // stay, so a Cancel being clicked is not replaced under the pointer.
    if let Some(html) = text("status") {
        redraw_keeping_unchanged("odds-status-area", html);
    }
    if let Some(html) = text("html") {
        put("odds-run-area", html, None);
    }
    // A push may redraw parts of the results only (the heatmap rows that changed).
    for part in reply.get("parts").and_then(Value::as_array).into_iter().flatten() {
        put(part[0].as_str().unwrap_or_default(), part[1].as_str().unwrap_or_default(), None);
    }
    // A control that went with the drawing (Cancel, once the batch stops; an embed's Run, once
    // it runs) hands the focus to Run, else to Cancel, else to the chart.
    let lost = document.as_ref().and_then(|d| d.active_element()).is_none_or(|e| e.id().is_empty());
    if had_focus && lost {
        let _ = ["#odds-run", "#odds-cancel", "#odds-heatmap"].into_iter().any(crate::dom_events::focus_first);
    }
}

/// Makes the element `id` show `html` (if the dialog is open), keeping every node whose markup
/// is unchanged and the elements that are still there, so a button stays the same button.
fn redraw_keeping_unchanged(id: &str, html: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let (Some(area), Ok(fresh)) = (document.get_element_by_id(id), document.create_element("div")) else { return };
    fresh.set_inner_html(html);
    morph_children(&area, &fresh);
}

/// Makes `old`'s children those of `new` (a detached copy): an equal node stays, an element of
/// the same tag stays with `new`'s attributes and children (made alike the same way), any other
/// is replaced by `new`'s.
fn morph_children(old: &web_sys::Node, new: &web_sys::Node) {
    let children = |node: &web_sys::Node| {
        let list = node.child_nodes();
        (0..list.length()).filter_map(|i| list.item(i)).collect::<Vec<_>>()
    };
    let wanted = children(new);
    let current = children(old);
    for (i, node) in wanted.iter().enumerate() {
        match current.get(i) {
            Some(now) if now.is_equal_node(Some(node)) => {}
            Some(now) if same_tag(now, node) => {
                copy_attributes(now, node);
                morph_children(now, node);
            }
            Some(now) => {
                let _ = old.replace_child(node, now);
            }
            None => {
                let _ = old.append_child(node);
            }
        }
    }
    for extra in current.iter().skip(wanted.len()) {
        let _ = old.remove_child(extra);
    }
}

/// Whether both are elements with the same tag.
fn same_tag(a: &web_sys::Node, b: &web_sys::Node) -> bool {
    match (a.dyn_ref::<web_sys::Element>(), b.dyn_ref::<web_sys::Element>()) {
        (Some(a), Some(b)) => a.tag_name() == b.tag_name(),
        _ => false,
    }
}

/// Gives the element `to` exactly the attributes of the element `from`.
fn copy_attributes(to: &web_sys::Node, from: &web_sys::Node) {
    let (Some(to), Some(from)) = (to.dyn_ref::<web_sys::Element>(), from.dyn_ref::<web_sys::Element>()) else { return };
    for name in to.get_attribute_names().iter().filter_map(|n| n.as_string()) {
        if !from.has_attribute(&name) {
            let _ = to.remove_attribute(&name);
        }
    }
    for name in from.get_attribute_names().iter().filter_map(|n| n.as_string()) {
        let value = from.get_attribute(&name).unwrap_or_default();
        if to.get_attribute(&name).as_deref() != Some(value.as_str()) {
            let _ = to.set_attribute(&name, &value);
        }
    }
}

/// Puts `html` into the element `id`, if the dialog is open, unless it already shows the drawing
/// `key`. The focus stays on the field or button that had it, and a field keeps what it holds.
fn put(id: &str, html: &str, key: Option<&str>) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(area) = document.get_element_by_id(id) else { return };
    if key.is_some() && area.get_attribute("data-key").as_deref() == key {
        return;
    }
    let focused = document.active_element().filter(|e| !e.id().is_empty());
    let typed = focused.as_ref().map(|e| js_sys::Reflect::get(e, &"value".into()));
    // The caret or selection in a text field, kept too: typing goes on where it was.
    let selection = |e: &web_sys::HtmlInputElement| Some((e.selection_start().ok()??, e.selection_end().ok()??));
    let selected = focused.as_ref().and_then(|e| selection(e.dyn_ref()?));
    area.set_inner_html(html);
    if let Some(key) = key {
        let _ = area.set_attribute("data-key", key);
    }
    // The same control, drawn anew (one that is gone: see `draw`).
    let again = focused.and_then(|e| document.get_element_by_id(&e.id())?.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = again {
        if let Some(Ok(value)) = typed {
            let _ = js_sys::Reflect::set(&element, &"value".into(), &value);
        }
        let _ = element.focus();
        if let (Some((start, end)), Some(input)) = (selected, element.dyn_ref::<web_sys::HtmlInputElement>()) {
            let _ = input.set_selection_range(start, end);
        }
    }
}

/// The form's fields, by name, as a JSON object.
fn form_values() -> Value {
    let document = web_sys::window().and_then(|w| w.document());
    let list = document.and_then(|d| d.query_selector_all(".odds [name]").ok());
    let mut fields = serde_json::Map::new();
    for node in list.iter().flat_map(|l| (0..l.length()).filter_map(move |i| l.item(i))) {
        let Ok(element) = node.dyn_into::<web_sys::Element>() else { continue };
        let value = js_sys::Reflect::get(&element, &"value".into()).ok().and_then(|v| v.as_string());
        if let (Some(name), Some(value)) = (element.get_attribute("name"), value) {
            fields.insert(name, value.into());
        }
    }
    Value::Object(fields)
}
