//! tower: a Rust `ServiceBuilder`, whose first `.layer()` is the outermost, as in our stack.
//!
//! tower has a retry (its `Policy` decides everything: the generated policy counts the
//! attempts, waits the backoff and draws on a `TpsBudget`), a timeout, a concurrency limit, a
//! rate limit and load shedding. It has no circuit breaker, cache, fallback type, adaptive limit
//! or throttle: those get comments naming the nearest equivalent. Its `Hedge` needs the
//! `hdrhistogram` crate and is written as a comment sketch.

use super::common::{self, Context, label};
use super::tower_policy::{self, duration};
use super::writer::Code;
use crate::patterns::bulkhead::BulkheadDoc;
use crate::patterns::fallback::{FallbackAction, FallbackDoc};
use crate::patterns::hedging::HedgingDoc;
use crate::patterns::rate_limiter::{Algorithm, RateLimiterDoc};
use crate::scenario::Layer;

/// The bound of the `Buffer` put inside a retry whose inner service cannot be cloned.
const RETRY_BUFFER: usize = 1024;

/// The stack as a Rust module: request and response stand-ins, `stack(inner)`, retry policies.
pub(super) fn generate(cx: &Context<'_>) -> String {
    let mut code = Code::new("//");
    code.note(cx.header());
    code.note(
        "tower: the first layer of a ServiceBuilder is the outermost, as in our stack. Requires \
         tower = { version = \"0.5\", features = [\"buffer\", \"limit\", \"load-shed\", \"retry\", \"timeout\", \"util\"] } \
         and tokio (rt, time); call stack() inside a Tokio runtime.",
    );
    code.blank();
    imports(cx, &mut code);
    types(&mut code);
    stack_fn(cx, &mut code);
    if needs_failure_kind(cx) {
        failure_kind_fn(&mut code);
    }
    for (index, layer) in cx.layers().iter().enumerate().filter(|(_, l)| l.enabled()) {
        match layer {
            Layer::Retry(retry) => tower_policy::write(&mut code, index, retry),
            Layer::Fallback(fallback) if fallback.action == FallbackAction::Static => {
                fallback_fn(&mut code, index, fallback)
            }
            _ => {}
        }
    }
    code.finish()
}

/// The `use` lines the module needs, and no more (unused imports would warn).
fn imports(cx: &Context<'_>, code: &mut Code) {
    let enabled = || cx.layers().iter().filter(|l| l.enabled());
    let retries: Vec<_> = enabled().filter_map(|l| if let Layer::Retry(r) = l { Some(r) } else { None }).collect();
    let needs_duration =
        enabled().any(|l| matches!(l, Layer::Timeout(_) | Layer::RateLimiter(_))) || !retries.is_empty();
    if retries.iter().any(|r| tower_policy::uses_budget(r)) {
        code.line("use std::sync::Arc;");
    }
    if needs_duration {
        code.line("use std::time::Duration;");
    }
    if needs_duration || retries.iter().any(|r| tower_policy::uses_budget(r)) {
        code.blank();
    }
    if retries.iter().any(|r| tower_policy::uses_exponential(r)) {
        code.line("use tower::retry::backoff::{Backoff, ExponentialBackoff, ExponentialBackoffMaker, MakeBackoff};");
    }
    if retries.iter().any(|r| tower_policy::uses_budget(r)) {
        code.line("use tower::retry::budget::{Budget, TpsBudget};");
    }
    if !retries.is_empty() {
        code.line("use tower::retry::Policy;");
    }
    if retries.iter().any(|r| tower_policy::uses_exponential(r)) {
        code.line("use tower::util::rng::HasherRng;");
    }
    code.line("use tower::{BoxError, Service, ServiceBuilder};");
    code.blank();
}

/// The request and response stand-ins.
fn types(code: &mut Code) {
    code.line("/// Stands for your request type; the retry sends a clone of it again.");
    code.line("#[derive(Clone, Debug)]");
    code.line("pub struct Request;");
    code.blank();
    code.line("/// Stands for your response type; its status tells a success from a 5xx, 429 or other 4xx.");
    code.line("#[derive(Debug)]");
    code.line("pub struct Response {");
    code.line("    /// The HTTP status.");
    code.line("    pub status: u16,");
    code.line("}");
    code.blank();
}

