//! One labelled setting bound to a place in the scenario document, with its unit and the
//! engine's message right next to it when the value is refused.

use resilience_engine::catalog::{self, Choice};
use serde_json::Value;
use yew::prelude::*;

use crate::doc;
use crate::state::{Action, AppContext, Edit, use_editor_state};

/// What kind of value a field holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A whole number.
    Int,
    /// A number.
    Float,
    /// A duration string such as `250ms`.
    Duration,
    /// An optional duration: empty removes it.
    OptDuration,
    /// An optional whole number: empty removes it.
    OptInt,
    /// A checkbox.
    Bool,
    /// A choice among variants (the catalogue's, or the app's own for loads and latencies).
    Choice(&'static [Choice]),
    /// Free text.
    Text,
    /// A set of the catalogue's failure kinds as checkboxes; `default` lists the engine's
    /// default, comma-separated.
    FailureKinds,
}

/// Props of [`Field`].
#[derive(Properties, PartialEq, Debug)]
pub struct Props {
    /// JSON pointer of the value.
    pub pointer: String,
    /// Label.
    pub label: AttrValue,
    /// Value kind.
    pub kind: Kind,
    /// Unit shown after the input.
    #[prop_or_default]
    pub unit: AttrValue,
    /// A short explanation.
    #[prop_or_default]
    pub help: AttrValue,
    /// The engine's default, shown while the document leaves the value out; emptying the input
    /// goes back to it. Empty for values without a default.
    #[prop_or_default]
    pub default: AttrValue,
    /// The engine's default value, for a [`Kind::Choice`] whose default variant sets it.
    #[prop_or_default]
    pub default_value: Option<Value>,
}

/// The element id of the input for `pointer` (stable, for labels and tests).
pub fn input_id(pointer: &str) -> String {
    format!("f{}", pointer.replace('/', "-"))
}

fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// What the typed text becomes in the document: a number when it reads as one, else the text
/// itself (so the engine can say what is wrong with it); `None` removes an optional value or
/// one with a default.
fn value_of(kind: Kind, text: &str, has_default: bool) -> Option<Value> {
    let trimmed = text.trim();
    match kind {
        _ if trimmed.is_empty() && has_default => None,
        Kind::OptDuration | Kind::OptInt if trimmed.is_empty() => None,
        Kind::Int | Kind::OptInt => {
            Some(trimmed.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::from(trimmed)))
        }
        Kind::Float => Some(number_of(trimmed).unwrap_or_else(|| Value::from(trimmed))),
        _ => Some(Value::from(trimmed)),
    }
}

/// A number in the form it was typed: `100` stays the integer 100 (never `100.0`), `2.50`
/// becomes 2.5; `None` when the text is not a finite number.
fn number_of(text: &str) -> Option<Value> {
    if let Ok(int) = text.parse::<i64>() {
        return Some(Value::from(int));
    }
    if let Ok(int) = text.parse::<u64>() {
        return Some(Value::from(int));
    }
    crate::number::parse_decimal(text).map(Value::from)
}

/// A labelled input bound to the document.
#[function_component(Field)]
pub fn field(props: &Props) -> Html {
    let state = use_editor_state();
    let current = state.doc.pointer(&props.pointer);
    // What the user is typing is kept here until it is committed (Enter or leaving the field),
    // so a re-render (a run finishing, another field's edit) never wipes it; it follows the
    // document whenever the document's value changes (an edit, undo, another example).
    let committed = text_of(current);
    let typed = use_state_eq(|| committed.clone());
    {
        let typed = typed.clone();
        use_effect_with(committed, move |committed| typed.set(committed.clone()));
    }
    let id = input_id(&props.pointer);
    let problems = state.problems_at(&doc::path_of(&props.pointer));
    let invalid = !problems.is_empty();
    let input = match props.kind {
        Kind::Bool => checkbox(&state, props, current, &id),
        Kind::FailureKinds => failure_kinds(&state, props, current, &id),
        Kind::Choice(choices) => choice(&state, props, current, choices, &id),
        _ => text_input(&state, props, &typed, &id, invalid),
    };
    html! {
        <div class={classes!("field", invalid.then_some("invalid"))}>
            <label for={id.clone()} title={props.help.clone()}>{ props.label.clone() }</label>
            <span class="input-row">{ input }<span class="unit">{ props.unit.clone() }</span></span>
            <span class="field-error" id={format!("{id}-error")} role={invalid.then_some("alert")}>
                { for problems.iter().map(|p| html! { <span>{ p.message.clone() }</span> }) }
            </span>
        </div>
    }
}

