//! The stack as a vertical pipeline from the client (top) to the service (bottom), outermost
//! layer first. A palette adds layers; each card moves up or down (buttons, keyboard, or drag
//! and drop), switches off in place, opens its settings, and shows its live state at the play
//! head.

use resilience_engine::catalog::{self, LAYERS, LayerSpec, Reading, ReadingSpec};
use serde_json::Value;
use yew::prelude::*;

use super::fold::Fold;
use super::layer_form::Props as LayerFormProps;
use crate::doc;
use crate::number::fixed;
use crate::playback::use_playback;
use crate::state::{Action, AppContext, Edit, State, use_app, use_editor_state};
use crate::view_model::LayerTimeline;

/// The stack of the selected endpoint.
#[function_component(StackBuilder)]
pub fn stack_builder() -> Html {
    let state = use_editor_state();
    let open = use_state(|| None::<usize>);
    let dragging = use_state(|| None::<usize>);
    // A moved layer keeps the focus: after the move, focus its title at its new index.
    let focus_to = use_mut_ref(|| None::<usize>);
    {
        let focus_to = focus_to.clone();
        use_effect_with(state.doc_version, move |_| {
            if let Some(index) = focus_to.borrow_mut().take() {
                focus_layer(index);
            }
        });
    }
    let stack_pointer = format!("/endpoints/{}/stack", state.endpoint);
    let layers: Vec<Value> = state.doc.pointer(&stack_pointer).and_then(Value::as_array).cloned().unwrap_or_default();
    let count = layers.len();
    let service = state
        .doc
        .pointer(&format!("/endpoints/{}/service", state.endpoint))
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_owned();

    let palette = LAYERS.iter().map(|spec| {
        let dispatch = state.dispatcher();
        let open = open.clone();
        let onclick = Callback::from(move |_| {
            dispatch.dispatch(Action::Edit(Edit::AddLayer(spec.name.to_owned())));
            open.set(Some(count));
        });
        html! { <button class="palette-item" id={format!("add-{}", spec.name)} title={spec.summary} {onclick}>{ format!("+ {}", spec.label) }</button> }
    });

    let cards = layers.iter().enumerate().map(|(index, layer)| {
        let card = CardProps { index, count, layer: layer.clone(), pointer: format!("{stack_pointer}/{index}") };
        layer_card(&state, card, &open, &dragging, &focus_to)
    });

    html! {
        <Fold class="stack" title_id="stack-title" title={html! { <>{ "Stack" }<span class="hint">{ " outermost first" }</span></> }}>
            { endpoint_tabs(&state) }
            { super::analysis::insights(&state, None) }
            <div class="palette" role="group" aria-label="Add a pattern">{ for palette }</div>
            <ol class="pipeline">
                <li class="pipe-end">{ "Client" }</li>
                if count == 0 {
                    <li class="empty-stack">{ "No patterns yet: add one from the palette above. Calls go straight to the service." }</li>
                }
                { for cards }
                <li class="pipe-end">{ format!("Service: {service}") }</li>
            </ol>
        </Fold>
    }
}

/// Focuses the title of the layer card at `index`, unless the focus has left the stack since
/// (a dialog opened before a late re-render keeps it).
fn focus_layer(index: usize) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let elsewhere = document.active_element().is_some_and(|active| {
        document.body().is_none_or(|body| active != *body.as_ref())
            && active.closest(".pipeline").ok().flatten().is_none()
    });
    if elsewhere {
        return;
    }
    let title = document
        .query_selector_all(".pipeline .layer .layer-title")
        .ok()
        .and_then(|titles| titles.item(index as u32))
        .and_then(|node| node.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(title) = title {
        let _ = title.focus();
    }
}

fn endpoint_tabs(state: &AppContext) -> Html {
    let endpoints = state.doc["endpoints"].as_array().cloned().unwrap_or_default();
    if endpoints.len() < 2 {
        return html! {};
    }
    let tabs = endpoints.iter().enumerate().map(|(i, e)| {
        let dispatch = state.dispatcher();
        let onclick = Callback::from(move |_| dispatch.dispatch(Action::SelectEndpoint(i)));
        let name = e["name"].as_str().unwrap_or("?").to_owned();
        html! { <button role="tab" aria-selected={(i == state.endpoint).to_string()} {onclick}>{ name }</button> }
    });
    html! { <div class="tabs" role="tablist" aria-label="Endpoint">{ for tabs }</div> }
}

/// Where a card sits and what it shows.
struct CardProps {
    index: usize,
    count: usize,
    layer: Value,
    pointer: String,
}

/// The focus target of a moved layer (its new index), taken after the re-render.
type FocusTo = std::rc::Rc<std::cell::RefCell<Option<usize>>>;