/// `pub fn stack(inner)`: the builder, one commented step per layer.
fn stack_fn(cx: &Context<'_>, code: &mut Code) {
    code.line(format!(
        "/// The stack of endpoint \"{}\" around `inner`, the client of \"{}\".",
        cx.name(),
        cx.service()
    ));
    code.line("pub fn stack<S>(inner: S) -> impl Service<Request, Response = Response, Error = BoxError>");
    code.line("where");
    code.line("    S: Service<Request, Response = Response, Error = BoxError> + Clone + Send + 'static,");
    code.line("    S::Future: Send + 'static,");
    code.line("{");
    code.push();
    code.line("ServiceBuilder::new()");
    code.push();
    let layers = cx.layers();
    for (index, layer) in layers.iter().enumerate() {
        code.note(format!("{}. {}", index + 1, label(layer)));
        if !layer.enabled() {
            code.note(common::disabled(index, layer));
            continue;
        }
        layer_steps(cx, code, index, layer);
        if matches!(layer, Layer::Retry(_)) && needs_buffer(&layers[index + 1..]) {
            code.note(format!(
                "tower's Retry needs a service it can clone, and a layer below it (LoadShed or RateLimit) \
                 cannot be cloned: a Buffer makes it shareable (it adds up to {RETRY_BUFFER} calls waiting in it)."
            ));
            code.line(format!(".buffer::<Request>({RETRY_BUFFER})"));
        }
    }
    code.line(".service(inner)");
    code.pop();
    code.pop();
    code.line("}");
    code.blank();
}

/// True if a layer below a retry, before the next retry, builds a service that cannot be cloned.
fn needs_buffer(below: &[Layer]) -> bool {
    below.iter().filter(|l| l.enabled()).take_while(|l| !matches!(l, Layer::Retry(_))).any(|layer| match layer {
        Layer::Bulkhead(b) => b.max_wait.is_zero() || b.queue.is_some(),
        Layer::RateLimiter(_) => true,
        _ => false,
    })
}

/// The builder steps (and comments) of one enabled layer.
fn layer_steps(cx: &Context<'_>, code: &mut Code, index: usize, layer: &Layer) {
    match layer {
        Layer::Retry(_) => code.line(format!(".retry({}::new())", tower_policy::name(index))),
        Layer::Timeout(t) => code.line(format!(".timeout({})", duration(t.timeout))),
        Layer::Bulkhead(b) => bulkhead(code, b),
        Layer::RateLimiter(r) => rate_limiter(code, r),
        Layer::Fallback(f) => fallback(cx, code, index, f),
        Layer::Hedging(h) => hedging(code, h),
        Layer::CircuitBreaker(_) => code.note(
            "tower has no circuit breaker (tower-rs/tower#102). Nearest: the tower-resilience crate's \
             circuit breaker layer, or .load_shed() in front of a layer that stops being ready.",
        ),
        Layer::Cache(c) => code.note(format!(
            "tower has no cache layer (ttl {}, {} entries{}). Nearest: a .then()/.map_future() step around a \
             cache crate such as moka, keyed by the request.",
            c.ttl,
            c.capacity,
            if c.serve_stale { ", serving stale entries on failure" } else { "" }
        )),
        Layer::AdaptiveLimit(a) => {
            let (initial, min, max) = a.limits();
            code.note(format!(
                "tower has no adaptive concurrency limit ({:?}, limit {initial} within {min}..={max}). Nearest: a fixed limit:",
                a.algorithm
            ));
            code.note(format!(".load_shed().concurrency_limit({initial})"));
        }
        Layer::Throttle(_) => code.note(
            "tower has no client-side adaptive throttling. Nearest: .load_shed(), which refuses calls while \
             the inner service is not ready (no failure-rate rule).",
        ),
    }
}

fn bulkhead(code: &mut Code, b: &BulkheadDoc) {
    match (b.queue, b.max_wait.is_zero()) {
        (None, true) => {
            code.note("A full bulkhead refuses at once: LoadShed fails a call when the limit is not ready.");
            code.line(".load_shed()");
        }
        (Some(queue), _) => {
            code.note(format!("Up to {queue} calls wait in the Buffer; beyond that LoadShed refuses them."));
            if !b.max_wait.is_zero() {
                code.note(format!(
                    "tower cannot bound the wait ({}): queued calls wait as long as it takes.",
                    b.max_wait
                ));
            }
            code.line(".load_shed()");
            code.line(format!(".buffer::<Request>({queue})"));
        }
        (None, false) => code.note(format!(
            "tower's ConcurrencyLimit waits without a limit; the scenario's {} wait for a permit cannot be \
             expressed (nearest: a .timeout() outside it, which also bounds the call).",
            b.max_wait
        )),
    }
    code.line(format!(".concurrency_limit({})", b.max_concurrent));
}

