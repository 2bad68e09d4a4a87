//! The failing service: baseline latency, capacity, and the fault script as bands on a time
//! axis. A band is added from the buttons, selected by click or keyboard, moved with the
//! arrow keys (Shift resizes) or by dragging, edited in its form, and removed.

use resilience_engine::catalog::{self, FieldKind, FieldSpec};
use serde_json::Value;
use yew::prelude::*;

use super::field::{Field, Kind};
use super::fold::Fold;
use super::layer_form::section_fields;
use crate::axis;
use crate::doc;
use crate::number::{compact, fixed};
use crate::state::{Action, AppContext, Edit, use_editor_state};

/// Height of a band as drawn (the drag target), in CSS pixels.
const BAND_H_PX: f64 = 26.0;
/// Vertical distance between two bands, in CSS pixels.
const ROW_PX: f64 = 32.0;

fn seconds_of(value: &Value) -> Option<f64> {
    value.as_str().and_then(|s| s.parse::<resilience_engine::time::Span>().ok()).map(|s| s.as_secs_f64())
}

/// A band being dragged: (fault index, pointer x when last moved, from, to in seconds).
type Drag = Option<(usize, f64, f64, f64)>;

/// What every band of the fault script shares.
struct Bands<'a> {
    state: &'a AppContext,
    base: &'a str,
    duration_s: f64,
    selected: &'a UseStateHandle<Option<usize>>,
    drag: &'a UseStateHandle<Drag>,
}

/// The editor of the selected service.
#[function_component(ServiceEditor)]
pub fn service_editor() -> Html {
    let state = use_editor_state();
    let selected = use_state(|| None::<usize>);
    let drag = use_state(|| None);
    let svg_ref = use_node_ref();
    let base = format!("/services/{}", state.service);
    let faults: Vec<Value> =
        state.doc.pointer(&format!("{base}/faults")).and_then(Value::as_array).cloned().unwrap_or_default();
    let duration_s = state.doc["duration"]
        .as_str()
        .and_then(|d| d.parse::<resilience_engine::time::Span>().ok())
        .map_or(60.0, |s| s.as_secs_f64())
        .max(1.0);
    let ctx = Bands { state: &state, base: &base, duration_s, selected: &selected, drag: &drag };
    let bands = faults.iter().enumerate().map(|(i, fault)| fault_band(&ctx, i, fault));
    let on_move = drag_band(&ctx, &faults, &svg_ref);
    let on_up = {
        let drag = drag.clone();
        Callback::from(move |_| drag.set(None))
    };
    let height_px = faults.len().max(1) as f64 * ROW_PX + 8.0;
    html! {
        <Fold class="service" title_id="service-title" title={html! { "Service" }}>
            { service_tabs(&state, &selected) }
            <div class="form-grid">
                <Field pointer={format!("{base}/latency")} label={catalog::LATENCY.label} kind={Kind::Choice(catalog::LATENCY.choices)} />
                { section_fields(&catalog::LATENCY, &base, &doc::variant(state.doc.pointer(&format!("{base}/latency")))) }
                { capacity_fields(&state, &base) }
            </div>
            <h3>{ "Fault script" }</h3>
            <div class="fault-buttons" role="group" aria-label="Add a fault window">{ add_fault_buttons(&state, &selected, faults.len()) }</div>
            <svg class="bands" ref={svg_ref} style={format!("height:{height_px}px")}
                role="group" aria-label="Fault windows on the time axis" onmousemove={on_move} onmouseup={on_up.clone()} onmouseleave={on_up}>
                { for bands }
            </svg>
            <div class="x-ticks" aria-hidden="true">{ time_ticks(duration_s) }</div>
            { selected.and_then(|i| faults.get(i).map(|f| fault_form(&state, &base, i, f, selected.clone()))) }
        </Fold>
    }
}

/// One tab per service, when there are several.
fn service_tabs(state: &AppContext, selected: &UseStateHandle<Option<usize>>) -> Html {
    let services = state.doc["services"].as_array().map_or(&[][..], Vec::as_slice);
    if services.len() < 2 {
        return html! {};
    }
    let buttons = services.iter().enumerate().map(|(i, s)| {
        let dispatch = state.dispatcher();
        let selected = selected.clone();
        let onclick = Callback::from(move |_| {
            dispatch.dispatch(Action::SelectService(i));
            selected.set(None);
        });
        html! { <button role="tab" aria-selected={(i == state.service).to_string()} {onclick}>{ s["name"].as_str().unwrap_or("?").to_owned() }</button> }
    });
    html! { <div class="tabs" role="tablist" aria-label="Service">{ for buttons }</div> }
}

