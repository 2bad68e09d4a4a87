//! failsafe-go: Go policy builders joined by `failsafe.With(...)`, whose first policy is the
//! outermost, as in our stack. failsafe-go has every kind the playground has (a cache policy, a
//! budget, an adaptive limiter and throttler); where its rule differs a comment says so.

use std::collections::BTreeSet;

use super::common::{self, Context, attempts_and_retries, label, num};
use super::writer::Code;
use crate::patterns::FailureKind;
use crate::patterns::bulkhead::BulkheadDoc;
use crate::patterns::circuit_breaker::{BreakerDoc, WindowDoc};
use crate::patterns::fallback::FallbackAction;
use crate::patterns::hedging::{HedgeMode, HedgingDoc};
use crate::patterns::rate_limiter::{Algorithm, RateLimiterDoc};
use crate::patterns::retry::{BackoffDoc, BudgetDoc, Jitter, RetryAfter, RetryDoc};
use crate::patterns::throttle::ThrottleDoc;
use crate::scenario::Layer;
use crate::time::Span;

/// The result type of the executor.
const R: &str = "*http.Response";
/// The module path of failsafe-go.
const MODULE: &str = "github.com/failsafe-go/failsafe-go";

/// A Go file with `New<Endpoint>Executor()` building every policy.
pub(super) fn generate(cx: &Context<'_>) -> String {
    let mut body = Code::new("//");
    let mut imports: BTreeSet<String> = ["net/http".to_owned(), MODULE.to_owned()].into();
    let mut names = Vec::new();
    let mut params = Vec::new();
    let mut refused = false;
    body.push();
    for (index, layer) in cx.layers().iter().enumerate() {
        body.note(format!("{}. {}", index + 1, label(layer)));
        if !layer.enabled() {
            body.note(common::disabled(index, layer));
            continue;
        }
        let name = format!("layer{}", index + 1);
        let mut g = Gen { code: &mut body, imports: &mut imports, name: &name, refused: &mut refused };
        if let Some(expr) = policy(&mut g, layer) {
            if matches!(layer, Layer::Cache(_)) {
                params.push(format!("{name}Cache cachepolicy.Cache[{R}]"));
            }
            body.line(format!("{name} := {expr}"));
            names.push(name);
        }
    }
    let args = std::iter::once(String::new()).chain(names).collect::<Vec<_>>().join(", ");
    body.line(format!("return failsafe.With[{R}]({})", args.trim_start_matches(", ")));
    body.pop();
    let mut code = Code::new("//");
    code.note(cx.header());
    code.note("failsafe-go: failsafe.With(a, b, c) runs a outermost, as in our stack.");
    code.line("package resilience");
    code.blank();
    code.line("import (");
    let (standard, modules): (Vec<&String>, Vec<&String>) = imports.iter().partition(|i| !i.contains('.'));
    for import in &standard {
        code.line(format!("\t\"{import}\""));
    }
    code.blank();
    for import in &modules {
        code.line(format!("\t\"{import}\""));
    }
    code.line(")");
    code.blank();
    code.line(format!(
        "// New{}Executor builds the policies of endpoint \"{}\", outermost first.",
        cx.pascal(),
        cx.name()
    ));
    code.line(format!("func New{}Executor({}) failsafe.Executor[{R}] {{", cx.pascal(), params.join(", ")));
    let mut text = code.finish();
    text.push_str(&body.finish().replace("    ", "\t"));
    text.push_str("}\n");
    if refused {
        text.push_str(REFUSED);
    }
    text
}

/// The helper that tells a policy's refusal or timeout from a failed call.
const REFUSED: &str = "
// refused reports whether err is a timeout or a policy's refusal rather than a failed call.
func refused(err error) bool {
\treturn errors.Is(err, timeout.ErrExceeded) || errors.Is(err, circuitbreaker.ErrOpen) ||
\t\terrors.Is(err, bulkhead.ErrFull) || errors.Is(err, ratelimiter.ErrExceeded)
}
";

/// What writing one policy needs: the code, the imports it adds, its variable name.
struct Gen<'a> {
    code: &'a mut Code,
    imports: &'a mut BTreeSet<String>,
    name: &'a str,
    /// Set when a predicate calls the `refused` helper.
    refused: &'a mut bool,
}

