//! Load and run settings: the selected endpoint's arrival process, its cache keys, the shared
//! client pool, and the seed and duration of the run.

use resilience_engine::catalog::{self, FieldKind, FieldSpec};
use serde_json::{Value, json};
use yew::prelude::*;

use super::field::{Field, Kind};
use super::fold::Fold;
use crate::doc;
use crate::state::{Action, AppContext, Edit, use_app};

const LOADS: &[(&str, &str)] = &[
    ("constant rate", r#"{"constant":{"rps":100}}"#),
    ("Poisson", r#"{"poisson":{"rps":100}}"#),
    ("ramp", r#"{"ramp":{"from_rps":10,"to_rps":300}}"#),
    ("spike", r#"{"spike":{"rps":100,"spike_rps":600,"from":"20s","to":"25s"}}"#),
    ("closed loop (clients wait, then think)", r#"{"closed":{"clients":50,"think":"200ms"}}"#),
];
const KEYS: &[(&str, &str)] = &[
    ("uniform", r#"{"uniform":{"count":1000}}"#),
    ("Zipf (popular keys first)", r#"{"zipf":{"count":1000,"s":1.1}}"#),
];

/// The load and run settings.
#[function_component(LoadEditor)]
pub fn load_editor() -> Html {
    let state = use_app();
    let endpoint = format!("/endpoints/{}", state.endpoint);
    let load = format!("{endpoint}/load");
    let load_fields: Vec<(String, &str, Kind, &str)> = match doc::variant(state.doc.pointer(&load)).as_str() {
        "constant" => vec![(format!("{load}/constant/rps"), "Rate", Kind::Float, "req/s")],
        "poisson" => vec![(format!("{load}/poisson/rps"), "Mean rate", Kind::Float, "req/s")],
        "ramp" => vec![
            (format!("{load}/ramp/from_rps"), "From", Kind::Float, "req/s"),
            (format!("{load}/ramp/to_rps"), "To", Kind::Float, "req/s"),
        ],
        "spike" => vec![
            (format!("{load}/spike/rps"), "Base rate", Kind::Float, "req/s"),
            (format!("{load}/spike/spike_rps"), "Spike rate", Kind::Float, "req/s"),
            (format!("{load}/spike/from"), "Spike from", Kind::Duration, ""),
            (format!("{load}/spike/to"), "Spike to", Kind::Duration, ""),
        ],
        "closed" => vec![
            (format!("{load}/closed/clients"), "Clients", Kind::Int, ""),
            (format!("{load}/closed/think"), "Mean think time", Kind::Duration, ""),
        ],
        _ => vec![],
    };
    let keys = format!("{endpoint}/keys");
    let has_keys = state.doc.pointer(&keys).is_some();
    let keys_toggle = toggle(&state, &keys, has_keys, json!({ "zipf": { "count": 1000, "s": 1.1 } }));
    let has_pool = state.doc.get("client").is_some();
    let pool_example = serde_json::from_str(catalog::CLIENT_POOL.example).unwrap_or_else(|_| json!({}));
    let pool_toggle = toggle(&state, "/client", has_pool, pool_example);
    let reroll = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::Edit(Edit::RerollSeed)))
    };
    let key_variant = doc::variant(state.doc.pointer(&keys));
    html! {
        <Fold class="load" title_id="load-title" title={html! { "Load and run" }}>
            <div class="form-grid">
                <Field pointer={load.clone()} label="Arrivals" kind={Kind::Select(LOADS)} />
                { for load_fields.into_iter().map(|(pointer, label, kind, unit)| html! { <Field {pointer} {label} {kind} {unit} /> }) }
                <div class="field">
                    <label for="keys-toggle">{ "Cache keys" }</label>
                    <input id="keys-toggle" type="checkbox" checked={has_keys} onchange={keys_toggle} />
                </div>
                if has_keys {
                    <Field pointer={keys.clone()} label="Key popularity" kind={Kind::Select(KEYS)} />
                    <Field pointer={format!("{keys}/{key_variant}/count")} label="Distinct keys" kind={Kind::Int} />
                    if key_variant == "zipf" {
                        <Field pointer={format!("{keys}/zipf/s")} label="Zipf exponent" kind={Kind::Float} help="higher: a few keys get most requests" />
                    }
                }
                <div class="field">
                    <label for="pool-toggle" title="requests hold a client thread until they complete">{ "Shared client pool" }</label>
                    <input id="pool-toggle" type="checkbox" checked={has_pool} onchange={pool_toggle} />
                </div>
                if has_pool {
                    { for catalog::CLIENT_POOL.fields.iter().map(pool_field) }
                }
                <Field pointer="/duration" label="Duration" kind={Kind::Duration} help="virtual time during which requests arrive" />
                <Field pointer="/seed" label="Seed" kind={Kind::Int} help="same seed, same run" />
                <div class="field"><span class="spacer"></span><button id="reroll" onclick={reroll}>{ "Re-roll seed" }</button></div>
            </div>
        </Fold>
    }
}

/// A field of the shared client pool, from the engine's catalogue.
fn pool_field(field: &FieldSpec) -> Html {
    let given = field.required || catalog::CLIENT_POOL.default_of(field.path).is_some();
    let kind = match field.kind {
        FieldKind::Duration if given => Kind::Duration,
        FieldKind::Duration => Kind::OptDuration,
        _ if given => Kind::Int,
        _ => Kind::OptInt,
    };
    let (label, unit, help) = (field.label, field.unit, field.help);
    html! { <Field pointer={format!("/client{}", field.path)} {label} {kind} {unit} {help} /> }
}

fn toggle(state: &AppContext, pointer: &str, present: bool, default: Value) -> Callback<Event> {
    let dispatch = state.dispatcher();
    let pointer = pointer.to_owned();
    Callback::from(move |_| {
        let edit = if present { Edit::Remove(pointer.clone()) } else { Edit::Set(pointer.clone(), default.clone()) };
        dispatch.dispatch(Action::Edit(edit));
    })
}
