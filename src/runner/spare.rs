//! The spare baseline: once a small scenario's result is on screen, the comparison run that the
//! next "re-roll the seed" will need is run ahead in the browser's idle periods (between frames,
//! never into the next one), and kept with the baselines. A re-roll then waits for its own run
//! only, as an edit to a layer does. The re-rolled seed is known in advance ([`rerolled_seed`]),
//! and a run is deterministic, so a prepared baseline is the very one the re-roll would have
//! run. An edit cancels the preparation; a baseline that is never used costs only idle time.
//!
//! ```text
//!   result handed to the page ──► idle period: slice ──► idle period: slice … ──► kept
//!                                     │
//!        any edit: pending step dropped (cancelled) ◄──┘
//! ```

use std::rc::Rc;

use resilience_engine::Simulation;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::IdleDeadline;

use super::{EVENTS_PER_STEP, JobSlot, baseline_simulation, now_ms};
use crate::doc::{self, CompareWith};
use crate::state::rerolled_seed;

/// Time kept free at the end of an idle period, in milliseconds: a step may take about that.
const STEP_MS: f64 = 1.0;
/// Largest comparison run prepared ahead, in expected requests: a few milliseconds of work.
const SPARE_REQUESTS_MAX: f64 = 50_000.0;

/// The spare's next slice: a requested idle callback; dropping it cancels the request.
pub(super) struct IdleCall {
    handle: u32,
    _callback: Closure<dyn FnMut(IdleDeadline)>,
}

impl Drop for IdleCall {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            window.cancel_idle_callback(self.handle);
        }
    }
}

/// Prepares, in the next idle period, the baseline a re-roll of `doc` (valid at `revision`) will
/// need, compared `with`, unless it is kept already.
pub(super) fn prepare(slot: &JobSlot, doc: Rc<Value>, revision: u64, with: CompareWith) {
    let next = slot.clone();
    when_idle(slot, Box::new(move |room_ms| start(next, &doc, (revision, with), room_ms)));
}

/// Runs `task` in the browser's next idle period, with the milliseconds that period has left.
/// Where the browser has no idle callbacks (older Safari), nothing is prepared: a re-roll runs
/// its baseline with it.
fn when_idle(slot: &JobSlot, task: Box<dyn FnOnce(f64)>) {
    let Some(window) = web_sys::window() else { return };
    let callback = Closure::once(move |deadline: IdleDeadline| task(deadline.time_remaining()));
    if let Ok(handle) = window.request_idle_callback(callback.as_ref().unchecked_ref()) {
        *slot.spare.borrow_mut() = Some(IdleCall { handle, _callback: callback });
    }
}

fn start(slot: JobSlot, doc: &Value, (revision, with): (u64, CompareWith), room_ms: f64) {
    // The comparison keeps the seed as it is: re-rolling before or after comes to the same.
    let mut compared = doc::comparison(doc, with);
    compared["seed"] = rerolled_seed(doc, revision).into();
    let text = compared.to_string();
    let kept = slot.baselines.borrow().iter().any(|(kept, ..)| *kept == text);
    let simulation = if kept { None } else { baseline_simulation(&text, SPARE_REQUESTS_MAX) };
    match simulation {
        Some(simulation) => slice(slot, simulation, text, room_ms),
        None => {
            slot.spare.borrow_mut().take();
        }
    }
}

/// Runs while `room_ms` lasts, then waits for the next idle period; when done, keeps the
/// baseline.
fn slice(slot: JobSlot, mut simulation: Simulation, text: String, room_ms: f64) {
    let end_ms = now_ms() + room_ms - STEP_MS;
    loop {
        if now_ms() > end_ms {
            let next = slot.clone();
            return when_idle(&slot, Box::new(move |room_ms| slice(next, simulation, text, room_ms)));
        }
        match simulation.step(EVENTS_PER_STEP) {
            Ok(false) => {}
            Ok(true) => break,
            Err(_) => {
                slot.spare.borrow_mut().take();
                return;
            }
        }
    }
    let report = simulation.finish();
    slot.keep_baseline((text, Rc::new((report.summary, report.metrics)), report.digest));
    slot.spare.borrow_mut().take();
}
