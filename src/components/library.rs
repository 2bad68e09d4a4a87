//! Which library's defaults and rules a layer follows (`semantics`), for one layer and for the
//! whole scenario. Switching says which values changed; the form's placeholders follow the
//! library (see [`effective_defaults`]).

use resilience_engine::catalog::{FieldSpec, LayerSpec};
use resilience_engine::patterns::semantics::Semantics;
use serde_json::{Map, Value};
use yew::prelude::*;

use super::layer_form::default_text;
use crate::state::{Action, AppContext, Edit, use_editor_state};

/// The library a document names at `pointer` (`/semantics`), if any.
fn named(doc: &Value, pointer: &str) -> Option<Semantics> {
    doc.pointer(pointer).and_then(Value::as_str).and_then(Semantics::from_word)
}

/// The library the layer at `pointer` follows.
pub fn library_of(spec: &LayerSpec, doc: &Value, pointer: &str) -> Option<Semantics> {
    spec.library_of(named(doc, &format!("{pointer}/semantics")), named(doc, "/semantics"))
}

/// The kind's defaults as `library` sets them: the plain defaults, with the preset's fields
/// over them.
pub fn effective_defaults(spec: &LayerSpec, library: Option<Semantics>) -> Value {
    let mut defaults = crate::defaults::layer(spec.name);
    if let Value::Object(map) = &mut defaults {
        map.extend(spec.preset_fields(library));
    }
    defaults
}

/// "Wait in open 60s → 5s" for each field the layer leaves out whose value differs between the
/// two libraries.
fn changes(
    spec: &LayerSpec,
    written: Option<&Map<String, Value>>,
    from: Option<Semantics>,
    to: Option<Semantics>,
) -> Vec<String> {
    let (before, after) = (effective_defaults(spec, from), effective_defaults(spec, to));
    let keys =
        after.as_object().into_iter().flat_map(Map::keys).chain(before.as_object().into_iter().flat_map(Map::keys));
    let mut seen: Vec<&str> = Vec::new();
    let mut lines = Vec::new();
    for key in keys {
        if seen.contains(&key.as_str()) || written.is_some_and(|w| w.contains_key(key)) {
            continue;
        }
        seen.push(key);
        let (old, new) = (before.get(key), after.get(key));
        if old != new {
            let field = spec.field(&format!("/{key}"));
            let text = |v: Option<&Value>| shown(field, v);
            lines.push(format!("{} {} → {}", field.map_or(key.as_str(), |f| f.label), text(old), text(new)));
        }
    }
    lines
}

/// A value as the form shows it: a choice by its label, anything else as its placeholder.
fn shown(field: Option<&FieldSpec>, value: Option<&Value>) -> String {
    let Some(value) = value else { return "none".to_owned() };
    let choice = field.into_iter().flat_map(|f| f.choices).find(|c| crate::doc::variant(Some(value)) == c.variant);
    choice.map_or_else(|| default_text(value), |c| c.label.to_owned())
}

/// The words of a library in a menu.
fn label(library: Option<Semantics>) -> &'static str {
    library.map_or("its own defaults", Semantics::label)
}

/// Props of [`LayerLibrary`].
#[derive(Properties, PartialEq, Debug)]
pub struct Props {
    /// JSON pointer of the layer's config object.
    pub pointer: String,
    /// The layer's kind.
    pub kind: AttrValue,
}

/// The library menu of one layer: "as the scenario" (or the kind's own library), or one of the
/// libraries that have the pattern; the preset's source note; what the last switch changed.
#[function_component(LayerLibrary)]
pub fn layer_library(props: &Props) -> Html {
    let state = use_editor_state();
    let changed = use_state(Vec::<String>::new);
    let Some(spec) = resilience_engine::catalog::layer(&props.kind).filter(|spec| !spec.presets.is_empty()) else {
        return html! {};
    };
    let own_pointer = format!("{}/semantics", props.pointer);
    let own = named(&state.doc, &own_pointer);
    let inherited = spec.library_of(None, named(&state.doc, "/semantics"));
    let current = spec.library_of(own, named(&state.doc, "/semantics"));
    let choices: Vec<Option<Semantics>> =
        core::iter::once(None).chain(spec.presets.iter().map(|p| Some(p.library))).collect();
    let onchange = switch_callback(&state, spec, props.pointer.clone(), choices.clone(), inherited, changed.setter());
    let id = super::field::input_id(&own_pointer);
    let note = current.and_then(|library| spec.preset(library)).map(|p| p.note);
    let problems = state.problems_at(&crate::doc::path_of(&own_pointer));
    html! {
        <div class={classes!("field", "library", (!problems.is_empty()).then_some("invalid"))}>
            <label for={id.clone()} title="whose defaults and boundary rules this layer follows">{ "Library" }</label>
            <select {id} {onchange}>
                { for choices.iter().map(|choice| {
                    let text = match choice {
                        None => format!("as the scenario: {}", label(inherited)),
                        Some(library) => library.label().to_owned(),
                    };
                    html! { <option selected={*choice == own}>{ text }</option> }
                }) }
            </select>
            <span class="field-error">{ for problems.iter().map(|p| html! { <span>{ p.message.clone() }</span> }) }</span>
            if let Some(note) = note { <p class="library-note">{ note }</p> }
            if !changed.is_empty() {
                <p class="library-changes" role="status">{ format!("Changed: {}", changed.join("; ")) }</p>
            }
        </div>
    }
}