/// One fault window as a band on the time axis (the SVG is as wide as the panel; bands are
/// laid out in percent of it).
fn fault_band(ctx: &Bands<'_>, i: usize, fault: &Value) -> Html {
    let kind = doc::variant(Some(fault));
    let body = &fault[&kind];
    let from = body.get("from").and_then(seconds_of).unwrap_or(0.0);
    let to = body.get("to").and_then(seconds_of).unwrap_or(ctx.duration_s);
    // A band the document places past the end is drawn (and grabbed) at the end.
    let (shown_from, shown_to) = axis::clamp_band(from, to, 0.0, ctx.duration_s, false);
    let scale = 100.0 / ctx.duration_s;
    let y = 6.0 + i as f64 * ROW_PX;
    let is_selected = **ctx.selected == Some(i);
    let onclick = {
        let selected = ctx.selected.clone();
        Callback::from(move |_| selected.set(Some(i)))
    };
    let onkeydown = band_keys(ctx, i, format!("{}/faults/{i}/{kind}", ctx.base), (from, to));
    let onmousedown = {
        let drag = ctx.drag.clone();
        Callback::from(move |event: MouseEvent| drag.set(Some((i, f64::from(event.client_x()), shown_from, shown_to))))
    };
    html! {
        <g class={classes!("band", kind.clone(), is_selected.then_some("selected"))} tabindex="0" role="button"
            aria-label={format!("{kind} from {from}s to {to}s; arrows move it, Shift+arrows resize it")}
            {onclick} {onkeydown} {onmousedown}>
            <rect x={format!("{}%", fixed(shown_from * scale, 3))} y={compact(y, 2)} width={format!("{}%", fixed(((shown_to - shown_from) * scale).max(0.5), 3))}
                height={compact(BAND_H_PX, 2)} rx="3" />
            <text x={format!("{}%", fixed(shown_from * scale, 3))} dx="5" y={compact(y + BAND_H_PX / 2.0 + 4.0, 2)}>{ kind }</text>
        </g>
    }
}

/// A band's keys: Enter or Space selects it, the arrows move it by a second (Shift resizes).
fn band_keys(ctx: &Bands<'_>, i: usize, pointer: String, (from, to): (f64, f64)) -> Callback<KeyboardEvent> {
    let dispatch = ctx.state.dispatcher();
    let selected = ctx.selected.clone();
    let duration_s = ctx.duration_s;
    Callback::from(move |event: KeyboardEvent| {
        let step = match event.key().as_str() {
            "ArrowLeft" => -1.0,
            "ArrowRight" => 1.0,
            "Enter" | " " => {
                selected.set(Some(i));
                event.prevent_default();
                return;
            }
            _ => return,
        };
        event.prevent_default();
        let (new_from, new_to) = axis::clamp_band(from, to, step, duration_s, event.shift_key());
        if (new_from, new_to) != (from, to) {
            dispatch.dispatch(Action::Edit(Edit::SetMany(band_window(&pointer, new_from, new_to))));
        }
    })
}

/// Moves the band being dragged by whole seconds as the pointer moves over the axis.
fn drag_band(ctx: &Bands<'_>, faults: &[Value], svg_ref: &NodeRef) -> Callback<MouseEvent> {
    let drag = ctx.drag.clone();
    let dispatch = ctx.state.dispatcher();
    let base = ctx.base.to_owned();
    let kinds: Vec<String> = faults.iter().map(|f| doc::variant(Some(f))).collect();
    let svg_ref = svg_ref.clone();
    let duration_s = ctx.duration_s;
    Callback::from(move |event: MouseEvent| {
        let Some((i, start_x, from, to)) = *drag else { return };
        let width = svg_ref.cast::<web_sys::Element>().map_or(1.0, |e| f64::from(e.client_width()).max(1.0));
        let delta = ((f64::from(event.client_x()) - start_x) / width * duration_s).round();
        let (new_from, new_to) = axis::clamp_band(from, to, delta, duration_s, false);
        if (new_from, new_to) != (from, to) {
            let pointer = format!("{base}/faults/{i}/{}", kinds.get(i).map_or("", String::as_str));
            dispatch.dispatch(Action::Edit(Edit::Drag(band_window(&pointer, new_from, new_to))));
            drag.set(Some((i, f64::from(event.client_x()), new_from, new_to)));
        }
    })
}

