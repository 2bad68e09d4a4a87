//! Polly v8: a C# `ResiliencePipelineBuilder`, whose first added strategy is the outermost, as
//! in our stack. Values use Polly's names and units (`MaxRetryAttempts` = attempts − 1,
//! `FailureRatio` in `[0, 1]`). Polly v8 has no cache, adaptive limit, throttle or retry budget,
//! and no count-based or consecutive-failure breaker: comments name the nearest equivalent.

use super::common::{self, Context, attempts_and_retries, label, num};
use super::writer::Code;
use crate::patterns::FailureKind;
use crate::patterns::bulkhead::BulkheadDoc;
use crate::patterns::circuit_breaker::{BreakerDoc, Evaluate, HalfOpenAdmission, OpenBoundary, WindowDoc};
use crate::patterns::fallback::{FallbackAction, FallbackDoc};
use crate::patterns::hedging::{HedgeMode, HedgingDoc};
use crate::patterns::rate_limiter::{Algorithm, RateLimiterDoc};
use crate::patterns::retry::{BackoffDoc, Jitter, RetryAfter, RetryDoc};
use crate::scenario::Layer;
use crate::time::Span;

/// The result type of the generated pipeline.
const RESULT: &str = "HttpResponseMessage";

/// The pipeline as a C# static class with a `Build()` method.
pub(super) fn generate(cx: &Context<'_>) -> String {
    let mut code = Code::new("//");
    code.note(cx.header());
    code.note("Polly v8: strategies run in the order added; the FIRST added is the OUTERMOST, as in our stack.");
    code.blank();
    for namespace in [
        "System",
        "System.Net",
        "System.Net.Http",
        "System.Threading.RateLimiting",
        "System.Threading.Tasks",
        "Polly",
        "Polly.CircuitBreaker",
        "Polly.Fallback",
        "Polly.Hedging",
        "Polly.RateLimiting",
        "Polly.Retry",
        "Polly.Timeout",
    ] {
        code.line(format!("using {namespace};"));
    }
    code.blank();
    code.line(format!("public static class {}Pipeline", cx.pascal()));
    code.line("{");
    code.push();
    code.line(format!("public static ResiliencePipeline<{RESULT}> Build() =>"));
    code.push();
    code.line(format!("new ResiliencePipelineBuilder<{RESULT}>()"));
    code.push();
    for (index, layer) in cx.layers().iter().enumerate() {
        code.note(format!("{}. {}", index + 1, label(layer)));
        if layer.enabled() {
            strategy(cx, &mut code, layer);
        } else {
            code.note(common::disabled(index, layer));
        }
    }
    code.line(".Build();");
    code.pop();
    code.pop();
    code.pop();
    code.line("}");
    code.finish()
}

fn strategy(cx: &Context<'_>, code: &mut Code, layer: &Layer) {
    match layer {
        Layer::Retry(r) => retry(code, r),
        Layer::CircuitBreaker(b) => breaker(cx, code, b),
        Layer::Timeout(t) => {
            if t.timeout < Span::from_millis(10) {
                code.note("Polly's timeout is at least 10 ms.");
            }
            code.line(format!(".AddTimeout({})", timespan(t.timeout.max(Span::from_millis(10)))));
        }
        Layer::Bulkhead(b) => bulkhead(code, b),
        Layer::RateLimiter(r) => rate_limiter(code, r),
        Layer::Fallback(f) => fallback(cx, code, f),
        Layer::Hedging(h) => hedging(code, h),
        Layer::Cache(c) => code.note(format!(
            "Polly v8 has no cache strategy (v7's CachePolicy was not carried over). Nearest: HybridCache or \
             IMemoryCache around ExecuteAsync (ttl {}, {} entries).",
            c.ttl, c.capacity
        )),
        Layer::AdaptiveLimit(a) => {
            code.note("Polly has no adaptive concurrency limit. Nearest: a fixed limit at its initial value:");
            code.note(format!(".AddConcurrencyLimiter({})", a.limits().0));
        }
        Layer::Throttle(_) => code.note(
            "Polly has no client-side adaptive throttling. Nearest: a circuit breaker (refuses every call while \
             open) or a rate limiter.",
        ),
    }
}