/// Sets or removes the layer's `semantics`, and reports what the switch changed.
fn switch_callback(
    state: &AppContext,
    spec: &'static LayerSpec,
    pointer: String,
    choices: Vec<Option<Semantics>>,
    inherited: Option<Semantics>,
    changed: UseStateSetter<Vec<String>>,
) -> Callback<Event> {
    let dispatch = state.dispatcher();
    let doc = state.doc.clone();
    Callback::from(move |event: Event| {
        let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
        let Some(choice) = choices.get(select.selected_index().max(0) as usize).copied() else { return };
        let before = library_of(spec, &doc, &pointer);
        let after = choice.or(inherited);
        changed.set(changes(spec, doc.pointer(&pointer).and_then(Value::as_object), before, after));
        let own_pointer = format!("{pointer}/semantics");
        let edit = match choice {
            Some(library) => Edit::Set(own_pointer, library.word().into()),
            None => Edit::Remove(own_pointer),
        };
        dispatch.dispatch(Action::Edit(edit));
    })
}

/// The scenario-wide library menu: the default every layer follows unless it names its own
/// (a part of the load editor's form, not a component of its own).
pub fn scenario_library(state: &AppContext) -> Html {
    let current = named(&state.doc, "/semantics");
    let choices: Vec<Option<Semantics>> = core::iter::once(None).chain(Semantics::ALL.map(Some)).collect();
    let dispatch = state.dispatcher();
    let options = choices.clone();
    let onchange = Callback::from(move |event: Event| {
        let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
        let edit = match options.get(select.selected_index().max(0) as usize).copied().flatten() {
            Some(library) => Edit::Set("/semantics".into(), library.word().into()),
            None => Edit::Remove("/semantics".into()),
        };
        dispatch.dispatch(Action::Edit(edit));
    });
    let problems = state.problems_at("semantics");
    html! {
        <div class={classes!("field", (!problems.is_empty()).then_some("invalid"))}>
            <label for="f-semantics" title="the library every layer follows unless it names its own">{ "Library" }</label>
            <select id="f-semantics" {onchange}>
                { for choices.iter().map(|choice| html! {
                    <option selected={*choice == current}>{ choice.map_or("each pattern's own", Semantics::label) }</option>
                }) }
            </select>
            <span class="field-error">{ for problems.iter().map(|p| html! { <span>{ p.message.clone() }</span> }) }</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use resilience_engine::catalog;
    use resilience_engine::patterns::semantics::Semantics::{Polly, Resilience4j};
    use serde_json::json;

    use super::*;

    #[test]
    fn switching_lists_the_values_that_change_but_not_the_written_ones() {
        let spec = catalog::layer("circuit_breaker").unwrap();
        let lines = changes(spec, None, Some(Resilience4j), Some(Polly));
        assert!(lines.contains(&"Wait in open 60s → 5s".to_owned()), "{lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("Failure rate threshold 50 → 10")), "{lines:?}");
        assert!(
            lines.contains(&"Judge after every call (resilience4j) → only after failures (Polly)".to_owned()),
            "{lines:?}"
        );
        let written = json!({ "wait_open": "1s" });
        let lines = changes(spec, written.as_object(), Some(Resilience4j), Some(Polly));
        assert!(!lines.iter().any(|l| l.starts_with("Wait in open")), "{lines:?}");
        assert!(changes(spec, None, Some(Polly), Some(Polly)).is_empty());
    }

    #[test]
    fn a_layer_follows_the_scenario_unless_it_names_its_own_library() {
        let spec = catalog::layer("retry").unwrap();
        let mut doc = json!({ "semantics": "polly", "endpoints": [ { "stack": [ { "retry": {} } ] } ] });
        let pointer = "/endpoints/0/stack/0/retry";
        assert_eq!(library_of(spec, &doc, pointer), Some(Polly));
        assert_eq!(effective_defaults(spec, Some(Polly))["max_attempts"], 4);
        doc["endpoints"][0]["stack"][0]["retry"]["semantics"] = "resilience4j".into();
        assert_eq!(library_of(spec, &doc, pointer), Some(Resilience4j));
        let adaptive = catalog::layer("adaptive_limit").unwrap();
        assert_eq!(library_of(adaptive, &doc, "/x"), None, "Polly has no adaptive limit");
    }
}