/// One button per fault kind; the new window is selected.
fn add_fault_buttons(state: &AppContext, selected: &UseStateHandle<Option<usize>>, count: usize) -> Html {
    let buttons = catalog::FAULTS.iter().map(|spec| {
        let dispatch = state.dispatcher();
        let selected = selected.clone();
        let onclick = Callback::from(move |_| {
            dispatch.dispatch(Action::Edit(Edit::AddFault(spec.name.to_owned())));
            selected.set(Some(count));
        });
        html! { <button id={format!("add-fault-{}", spec.name)} title={spec.summary} {onclick}>{ format!("+ {}", spec.label) }</button> }
    });
    buttons.collect()
}

/// The seconds under the fault script.
fn time_ticks(duration_s: f64) -> Html {
    let ticks = axis::ticks(0.0, duration_s, 6).into_iter().map(|t| {
        let fraction = t / duration_s;
        let edge = if fraction < 0.04 { "start" } else if fraction > 0.96 { "end" } else { "" };
        html! { <span class={classes!("tick", edge)} style={format!("left:{}%", fixed(fraction * 100.0, 2))}>{ axis::seconds_label(t) }</span> }
    });
    ticks.collect()
}

fn capacity_fields(state: &AppContext, base: &str) -> Html {
    let pointer = format!("{base}/capacity");
    let present = state.doc.pointer(&pointer).is_some();
    let toggle = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| {
            let edit = if present {
                Edit::Remove(pointer.clone())
            } else {
                Edit::Set(pointer.clone(), serde_json::json!({ "concurrency": 50, "queue": 100 }))
            };
            dispatch.dispatch(Action::Edit(edit));
        })
    };
    html! {
        <>
            <div class="field">
                <label for="capacity-toggle">{ "Limited capacity" }</label>
                <input id="capacity-toggle" type="checkbox" checked={present} onchange={toggle} />
            </div>
            if present {
                { section_fields(&catalog::CAPACITY, base, "") }
            }
        </>
    }
}

fn fault_form(
    state: &AppContext,
    base: &str,
    index: usize,
    fault: &Value,
    selected: UseStateHandle<Option<usize>>,
) -> Html {
    let kind = doc::variant(Some(fault));
    let pointer = format!("{base}/faults/{index}/{kind}");
    let remove = {
        let dispatch = state.dispatcher();
        let fault_pointer = format!("{base}/faults/{index}");
        Callback::from(move |_| {
            dispatch.dispatch(Action::Edit(Edit::Remove(fault_pointer.clone())));
            selected.set(None);
        })
    };
    let spec = catalog::fault(&kind);
    let fields = catalog::WINDOW_FIELDS.iter().chain(spec.map_or(&[][..], |s| s.fields)).map(|field| {
        let kind = fault_field_kind(field);
        let (label, unit, help) = (field.label, field.unit, field.help);
        html! { <Field pointer={format!("{pointer}{}", field.path)} {label} {kind} {unit} {help} /> }
    });
    html! {
        <div class="fault-form" aria-label={format!("{kind} settings")}>
            <h4>{ format!("{kind} window") }</h4>
            { for fields }
            <button class="danger" onclick={remove}>{ "Remove window" }</button>
        </div>
    }
}

/// The input of a fault's field: a number, a duration (one the fault needs, or the start of
/// its window), an optional duration, or text.
fn fault_field_kind(field: &FieldSpec) -> Kind {
    match field.kind {
        FieldKind::Whole => Kind::Int,
        FieldKind::Number => Kind::Float,
        FieldKind::Duration if field.required || field.path == catalog::WINDOW_FIELDS[0].path => Kind::Duration,
        FieldKind::Duration => Kind::OptDuration,
        _ => Kind::Text,
    }
}

/// Both ends of a fault window, set together (one action, one undo step, never half-moved).
fn band_window(pointer: &str, from_s: f64, to_s: f64) -> Vec<(String, Value)> {
    vec![
        (format!("{pointer}/from"), Value::from(format!("{from_s}s"))),
        (format!("{pointer}/to"), Value::from(format!("{to_s}s"))),
    ]
}
