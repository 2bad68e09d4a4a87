//! cockatiel: TypeScript policies joined by `wrap(...)`, whose first policy is the outermost, as
//! in our stack. Durations are milliseconds; `maxAttempts` counts retries (attempts − 1).
//! cockatiel has no rate limiter, hedging, cache, adaptive limit, throttle or retry budget:
//! comments name the nearest equivalent.

use super::common::{self, Context, attempts_and_retries, label, millis, num};
use super::writer::Code;
use crate::patterns::FailureKind;
use crate::patterns::circuit_breaker::{BreakerDoc, Evaluate, OpenBoundary, WindowDoc};
use crate::patterns::fallback::FallbackAction;
use crate::patterns::retry::{BackoffDoc, Jitter, RetryAfter, RetryDoc};
use crate::scenario::Layer;

/// Every name the generated code may import from cockatiel.
const EXPORTS: [&str; 22] = [
    "ConsecutiveBreaker",
    "ConstantBackoff",
    "CountBreaker",
    "DelegateBackoff",
    "ExponentialBackoff",
    "SamplingBreaker",
    "TimeoutStrategy",
    "bulkhead",
    "circuitBreaker",
    "decorrelatedJitterGenerator",
    "fallback",
    "fullJitterGenerator",
    "halfJitterGenerator",
    "handleWhen",
    "isBrokenCircuitError",
    "isBulkheadRejectedError",
    "isTaskCancelledError",
    "noJitterGenerator",
    "noop",
    "retry",
    "timeout",
    "wrap",
];

/// The policies and their `wrap(...)`, exported as `<endpoint>Policy`.
pub(super) fn generate(cx: &Context<'_>) -> String {
    let mut body = Code::new("//");
    let mut names = Vec::new();
    for (index, layer) in cx.layers().iter().enumerate() {
        body.note(format!("{}. {}", index + 1, label(layer)));
        if !layer.enabled() {
            body.note(common::disabled(index, layer));
        } else if let Some(policy) = policy(cx, &mut body, layer) {
            let name = format!("layer{}", index + 1);
            body.line(format!("const {name} = {policy};"));
            names.push(name);
        }
    }
    if !cx.layers().is_empty() {
        body.blank();
    }
    let joined = if names.is_empty() { "noop".to_owned() } else { format!("wrap({})", names.join(", ")) };
    body.line(format!("export const {}Policy = {joined};", cx.camel()));
    body.line(format!("// Use: await {}Policy.execute(({{ signal }}) => fetch(url, {{ signal }}));", cx.camel()));
    let mut body = body.finish();
    let helpers = helpers(&body);
    body.insert_str(0, &helpers);
    let mut code = Code::new("//");
    code.note(cx.header());
    code.note("cockatiel: wrap(a, b, c) runs a outermost, as in our stack. Durations are in milliseconds.");
    code.blank();
    let used: Vec<&str> = EXPORTS.into_iter().filter(|name| uses_word(&body, name)).collect();
    code.line(format!("import {{ {} }} from 'cockatiel';", used.join(", ")));
    code.blank();
    code.finish() + &body
}

