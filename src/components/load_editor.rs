//! Load and run settings: the selected endpoint's arrival process, its cache keys, the shared
//! client pool, and the seed and duration of the run.

use resilience_engine::catalog;
use serde_json::{Value, json};
use yew::prelude::*;

use super::field::{Field, Kind};
use super::fold::Fold;
use super::layer_form::section_fields;
use crate::doc;
use crate::state::{Action, AppContext, Edit, use_editor_state};

/// The load and run settings.
#[function_component(LoadEditor)]
pub fn load_editor() -> Html {
    let state = use_editor_state();
    let endpoint = format!("/endpoints/{}", state.endpoint);
    let load = format!("{endpoint}/load");
    let load_variant = doc::variant(state.doc.pointer(&load));
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
                <Field pointer={load.clone()} label={catalog::LOAD.label} kind={Kind::Choice(catalog::LOAD.choices)} />
                { section_fields(&catalog::LOAD, &endpoint, &load_variant) }
                <div class="field">
                    <label for="keys-toggle">{ "Cache keys" }</label>
                    <input id="keys-toggle" type="checkbox" checked={has_keys} onchange={keys_toggle} />
                </div>
                if has_keys {
                    <Field pointer={keys.clone()} label={catalog::KEYS.label} kind={Kind::Choice(catalog::KEYS.choices)} />
                    { section_fields(&catalog::KEYS, &endpoint, &key_variant) }
                }
                <div class="field">
                    <label for="pool-toggle" title="requests hold a client thread until they complete">{ "Shared client pool" }</label>
                    <input id="pool-toggle" type="checkbox" checked={has_pool} onchange={pool_toggle} />
                </div>
                if has_pool {
                    <Field pointer="/client/workers" label="Threads" kind={Kind::Int} />
                    <Field pointer="/client/max_wait" label="Max wait for a thread" kind={Kind::Duration} />
                }
                <Field pointer="/duration" label="Duration" kind={Kind::Duration} help="virtual time during which requests arrive" />
                <Field pointer="/seed" label="Seed" kind={Kind::Int} help="same seed, same run" />
                { super::library::scenario_library(&state) }
                <div class="field"><span class="spacer"></span><button id="reroll" onclick={reroll}>{ "Re-roll seed" }</button></div>
            </div>
        </Fold>
    }
}

fn toggle(state: &AppContext, pointer: &str, present: bool, default: Value) -> Callback<Event> {
    let dispatch = state.dispatcher();
    let pointer = pointer.to_owned();
    Callback::from(move |_| {
        let edit = if present { Edit::Remove(pointer.clone()) } else { Edit::Set(pointer.clone(), default.clone()) };
        dispatch.dispatch(Action::Edit(edit));
    })
}
