//! The Java side of the resilience4j target, as comments under the `application.yml`: the
//! annotations (nested by the aspect orders) and the same stack as a `Decorators` chain, whose
//! first `with…` call is the **innermost** layer.

use super::common::{self, Context, label};
use super::writer::Code;
use crate::patterns::fallback::FallbackAction;
use crate::scenario::Layer;

/// Writes the annotation and decorator forms of the stack as comments.
pub(super) fn write(cx: &Context<'_>, code: &mut Code) {
    let name = cx.kebab();
    code.note("Annotation style: the aspect orders above nest these as our stack does, whatever their order here.");
    let annotations = annotations(cx, &name);
    let kinds: Vec<&str> = cx.layers().iter().filter(|l| l.enabled()).map(|l| l.kind_name()).collect();
    if kinds.iter().enumerate().any(|(i, kind)| kinds[..i].contains(kind)) {
        code.note(
            "Spring applies one aspect of each kind per method: a second layer of the same kind needs the \
             decorator chain below (or a call through another bean).",
        );
    }
    if annotations.is_empty() {
        code.verbatim("  (no resilience4j annotation applies to this stack)");
    }
    for line in annotations {
        code.verbatim(format!("  {line}"));
    }
    code.verbatim(
        "  public CompletableFuture<Response> call() { return CompletableFuture.supplyAsync(client::call); }",
    );
    code.blank();
    code.note(
        "Decorator style: resilience4j's Decorators nest the other way round: the FIRST with…() is the \
         INNERMOST layer, so the chain reads our stack from the inside out.",
    );
    code.verbatim("  Supplier<CompletionStage<Response>> decorated = Decorators");
    code.verbatim("      .ofCompletionStage(() -> CompletableFuture.supplyAsync(client::call))");
    // Instance names are numbered in stack order (as in the YAML), then written inside out.
    let mut seen = [0_usize; 5];
    let steps: Vec<Option<String>> =
        cx.layers().iter().map(|l| if l.enabled() { decorator(l, &name, &mut seen) } else { None }).collect();
    for (index, (layer, step)) in cx.layers().iter().zip(steps).enumerate().rev() {
        let text = step.unwrap_or_else(|| "// (no decorator)".to_owned());
        code.verbatim(format!("      {text:<72} // {}. {}", index + 1, label(layer)));
    }
    code.verbatim("      .decorate();");
}

/// The annotations of the first enabled layer of each kind with an aspect.
fn annotations(cx: &Context<'_>, name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let fallback = cx.layers().iter().any(|l| matches!(l, Layer::Fallback(f) if f.enabled));
    for layer in cx.layers().iter().filter(|l| l.enabled()) {
        let annotation = match layer {
            Layer::Retry(_) => "@Retry",
            Layer::CircuitBreaker(_) => "@CircuitBreaker",
            Layer::RateLimiter(_) => "@RateLimiter",
            Layer::Timeout(_) => "@TimeLimiter",
            Layer::Bulkhead(b) if b.queue.is_some() => "@Bulkhead(type = Bulkhead.Type.THREADPOOL,",
            Layer::Bulkhead(_) | Layer::AdaptiveLimit(_) => "@Bulkhead",
            _ => continue,
        };
        if out.iter().any(|a| a.starts_with(annotation)) {
            continue;
        }
        let extra = if fallback && out.is_empty() { ", fallbackMethod = \"fallback\"" } else { "" };
        let open = if annotation.ends_with(',') {
            format!("{annotation} name = \"{name}\"")
        } else {
            format!("{annotation}(name = \"{name}\"")
        };
        out.push(format!("{open}{extra})"));
    }
    out
}

/// One `Decorators` step, or `None` for a kind without one.
fn decorator(layer: &Layer, name: &str, seen: &mut [usize; 5]) -> Option<String> {
    let (slot, text) = match layer {
        Layer::Retry(_) => (0, ".withRetry(retryRegistry.retry(\"{}\"), scheduler)"),
        Layer::CircuitBreaker(_) => (1, ".withCircuitBreaker(circuitBreakerRegistry.circuitBreaker(\"{}\"))"),
        Layer::RateLimiter(r) if r.shared.is_some() => {
            (2, ".withRateLimiter(rateLimiterRegistry.rateLimiter(\"{shared}\"))")
        }
        Layer::RateLimiter(_) => (2, ".withRateLimiter(rateLimiterRegistry.rateLimiter(\"{}\"))"),
        Layer::Timeout(_) => (3, ".withTimeLimiter(timeLimiterRegistry.timeLimiter(\"{}\"), scheduler)"),
        Layer::Bulkhead(_) | Layer::AdaptiveLimit(_) => (4, ".withBulkhead(bulkheadRegistry.bulkhead(\"{}\"))"),
        Layer::Fallback(f) => return Some(fallback(&f.action)),
        _ => return None,
    };
    let instance = common::numbered(name, seen[slot], "-");
    seen[slot] += 1;
    let shared = match layer {
        Layer::RateLimiter(r) => r.shared.as_deref().map(common::clean).unwrap_or_default(),
        _ => String::new(),
    };
    Some(text.replace("{}", &instance).replace("{shared}", &shared))
}

/// The fallback step (the failures it handles are named in the layer summary above).
fn fallback(action: &FallbackAction) -> String {
    let answer = match action {
        FallbackAction::Static => "defaultResponse()".to_owned(),
        FallbackAction::StaleCache => "lastGoodResponse()".to_owned(),
        FallbackAction::Service(service) => format!("{}Client.call()", common::clean(service).replace(['"', ' '], "")),
    };
    format!(".withFallback(List.of(Exception.class), e -> {answer})")
}
