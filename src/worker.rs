//! The page's side of the worker chunk (`src/bin/resilience-worker`): starts it after the first
//! paint, the first time something asks, and sends it one request at a time, each just after
//! the browser's next paint (in a hidden tab, once it is shown again). A request with a
//! key replaces an older one of the same key that has not gone out yet (a newer analysis
//! makes the older one moot), so the worker never falls behind a reader's edits.
//!
//! The worker is created from a small script of its own (a blob), which loads the worker's
//! files by absolute URL: that works from the app's page and from a docs page that mounts a
//! player from another host (`www/player.js` sets `window.resiliencePlaygroundBase`).

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker};

/// What a request's sender gets back: the reply, or why there is none.
pub type Reply = Result<Value, String>;
type Callback = Box<dyn FnOnce(Reply)>;

/// A request not yet sent.
struct Queued {
    key: Option<&'static str>,
    text: String,
    callback: Callback,
}

#[derive(Default)]
struct Client {
    worker: Option<Worker>,
    ready: bool,
    /// Why the worker cannot answer, once that is known.
    broken: Option<String>,
    queue: Vec<Queued>,
    in_flight: Option<Callback>,
}

/// Who hears the worker's pushes (messages that answer no request: the odds dialog's drawing
/// as a batch runs).
type PushHandler = Box<dyn Fn(Value)>;

thread_local! {
    static CLIENT: Rc<RefCell<Client>> = Rc::default();
    static ON_PUSH: RefCell<Option<PushHandler>> = RefCell::default();
}

/// Sets (or, with `None`, clears) who hears the worker's pushes; without one they are dropped.
pub fn on_push(handler: Option<PushHandler>) {
    ON_PUSH.with(|slot| *slot.borrow_mut() = handler);
}

/// Sends `request` (a JSON object as text) and calls `callback` with the reply. With a `key`, a
/// queued request of the same key is dropped unanswered.
pub fn ask(key: Option<&'static str>, request: String, callback: impl FnOnce(Reply) + 'static) {
    ask_boxed(key, request, Box::new(callback));
}

/// [`ask`] without its generic callback: one copy of the code for every caller.
#[inline(never)]
fn ask_boxed(key: Option<&'static str>, text: String, callback: Callback) {
    let client = CLIENT.with(Rc::clone);
    let broken = {
        let mut state = client.borrow_mut();
        if let Some(key) = key {
            state.queue.retain(|q| q.key != Some(key));
        }
        state.queue.push(Queued { key, text, callback });
        if state.worker.is_none() && state.broken.is_none() {
            match start(&client) {
                Ok(worker) => state.worker = Some(worker),
                Err(reason) => state.broken = Some(reason),
            }
        }
        state.broken.clone()
    };
    match broken {
        Some(reason) => fail_all(&client, &reason),
        None => send_next(&client),
    }
}

/// Where the app's files are: the player's base on a docs page, else the page's own.
fn base_url() -> String {
    let window = web_sys::window();
    let player_base = window
        .as_ref()
        .and_then(|w| js_sys::Reflect::get(w, &"resiliencePlaygroundBase".into()).ok())
        .and_then(|v| v.as_string());
    let page = player_base.or_else(|| window?.document()?.base_uri().ok().flatten()).unwrap_or_default();
    // The folder of that URL (no file name, query or fragment).
    Url::new_with_base(".", &page).map_or(page, |url| url.href())
}

fn start(client: &Rc<RefCell<Client>>) -> Result<Worker, String> {
    let base = base_url();
    let js = Value::String(format!("{base}resilience-worker.js"));
    let wasm = Value::String(format!("{base}resilience-worker_bg.wasm"));
    // The worker keeps the base, to start the odds pool's workers from the same files.
    let base = Value::String(base);
    let script = format!("self.rpBase={base};importScripts({js});wasm_bindgen({{module_or_path:{wasm}}});");
    let parts = js_sys::Array::of1(&script.into());
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    // The browser's reason (a content security policy, no workers) says little to a reader.
    let failed = |_| "the analysis worker could not start in this browser".to_owned();
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(failed)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let worker = Worker::new(&url).map_err(failed)?;
    let on_message = {
        let client = Rc::clone(client);
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| received(&client, &event))
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = {
        let client = Rc::clone(client);
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            fail_all(&client, "the analysis worker stopped: its files could not be loaded or it failed");
        })
    };
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Ok(worker)
}

fn received(client: &Rc<RefCell<Client>>, event: &MessageEvent) {
    let reply: Value = serde_json::from_str(&event.data().as_string().unwrap_or_default()).unwrap_or(Value::Null);
    if reply.get("push").is_some() {
        ON_PUSH.with(|slot| slot.borrow().as_ref().map(|handler| handler(reply)));
        return;
    }
    let callback = {
        let mut state = client.borrow_mut();
        if reply.get("ready").is_some() {
            state.ready = true;
            None
        } else {
            state.in_flight.take()
        }
    };
    if let Some(callback) = callback {
        callback(match reply.get("error").and_then(Value::as_str) {
            Some(error) => Err(error.to_owned()),
            None => Ok(reply),
        });
    }
    send_next(client);
}

fn send_next(client: &Rc<RefCell<Client>>) {
    let mut state = client.borrow_mut();
    if !state.ready || state.in_flight.is_some() || state.queue.is_empty() {
        return;
    }
    let next = state.queue.remove(0);
    if let Some(worker) = &state.worker {
        post_after_paint(worker, next.text);
        state.in_flight = Some(next.callback);
    }
}

/// Posts `text` to `worker` just after the browser paints its next frame (a timer set in a
/// frame's callback fires after that frame's paint). Every answer comes later anyway, and the
/// worker's work would take a core from the browser while it draws an edit's result.
/// Bound JavaScript functions, not closures: nothing to free, and little code.
fn post_after_paint(worker: &Worker, text: String) {
    let message = JsValue::from(text);
    let posted = web_sys::window().and_then(|window| {
        let get =
            |from: &JsValue, name: &str| js_sys::Reflect::get(from, &name.into()).ok().map(js_sys::Function::from);
        // An empty transfer list: the frame's callback passes its time on, and a third argument
        // is ignored where a second would be taken for the transfer list.
        let post = get(worker, "postMessage")?.bind2(worker, &message, &js_sys::Array::new());
        let after = get(&window, "setTimeout")?.bind2(&window, &post, &0.into());
        window.request_animation_frame(after.unchecked_ref()).ok()
    });
    if posted.is_none() {
        let _ = worker.post_message(&message);
    }
}

fn fail_all(client: &Rc<RefCell<Client>>, reason: &str) {
    let callbacks: Vec<Callback> = {
        let mut state = client.borrow_mut();
        state.broken = Some(reason.to_owned());
        state.worker = None;
        let queued = std::mem::take(&mut state.queue).into_iter().map(|q| q.callback);
        queued.chain(state.in_flight.take()).collect()
    };
    for callback in callbacks {
        callback(Err(reason.to_owned()));
    }
}