/// A span as a C# `TimeSpan` expression.
fn timespan(span: Span) -> String {
    let us = span.as_micros();
    if us % 1_000_000 == 0 {
        format!("TimeSpan.FromSeconds({})", us / 1_000_000)
    } else {
        format!("TimeSpan.FromMilliseconds({})", num(common::millis(span)))
    }
}

/// A `PredicateBuilder` handling the failure kinds, one clause a line.
fn predicate(code: &mut Code, property: &str, kinds: &[FailureKind]) {
    if kinds.is_empty() {
        code.line(format!("{property} = _ => PredicateResult.False(),"));
        return;
    }
    code.line(format!("{property} = new PredicateBuilder<{RESULT}>()"));
    code.push();
    for (n, kind) in kinds.iter().enumerate() {
        let clause = match kind {
            FailureKind::ServerError => ".Handle<HttpRequestException>().HandleResult(r => (int)r.StatusCode >= 500)",
            FailureKind::Throttled => ".HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests)",
            FailureKind::ClientError => {
                ".HandleResult(r => (int)r.StatusCode is >= 400 and < 500 && r.StatusCode != HttpStatusCode.TooManyRequests)"
            }
            FailureKind::Timeout => ".Handle<TimeoutRejectedException>()",
            FailureKind::Rejected => ".Handle<BrokenCircuitException>().Handle<RateLimiterRejectedException>()",
        };
        code.line(if n + 1 == kinds.len() { format!("{clause},") } else { clause.to_owned() });
    }
    code.pop();
}

fn open_options(code: &mut Code, method: &str, options: &str) {
    code.line(format!(".{method}(new {options}<{RESULT}>"));
    code.line("{");
    code.push();
}

fn close_options(code: &mut Code) {
    code.pop();
    code.line("})");
}

fn retry(code: &mut Code, r: &RetryDoc) {
    let (attempts, retries) = attempts_and_retries(r);
    open_options(code, "AddRetry", "RetryStrategyOptions");
    code.line(format!("MaxRetryAttempts = {retries}, // retries after the first attempt ({attempts} attempts in all)"));
    let (delay, backoff) = match r.backoff {
        BackoffDoc::Constant { delay } => (delay, "Constant"),
        BackoffDoc::Linear { delay } => (delay, "Linear"),
        BackoffDoc::Exponential { initial, .. } => (initial, "Exponential"),
    };
    code.line(format!("Delay = {},", timespan(delay)));
    code.line(format!("BackoffType = DelayBackoffType.{backoff},"));
    if r.jitter != Jitter::None {
        code.note(format!(
            "Polly's jitter: ±25 % (constant, linear) or decorrelated (exponential); the scenario's is {:?}.",
            r.jitter
        ));
        code.line("UseJitter = true,");
    }
    if let Some(max) = r.max_delay {
        code.line(format!("MaxDelay = {},", timespan(max)));
    }
    predicate(code, "ShouldHandle", &r.retry_on);
    delay_generator(code, r, delay);
    if !r.budget.is_none() {
        code.note(
            "Polly has no retry budget (App-vNext/Polly#2348). Nearest: a rate limiter or breaker inside the retry.",
        );
    }
    close_options(code);
}

/// A `DelayGenerator` for what the options cannot say: Retry-After, or growth other than ×2.
fn delay_generator(code: &mut Code, r: &RetryDoc, delay: Span) {
    let growth = match r.backoff {
        BackoffDoc::Exponential { multiplier, .. } if multiplier != 2.0 => Some(multiplier),
        _ => None,
    };
    let retry_after = r.retry_after_policy() != RetryAfter::Ignore;
    if !retry_after && growth.is_none() {
        return;
    }
    if r.retry_after_policy() == RetryAfter::Clamp {
        code.note("The scenario clamps Retry-After to [backoff, backoff + 5 s] (AWS); here it is waited as sent.");
    }
    let fallback = growth.map_or("null".to_owned(), |m| {
        format!("TimeSpan.FromMilliseconds({} * Math.Pow({}, args.AttemptNumber))", num(common::millis(delay)), num(m))
    });
    code.line("DelayGenerator = args => new ValueTask<TimeSpan?>(");
    if retry_after && growth.is_none() {
        code.line("    args.Outcome.Result?.Headers.RetryAfter?.Delta),");
    } else if retry_after {
        code.line(format!("    args.Outcome.Result?.Headers.RetryAfter?.Delta ?? {fallback}),"));
    } else {
        code.line(format!("    {fallback}),"));
    }
}

