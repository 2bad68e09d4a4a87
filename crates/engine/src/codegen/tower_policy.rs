//! tower's retry `Policy` for one retry layer: tower counts nothing itself, so the generated
//! policy holds the retries left, the backoff and the budget, and classifies each result.

use super::common::{self, attempts_and_retries, num};
use super::writer::Code;
use crate::patterns::FailureKind;
use crate::patterns::retry::{BackoffDoc, BudgetDoc, Jitter, RetryAfter, RetryDoc};
use crate::time::Span;

/// The policy type of the retry at stack position `index` (`RetryPolicy4`).
pub(super) fn name(index: usize) -> String {
    format!("RetryPolicy{}", index + 1)
}

/// True if the policy draws on a tower `TpsBudget`.
pub(super) const fn uses_budget(retry: &RetryDoc) -> bool {
    matches!(retry.budget, BudgetDoc::Tps { .. })
}

/// True if the policy uses tower's `ExponentialBackoff` (doubling waits).
pub(super) fn uses_exponential(retry: &RetryDoc) -> bool {
    matches!(retry.backoff, BackoffDoc::Exponential { multiplier, .. } if multiplier == 2.0)
}

/// A span as a Rust `Duration` expression.
pub(super) fn duration(span: Span) -> String {
    let us = span.as_micros();
    if us % 1_000_000 == 0 {
        format!("Duration::from_secs({})", us / 1_000_000)
    } else if us % 1_000 == 0 {
        format!("Duration::from_millis({})", us / 1_000)
    } else {
        format!("Duration::from_micros({us})")
    }
}

/// A match pattern for failure classes: `"5xx" | "timeout"` (a never-matching literal when empty).
pub(super) fn pattern(kinds: &[FailureKind]) -> String {
    if kinds.is_empty() {
        return "\"(none)\"".to_owned();
    }
    let words: Vec<String> = kinds.iter().map(|k| format!("\"{}\"", common::kind_word(*k))).collect();
    words.join(" | ")
}

/// The policy struct, its constructor and its `Policy` implementation.
pub(super) fn write(code: &mut Code, index: usize, retry: &RetryDoc) {
    let (attempts, retries) = attempts_and_retries(retry);
    let name = name(index);
    code.line(format!(
        "/// Retry of layer {}: {attempts} attempts in all ({retries} retries) on {}.",
        index + 1,
        common::kinds(&retry.retry_on)
    ));
    notes(code, retry);
    code.line("#[derive(Clone, Debug)]");
    code.line(format!("pub struct {name} {{"));
    code.push();
    code.line("/// Retries this request may still make (tower's Retry counts nothing itself).");
    code.line("retries_left: u32,");
    backoff_fields(code, retry);
    if uses_budget(retry) {
        code.line("/// The retry budget, shared by every request (the policy is cloned per request).");
        code.line("budget: Arc<TpsBudget>,");
    }
    code.pop();
    code.line("}");
    code.blank();
    constructor(code, &name, retries, retry);
    policy_impl(code, &name, retry);
}

/// Comments for what tower's policy cannot express.
fn notes(code: &mut Code, retry: &RetryDoc) {
    if retry.jitter != Jitter::None && !uses_exponential(retry) {
        code.line(format!(
            "// The scenario's {:?} jitter is left out: tower's jitter lives in ExponentialBackoff only.",
            retry.jitter
        ));
    }
    if retry.jitter != Jitter::None && uses_exponential(retry) {
        code.line(format!(
            "// tower adds rand·jitter·base to each doubling wait; the scenario's {:?} jitter is nearest to jitter {}.",
            retry.jitter,
            tower_jitter(retry.jitter)
        ));
    }
    if retry.retry_after_policy() != RetryAfter::Ignore {
        code.line("// The scenario waits what Retry-After says: read it from the response in retry() to do the same.");
    }
    match &retry.budget {
        BudgetDoc::Envoy { .. } | BudgetDoc::Aws { .. } => code.line(
            "// The scenario's Envoy/AWS retry budget has no tower form; nearest: tower's TpsBudget (retries per deposit).",
        ),
        BudgetDoc::Tps { shared: Some(shared), .. } => code.line(format!(
            "// Budget shared as \"{}\": pass one Arc<TpsBudget> to every policy that shares it.",
            common::clean(shared)
        )),
        _ => {}
    }
}

fn backoff_fields(code: &mut Code, retry: &RetryDoc) {
    match retry.backoff {
        BackoffDoc::Constant { .. } => {}
        BackoffDoc::Linear { .. } => {
            code.line("/// Retries made so far (the wait grows linearly).");
            code.line("retries_made: u32,");
        }
        BackoffDoc::Exponential { .. } if uses_exponential(retry) => {
            code.line("/// tower's doubling backoff.");
            code.line("backoff: ExponentialBackoff,");
        }
        BackoffDoc::Exponential { .. } => {
            code.line("/// The next wait (it grows by the multiplier).");
            code.line("next_delay: Duration,");
        }
    }
}