fn rate_limiter(code: &mut Code, r: &RateLimiterDoc) {
    if r.algorithm != Algorithm::FixedWindow {
        code.note(format!(
            "tower's RateLimit is a fixed window that starts at the first call; the scenario's {:?} algorithm \
             differs (nearest: the same permits per period).",
            r.algorithm
        ));
    }
    if let Some(burst) = r.burst {
        code.note(format!("A burst of {burst} cannot be expressed: the window allows {} per period.", r.limit));
    }
    if let Some(name) = &r.shared {
        code.note(format!(
            "Shared limiter \"{}\": build this RateLimit once behind a Buffer and clone that.",
            common::clean(name)
        ));
    }
    match common::permit_wait(r) {
        Some(wait) if wait.is_zero() => {
            code.note("No waiting for a permit: LoadShed refuses a call while the window is spent.");
            code.line(".load_shed()");
        }
        Some(wait) => {
            code.note(format!("tower waits for the next window without a limit (the scenario waits at most {wait})."))
        }
        None => {}
    }
    code.line(format!(".rate_limit({}, {})", r.limit, duration(r.period)));
}

fn fallback(cx: &Context<'_>, code: &mut Code, index: usize, f: &FallbackDoc) {
    match &f.action {
        FallbackAction::Static => {
            code.note(format!(
                "tower has no fallback type: map_result answers {} with a default response.",
                common::kinds(&f.on)
            ));
            code.line(format!(".map_result(fallback_{})", index + 1));
        }
        FallbackAction::StaleCache => code.note(
            "tower has no fallback type and no cache: serving the last good answer needs a .then() step over \
             your own cache.",
        ),
        FallbackAction::Service(name) => code.note(format!(
            "tower has no fallback type. Nearest: a .then() step that calls \"{}\" when this stack's call \
             (to \"{}\") fails with {}.",
            common::clean(name),
            cx.service(),
            common::kinds(&f.on)
        )),
    }
}

fn hedging(code: &mut Code, h: &HedgingDoc) {
    code.note(format!(
        "tower's Hedge (feature \"hedge\", which needs the hdrhistogram crate) sends one hedge after the \
         p{} latency of the last period; the scenario's mode is {:?} with {} hedged attempt(s) after {}. \
         Written as a comment: wrap the built service as",
        common::num(h.percentile),
        h.mode,
        h.max_hedged_attempts,
        h.delay
    ));
    code.note(format!(
        "tower::hedge::Hedge::new(service, policy, {}, {}, {})",
        h.min_data_points,
        common::num(h.percentile / 100.0),
        duration(h.period)
    ));
}

/// True if a retry or static fallback needs the failure classifier.
fn needs_failure_kind(cx: &Context<'_>) -> bool {
    cx.layers().iter().filter(|l| l.enabled()).any(|l| match l {
        Layer::Retry(_) => true,
        Layer::Fallback(f) => f.action == FallbackAction::Static,
        _ => false,
    })
}

/// `failure_kind(result)`: the playground's failure classes for a tower result.
fn failure_kind_fn(code: &mut Code) {
    code.line("/// The failure class of a result as the playground names it (\"5xx\", \"429\", \"4xx\",");
    code.line("/// \"timeout\", \"rejected\"); `None` for a success. Other errors count as 5xx.");
    code.line("fn failure_kind(result: &Result<Response, BoxError>) -> Option<&'static str> {");
    code.push();
    code.line("match result {");
    code.push();
    code.line("Ok(response) if response.status == 429 => Some(\"429\"),");
    code.line("Ok(response) if response.status >= 500 => Some(\"5xx\"),");
    code.line("Ok(response) if response.status >= 400 => Some(\"4xx\"),");
    code.line("Ok(_) => None,");
    code.line("Err(error) if error.is::<tower::timeout::error::Elapsed>() => Some(\"timeout\"),");
    code.line("Err(error) if error.is::<tower::load_shed::error::Overloaded>() => Some(\"rejected\"),");
    code.line("Err(_) => Some(\"5xx\"),");
    code.pop();
    code.line("}");
    code.pop();
    code.line("}");
    code.blank();
}

/// `fallback_N(result)`: a default answer for the failures the fallback handles.
fn fallback_fn(code: &mut Code, index: usize, f: &FallbackDoc) {
    code.line(format!("/// Fallback of layer {}: a default answer for {}.", index + 1, common::kinds(&f.on)));
    code.line(format!(
        "fn fallback_{}(result: Result<Response, BoxError>) -> Result<Response, BoxError> {{",
        index + 1
    ));
    code.push();
    code.line("match failure_kind(&result) {");
    code.push();
    code.line(format!("Some({}) => Ok(Response {{ status: 200 }}),", tower_policy::pattern(&f.on)));
    code.line("_ => result,");
    code.pop();
    code.line("}");
    code.pop();
    code.line("}");
    code.blank();
}
