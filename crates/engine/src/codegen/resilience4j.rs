//! resilience4j with Spring Boot: the `application.yml` instances (named after the endpoint),
//! the aspect order that nests them as our stack does, and the decorator chain in comments.
//!
//! Spring applies the annotations' aspects in a fixed order, by default
//! `Retry(CircuitBreaker(RateLimiter(TimeLimiter(Bulkhead(call)))))`; each `*AspectOrder`
//! property moves one (a lower value is further out). `Decorators` lists them the other way
//! round: the first added is the innermost. Cache, hedging, adaptive limits, throttling and
//! retry budgets have no Spring Boot properties: comments name the nearest equivalent.

use super::common::{self, Context, label, num};
use super::java;
use super::writer::Code;
use crate::patterns::FailureKind;
use crate::patterns::bulkhead::BulkheadDoc;
use crate::patterns::circuit_breaker::{BreakerDoc, BreakerMode, Evaluate, HalfOpenAdmission, OpenBoundary, WindowDoc};
use crate::patterns::rate_limiter::{Algorithm, RateLimiterDoc};
use crate::patterns::retry::{BackoffDoc, Jitter, RetryAfter, RetryDoc};
use crate::patterns::timeout::TimeoutDoc;
use crate::scenario::Layer;
use crate::time::Span;

/// Spring's `Ordered.LOWEST_PRECEDENCE`; resilience4j's aspects sit just below it.
const LOWEST_PRECEDENCE: i64 = 2_147_483_647;

/// The Spring Boot sections in the order the default aspects nest (outermost first), with the
/// aspect-order property of each.
const SECTIONS: [(&str, &str); 5] = [
    ("retry", "retryAspectOrder"),
    ("circuitbreaker", "circuitBreakerAspectOrder"),
    ("ratelimiter", "rateLimiterAspectOrder"),
    ("timelimiter", "timeLimiterAspectOrder"),
    ("bulkhead", "bulkheadAspectOrder"),
];

/// The `application.yml`, with the order explained and the Java side in comments.
pub(super) fn generate(cx: &Context<'_>) -> String {
    let mut code = Code::new("#");
    code.note(cx.header());
    code.note(
        "resilience4j's Spring aspects nest in a fixed order, by default Retry(CircuitBreaker(RateLimiter(\
         TimeLimiter(Bulkhead(call))))): the retry is outside the breaker, so every retry counts in the \
         breaker's window (resilience4j#2383). Each *AspectOrder below moves one aspect: Spring runs the \
         LOWER value first (further out). They are set to nest as our stack does.",
    );
    code.blank();
    code.note("What each layer of the stack becomes:");
    for (index, layer) in cx.layers().iter().enumerate() {
        code.note(format!("{}. {}: {}", index + 1, label(layer), summary(layer)));
    }
    code.blank();
    let sections = sections(cx);
    if sections.iter().all(|(_, body)| body.is_empty()) {
        code.note("Nothing here has a Spring Boot property: no resilience4j instances are needed.");
    } else {
        code.line("resilience4j:");
        code.push();
        for (section, body) in sections.into_iter().filter(|(_, body)| !body.is_empty()) {
            code.line(format!("{section}:"));
            for line in body {
                code.line(format!("    {line}"));
            }
        }
        code.pop();
    }
    code.blank();
    java::write(cx, &mut code);
    code.finish()
}

/// What a layer becomes in resilience4j, in a few words.
fn summary(layer: &Layer) -> String {
    if !layer.enabled() {
        return "disabled in the scenario; left out.".to_owned();
    }
    match layer {
        Layer::Retry(_) => "resilience4j.retry (@Retry).".to_owned(),
        Layer::CircuitBreaker(_) => "resilience4j.circuitbreaker (@CircuitBreaker).".to_owned(),
        Layer::Timeout(_) => "resilience4j.timelimiter (@TimeLimiter; async methods only).".to_owned(),
        Layer::Bulkhead(b) if b.queue.is_some() => {
            "resilience4j.thread-pool-bulkhead (@Bulkhead(type = THREADPOOL)).".to_owned()
        }
        Layer::Bulkhead(_) => "resilience4j.bulkhead (@Bulkhead).".to_owned(),
        Layer::RateLimiter(_) => "resilience4j.ratelimiter (@RateLimiter).".to_owned(),
        Layer::Fallback(f) => format!(
            "no properties: a fallbackMethod on the outermost annotation, or Decorators.withFallback, for {}.",
            common::kinds(&f.on)
        ),
        Layer::Cache(c) => format!(
            "no Spring Boot properties. Nearest: resilience4j-cache over a JCache (ttl {}, {} entries) in Java, \
             or Spring's @Cacheable{}.",
            c.ttl,
            c.capacity,
            if c.serve_stale { "; serving stale entries on failure needs your own fallback" } else { "" }
        ),
        Layer::Hedging(h) => format!(
            "no Spring Boot properties. Nearest: the resilience4j-hedge module's HedgeConfig with a preconfigured \
             delay of {} ({:?} mode, {} hedged attempt(s) here).",
            h.delay, h.mode, h.max_hedged_attempts
        ),
        Layer::AdaptiveLimit(a) => format!(
            "resilience4j has no adaptive concurrency limit (resilience4j#201). Nearest: a bulkhead fixed at the \
             initial limit, maxConcurrentCalls {}.",
            a.limits().0
        ),
        Layer::Throttle(_) => "resilience4j has no client-side adaptive throttling. Nearest: a circuit breaker, \
             which refuses every call instead of a share of them."
            .to_owned(),
    }
}