impl Gen<'_> {
    fn import(&mut self, package: &str) {
        self.imports.insert(if package.contains('/') { package.to_owned() } else { format!("{MODULE}/{package}") });
    }
}

/// A span as a Go `time.Duration` expression.
fn go_duration(g: &mut Gen<'_>, span: Span) -> String {
    g.imports.insert("time".to_owned());
    let us = span.as_micros();
    match us {
        0 => "0".to_owned(),
        us if us % 1_000_000 == 0 => format!("{}*time.Second", us / 1_000_000),
        us if us % 1_000 == 0 => format!("{}*time.Millisecond", us / 1_000),
        us => format!("{us}*time.Microsecond"),
    }
}

fn policy(g: &mut Gen<'_>, layer: &Layer) -> Option<String> {
    Some(match layer {
        Layer::Retry(r) => retry(g, r),
        Layer::CircuitBreaker(b) => breaker(g, b),
        Layer::Timeout(t) => {
            g.import("timeout");
            format!("timeout.New[{R}]({})", go_duration(g, t.timeout))
        }
        Layer::Bulkhead(b) => bulkhead(g, b),
        Layer::RateLimiter(r) => rate_limiter(g, r),
        Layer::Fallback(f) => {
            g.import("fallback");
            if f.action != FallbackAction::Static {
                g.code.note(format!(
                    "The scenario answers with {:?}; use fallback.NewBuilderWithFunc to do the same.",
                    f.action
                ));
            }
            let handle = handle_if(g, &f.on);
            format!(
                "fallback.NewBuilderWithResult[{R}](&http.Response{{StatusCode: http.StatusOK}}).\n\t\t{handle}.\n\t\tBuild()"
            )
        }
        Layer::Hedging(h) => hedging(g, h),
        Layer::Cache(c) => {
            g.import("cachepolicy");
            g.code.note(format!(
                "failsafe-go's cache policy reads through the Cache you pass in: its ttl ({}) and capacity ({}) \
                 are that cache's settings{}.",
                c.ttl,
                c.capacity,
                if c.serve_stale { "; serving stale entries on failure needs a fallback reading it" } else { "" }
            ));
            format!("cachepolicy.NewBuilder[{R}]({}Cache).WithKey(\"{}\").Build()", g.name, g.name)
        }
        Layer::AdaptiveLimit(a) => {
            g.import("adaptivelimiter");
            let (initial, min, max) = a.limits();
            g.code.note(format!(
                "failsafe-go's adaptive limiter moves the limit by its own gradient rule; the scenario's is {:?}.",
                a.algorithm
            ));
            format!("adaptivelimiter.NewBuilder[{R}]().WithLimits({min}, {max}, {initial}).Build()")
        }
        Layer::Throttle(t) => throttle(g, t),
    })
}

/// `HandleIf(func(...) bool)` for the failure kinds.
fn handle_if(g: &mut Gen<'_>, kinds: &[FailureKind]) -> String {
    let mut parts = Vec::new();
    for kind in kinds {
        parts.push(match kind {
            FailureKind::ServerError => "(err == nil && r.StatusCode >= 500) || (err != nil && !refused(err))".to_owned(),
            FailureKind::Throttled => "(err == nil && r.StatusCode == http.StatusTooManyRequests)".to_owned(),
            FailureKind::ClientError => {
                "(err == nil && r.StatusCode >= 400 && r.StatusCode < 500 && r.StatusCode != http.StatusTooManyRequests)".to_owned()
            }
            FailureKind::Timeout => {
                g.import("timeout");
                g.imports.insert("errors".to_owned());
                "errors.Is(err, timeout.ErrExceeded)".to_owned()
            }
            FailureKind::Rejected => "(err != nil && refused(err) && !errors.Is(err, timeout.ErrExceeded))".to_owned(),
        });
    }
    if kinds.iter().any(|k| matches!(k, FailureKind::ServerError | FailureKind::Rejected)) {
        *g.refused = true;
        g.imports.insert("errors".to_owned());
        for p in ["timeout", "circuitbreaker", "bulkhead", "ratelimiter"] {
            g.import(p);
        }
    }
    let body = if parts.is_empty() { "false".to_owned() } else { parts.join(" ||\n\t\t\t") };
    format!("HandleIf(func(r {R}, err error) bool {{\n\t\t\treturn {body}\n\t\t}})")
}