/// One layer's card: title (opens the settings), tools, live state and, when open, its form.
fn layer_card(
    state: &AppContext,
    card: CardProps,
    open: &UseStateHandle<Option<usize>>,
    dragging: &UseStateHandle<Option<usize>>,
    focus_to: &FocusTo,
) -> Html {
    let kind = doc::variant(Some(&card.layer));
    let label = catalog::layer(&kind).map_or(kind.as_str(), |spec| spec.label).to_owned();
    let config_pointer = format!("{}/{kind}", card.pointer);
    let enabled = card.layer[&kind]["enabled"].as_bool().unwrap_or(true);
    let index = card.index;
    let is_open = **open == Some(index);
    let invalid = !state.problems_at(&doc::path_of(&card.pointer)).is_empty();
    let toggle_open = {
        let open = open.clone();
        Callback::from(move |_| open.set(if is_open { None } else { Some(index) }))
    };
    let (drag_start, drop) = drag_handlers(state, index, dragging);
    let drag_over = Callback::from(|event: DragEvent| event.prevent_default());
    html! {
        <li class={classes!("layer", (!enabled).then_some("disabled"), invalid.then_some("invalid"), is_open.then_some("open"))}
            data-kind={kind.clone()} draggable="true" ondragstart={drag_start} ondragover={drag_over} ondrop={drop}
            onkeydown={move_keys(state, &card, focus_to)}>
            <div class="layer-head">
                <span class="grip" aria-hidden="true">{ "⋮⋮" }</span>
                <button class="layer-title" aria-expanded={is_open.to_string()} onclick={toggle_open}
                    title="Open the settings (Alt+↑/↓ moves the layer)">
                    { format!("{}. {label}", index + 1) }{ if enabled { "" } else { " (off)" } }
                </button>
                { layer_tools(state, &card, &label, enabled, open, focus_to) }
            </div>
            <LiveState {index} kind={kind.clone()} layer={card.layer.clone()} />
            { super::analysis::insights(state, Some(index)) }
            if is_open { { super::layer_form::layer_form(state, &LayerFormProps { pointer: config_pointer, kind: kind.into() }) } }
        </li>
    }
}

/// A card's buttons: move up, move down, switch on or off, remove.
fn layer_tools(
    state: &AppContext,
    card: &CardProps,
    label: &str,
    enabled: bool,
    open: &UseStateHandle<Option<usize>>,
    focus_to: &FocusTo,
) -> Html {
    let (index, count) = (card.index, card.count);
    let move_to = |to: usize| {
        let dispatch = state.dispatcher();
        let open = open.clone();
        let focus_to = focus_to.clone();
        Callback::from(move |_: MouseEvent| {
            *focus_to.borrow_mut() = Some(to);
            dispatch.dispatch(Action::Edit(Edit::MoveLayer { from: index, to }));
            open.set(None);
        })
    };
    let toggle_enabled = {
        let dispatch = state.dispatcher();
        let pointer = format!("{}/{}/enabled", card.pointer, doc::variant(Some(&card.layer)));
        Callback::from(move |_| dispatch.dispatch(Action::Edit(Edit::Set(pointer.clone(), Value::from(!enabled)))))
    };
    let remove = {
        let dispatch = state.dispatcher();
        let open = open.clone();
        Callback::from(move |_| {
            dispatch.dispatch(Action::Edit(Edit::RemoveLayer(index)));
            open.set(None);
        })
    };
    html! {
        <span class="layer-tools">
            <button aria-label={format!("Move {label} up")} disabled={index == 0} onclick={move_to(index.saturating_sub(1))}>{ "↑" }</button>
            <button aria-label={format!("Move {label} down")} disabled={index + 1 >= count} onclick={move_to((index + 1).min(count.saturating_sub(1)))}>{ "↓" }</button>
            <button aria-label={format!("{}: {} {label}", if enabled { "on" } else { "off" }, if enabled { "Disable" } else { "Enable" })} aria-pressed={(!enabled).to_string()} onclick={toggle_enabled}>{ if enabled { "on" } else { "off" } }</button>
            <button aria-label={format!("Remove {label}")} onclick={remove}>{ "✕" }</button>
        </span>
    }
}

/// Alt+↑ and Alt+↓ move the layer; the focus goes with it.
fn move_keys(state: &AppContext, card: &CardProps, focus_to: &FocusTo) -> Callback<KeyboardEvent> {
    let dispatch = state.dispatcher();
    let focus_to = focus_to.clone();
    let (index, count) = (card.index, card.count);
    Callback::from(move |event: KeyboardEvent| {
        let to = match event.key().as_str() {
            "ArrowUp" if event.alt_key() && index > 0 => index - 1,
            "ArrowDown" if event.alt_key() && index + 1 < count => index + 1,
            _ => return,
        };
        event.prevent_default();
        *focus_to.borrow_mut() = Some(to);
        dispatch.dispatch(Action::Edit(Edit::MoveLayer { from: index, to }));
        // Focus the card at the new index now, not only after the re-render: the cards are
        // matched by position, so the card there shows the moved layer once rendered, and a
        // key pressed before that (the scheduler may yield to the browser between the render
        // and its effects) already goes to the card whose handler moves the right layer.
        focus_layer(to);
    })
}