/// The helper functions `body` calls, written before it.
fn helpers(body: &str) -> String {
    let mut out = String::new();
    if uses_word(body, "isCallError") {
        out.push_str(
            "/** A thrown error that is neither a timeout nor a refusal: counted as a failed call (5xx). */\n",
        );
        out.push_str("const isCallError = (err: unknown) =>\n");
        out.push_str("  !isTaskCancelledError(err) && !isBrokenCircuitError(err) && !isBulkheadRejectedError(err);\n");
    }
    if uses_word(body, "statusOf") {
        out.push_str("/** The HTTP status of a returned response. */\n");
        out.push_str("const statusOf = (res: unknown) => (res as Response).status;\n");
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// True if `word` occurs in `text` as a whole identifier.
fn uses_word(text: &str, word: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

/// The policy expression of one enabled layer, or `None` (with a comment) when cockatiel lacks it.
fn policy(cx: &Context<'_>, code: &mut Code, layer: &Layer) -> Option<String> {
    Some(match layer {
        Layer::Retry(r) => retry(code, r),
        Layer::CircuitBreaker(b) => breaker(code, b),
        Layer::Timeout(t) => format!("timeout({}, TimeoutStrategy.Aggressive)", num(millis(t.timeout))),
        Layer::Bulkhead(b) => {
            if !b.max_wait.is_zero() {
                code.note(format!("cockatiel's queue has no wait limit (the scenario waits at most {}).", b.max_wait));
            }
            format!("bulkhead({}, {})", b.max_concurrent, b.queue.unwrap_or(0))
        }
        Layer::Fallback(f) => {
            if f.action != FallbackAction::Static {
                code.note(format!("The scenario answers with {:?}; a static answer stands in for it here.", f.action));
            }
            format!(
                "fallback(\n  {},\n  () => new Response(null, {{ status: 200 }}),\n)",
                handle(&f.on).replace('\n', "\n  ")
            )
        }
        Layer::RateLimiter(r) => {
            code.note(format!(
                "cockatiel has no rate limiter ({} per {}). Nearest: a bulkhead bounds calls at once, not per period; \
                 or a token bucket such as the limiter package in front of execute().",
                r.limit, r.period
            ));
            return None;
        }
        Layer::Hedging(h) => {
            code.note(format!(
                "cockatiel has no hedging ({} hedged attempt(s) after {}). Nearest: Promise.any over a second call \
                 started after the delay, each with its own AbortSignal.",
                h.max_hedged_attempts, h.delay
            ));
            return None;
        }
        Layer::Cache(c) => {
            code.note(format!(
                "cockatiel has no cache (ttl {}). Nearest: a memoizing wrapper (an LRU with TTL) around execute().",
                c.ttl
            ));
            return None;
        }
        Layer::AdaptiveLimit(a) => {
            code.note(format!(
                "cockatiel has no adaptive limit. Nearest: a fixed bulkhead(…) at its initial limit, bulkhead({}).",
                a.limits().0
            ));
            return None;
        }
        Layer::Throttle(_) => {
            let _ = cx;
            code.note("cockatiel has no client-side throttling. Nearest: a circuit breaker, which refuses every call while open.");
            return None;
        }
    })
}

/// `handleWhen(...)` for the failure kinds.
fn handle(kinds: &[FailureKind]) -> String {
    let mut errors = Vec::new();
    let mut results = Vec::new();
    for kind in kinds {
        match kind {
            FailureKind::ServerError => {
                errors.push("isCallError(err)");
                results.push("statusOf(res) >= 500");
            }
            FailureKind::Throttled => results.push("statusOf(res) === 429"),
            FailureKind::ClientError => {
                results.push("(statusOf(res) >= 400 && statusOf(res) < 500 && statusOf(res) !== 429)")
            }
            FailureKind::Timeout => errors.push("isTaskCancelledError(err)"),
            FailureKind::Rejected => errors.push("isBrokenCircuitError(err) || isBulkheadRejectedError(err)"),
        }
    }
    let errors = if errors.is_empty() { "false".to_owned() } else { errors.join(" || ") };
    let mut out = format!("handleWhen((err) => {errors})");
    if !results.is_empty() {
        out.push_str(&format!("\n  .orWhenResult((res) => {})", results.join(" || ")));
    }
    out
}

fn retry(code: &mut Code, r: &RetryDoc) -> String {
    let (attempts, retries) = attempts_and_retries(r);
    code.note(format!("maxAttempts counts retries: {retries} ({attempts} attempts in all)."));
    if r.retry_after_policy() != RetryAfter::Ignore {
        code.note("Waiting what Retry-After says needs a DelegateBackoff reading context.result.");
    }
    if !r.budget.is_none() {
        code.note("cockatiel has no retry budget. Nearest: a circuit breaker inside the retry.");
    }
    let backoff = backoff(code, r);
    format!(
        "retry(\n  {},\n  {{ maxAttempts: {retries}, backoff: {backoff} }},\n)",
        handle(&r.retry_on).replace('\n', "\n  ")
    )
}

fn backoff(code: &mut Code, r: &RetryDoc) -> String {
    let cap = r.max_delay.map_or("Infinity".to_owned(), |m| num(millis(m)));
    match r.backoff {
        BackoffDoc::Constant { delay } => {
            jitter_note(code, r.jitter);
            format!("new ConstantBackoff({})", num(millis(r.max_delay.map_or(delay, |m| delay.min(m)))))
        }
        BackoffDoc::Linear { delay } => {
            jitter_note(code, r.jitter);
            format!(
                "new DelegateBackoff((context: {{ attempt: number }}) => Math.min({cap}, {} * context.attempt))",
                num(millis(delay))
            )
        }
        BackoffDoc::Exponential { initial, multiplier } => {
            let generator = match r.jitter {
                Jitter::None => "noJitterGenerator",
                Jitter::Full => "fullJitterGenerator",
                Jitter::Equal => "halfJitterGenerator",
                Jitter::Decorrelated => "decorrelatedJitterGenerator",
                Jitter::Factor(f) => {
                    code.note(format!("cockatiel has no ±{} jitter; nearest: halfJitterGenerator.", num(f)));
                    "halfJitterGenerator"
                }
            };
            if multiplier != 2.0 && generator != "decorrelatedJitterGenerator" {
                code.note(format!("cockatiel's {generator} always doubles; the scenario grows ×{} (a DelegateBackoff would be exact).", num(multiplier)));
            }
            format!(
                "new ExponentialBackoff({{ initialDelay: {}, maxDelay: {cap}, exponent: {}, generator: {generator} }})",
                num(millis(initial)),
                num(multiplier)
            )
        }
    }
}

fn jitter_note(code: &mut Code, jitter: Jitter) {
    if jitter != Jitter::None {
        code.note(format!(
            "cockatiel jitters only its ExponentialBackoff; the scenario's {jitter:?} jitter is left out."
        ));
    }
}

fn breaker(code: &mut Code, b: &BreakerDoc) -> String {
    let threshold = num((b.failure_rate / 100.0).clamp(0.01, 0.99));
    let breaker = match (b.consecutive_failures, b.window) {
        (Some(n), _) => format!("new ConsecutiveBreaker({n})"),
        (None, WindowDoc::Count(n)) => {
            format!(
                "new CountBreaker({{ threshold: {threshold}, size: {n}, minimumNumberOfCalls: {} }})",
                b.minimum_calls
            )
        }
        (None, WindowDoc::Seconds(n)) => format!(
            "new SamplingBreaker({{ threshold: {threshold}, duration: {}, minimumRps: {} }})",
            u64::from(n) * 1_000,
            num(f64::from(b.minimum_calls) / f64::from(n.max(1)))
        ),
    };
    if b.consecutive_failures.is_none() {
        code.note("cockatiel opens when failures exceed the threshold (strictly); the scenario at or above it.");
    }
    let half_open_after = if b.wait_multiplier > 1.0 {
        let cap = b.wait_max.map_or("Infinity".to_owned(), |m| num(millis(m)));
        format!(
            "new DelegateBackoff((context: {{ attempt: number }}) => Math.min({cap}, {} * {} ** (context.attempt - 1)))",
            num(millis(b.wait_open)),
            num(b.wait_multiplier)
        )
    } else {
        num(millis(b.wait_open))
    };
    let calls = b.permitted_half_open.max(1);
    let allowed_failures = match b.half_open_successes {
        Some(s) => calls.saturating_sub(s),
        None => ((b.failure_rate / 100.0 * f64::from(calls)).ceil() as u32).saturating_sub(1),
    };
    let sampling = num(f64::from(allowed_failures) / f64::from(calls));
    for note in notes(b) {
        code.note(note);
    }
    format!(
        "circuitBreaker(\n  {},\n  {{\n    halfOpenAfter: {half_open_after},\n    breaker: {breaker},\n    halfOpenSampling: {{ calls: {calls}, threshold: {sampling} }},\n  }},\n)",
        handle(&b.record).replace('\n', "\n  ")
    )
}

fn notes(b: &BreakerDoc) -> Vec<String> {
    let mut notes = Vec::new();
    if b.slow_call_rate < 100.0 {
        notes.push("cockatiel has no slow-call rule.".to_owned());
    }
    if b.open_boundary == OpenBoundary::StrictlyAfter {
        notes.push("cockatiel half-opens at exactly halfOpenAfter; the scenario only strictly after it.".to_owned());
    }
    if b.evaluate == Evaluate::EveryCall {
        notes.push("cockatiel judges the window on failures only; the scenario after every call.".to_owned());
    }
    if !b.ignore.is_empty() {
        notes.push(format!(
            "Ignored failures ({}) are simply not handled here, so they count as successes.",
            common::kinds(&b.ignore)
        ));
    }
    notes
}