fn constructor(code: &mut Code, name: &str, retries: u32, retry: &RetryDoc) {
    code.line(format!("impl {name} {{"));
    code.push();
    code.line("/// The policy before a request's first attempt.");
    code.line("pub fn new() -> Self {");
    code.push();
    code.line("Self {");
    code.push();
    code.line(format!("retries_left: {retries},"));
    match retry.backoff {
        BackoffDoc::Constant { .. } => {}
        BackoffDoc::Linear { .. } => code.line("retries_made: 0,"),
        BackoffDoc::Exponential { initial, .. } if uses_exponential(retry) => {
            let max = retry.max_delay.map_or("Duration::MAX".to_owned(), |m| duration(m.max(initial)));
            code.line(format!(
                "backoff: ExponentialBackoffMaker::new({}, {max}, {}, HasherRng::default())",
                duration(initial),
                tower_jitter(retry.jitter)
            ));
            code.line("    .expect(\"min <= max and max > 0\")");
            code.line("    .make_backoff(),");
        }
        BackoffDoc::Exponential { initial, .. } => code.line(format!("next_delay: {},", duration(initial))),
    }
    if let BudgetDoc::Tps { ttl, min_per_sec, retry_percent, .. } = retry.budget {
        code.line(format!(
            "budget: Arc::new(TpsBudget::new({}, {min_per_sec}, {})),",
            duration(ttl),
            num(retry_percent / 100.0)
        ));
    }
    code.pop();
    code.line("}");
    code.pop();
    code.line("}");
    code.pop();
    code.line("}");
    code.blank();
}

/// tower's additive jitter factor nearest to the scenario's jitter.
fn tower_jitter(jitter: Jitter) -> String {
    match jitter {
        Jitter::None => "0.0".to_owned(),
        Jitter::Factor(f) => num(f.max(0.0)),
        // tower adds rand·jitter·base; full, equal and decorrelated jitter have no exact form.
        Jitter::Full | Jitter::Equal | Jitter::Decorrelated => "1.0".to_owned(),
    }
}

fn policy_impl(code: &mut Code, name: &str, retry: &RetryDoc) {
    code.line(format!("impl Policy<Request, Response, BoxError> for {name} {{"));
    code.push();
    code.line("type Future = tokio::time::Sleep;");
    code.blank();
    code.line("fn retry(&mut self, _request: &mut Request, result: &mut Result<Response, BoxError>) -> Option<Self::Future> {");
    code.push();
    code.line("let kind = failure_kind(result);");
    if uses_budget(retry) {
        code.line("if kind.is_none() {");
        code.line("    self.budget.deposit();");
        code.line("}");
    }
    code.line(format!("if !matches!(kind, Some({})) || self.retries_left == 0 {{", pattern(&retry.retry_on)));
    code.line("    return None;");
    code.line("}");
    if uses_budget(retry) {
        code.line("if !self.budget.withdraw() {");
        code.line("    return None;");
        code.line("}");
    }
    code.line("self.retries_left -= 1;");
    wait(code, retry);
    code.pop();
    code.line("}");
    code.blank();
    code.line("fn clone_request(&mut self, request: &Request) -> Option<Request> {");
    code.line("    Some(request.clone())");
    code.line("}");
    code.pop();
    code.line("}");
    code.blank();
}

/// The statements that return the wait before the next attempt.
fn wait(code: &mut Code, retry: &RetryDoc) {
    let cap = |expr: String| match retry.max_delay {
        Some(max) => format!("({expr}).min({})", duration(max)),
        None => expr,
    };
    match retry.backoff {
        BackoffDoc::Constant { delay } => {
            let delay = retry.max_delay.map_or(delay, |max| delay.min(max));
            code.line(format!("Some(tokio::time::sleep({}))", duration(delay)));
        }
        BackoffDoc::Linear { delay } => {
            code.line("self.retries_made += 1;");
            code.line(format!("Some(tokio::time::sleep({}))", cap(format!("{} * self.retries_made", duration(delay)))));
        }
        BackoffDoc::Exponential { .. } if uses_exponential(retry) => code.line("Some(self.backoff.next_backoff())"),
        BackoffDoc::Exponential { multiplier, .. } => {
            code.line("let delay = self.next_delay;");
            code.line(format!("self.next_delay = {};", cap(format!("self.next_delay.mul_f64({})", num(multiplier)))));
            code.line("Some(tokio::time::sleep(delay))");
        }
    }
}