fn breaker(cx: &Context<'_>, code: &mut Code, b: &BreakerDoc) {
    open_options(code, "AddCircuitBreaker", "CircuitBreakerStrategyOptions");
    let (ratio, minimum) = match b.consecutive_failures {
        Some(n) => {
            code.note(format!(
                "Polly v8 has no consecutive-failure breaker (App-vNext/Polly#1854). Nearest: every call of the \
                 window failing, with at least {n} calls."
            ));
            (1.0, n)
        }
        None => (b.failure_rate / 100.0, b.minimum_calls),
    };
    code.line(format!("FailureRatio = {},", num(ratio)));
    if minimum < 2 {
        code.note("Polly's MinimumThroughput is at least 2.");
    }
    code.line(format!("MinimumThroughput = {},", minimum.max(2)));
    let sampling = sampling(cx, code, b.window);
    code.line(format!("SamplingDuration = {},", timespan(sampling)));
    code.line(format!("BreakDuration = {},", timespan(b.wait_open.max(Span::from_millis(500)))));
    if b.wait_multiplier > 1.0 {
        let cap = b.wait_max.map_or("TimeSpan.FromDays(1).TotalMilliseconds".to_owned(), |m| num(common::millis(m)));
        code.line("BreakDurationGenerator = args => new ValueTask<TimeSpan>(TimeSpan.FromMilliseconds(Math.Min(");
        code.line(format!(
            "    {} * Math.Pow({}, args.HalfOpenAttempts), {cap}))),",
            num(common::millis(b.wait_open)),
            num(b.wait_multiplier)
        ));
    }
    predicate(code, "ShouldHandle", &b.record);
    for note in polly_breaker_notes(b) {
        code.note(note);
    }
    close_options(code);
}

/// Polly's SamplingDuration for the scenario's window (a count window by the endpoint's rate).
fn sampling(cx: &Context<'_>, code: &mut Code, window: WindowDoc) -> Span {
    let secs = match window {
        WindowDoc::Seconds(n) => f64::from(n),
        WindowDoc::Count(n) => {
            let rps = cx.mean_rps();
            code.note(match rps {
                Some(rps) => format!(
                    "Polly has no count window: {n} calls take about {} s at {} requests/s.",
                    num(f64::from(n) / rps),
                    num(rps)
                ),
                None => format!("Polly has no count window ({n} calls); its default 30 s here."),
            });
            rps.map_or(30.0, |rps| f64::from(n) / rps)
        }
    };
    Span::from_micros((secs.clamp(0.5, 86_400.0) * 1e6).round() as u64)
}

fn polly_breaker_notes(b: &BreakerDoc) -> Vec<String> {
    let mut notes = Vec::new();
    if b.slow_call_rate < 100.0 {
        notes.push(format!(
            "Polly has no slow-call rule (scenario: {} % slower than {}).",
            num(b.slow_call_rate),
            b.slow_call_duration
        ));
    }
    if b.permitted_half_open > 1 || b.half_open_successes.is_some() {
        notes.push(format!("Polly lets a single probe through when half-open (scenario: {}).", b.permitted_half_open));
    }
    if b.open_boundary == OpenBoundary::StrictlyAfter {
        notes.push("Polly half-opens at exactly BreakDuration; the scenario only strictly after it.".to_owned());
    }
    if b.evaluate == Evaluate::EveryCall {
        notes.push("Polly judges the window on failures only; the scenario after every call.".to_owned());
    }
    if b.half_open_admission == HalfOpenAdmission::Queue {
        notes.push("Polly rejects calls beyond the probe; the scenario queues them.".to_owned());
    }
    if !b.ignore.is_empty() {
        notes.push(format!(
            "Polly cannot ignore outcomes ({}): unhandled ones count as successes.",
            common::kinds(&b.ignore)
        ));
    }
    if b.max_wait_half_open.is_some() {
        notes.push("Polly has no limit on the time spent half-open.".to_owned());
    }
    notes
}

