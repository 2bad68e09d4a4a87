//! The JS entry point for docs sites: mount the compact player on any element, from a scenario
//! given as a plain JS object, a share link or an example name. Objects cross the boundary as
//! JSON text (`JSON.stringify`) and options are read field by field, which keeps a JS-value
//! deserialiser out of the bundle; every problem is reported back (and shown in the element),
//! never thrown.

use std::rc::Rc;

use resilience_engine::examples;
use resilience_engine::scenario::link;
use wasm_bindgen::prelude::*;

use crate::app::Player;
use crate::share::{self, EmbedOptions, PANELS, Route};
use crate::state::State;

/// Options of [`mount_player`], as the JS object `{ panels, autoplay, theme, t, playground }`.
#[derive(Debug, Default)]
struct PlayerOptions {
    panels: Vec<String>,
    autoplay: bool,
    theme: String,
    t: f64,
    /// The playground's address (player.js sends its own folder).
    playground: String,
}

impl PlayerOptions {
    /// Reads the options object; a missing (undefined or null) field keeps its default, a field
    /// of the wrong type is an error naming it.
    fn read(options: &JsValue) -> Result<Self, String> {
        if options.is_undefined() || options.is_null() {
            return Ok(Self::default());
        }
        if !options.is_object() {
            return Err("the options are not valid: expected an object".into());
        }
        let panels = match field(options, "panels") {
            None => Vec::new(),
            Some(list) => js_sys::Array::is_array(&list)
                .then(|| js_sys::Array::from(&list).iter().map(|p| p.as_string()).collect::<Option<Vec<_>>>())
                .flatten()
                .ok_or_else(|| wrong_type("panels", "a list of strings"))?,
        };
        Ok(Self {
            panels,
            autoplay: typed(options, "autoplay", JsValue::as_bool, "true or false")?.unwrap_or_default(),
            theme: typed(options, "theme", JsValue::as_string, "a string")?.unwrap_or_default(),
            t: typed(options, "t", JsValue::as_f64, "a number")?.unwrap_or_default(),
            playground: typed(options, "playground", JsValue::as_string, "a string")?.unwrap_or_default(),
        })
    }
}

/// The field `name` of a JS object, unless it is missing, undefined or null.
fn field(object: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// The field `name` read with `read`; an error naming the field when it has another type.
fn typed<T>(
    object: &JsValue,
    name: &str,
    read: fn(&JsValue) -> Option<T>,
    expected: &str,
) -> Result<Option<T>, String> {
    field(object, name).map(|value| read(&value).ok_or_else(|| wrong_type(name, expected))).transpose()
}

fn wrong_type(name: &str, expected: &str) -> String {
    format!("the options are not valid: `{name}` must be {expected}")
}

/// What `mount_player` tells the page.
fn outcome(error: Option<String>) -> JsValue {
    let result = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&result, &"ok".into(), &JsValue::from_bool(error.is_none()));
    if let Some(error) = error {
        let _ = js_sys::Reflect::set(&result, &"error".into(), &JsValue::from_str(&error));
    }
    result.into()
}

/// The (valid) scenario document a player is given: an example's name, a share link or its
/// payload, or a plain object.
fn read_source(source: JsValue) -> Result<serde_json::Value, String> {
    if let Some(text) = source.as_string() {
        if let Some(json) = examples::gallery(text.trim()) {
            return share::valid_doc(json);
        }
        let payload = text.rsplit_once("s=").map_or(text.as_str(), |(_, p)| p);
        return link::decode_doc(payload).map(|(doc, _)| doc).map_err(|e| e.to_string());
    }
    let not_plain = || "the scenario is not a plain object".to_owned();
    if !source.is_object() || js_sys::Array::is_array(&source) {
        return Err(not_plain());
    }
    let json = js_sys::JSON::stringify(&source).ok().and_then(|text| text.as_string()).ok_or_else(not_plain)?;
    share::valid_doc(&json)
}

/// Mounts the compact player on `element`. Returns `{ ok: true }`, or `{ ok: false, error }`
/// with the error also written into the element.
#[wasm_bindgen]
pub fn mount_player(element: web_sys::Element, source: JsValue, options: JsValue) -> JsValue {
    let options = match PlayerOptions::read(&options) {
        Ok(options) => options,
        Err(error) => return fail(&element, error),
    };
    let doc = match read_source(source) {
        Ok(doc) => doc,
        Err(error) => return fail(&element, error),
    };
    // Not the sweep: the players of a docs page share the page and its worker (an iframe has its own).
    let mut panels: Vec<String> =
        options.panels.into_iter().filter(|p| PANELS.contains(&p.as_str()) && p != "sweep").collect();
    if panels.is_empty() {
        panels = vec!["timeline".into(), "summary".into()];
    }
    let embed = EmbedOptions {
        panels,
        autoplay: options.autoplay,
        theme: if matches!(options.theme.as_str(), "light" | "dark") { options.theme } else { String::new() },
        start_us: if options.t.is_finite() && options.t > 0.0 { (options.t * 1e6) as u64 } else { 0 },
        id: String::new(),
        home: if options.playground.starts_with("http") { options.playground } else { String::new() },
    };
    let state = State::initial(Route::Embed(embed, Box::new(Route::Link(Ok((doc, Default::default()))))), None);
    yew::Renderer::<Player>::with_root_and_props(element, crate::app::PlayerProps { initial: Rc::new(state) }).render();
    outcome(None)
}

fn fail(element: &web_sys::Element, error: String) -> JsValue {
    element.set_text_content(Some(&format!("The resilience player could not show this scenario: {error}")));
    let _ = element.set_attribute("role", "alert");
    outcome(Some(error))
}

/// For the props' `PartialEq`: one player's initial state never changes.
impl PartialEq for crate::app::PlayerProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.initial, &other.initial)
    }
}
