//! The stack and real libraries, both ways: "Copy as code" writes the shown endpoint's stack
//! as configuration for resilience4j, Polly, cockatiel, failsafe-go or tower; "Import" reads a
//! resilience4j `application.yml`, a Polly v8 `appsettings.json` section or an Envoy cluster
//! (pasted, chosen or dropped on the page) into a stack, listing every key it did not turn into
//! a setting. Both run in the worker chunk. A failed import changes nothing.

use std::cell::Cell;

use resilience_engine::codegen::Target;
use serde_json::Value;
use yew::prelude::*;

use crate::state::{Action, AppContext, Banner, Edit, use_app};

/// The code menu's items, for [`crate::components::menu::Menu`].
pub fn items() -> Html {
    html! { <CodeMenuItems /> }
}

thread_local! {
    /// The library the code is written for, kept while the menu is closed.
    static CHOSEN_TARGET: Cell<Target> = const { Cell::new(Target::Resilience4j) };
}

/// The code menu's items (drawn only while the menu is open): the stack as code, and the
/// import box.
#[function_component(CodeMenuItems)]
fn code_menu_items() -> Html {
    let state = use_app();
    let target = use_state(|| CHOSEN_TARGET.get());
    let code = use_state(|| None::<Result<String, String>>);
    let revision = state.result.as_ref().map_or(0, |r| r.revision);
    let input = use_node_ref();
    {
        let (code, state) = (code.clone(), state.clone());
        use_effect_with((target.word(), revision, state.endpoint), move |(target, _, endpoint)| {
            if state.scenario.is_none() {
                return;
            }
            let request =
                format!(r#"{{"op":"code","endpoint":{endpoint},"target":"{target}","doc":{}}}"#, state.scenario_doc);
            code.set(None);
            crate::worker::ask(Some("code"), request, move |reply| {
                code.set(Some(reply.map(|r| r["text"].as_str().unwrap_or_default().to_owned())));
            });
        });
    }
    let onchange = {
        let target = target.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            let chosen = Target::from_word(&select.value()).unwrap_or(Target::Resilience4j);
            CHOSEN_TARGET.set(chosen);
            target.set(chosen);
        })
    };
    let options = Target::ALL.iter().map(|t| {
        html! { <option value={t.word()} selected={*t == *target}>{ t.label() }</option> }
    });
    let text = match &*code {
        Some(Ok(text)) => text.clone(),
        Some(Err(error)) => format!("No code: {error}"),
        None => "Writing…".to_owned(),
    };
    let copy = {
        let (state, text) = (state.clone(), text.clone());
        Callback::from(move |_| {
            let copied = crate::share::copy_to_clipboard(&text);
            let said = if copied { "Code copied." } else { "Select the code in the box and copy it." };
            state.dispatch(Action::Notify(Banner { text: said.into(), ..Banner::default() }));
        })
    };
    html! {
        <div class="menu" role="group" aria-label="Copy as code and import">
            <h3>{ "Copy as code" }</h3>
            <label>{ "Code for " }<select id="code-target" {onchange}>{ for options }</select></label>
            <button id="copy-code" onclick={copy}>{ "Copy" }</button>
            <pre id="code-text" tabindex="0" aria-label="The stack as code">{ text }</pre>
            { import_box(&state, &input) }
        </div>
    }
}

/// The paste box: its text is imported as a dropped file is (see [`import_config`]).
fn import_box(state: &AppContext, input: &NodeRef) -> Html {
    let import = {
        let (input, state) = (input.clone(), state.clone());
        Callback::from(move |_| {
            let text = input.cast::<web_sys::HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default();
            import_config(state.clone(), text);
        })
    };
    html! {
        <>
            <h3>{ "Import a configuration" }</h3>
            <p class="muted">{ "A resilience4j application.yml, a Polly v8 appsettings.json section or an Envoy cluster (or drop the file on the page): its first instance becomes this endpoint's stack." }</p>
            <textarea ref={input} id="import-text" rows="6" spellcheck="false" aria-label="Configuration to import" />
            <button id="import-config" onclick={import}>{ "Import" }</button>
        </>
    }
}

/// Imports a pasted, dropped or chosen configuration's text: its first instance becomes the
/// shown endpoint's stack (one undo step), and a banner names it, the other instances, and
/// every key not turned into a setting. Or a banner says why nothing changed.
pub fn import_config(state: AppContext, text: String) {
    crate::worker::ask(None, import_request(&state, &text), move |reply| {
        let banner = match reply.and_then(|r| adopt_first(&state, &r)) {
            Ok(text) => Banner { text, offer_undo: true, ..Banner::default() },
            Err(error) => Banner {
                error: true,
                text: format!("Nothing imported: {error}. The scenario is unchanged."),
                ..Banner::default()
            },
        };
        state.dispatch(Action::Notify(banner));
    });
}

/// Makes the import's first stack the shown endpoint's stack; says what was imported.
fn adopt_first(state: &AppContext, imported: &Value) -> Result<String, String> {
    let stacks = imported["stacks"].as_array().filter(|s| !s.is_empty());
    let stacks = stacks.ok_or_else(|| "the configuration has no instance to import".to_owned())?;
    if let Some(problem) = stacks[0]["problem"].as_str() {
        return Err(format!("as this endpoint's stack it would not be valid: {problem}"));
    }
    let pointer = format!("/endpoints/{}/stack", state.endpoint);
    state.dispatch(Action::Edit(Edit::Set(pointer, stacks[0]["stack"].clone())));
    let name = |s: &Value| s["name"].as_str().unwrap_or_default().to_owned();
    let mut said = format!(
        "Imported the {} configuration \"{}\" as this endpoint's stack (Ctrl+Z undoes it).",
        imported["library"].as_str().unwrap_or_default(),
        name(&stacks[0])
    );
    if stacks.len() > 1 {
        let others: Vec<String> = stacks[1..].iter().map(name).collect();
        said.push_str(&format!(" Also found: {} (paste one alone to import it).", others.join(", ")));
    }
    let skipped: Vec<&str> =
        imported["unsupported"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    if !skipped.is_empty() {
        said.push_str(&format!(" Not imported ({}): {}.", skipped.len(), skipped.join("; ")));
    }
    Ok(said)
}

/// The worker request that imports `text`, checked as the shown endpoint's stack.
fn import_request(state: &AppContext, text: &str) -> String {
    let text = serde_json::to_string(text).unwrap_or_default();
    format!(r#"{{"op":"import","endpoint":{},"text":{text},"doc":{}}}"#, state.endpoint, state.scenario_doc)
}