fn bulkhead(code: &mut Code, b: &BulkheadDoc) {
    if !b.max_wait.is_zero() {
        code.note(format!(
            "A queued call waits as long as it takes in Polly (the scenario waits at most {}).",
            b.max_wait
        ));
    }
    // Waiting without a queue bound: every caller may queue.
    let queue = b
        .queue
        .map_or(if b.max_wait.is_zero() { "0".to_owned() } else { "int.MaxValue".to_owned() }, |q| q.to_string());
    code.line(format!(".AddConcurrencyLimiter(permitLimit: {}, queueLimit: {queue})", b.max_concurrent));
}

fn rate_limiter(code: &mut Code, r: &RateLimiterDoc) {
    if let Some(name) = &r.shared {
        code.note(format!(
            "Shared limiter \"{}\": create it once and pass the same instance to every pipeline.",
            common::clean(name)
        ));
    }
    if r.max_wait.is_some_and(|w| !w.is_zero()) {
        code.note("System.Threading.RateLimiting has no wait limit: a queued call waits for its permit.");
    }
    let options = match r.algorithm {
        Algorithm::TokenBucket => token_bucket(r.burst.unwrap_or(r.limit), r.limit, r.period, r.queue),
        Algorithm::Smooth => {
            code.note("failsafe's smooth limiter: one token every period / limit.");
            token_bucket(1, 1, Span::from_micros(r.period.as_micros() / u64::from(r.limit.max(1))), r.queue)
        }
        Algorithm::Resilience4j | Algorithm::Bursty | Algorithm::FixedWindow => format!(
            "new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions {{ PermitLimit = {}, Window = {}, QueueLimit = {}, AutoReplenishment = true }})",
            r.limit,
            timespan(r.period),
            r.queue
        ),
    };
    code.line(format!(".AddRateLimiter({options})"));
}

fn token_bucket(tokens: u32, per_period: u32, period: Span, queue: u32) -> String {
    format!(
        "new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions {{ TokenLimit = {tokens}, TokensPerPeriod = {per_period}, \
         ReplenishmentPeriod = {}, QueueLimit = {queue}, QueueProcessingOrder = QueueProcessingOrder.OldestFirst, AutoReplenishment = true }})",
        timespan(period)
    )
}

fn fallback(cx: &Context<'_>, code: &mut Code, f: &FallbackDoc) {
    open_options(code, "AddFallback", "FallbackStrategyOptions");
    predicate(code, "ShouldHandle", &f.on);
    match &f.action {
        FallbackAction::Static => {}
        FallbackAction::StaleCache => {
            code.note("The scenario answers with the last cached answer; a static answer stands in for it.")
        }
        FallbackAction::Service(name) => code.note(format!(
            "The scenario calls \"{}\" instead of \"{}\"; a static answer stands in for that call.",
            common::clean(name),
            cx.service()
        )),
    }
    code.line(format!("FallbackAction = _ => Outcome.FromResultAsValueTask(new {RESULT}(HttpStatusCode.OK)),"));
    close_options(code);
}

fn hedging(code: &mut Code, h: &HedgingDoc) {
    open_options(code, "AddHedging", "HedgingStrategyOptions");
    code.line(format!("MaxHedgedAttempts = {},", h.max_hedged_attempts));
    let delay = match h.mode {
        HedgeMode::Latency => timespan(h.delay),
        HedgeMode::Parallel => "TimeSpan.Zero".to_owned(),
        HedgeMode::Fallback => "System.Threading.Timeout.InfiniteTimeSpan".to_owned(),
        HedgeMode::Percentile => {
            code.note(format!(
                "Polly has no percentile delay (scenario: p{} of {}); a DelayGenerator could compute it. A fixed delay stands in.",
                num(h.percentile),
                h.period
            ));
            timespan(h.delay)
        }
    };
    code.line(format!("Delay = {delay},"));
    predicate(code, "ShouldHandle", &h.handle);
    close_options(code);
}
