//! How an embed behaves towards the page that hosts it: it plays only while on screen (autoplay
//! waits until it is first seen; leaving the screen pauses what was playing, coming back resumes
//! it), and inside an iframe it tells the host its content height, so the host can size the
//! frame to fit (see [`HEIGHT_MESSAGE`]).

use std::cell::Cell;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::dom_events::VisibilityWatch;
use crate::playback::{PlaybackAction, PlaybackContext};
use crate::state::AppContext;

/// The `type` of the message an iframe embed posts to its host whenever its content height
/// changes: `{ type: "resilience-playground:height", height: <CSS px, integer>, id: <string> }`.
/// `id` is the embed link's `id=` option, else the frame's `name`, else empty.
pub const HEIGHT_MESSAGE: &str = "resilience-playground:height";

/// What the on-screen playback remembers between observer callbacks and renders.
#[derive(Default)]
struct Visibility {
    /// The embed is (at least partly) on screen.
    visible: Cell<bool>,
    /// Playback was paused because the embed left the screen (so it resumes on return).
    paused_by_us: Cell<bool>,
    /// Autoplay has happened (it happens once).
    autoplayed: Cell<bool>,
}

/// Plays or pauses (explicit actions: no race with the playback timer).
fn set_playing(playback: &PlaybackContext, play: bool) {
    playback.dispatch(if play { PlaybackAction::Play } else { PlaybackAction::Pause });
}

/// Starts autoplay once, when the embed asks for it, has a result and is on screen.
fn maybe_autoplay(state: &AppContext, playback: &PlaybackContext, flags: &Visibility) {
    let wants = state.embed.as_ref().is_some_and(|e| e.autoplay);
    if wants && flags.visible.get() && !flags.autoplayed.get() && state.result.is_some() {
        flags.autoplayed.set(true);
        set_playing(playback, true);
    }
}

fn on_visibility(state: &AppContext, playback: &PlaybackContext, flags: &Visibility, visible: bool) {
    flags.visible.set(visible);
    let playing = playback.playing;
    if !visible && playing {
        flags.paused_by_us.set(true);
        set_playing(playback, false);
    } else if visible && !playing && flags.paused_by_us.replace(false) {
        set_playing(playback, true);
    } else if visible {
        maybe_autoplay(state, playback, flags);
    }
}

/// Plays only while `root` is on screen: autoplay waits for it to be seen, leaving the screen
/// pauses, returning resumes what was paused.
#[hook]
pub fn use_onscreen_playback(state: &AppContext, playback: &PlaybackContext, root: NodeRef) {
    let latest = use_mut_ref(|| (state.clone(), playback.clone()));
    *latest.borrow_mut() = (state.clone(), playback.clone());
    let flags = use_memo((), |_| Visibility::default());
    {
        let (state, playback) = (state.clone(), playback.clone());
        let flags = flags.clone();
        use_effect_with(state.result.as_ref().map(|r| r.revision), move |_| maybe_autoplay(&state, &playback, &flags));
    }
    use_effect_with((), move |_| {
        let watch = root.cast::<web_sys::Element>().and_then(|element| {
            VisibilityWatch::new(&element, move |visible| {
                let (state, playback) = latest.borrow().clone();
                on_visibility(&state, &playback, &flags, visible);
            })
        });
        move || drop(watch)
    });
}

/// The window of the page hosting this embed in an iframe; `None` at the top level and when
/// the page mounted the player itself (`www/player.js`: no frame to size).
fn host_window() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let manual = js_sys::Reflect::get(&window, &"resiliencePlaygroundManual".into()).is_ok_and(|v| v.is_truthy());
    let parent = window.parent().ok().flatten()?;
    (!manual && !js_sys::Object::is(&parent, &window)).then_some(parent)
}

/// The id sent with the height: the embed's `id=` option, else the frame's name.
fn frame_id(option: &str) -> String {
    if !option.is_empty() {
        return option.to_owned();
    }
    web_sys::window().and_then(|w| w.name().ok()).unwrap_or_default()
}

/// Posts the height message to the host when the embed's height changed.
struct HeightReporter {
    /// The host page's window (None: not in an iframe; nothing is posted).
    host: Option<web_sys::Window>,
    /// The id sent with every message.
    id: String,
    /// The height last posted, in CSS pixels.
    last_px: Cell<f64>,
}

impl HeightReporter {
    fn report(&self, root: &NodeRef) {
        let (Some(host), Some(element)) = (&self.host, root.cast::<web_sys::Element>()) else { return };
        let height_px = element.get_bounding_client_rect().height().ceil();
        if height_px > 0.0 && height_px != self.last_px.replace(height_px) {
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"type".into(), &HEIGHT_MESSAGE.into());
            let _ = js_sys::Reflect::set(&message, &"height".into(), &JsValue::from_f64(height_px));
            let _ = js_sys::Reflect::set(&message, &"id".into(), &self.id.as_str().into());
            let _ = host.post_message(&message, "*");
        }
    }
}

/// Inside an iframe, reports `root`'s height to the host page whenever it changes: on every
/// resize (a `ResizeObserver`), and after every render of the embed, since browsers do not run
/// resize observers in an off-screen cross-origin (sandboxed) frame, and content can change
/// there without a new run (the "Open in playground" link arrives from the worker).
#[hook]
pub fn use_report_height(root: NodeRef, id_option: String) {
    let reporter = use_memo((), move |_| {
        let host = host_window();
        let id = if host.is_some() { frame_id(&id_option) } else { String::new() };
        HeightReporter { host, id, last_px: Cell::new(-1.0) }
    });
    {
        let (reporter, root) = (reporter.clone(), root.clone());
        use_effect(move || reporter.report(&root));
    }
    use_effect_with((), move |_| {
        let callback = {
            let (reporter, root) = (reporter.clone(), root.clone());
            Closure::<dyn Fn(js_sys::Array)>::new(move |_: js_sys::Array| reporter.report(&root))
        };
        let observer =
            reporter.host.as_ref().and_then(|_| web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok());
        if let (Some(observer), Some(element)) = (&observer, root.cast::<web_sys::Element>()) {
            observer.observe(&element);
        }
        move || {
            if let Some(observer) = observer {
                observer.disconnect();
            }
            drop(callback);
        }
    });
}
