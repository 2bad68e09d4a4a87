//! The playground's worker: a second wasm, loaded after the first paint, that runs what the
//! page needs now and then and would otherwise pay for in its first-paint bundle: assertion
//! verdicts, configuration insights, breaker and request explanations, copy as code, import of
//! library configurations, and share-link encoding. See [`ops`] for the messages.
//!
//! In the browser it answers each message (a request as JSON text) with one message (the reply
//! as JSON text), in order, after a first `{"ready": true}`. Natively it reads one request per
//! line on standard input and prints one reply per line, which is how its tests drive it; an
//! odds batch runs to its end after the reply that starts it, on that one thread.
//!
//! The page's instance also coordinates the odds pool ([`odds`], `pool.rs`): more instances of
//! this worker, which run a batch's jobs.

mod odds;
mod ops;
#[cfg(target_arch = "wasm32")]
mod pool;
#[cfg(test)]
mod tests;

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let coordinator = pool::Coordinator::new(scope.clone());
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        pool::on_page_message(&coordinator, &event.data().as_string().unwrap_or_default());
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
        // Natively the odds pool is this one thread: a batch runs to its end here, so there
        // are never jobs out to stop.
        worker.take_stop_jobs();
        while let Some(job) = worker.odds.next_job() {
            let done = worker.handle(&job, &now_ms);
            worker.odds.job_done(&done, now_ms());
        }
    }
}