/// A text input: what is typed stays in `typed` and goes to the document when committed.
fn text_input(state: &AppContext, props: &Props, typed: &UseStateHandle<String>, id: &str, invalid: bool) -> Html {
    let on_type = {
        let typed = typed.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            typed.set(input.value());
        })
    };
    let pointer = props.pointer.clone();
    let kind = props.kind;
    let has_default = !props.default.is_empty();
    let dispatch = state.dispatcher();
    let on_text = Callback::from(move |event: Event| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        let edit = match value_of(kind, &input.value(), has_default) {
            Some(value) => Edit::Set(pointer.clone(), value),
            None => Edit::Remove(pointer.clone()),
        };
        dispatch.dispatch(Action::Edit(edit));
    });
    let numeric = matches!(kind, Kind::Int | Kind::OptInt | Kind::Float);
    let placeholder = if has_default {
        props.default.to_string()
    } else if matches!(kind, Kind::OptDuration | Kind::OptInt) {
        "none".to_owned()
    } else {
        String::new()
    };
    html! {
        <input
            id={id.to_owned()}
            type="text"
            inputmode={if numeric { "decimal" } else { "text" }}
            value={(**typed).clone()}
            oninput={on_type}
            {placeholder}
            aria-invalid={invalid.to_string()}
            aria-describedby={format!("{id}-error")}
            onchange={on_text}
        />
    }
}

/// A checkbox for a true-or-false setting.
fn checkbox(state: &AppContext, props: &Props, current: Option<&Value>, id: &str) -> Html {
    let pointer = props.pointer.clone();
    let dispatch = state.dispatcher();
    let checked = current.and_then(Value::as_bool).unwrap_or(props.default == "true");
    let on_toggle = Callback::from(move |event: Event| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        dispatch.dispatch(Action::Edit(Edit::Set(pointer.clone(), Value::from(input.checked()))));
    });
    html! { <input type="checkbox" id={id.to_owned()} checked={checked} onchange={on_toggle} /> }
}

/// One checkbox per failure kind of the catalogue.
fn failure_kinds(state: &AppContext, props: &Props, current: Option<&Value>, id: &str) -> Html {
    let chosen: Vec<String> = match current.and_then(Value::as_array) {
        Some(list) => list.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        None => props.default.split(',').map(str::to_owned).collect(),
    };
    let boxes = catalog::FAILURE_KINDS.iter().map(|kind| {
        let (value, label) = (kind.name, kind.label);
        let dispatch = state.dispatcher();
        let pointer = props.pointer.clone();
        let chosen_now = chosen.clone();
        let on = chosen.iter().any(|c| c == value);
        let onchange = Callback::from(move |_: Event| {
            let next: Vec<Value> = catalog::FAILURE_KINDS
                .iter()
                .map(|k| k.name)
                .filter(|v| if *v == value { !on } else { chosen_now.iter().any(|c| c == v) })
                .map(Value::from)
                .collect();
            dispatch.dispatch(Action::Edit(Edit::Set(pointer.clone(), Value::Array(next))));
        });
        let box_id = format!("{id}-{value}");
        html! { <label class="check" for={box_id.clone()}><input type="checkbox" id={box_id} checked={on} {onchange} />{ label }</label> }
    });
    html! { <span class="checks" id={id.to_owned()} role="group">{ for boxes }</span> }
}

/// A drop-down of variants; picking one sets its whole value.
fn choice(state: &AppContext, props: &Props, current: Option<&Value>, choices: &[Choice], id: &str) -> Html {
    let default_value = props.default_value.as_ref();
    let options: Vec<(&str, Value)> = choices.iter().map(|c| (c.label, c.value(default_value))).collect();
    let pointer = props.pointer.clone();
    let dispatch = state.dispatcher();
    let selected = if current.is_some() { doc::variant(current) } else { props.default.to_string() };
    let items: Vec<Html> = options
        .iter()
        .map(|(label, value)| html! { <option selected={doc::variant(Some(value)) == selected}>{ *label }</option> })
        .collect();
    let on_select = Callback::from(move |event: Event| {
        let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
        if let Some((_, value)) = options.get(select.selected_index().max(0) as usize) {
            dispatch.dispatch(Action::Edit(Edit::Set(pointer.clone(), value.clone())));
        }
    });
    html! { <select id={id.to_owned()} onchange={on_select}>{ for items }</select> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_typed_form() {
        let typed = |text: &str| value_of(Kind::Float, text, false).map(|v| v.to_string());
        assert_eq!(typed("100").as_deref(), Some("100"));
        assert_eq!(typed(" 100 ").as_deref(), Some("100"));
        assert_eq!(typed("-3").as_deref(), Some("-3"));
        assert_eq!(typed("2.5").as_deref(), Some("2.5"));
        assert_eq!(typed("100.0").as_deref(), Some("100.0"));
        assert_eq!(typed("18446744073709551615").as_deref(), Some("18446744073709551615"));
        assert_eq!(typed("1e3").as_deref(), Some("1000.0"));
        assert_eq!(typed("abc").as_deref(), Some("\"abc\""), "text goes to the engine, which explains");
        assert_eq!(typed("inf").as_deref(), Some("\"inf\""));
        assert_eq!(value_of(Kind::Float, "", true), None, "empty goes back to the default");
    }

    #[test]
    fn numbers_print_as_stored() {
        assert_eq!(text_of(Some(&Value::from(100))), "100");
        assert_eq!(text_of(Some(&Value::from(0.25))), "0.25");
        assert_eq!(text_of(None), "");
        let int = value_of(Kind::Int, "40", false);
        assert_eq!(text_of(int.as_ref()), "40");
    }
}