/// Every Spring Boot section with its lines (instances and aspect orders).
fn sections(cx: &Context<'_>) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> =
        ["retry", "circuitbreaker", "ratelimiter", "timelimiter", "bulkhead", "thread-pool-bulkhead"]
            .iter()
            .map(|s| ((*s).to_owned(), Vec::new()))
            .collect();
    let mut seen = [0_usize; 6];
    let mut instances: Vec<Vec<String>> = vec![Vec::new(); 6];
    for (index, layer) in cx.layers().iter().enumerate().filter(|(_, l)| l.enabled()) {
        let Some((slot, lines)) = instance(index, layer) else { continue };
        let name = match layer {
            Layer::RateLimiter(RateLimiterDoc { shared: Some(shared), .. }) => yaml_key(shared),
            _ => common::numbered(&cx.kebab(), seen[slot], "-"),
        };
        seen[slot] += 1;
        instances[slot].push(format!("    {name}:"));
        instances[slot].extend(lines.into_iter().map(|l| format!("        {l}")));
    }
    for (slot, order) in aspect_orders(cx) {
        out[slot].1.push(format!("{}: {order}", SECTIONS[slot].1));
    }
    for (slot, lines) in instances.into_iter().enumerate() {
        if !lines.is_empty() {
            out[slot].1.push("instances:".to_owned());
            out[slot].1.extend(lines);
        }
    }
    out
}

/// The aspect order of each kind present (its first layer), nesting them as our stack does.
fn aspect_orders(cx: &Context<'_>) -> Vec<(usize, i64)> {
    let mut slots: Vec<usize> = Vec::new();
    for (index, layer) in cx.layers().iter().enumerate().filter(|(_, l)| l.enabled()) {
        // A thread-pool bulkhead is still @Bulkhead: it takes the bulkhead's aspect order.
        if let Some(slot) = instance(index, layer).map(|(slot, _)| slot.min(SECTIONS.len() - 1)) {
            if !slots.contains(&slot) {
                slots.push(slot);
            }
        }
    }
    let base = LOWEST_PRECEDENCE - SECTIONS.len() as i64;
    slots.into_iter().enumerate().map(|(position, slot)| (slot, base + position as i64)).collect()
}

/// The section slot and property lines of one layer (`None` for kinds without properties).
fn instance(index: usize, layer: &Layer) -> Option<(usize, Vec<String>)> {
    let mark = format!("# {}. {}", index + 1, label(layer));
    let (slot, mut lines) = match layer {
        Layer::Retry(r) => (0, retry(r)),
        Layer::CircuitBreaker(b) => (1, breaker(b)),
        Layer::RateLimiter(r) => (2, rate_limiter(r)),
        Layer::Timeout(t) => (3, timeout(t)),
        Layer::Bulkhead(b) if b.queue.is_some() => (5, thread_pool(b)),
        Layer::Bulkhead(b) => (4, bulkhead(b)),
        Layer::AdaptiveLimit(a) => (
            4,
            vec![
                "# Nearest to the adaptive limit: a fixed bulkhead at its initial limit.".to_owned(),
                format!("maxConcurrentCalls: {}", a.limits().0),
                "maxWaitDuration: 0ms".to_owned(),
            ],
        ),
        _ => return None,
    };
    lines.insert(0, mark);
    Some((slot, lines))
}

/// A Spring Boot duration (`500ms`, `5s`).
fn spring(span: Span) -> String {
    let us = span.as_micros();
    if us % 1_000_000 == 0 {
        format!("{}s", us / 1_000_000)
    } else if us % 1_000 == 0 {
        format!("{}ms", us / 1_000)
    } else {
        format!("{us}us")
    }
}