fn retry(g: &mut Gen<'_>, r: &RetryDoc) -> String {
    g.import("retrypolicy");
    let (attempts, retries) = attempts_and_retries(r);
    let mut steps = vec![format!("retrypolicy.NewBuilder[{R}]()"), format!("WithMaxRetries({retries})")];
    g.code.note(format!("WithMaxRetries counts retries: {retries} ({attempts} attempts in all)."));
    match r.backoff {
        BackoffDoc::Constant { delay } => {
            steps.push(format!("WithDelay({})", go_duration(g, r.max_delay.map_or(delay, |m| delay.min(m)))))
        }
        BackoffDoc::Linear { delay } => {
            g.code.note(
                "failsafe-go has no linear backoff; nearest: its WithDelayFunc, or the first wait held constant.",
            );
            steps.push(format!("WithDelay({})", go_duration(g, delay)));
        }
        BackoffDoc::Exponential { initial, multiplier } => {
            let max = r.max_delay.unwrap_or(Span::from_secs(3_600));
            if r.max_delay.is_none() {
                g.code.note("failsafe-go's backoff needs a cap; the scenario has none (1 h here).");
            }
            let (initial, max) = (go_duration(g, initial), go_duration(g, max));
            steps.push(format!("WithBackoffFactor({initial}, {max}, {})", num(multiplier)));
        }
    }
    match r.jitter {
        Jitter::None => {}
        Jitter::Factor(f) => steps.push(format!("WithJitterFactor({})", num(f))),
        other => {
            g.code.note(format!("failsafe-go jitters ±factor around each wait; nearest to {other:?} jitter: 0.5."));
            steps.push("WithJitterFactor(0.5)".to_owned());
        }
    }
    if r.retry_after_policy() != RetryAfter::Ignore {
        g.code.note("Waiting what Retry-After says needs WithDelayFunc reading the response's header.");
    }
    match r.budget {
        BudgetDoc::None => {}
        BudgetDoc::Envoy { budget_percent, min_retry_concurrency, .. } => {
            g.import("budget");
            steps.push(format!(
                "WithBudget(budget.NewBuilder().WithMaxRate({}).WithMinConcurrency({min_retry_concurrency}).Build())",
                num(budget_percent / 100.0)
            ));
        }
        BudgetDoc::Tps { .. } | BudgetDoc::Aws { .. } => {
            g.import("budget");
            g.code.note("failsafe-go's budget bounds retries in flight (Envoy's rule); the scenario's tower/AWS budget is nearest to its defaults.");
            steps.push("WithBudget(budget.New())".to_owned());
        }
    }
    steps.push(handle_if(g, &r.retry_on));
    steps.push("ReturnLastFailure()".to_owned());
    steps.push("Build()".to_owned());
    steps.join(".\n\t\t")
}

fn breaker(g: &mut Gen<'_>, b: &BreakerDoc) -> String {
    g.import("circuitbreaker");
    let mut steps = vec![format!("circuitbreaker.NewBuilder[{R}]()")];
    let rate = b.failure_rate / 100.0;
    match (b.consecutive_failures, b.window) {
        (Some(n), _) => steps.push(format!("WithFailureThreshold({n})")),
        (None, WindowDoc::Count(n)) => {
            let failures = ((rate * f64::from(n)).ceil() as u32).max(1);
            g.code.note(format!(
                "A count window judges failures of the last {n} calls ({} % = {failures}); failsafe-go has no separate minimum ({} calls in the scenario).",
                num(b.failure_rate),
                b.minimum_calls
            ));
            steps.push(format!("WithFailureThresholdRatio({failures}, {n})"));
        }
        (None, WindowDoc::Seconds(n)) => {
            let period = go_duration(g, Span::from_secs(u64::from(n)));
            steps.push(format!("WithFailureRateThreshold({}, {}, {period})", num(rate), b.minimum_calls));
        }
    }
    steps.push(format!("WithDelay({})", go_duration(g, b.wait_open)));
    if b.wait_multiplier > 1.0 {
        g.code.note(format!("A growing open wait (×{}) needs WithDelayFunc.", num(b.wait_multiplier)));
    }
    let calls = b.permitted_half_open.max(1);
    let successes = b
        .half_open_successes
        .unwrap_or_else(|| calls - ((rate * f64::from(calls)).ceil() as u32).saturating_sub(1).min(calls - 1));
    steps.push(format!("WithSuccessThresholdRatio({successes}, {calls})"));
    if b.slow_call_rate < 100.0 {
        g.code.note("failsafe-go has no slow-call rule.");
    }
    steps.push(handle_if(g, &b.record));
    steps.push("Build()".to_owned());
    steps.join(".\n\t\t")
}

