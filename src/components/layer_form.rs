//! The settings of one layer, by kind. Fields whose parent is absent (the linear backoff's
//! delay while the backoff is exponential, say) are not shown.

use resilience_engine::catalog::{self, FieldKind, FieldSpec, SectionSpec};
use serde_json::Value;
use yew::prelude::*;

use super::field::{Field, Kind};
use crate::number::fixed;
use crate::state::AppContext;

/// Which layer [`layer_form`] shows.
#[derive(PartialEq, Eq, Debug)]
pub struct Props {
    /// JSON pointer of the layer's config object (`/endpoints/0/stack/2/retry`).
    pub pointer: String,
    /// The layer's kind.
    pub kind: AttrValue,
}

/// The form's input for a catalogue field; `None` for fields the form does not show as a plain
/// input (the on/off switch, the fallback's answer).
fn kind_of(spec: &FieldSpec, has_default: bool) -> Option<Kind> {
    let given = spec.required || has_default;
    Some(match spec.kind {
        FieldKind::Whole if given => Kind::Int,
        FieldKind::Whole => Kind::OptInt,
        FieldKind::Number => Kind::Float,
        FieldKind::Duration if given => Kind::Duration,
        FieldKind::Duration => Kind::OptDuration,
        FieldKind::Bool => Kind::Bool,
        FieldKind::Choice => Kind::Choice(spec.choices),
        FieldKind::FailureKinds => Kind::FailureKinds,
        FieldKind::Text => Kind::Text,
        _ => return None,
    })
}

/// A default as the form shows it (the placeholder, the chosen variant, the checked boxes):
/// `50.0` as `50`, a list as `5xx,timeout`, a variant by its name.
pub fn default_text(value: &Value) -> String {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => fixed(f, 0),
            _ => n.to_string(),
        },
        Value::Bool(b) => b.to_string(),
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(","),
        other => crate::doc::variant(Some(other)),
    }
}

/// The fields of `section` (its `variant`'s, for a section of variants) of the service or
/// endpoint at `owner` (`/services/0`), each a value the document must give.
pub fn section_fields(section: &'static SectionSpec, owner: &str, variant: &str) -> Html {
    let fields = section.fields_of(variant).filter_map(|field| {
        let pointer = format!("{owner}{}{}", section.path, field.path);
        let (label, unit, help) = (field.label, field.unit, field.help);
        kind_of(field, true).map(|kind| html! { <Field {pointer} {label} {kind} {unit} {help} /> })
    });
    fields.collect()
}

/// The form of one layer.
/// (A plain function of the stack builder's state: it draws again whenever the builder does,
/// which is when the editors' context changes, as this form's would.)
pub fn layer_form(state: &AppContext, props: &Props) -> Html {
    let Some(spec) = catalog::layer(&props.kind) else { return html! {} };
    let library = super::library::library_of(spec, &state.doc, &props.pointer);
    let defaults = super::library::effective_defaults(spec, library);
    // A nested field belongs to one variant of its parent (the exponential backoff's initial
    // wait, the count window's size): it is shown only while that variant is chosen, and its
    // default is only the default variant's, so none is shown.
    let fields = spec.fields.iter().filter_map(|field| {
        let pointer = format!("{}{}", props.pointer, field.path);
        let top = field.path.matches('/').count() == 1;
        if !top && state.doc.pointer(&pointer).is_none() {
            return None;
        }
        let default_value = defaults.pointer(field.path).filter(|_| top).cloned();
        if field.kind == FieldKind::ChoiceOrService {
            return Some(choice_or_service(state, &pointer, field, default_value.as_ref()));
        }
        let kind = kind_of(field, default_value.is_some())?;
        let default = default_value.as_ref().map(default_text).unwrap_or_default();
        let (label, unit, help) = (field.label, field.unit, field.help);
        Some(html! { <Field {pointer} {label} {kind} {unit} {help} {default} {default_value} /> })
    });
    let own_problems = state.problems.iter().filter(|p| p.path == crate::doc::path_of(&props.pointer));
    html! {
        <div class="layer-form">
            { for own_problems.map(|p| html! { <p class="field-error form-error" role="alert">{ p.message.clone() }</p> }) }
            <super::library::LayerLibrary pointer={props.pointer.clone()} kind={props.kind.clone()} />
            { for fields }
        </div>
    }
}

/// A choice that may also name a service of the scenario (the fallback's answer: a static
/// value, a stale cache entry, or a call to another service, listed by name).
fn choice_or_service(state: &AppContext, pointer: &str, field: &FieldSpec, default: Option<&Value>) -> Html {
    let pointer = pointer.to_owned();
    let services: Vec<String> = state.doc["services"]
        .as_array()
        .map(|s| s.iter().filter_map(|s| s["name"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let mut choices: Vec<(String, Value)> =
        field.choices.iter().map(|c| (c.label.to_owned(), c.value(default))).collect();
    choices
        .extend(services.iter().map(|name| (format!("call service {name}"), serde_json::json!({ "service": name }))));
    let current = state.doc.pointer(&pointer).or(default).cloned().unwrap_or_default();
    let values: Vec<Value> = choices.iter().map(|(_, v)| v.clone()).collect();
    let dispatch = state.dispatcher();
    let pointer_set = pointer.clone();
    let onchange = Callback::from(move |event: Event| {
        let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
        if let Some(value) = values.get(select.selected_index().max(0) as usize) {
            dispatch.dispatch(crate::state::Action::Edit(crate::state::Edit::Set(pointer_set.clone(), value.clone())));
        }
    });
    let id = super::field::input_id(&pointer);
    let problems = state.problems_at(&crate::doc::path_of(&pointer));
    html! {
        <div class={classes!("field", (!problems.is_empty()).then_some("invalid"))}>
            <label for={id.clone()} title={field.help}>{ field.label }</label>
            <select id={id.clone()} {onchange}>
                { for choices.iter().map(|(label, value)| html! { <option selected={*value == current}>{ label.clone() }</option> }) }
            </select>
            <span class="field-error">{ for problems.iter().map(|p| html! { <span>{ p.message.clone() }</span> }) }</span>
        </div>
    }
}