/// A name made safe as a YAML key.
fn yaml_key(name: &str) -> String {
    let key: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    if key.is_empty() { "shared".to_owned() } else { key }
}

fn retry(r: &RetryDoc) -> Vec<String> {
    let (attempts, retries) = common::attempts_and_retries(r);
    let mut lines = vec![format!("maxAttempts: {attempts}  # attempts in all, the first included ({retries} retries)")];
    match r.backoff {
        BackoffDoc::Constant { delay } => {
            lines.push(format!("waitDuration: {}", spring(r.max_delay.map_or(delay, |m| delay.min(m)))))
        }
        BackoffDoc::Linear { delay } => {
            lines.push(
                "# No linear backoff in properties: use IntervalFunction.of(d, n -> d * n) in a RetryConfigCustomizer."
                    .to_owned(),
            );
            lines.push(format!("waitDuration: {}", spring(delay)));
        }
        BackoffDoc::Exponential { initial, multiplier } => {
            lines.push(format!("waitDuration: {}", spring(initial)));
            lines.push("enableExponentialBackoff: true".to_owned());
            lines.push(format!("exponentialBackoffMultiplier: {}", num(multiplier)));
            if let Some(max) = r.max_delay {
                lines.push(format!("exponentialMaxWaitDuration: {}", spring(max)));
            }
        }
    }
    jitter(r.jitter, &mut lines);
    lines.extend(exceptions("retryExceptions", &r.retry_on));
    if r.retry_after_policy() != RetryAfter::Ignore {
        lines
            .push("# Waiting what Retry-After says needs an IntervalBiFunction in a RetryConfigCustomizer.".to_owned());
    }
    if !r.budget.is_none() {
        lines.push("# resilience4j has no retry budget (resilience4j#172). Nearest: a rate limiter or breaker on the retried calls.".to_owned());
    }
    lines
}

fn jitter(jitter: Jitter, lines: &mut Vec<String>) {
    let factor = match jitter {
        Jitter::None => return,
        Jitter::Factor(f) => f.min(0.99),
        other => {
            lines
                .push(format!("# resilience4j randomizes ±factor around each wait; nearest to {other:?} jitter: 0.5."));
            0.5
        }
    };
    lines.push("enableRandomizedWait: true".to_owned());
    lines.push(format!("randomizedWaitFactor: {}", num(factor)));
}

/// The exception classes standing for failure kinds (Spring's RestClient/RestTemplate ones).
fn exceptions(key: &str, kinds: &[FailureKind]) -> Vec<String> {
    let mut lines = vec![format!("{key}:")];
    for kind in kinds {
        let classes: &[&str] = match kind {
            FailureKind::ServerError => &["org.springframework.web.client.HttpServerErrorException"],
            FailureKind::Throttled => &["org.springframework.web.client.HttpClientErrorException$TooManyRequests"],
            FailureKind::ClientError => &["org.springframework.web.client.HttpClientErrorException"],
            FailureKind::Timeout => &["java.util.concurrent.TimeoutException"],
            FailureKind::Rejected => &[
                "io.github.resilience4j.circuitbreaker.CallNotPermittedException",
                "io.github.resilience4j.bulkhead.BulkheadFullException",
                "io.github.resilience4j.ratelimiter.RequestNotPermitted",
            ],
        };
        lines.extend(classes.iter().map(|c| format!("    - {c}")));
    }
    if kinds.contains(&FailureKind::ClientError) && !kinds.contains(&FailureKind::Throttled) {
        lines.push("# HttpClientErrorException includes 429 (TooManyRequests); ignore it to leave 429 out.".to_owned());
    }
    lines
}

