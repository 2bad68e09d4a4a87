//! The odds pool, in the browser: this worker (the page's) starts up to `workers` more
//! instances of itself, hands each a job when it is ready and idle, merges the replies, and
//! pushes the dialog's drawing to the page as results arrive (at most every
//! [`PUSH_EVERY_MS`], and when the batch ends). Stopping the jobs terminates the pool's
//! workers (cancel, or a new batch): the runs really stop; the next batch starts new ones.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Blob, BlobPropertyBag, DedicatedWorkerGlobalScope, MessageEvent, Url, Worker};

use crate::ops;

/// Least time between two drawings pushed while a batch runs, in milliseconds.
const PUSH_EVERY_MS: f64 = 250.0;
/// Least time between two drawings of the partial results while a batch runs, in milliseconds
/// (the pushes between carry the status alone: a heatmap of hundreds of cells costs the page's
/// thread tens of milliseconds to draw, more while the pool takes every core).
const RESULTS_EVERY_MS: f64 = 1_000.0;

/// A member's message handlers, kept until it is stopped.
type Handlers = (Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(web_sys::Event)>);

/// One worker of the pool.
struct Member {
    worker: Worker,
    ready: bool,
    busy: bool,
    /// Dropped with the member, after its handlers are unset.
    _handlers: Handlers,
}

impl Member {
    /// Stops the worker at once (its job is lost) and unhooks its handlers.
    fn stop(self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// The coordinator: the page's worker state, the pool, and where to reply.
pub struct Coordinator {
    pub worker: ops::Worker,
    members: Vec<Member>,
    /// Where the worker's files are (the page's script that started this worker set `rpBase`).
    base: String,
    /// Pool size asked for.
    size: usize,
    scope: DedicatedWorkerGlobalScope,
    last_push_ms: f64,
    /// When the last push carried the results.
    last_results_ms: f64,
}

/// The coordinator, shared by the message handlers.
pub type Shared = Rc<RefCell<Coordinator>>;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Coordinator {
    /// A coordinator replying on `scope`.
    pub fn new(scope: DedicatedWorkerGlobalScope) -> Shared {
        let worker = ops::Worker::default();
        let base = js_sys::Reflect::get(&scope, &"rpBase".into()).ok().and_then(|b| b.as_string()).unwrap_or_default();
        let members = Vec::new();
        Rc::new(RefCell::new(Self { worker, members, base, size: 1, scope, last_push_ms: 0.0, last_results_ms: 0.0 }))
    }
}

/// Answers a message from the page, then keeps the pool busy.
pub fn on_page_message(shared: &Shared, request: &str) {
    let reply = {
        let mut me = shared.borrow_mut();
        let parsed: serde_json::Value = serde_json::from_str(request).unwrap_or_default();
        let odds = parsed.get("op").and_then(serde_json::Value::as_str) == Some("odds");
        if odds {
            me.size = ops::pool_size(&parsed);
        }
        let reply = me.worker.handle(request, &now_ms);
        if odds && me.worker.odds.running() {
            // The first results are drawn a second in, not while the pool starts.
            me.last_results_ms = now_ms();
        }
        reply
    };
    let _ = shared.borrow().scope.post_message(&reply.into());
    pump(shared);
}

/// Stops moot jobs, then gives each idle member a job (starting members as needed).
fn pump(shared: &Shared) {
    let mut me = shared.borrow_mut();
    if me.worker.take_stop_jobs() {
        me.members.drain(..).for_each(Member::stop);
    }
    if !me.worker.odds.running() {
        return;
    }
    while me.members.len() < me.size {
        match start_member(shared, &me.base, me.members.len()) {
            Ok((worker, handlers)) => {
                me.members.push(Member { worker, ready: false, busy: false, _handlers: handlers });
            }
            Err(why) => {
                me.worker.odds.pool_failed(&why, now_ms());
                drop(me);
                push(shared, true);
                return;
            }
        }
    }
    let me = &mut *me;
    for member in me.members.iter_mut().filter(|m| m.ready && !m.busy) {
        let Some(job) = me.worker.odds.next_job() else { break };
        let _ = member.worker.post_message(&job.into());
        member.busy = true;
    }
}

/// Starts member `index` from a blob script that loads this worker's files from `base`.
fn start_member(shared: &Shared, base: &str, index: usize) -> Result<(Worker, Handlers), String> {
    let js = serde_json::Value::String(format!("{base}resilience-worker.js"));
    let wasm = serde_json::Value::String(format!("{base}resilience-worker_bg.wasm"));
    let script = format!("importScripts({js});wasm_bindgen({{module_or_path:{wasm}}});");
    // (`rpBase` is not set: a member starts no workers of its own.)
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    let failed = |_| "the odds workers could not start in this browser".to_owned();
    let blob =
        Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&script.into()), &options).map_err(failed)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let worker = Worker::new(&url).map_err(failed)?;
    let on_message = {
        let (shared, worker) = (Rc::clone(shared), worker.clone());
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            member_message(&shared, &worker, index, &event.data().as_string().unwrap_or_default());
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let on_error = {
        let shared = Rc::clone(shared);
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            shared
                .borrow_mut()
                .worker
                .odds
                .pool_failed("an odds worker stopped: it failed or ran out of memory", now_ms());
            push(&shared, true);
        })
    };
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok((worker, (on_message, on_error)))
}

/// A member's message: `ready`, or a job's reply.
fn member_message(shared: &Shared, worker: &Worker, index: usize, text: &str) {
    {
        let mut me = shared.borrow_mut();
        // A terminated pool's member may still have a message queued: ignore it.
        let Some(member) = me.members.get_mut(index).filter(|m| m.worker == *worker) else { return };
        if text == r#"{"ready":true}"# && !member.busy {
            member.ready = true;
        } else {
            member.busy = false;
            me.worker.odds.job_done(text, now_ms());
        }
    }
    let ended = !shared.borrow().worker.odds.running();
    push(shared, ended);
    pump(shared);
}

/// Pushes the dialog's drawing to the page (its status, and its results at most every [`RESULTS_EVERY_MS`]: never the form,
/// so what a reader types there stays), now if `force`,
/// else at most every [`PUSH_EVERY_MS`].
fn push(shared: &Shared, force: bool) {
    let mut me = shared.borrow_mut();
    let now = now_ms();
    if !force && now - me.last_push_ms < PUSH_EVERY_MS {
        return;
    }
    me.last_push_ms = now;
    let with_results = force || now - me.last_results_ms >= RESULTS_EVERY_MS;
    if with_results {
        me.last_results_ms = now;
    }
    let mut message = me.worker.odds.push_view(now, with_results);
    message["push"] = "odds".into();
    if let Some(drawing) = message.as_object_mut() {
        drawing.remove("form");
    }
    let message = message.to_string();
    let _ = me.scope.post_message(&message.into());
}
