//! Listening to the browser window from a component: the listener is added when the component
//! mounts and removed when it unmounts.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// Calls `handler` on every `event` of the window (for example `"resize"`, `"hashchange"`),
/// from mount to unmount.
#[hook]
pub fn use_window_event(event: &'static str, handler: impl Fn() + 'static) {
    use_effect_with((), move |_| {
        let listener = Closure::<dyn Fn()>::new(handler);
        let window = web_sys::window();
        if let Some(window) = &window {
            let _ = window.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(window) = window {
                let _ = window.remove_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
            }
        }
    });
}

/// Puts the focus on the first element that `selector` matches; whether there was one.
pub fn focus_first(selector: &str) -> bool {
    let document = web_sys::window().and_then(|w| w.document());
    let element = document.and_then(|d| d.query_selector(selector).ok().flatten());
    let element = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    element.is_some_and(|e| e.focus().is_ok())
}

/// The window property the release build's loader (`scripts/split/loader.js`) sets to `true`
/// while the page's later wasm part is not installed yet.
const LATER_PENDING: &str = "rpLaterPending";
/// The window event the loader sends once the later part is installed.
const LATER_INSTALLED: &str = "rp-later-installed";

/// Whether the page's later wasm part is installed: `true` at once where the build did not
/// split the wasm (debug builds, tests), else from the loader's event on. Panels that are not
/// part of the first result (the editors) wait for it, so their code is not part of the first
/// paint's download (`scripts/split/`).
#[hook]
pub fn use_later_part_ready() -> bool {
    let ready = use_state(|| {
        let window = web_sys::window().map(JsValue::from).unwrap_or_default();
        js_sys::Reflect::get(&window, &LATER_PENDING.into()).ok() != Some(JsValue::TRUE)
    });
    let set_ready = ready.setter();
    use_window_event(LATER_INSTALLED, move || set_ready.set(true));
    *ready
}

/// Watches whether an element is on screen (an `IntersectionObserver`) until dropped.
#[derive(Debug)]
pub struct VisibilityWatch {
    observer: web_sys::IntersectionObserver,
    /// Kept alive while the observer may call it.
    _callback: Closure<dyn Fn(js_sys::Array)>,
}

impl VisibilityWatch {
    /// Calls `on_change(visible)` whenever `element` comes on screen or leaves it (and once
    /// when the watch starts); `None` where the browser cannot observe it.
    pub fn new(element: &web_sys::Element, on_change: impl Fn(bool) + 'static) -> Option<Self> {
        let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
            on_change(
                entries
                    .iter()
                    .filter_map(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
                    .any(|e| e.is_intersecting()),
            );
        });
        let observer = web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        observer.observe(element);
        Some(Self { observer, _callback: callback })
    }
}

impl Drop for VisibilityWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
