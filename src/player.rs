//! The JS entry point for docs sites: mount the compact player on any element, from a scenario
//! given as a plain JS object, a share link or an example name. Values cross the boundary with
//! serde-wasm-bindgen; every problem is reported back (and shown in the element), never thrown.

use std::rc::Rc;

use resilience_engine::examples;
use resilience_engine::scenario::link;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::app::Player;
use crate::share::{self, EmbedOptions, PANELS, Route};
use crate::state::State;

/// Options of [`mount_player`], as the JS object `{ panels, autoplay, theme, t }`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PlayerOptions {
    panels: Vec<String>,
    autoplay: bool,
    theme: String,
    t: f64,
    /// The playground's address (player.js sends its own folder).
    playground: String,
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
    let value: serde_json::Value =
        serde_wasm_bindgen::from_value(source).map_err(|e| format!("the scenario is not a plain object: {e}"))?;
    share::valid_doc(&value.to_string())
}

/// Mounts the compact player on `element`. Returns `{ ok: true }`, or `{ ok: false, error }`
/// with the error also written into the element.
#[wasm_bindgen]
pub fn mount_player(element: web_sys::Element, source: JsValue, options: JsValue) -> JsValue {
    let options: PlayerOptions = if options.is_undefined() || options.is_null() {
        PlayerOptions::default()
    } else {
        match serde_wasm_bindgen::from_value(options) {
            Ok(options) => options,
            Err(e) => return fail(&element, format!("the options are not valid: {e}")),
        }
    };
    let doc = match read_source(source) {
        Ok(doc) => doc,
        Err(error) => return fail(&element, error),
    };
    let mut panels: Vec<String> = options.panels.into_iter().filter(|p| PANELS.contains(&p.as_str())).collect();
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