/// Drag and drop: the card dragged remembers its index, the card dropped on takes it there.
fn drag_handlers(
    state: &AppContext,
    index: usize,
    dragging: &UseStateHandle<Option<usize>>,
) -> (Callback<DragEvent>, Callback<DragEvent>) {
    let drag_start = {
        let dragging = dragging.clone();
        Callback::from(move |event: DragEvent| {
            if let Some(data) = event.data_transfer() {
                let _ = data.set_data("text/plain", &index.to_string());
            }
            dragging.set(Some(index));
        })
    };
    let drop = {
        let dispatch = state.dispatcher();
        let dragging = dragging.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            if let Some(from) = *dragging {
                dispatch.dispatch(Action::Edit(Edit::MoveLayer { from, to: index }));
            }
            dragging.set(None);
        })
    };
    (drag_start, drop)
}

/// Props of [`LiveState`].
#[derive(Properties, PartialEq)]
struct LiveProps {
    index: usize,
    kind: String,
    layer: Value,
}

/// A layer's live line: the only part of the stack that follows the play head, so playback
/// re-renders it alone.
#[function_component(LiveState)]
fn live_state_line(props: &LiveProps) -> Html {
    let state = use_app();
    let playback = use_playback();
    live_state(&state, playback.cursor_us, props.index, &props.kind)
}

/// The layer's state at the play head, from the last run: the readings its catalogue entry
/// lists (ratios after the counters they come from) and its counters.
fn live_state(state: &State, cursor_us: u64, index: usize, kind: &str) -> Html {
    let Some(result) = &state.result else { return html! {} };
    let Some(timeline) = result.derived.layers.get(&(state.endpoint as u16, index as u8)) else {
        return html! { <div class="live muted">{ "no activity yet" }</div> };
    };
    let Some(spec) = catalog::layer(kind) else { return html! {} };
    let at = LiveAt { timeline, spec, t: cursor_us };
    let counts = timeline.counts_at(cursor_us);
    let counters = spec
        .counters
        .iter()
        .zip(counts)
        .map(|(name, n)| html! { <span class="counter">{ format!("{name} {n}") }</span> });
    let (ratios, gauges): (Vec<&ReadingSpec>, Vec<&ReadingSpec>) =
        spec.readings.iter().partition(|r| r.reading.is_ratio());
    // A fixed grid of fixed cells: the line keeps its height and width while the numbers change.
    html! {
        <div class="live" aria-live="off">
            { for gauges.into_iter().map(|r| at.reading(r)) }
            { for counters }
            { for ratios.into_iter().map(|r| at.reading(r)) }
        </div>
    }
}

/// What a layer's readings are computed from.
struct LiveAt<'a> {
    timeline: &'a LayerTimeline,
    spec: &'static LayerSpec,
    t: u64,
}

impl LiveAt<'_> {
    /// One reading, as a cell of the live line: the state as a badge, figures as counters.
    fn reading(&self, reading: &ReadingSpec) -> Html {
        let (t, label) = (self.t, reading.label);
        let dash = || "–".to_owned();
        let (class, text) = match reading.reading {
            Reading::State => {
                let code = self.timeline.state_at(t);
                let now = self.spec.states.iter().find(|s| s.code == code).or(self.spec.states.first());
                let name = now.map_or("", |s| s.label);
                (classes!("badge", name), name.to_owned())
            }
            Reading::FailureRate => {
                // What the breaker itself computed (its own window, `record` and `ignore`).
                let rate = self.timeline.failure_rate_at(t).map_or_else(dash, |r| format!("{} %", fixed(r, 0)));
                (classes!("counter"), format!("{label} {rate}"))
            }
            Reading::WaitingToRetry => (classes!("counter"), format!("{label} {}", self.timeline.waiting_at(t))),
            Reading::HitRatio => {
                // Always shown (as "–" before the first lookup) so the line never changes shape.
                let counts = self.timeline.counts_at(t);
                let lookups = counts[0] + counts[1];
                let ratio =
                    (lookups > 0).then(|| format!("{} %", fixed(f64::from(counts[0]) * 100.0 / f64::from(lookups), 0)));
                (classes!("counter"), format!("{label} {}", ratio.unwrap_or_else(dash)))
            }
            Reading::InUse | Reading::Waiting => {
                // Exact at the play head: admissions, queueing and releases are all traced.
                let (in_use, waiting) = self.timeline.occupancy_at(t);
                let value = if reading.reading == Reading::InUse { in_use } else { waiting };
                (classes!("counter"), format!("{label} {value}"))
            }
            _ => return html! {},
        };
        html! { <span class={class}>{ text }</span> }
    }
}
