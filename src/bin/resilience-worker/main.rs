//! The playground's worker: a second wasm, loaded after the first paint, that runs what the
//! page needs now and then and would otherwise pay for in its first-paint bundle: assertion
//! verdicts, configuration insights, breaker and request explanations, copy as code, import of
//! library configurations, and share-link encoding. See [`ops`] for the messages.
//!
//! In the browser it answers each message (a request as JSON text) with one message (the reply
//! as JSON text), in order, after a first `{"ready": true}`. Natively it reads one request per
//! line on standard input and prints one reply per line, which is how its tests drive it.

mod ops;
#[cfg(test)]
mod tests;

#[cfg(target_arch = "wasm32")]
fn main() {
    use std::cell::RefCell;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let worker = RefCell::new(ops::Worker::default());
    let reply_to = scope.clone();
    let now_ms = move || js_sys::Date::now();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let request = event.data().as_string().unwrap_or_default();
        let reply = worker.borrow_mut().handle(&request, &now_ms);
        let _ = reply_to.post_message(&reply.into());
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&r#"{"ready":true}"#.into());
}

#[cfg(not(target_arch = "wasm32"))]
#[allow(clippy::disallowed_methods)] // the wall clock bounds a run's CPU time; runs keep virtual time
fn main() {
    use std::io::{BufRead, Write};
    let started = std::time::Instant::now();
    let now_ms = move || started.elapsed().as_secs_f64() * 1000.0;
    let mut worker = ops::Worker::default();
    let stdout = std::io::stdout();
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let reply = worker.handle(&line, &now_ms);
        let _ = writeln!(stdout.lock(), "{reply}");
    }
}