fn breaker(b: &BreakerDoc) -> Vec<String> {
    let mut lines = Vec::new();
    match (b.consecutive_failures, b.window) {
        (Some(n), _) => {
            lines.push(format!("# {n} failures in a row: a count window of {n} that must be 100 % failures."));
            lines.extend([
                "slidingWindowType: COUNT_BASED".to_owned(),
                format!("slidingWindowSize: {n}"),
                format!("minimumNumberOfCalls: {n}"),
                "failureRateThreshold: 100".to_owned(),
            ]);
        }
        (None, window) => {
            let (kind, size) = match window {
                WindowDoc::Count(n) => ("COUNT_BASED", n),
                WindowDoc::Seconds(n) => ("TIME_BASED", n),
            };
            lines.push(format!("slidingWindowType: {kind}"));
            lines.push(format!("slidingWindowSize: {size}"));
            lines.push(format!("minimumNumberOfCalls: {}", b.minimum_calls));
            lines.push(format!("failureRateThreshold: {}", num(b.failure_rate)));
        }
    }
    lines.push(format!("slowCallRateThreshold: {}", num(b.slow_call_rate)));
    lines.push(format!("slowCallDurationThreshold: {}", spring(b.slow_call_duration)));
    lines.push(format!("waitDurationInOpenState: {}", spring(b.wait_open)));
    if b.wait_multiplier > 1.0 {
        lines.push("enableExponentialBackoff: true".to_owned());
        lines.push(format!("exponentialBackoffMultiplier: {}", num(b.wait_multiplier)));
        if let Some(max) = b.wait_max {
            lines.push(format!("exponentialMaxWaitDurationInOpenState: {}", spring(max)));
        }
    }
    lines.push(format!("permittedNumberOfCallsInHalfOpenState: {}", b.permitted_half_open));
    if let Some(wait) = b.max_wait_half_open {
        lines.push(format!("maxWaitDurationInHalfOpenState: {}", spring(wait)));
    }
    if b.record.len() < 5 {
        lines.extend(exceptions("recordExceptions", &b.record));
    }
    if !b.ignore.is_empty() {
        lines.extend(exceptions("ignoreExceptions", &b.ignore));
    }
    lines.extend(breaker_rules(b).into_iter().map(|note| format!("# {note}")));
    lines
}

/// The scenario's breaker rules that differ from resilience4j's, in words.
pub(super) fn breaker_rules(b: &BreakerDoc) -> Vec<String> {
    let mut notes = Vec::new();
    if b.mode != BreakerMode::Normal {
        notes.push(format!("Mode {:?}: set it at run time (transitionToForcedOpenState() and the like).", b.mode));
    }
    if b.open_boundary == OpenBoundary::AtOrAfter {
        notes.push("The scenario half-opens at exactly the open wait; resilience4j only strictly after it.".to_owned());
    }
    if b.evaluate == Evaluate::OnFailure {
        notes.push("The scenario judges the window on failures only; resilience4j after every call.".to_owned());
    }
    if b.half_open_admission == HalfOpenAdmission::Queue {
        notes.push("The scenario queues calls beyond the half-open probes; resilience4j rejects them.".to_owned());
    }
    if let Some(s) = b.half_open_successes {
        notes.push(format!(
            "Closing after {s} successful probes is failsafe's rule; resilience4j judges the probes' failure rate."
        ));
    }
    if b.round_rates {
        notes.push("The scenario rounds rates to whole percent (failsafe); resilience4j does not.".to_owned());
    }
    notes
}

fn timeout(t: &TimeoutDoc) -> Vec<String> {
    vec![format!("timeoutDuration: {}", spring(t.timeout)), "cancelRunningFuture: true".to_owned()]
}

fn bulkhead(b: &BulkheadDoc) -> Vec<String> {
    vec![format!("maxConcurrentCalls: {}", b.max_concurrent), format!("maxWaitDuration: {}", spring(b.max_wait))]
}

fn thread_pool(b: &BulkheadDoc) -> Vec<String> {
    let mut lines = vec![
        format!("maxThreadPoolSize: {}", b.max_concurrent),
        format!("coreThreadPoolSize: {}", b.max_concurrent),
        format!("queueCapacity: {}", b.queue.unwrap_or(0)),
    ];
    if !b.max_wait.is_zero() {
        lines.push(format!("# A thread pool's queue has no wait limit ({} in the scenario).", b.max_wait));
    }
    lines
}

fn rate_limiter(r: &RateLimiterDoc) -> Vec<String> {
    let mut lines = vec![format!("limitForPeriod: {}", r.limit), format!("limitRefreshPeriod: {}", spring(r.period))];
    match common::permit_wait(r) {
        Some(wait) => lines.push(format!("timeoutDuration: {}", spring(wait))),
        None => {
            lines.push(
                "# The scenario waits as long as it takes; resilience4j needs a bound (its default 5s here)."
                    .to_owned(),
            );
            lines.push("timeoutDuration: 5s".to_owned());
        }
    }
    if r.algorithm != Algorithm::Resilience4j {
        lines.push(format!(
            "# The scenario counts permits with the {:?} algorithm; resilience4j refills each period.",
            r.algorithm
        ));
    }
    if let Some(burst) = r.burst {
        lines.push(format!("# A burst of {burst} cannot be expressed: resilience4j holds at most limitForPeriod."));
    }
    if r.queue > 0 {
        lines.push(format!(
            "# A queue of {} cannot be expressed: waiting callers are bounded by timeoutDuration only.",
            r.queue
        ));
    }
    lines
}