fn bulkhead(g: &mut Gen<'_>, b: &BulkheadDoc) -> String {
    g.import("bulkhead");
    if let Some(queue) = b.queue {
        g.code.note(format!("failsafe-go bounds the wait for a permit by time, not by a queue of {queue}."));
    }
    let wait = go_duration(g, b.max_wait);
    format!("bulkhead.NewBuilder[{R}]({}).WithMaxWaitTime({wait}).Build()", b.max_concurrent)
}

fn rate_limiter(g: &mut Gen<'_>, r: &RateLimiterDoc) -> String {
    g.import("ratelimiter");
    let builder = if r.algorithm == Algorithm::Smooth { "NewSmoothBuilder" } else { "NewBurstyBuilder" };
    if !matches!(r.algorithm, Algorithm::Smooth | Algorithm::Bursty) {
        g.code.note(format!(
            "The scenario counts permits with the {:?} algorithm; nearest: failsafe-go's bursty limiter.",
            r.algorithm
        ));
    }
    if let Some(name) = &r.shared {
        g.code.note(format!("Shared limiter \"{}\": build it once and use it in every executor.", common::clean(name)));
    }
    let period = go_duration(g, r.period);
    let wait = match common::permit_wait(r) {
        Some(wait) => go_duration(g, wait),
        None => {
            g.code.note("The scenario waits as long as it takes; failsafe-go needs a bound (1 h here).");
            go_duration(g, Span::from_secs(3_600))
        }
    };
    format!("ratelimiter.{builder}[{R}]({}, {period}).WithMaxWaitTime({wait}).Build()", r.limit)
}

fn hedging(g: &mut Gen<'_>, h: &HedgingDoc) -> String {
    g.import("hedgepolicy");
    let builder = match h.mode {
        HedgeMode::Latency => format!("hedgepolicy.NewBuilderWithDelay[{R}]({})", go_duration(g, h.delay)),
        HedgeMode::Parallel => format!("hedgepolicy.NewBuilderWithDelay[{R}](0)"),
        HedgeMode::Fallback => {
            g.code.note("failsafe-go hedges on a delay only; hedging after a failure is nearest to a retry.");
            format!("hedgepolicy.NewBuilderWithDelay[{R}]({})", go_duration(g, h.delay))
        }
        HedgeMode::Percentile => {
            g.code.note(format!("quantileAge 100: the scenario's period is {}.", h.period));
            format!(
                "hedgepolicy.NewBuilderWithDelayQuantile[{R}]({}, 100, {})",
                num(h.percentile / 100.0),
                h.min_data_points.max(1)
            )
        }
    };
    format!("{builder}.\n\t\tWithMaxHedges({}).\n\t\tBuild()", h.max_hedged_attempts)
}

fn throttle(g: &mut Gen<'_>, t: &ThrottleDoc) -> String {
    g.import("adaptivethrottler");
    let (k, window, max_rejection) = t.rule.defaults();
    let (k, window, max_rejection) =
        (t.k.unwrap_or(k), t.window.unwrap_or(window), t.max_rejection.unwrap_or(max_rejection));
    g.code.note(format!(
        "The SRE multiplier k = {} is a success-rate threshold of 1/k: failure rate {}.",
        num(k),
        num(1.0 - 1.0 / k)
    ));
    let window = go_duration(g, window);
    format!(
        "adaptivethrottler.NewBuilder[{R}]().\n\t\tWithFailureRateThreshold({}, {}, {window}).\n\t\tWithMaxRejectionRate({}).\n\t\tBuild()",
        num((1.0 - 1.0 / k).clamp(0.0, 1.0)),
        t.min_requests,
        num(max_rejection)
    )
}
