//! Unit tests of the code generators: the order each target writes the layers in, and the
//! conversions between counts (attempts against retries) and units.

use super::*;
use crate::examples;

/// A one-endpoint scenario with `stack` (JSON) and an optional scenario-wide `semantics`.
fn scenario(stack: &str, semantics: Option<&str>) -> Scenario {
    let semantics = semantics.map(|s| format!("\"semantics\": \"{s}\",")).unwrap_or_default();
    let json = format!(
        r#"{{"version": 2, "name": "t", {semantics} "duration": "10s",
            "services": [{{"name": "svc", "latency": {{"constant": "10ms"}}}}],
            "endpoints": [{{"name": "place-order", "service": "svc", "load": {{"constant": {{"rps": 10}}}},
                           "stack": {stack}}}]}}"#
    );
    Scenario::from_json(&json).unwrap_or_else(|e| panic!("{e}\n{json}"))
}

fn all_six() -> Scenario {
    Scenario::from_json(examples::get("all-six").unwrap()).unwrap()
}

/// Panics unless the `needles` appear in `text` in this order.
fn in_order(text: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        let at = text[from..].find(needle).unwrap_or_else(|| panic!("{needle:?} missing or out of order in:\n{text}"));
        from += at + needle.len();
    }
}

#[test]
fn outermost_first_targets_keep_the_stack_order() {
    let s = all_six();
    in_order(
        &generate(&s, 0, Target::Tower),
        &[".map_result(fallback_1)", ".retry(", ".timeout(", ".concurrency_limit(50)"],
    );
    in_order(
        &generate(&s, 0, Target::Polly),
        &[".AddFallback(", ".AddCircuitBreaker(", ".AddRetry(", ".AddTimeout(", ".AddConcurrencyLimiter("],
    );
    assert!(generate(&s, 0, Target::Cockatiel).contains("wrap(layer1, layer3, layer4, layer5, layer6)"));
    assert!(
        generate(&s, 0, Target::FailsafeGo)
            .contains("failsafe.With[*http.Response](layer1, layer2, layer3, layer4, layer5, layer6)")
    );
}

#[test]
fn resilience4j_decorators_read_the_stack_from_the_inside_out() {
    let code = generate(&all_six(), 0, Target::Resilience4j);
    in_order(&code, &[".withBulkhead(", ".withTimeLimiter(", ".withRetry(", ".withCircuitBreaker(", ".withFallback("]);
}

/// The aspect-order value of `property` in `yaml`.
fn aspect_order(yaml: &str, property: &str) -> i64 {
    let line = yaml.lines().find(|l| l.trim_start().starts_with(property)).unwrap_or_else(|| panic!("no {property}"));
    line.split(':').nth(1).unwrap().trim().parse().unwrap()
}

#[test]
fn resilience4j_aspect_orders_nest_as_the_stack_does() {
    // Breaker outside the retry (all-six): the breaker's aspect gets the lower value (outer).
    let yaml = generate(&all_six(), 0, Target::Resilience4j);
    assert!(aspect_order(&yaml, "circuitBreakerAspectOrder") < aspect_order(&yaml, "retryAspectOrder"));
    assert!(aspect_order(&yaml, "retryAspectOrder") < aspect_order(&yaml, "timeLimiterAspectOrder"));
    // Retry outside the breaker: Spring's default nesting, retry lower.
    let s = scenario(r#"[{"retry": {}}, {"circuit_breaker": {}}]"#, None);
    let yaml = generate(&s, 0, Target::Resilience4j);
    assert!(aspect_order(&yaml, "retryAspectOrder") < aspect_order(&yaml, "circuitBreakerAspectOrder"));
}

#[test]
fn retry_counts_convert_to_each_librarys_meaning() {
    for stack in [r#"[{"retry": {"max_attempts": 4}}]"#, r#"[{"retry": {"max_retries": 3}}]"#] {
        let s = scenario(stack, None);
        assert!(generate(&s, 0, Target::Resilience4j).contains("maxAttempts: 4 "), "resilience4j counts attempts");
        assert!(generate(&s, 0, Target::Polly).contains("MaxRetryAttempts = 3,"), "Polly counts retries");
        assert!(generate(&s, 0, Target::Cockatiel).contains("maxAttempts: 3,"), "cockatiel counts retries");
        assert!(generate(&s, 0, Target::FailsafeGo).contains("WithMaxRetries(3)"), "failsafe-go: retries");
        assert!(generate(&s, 0, Target::Tower).contains("retries_left: 3,"), "tower's policy counts retries");
    }
    // One attempt in all: no retries anywhere.
    let s = scenario(r#"[{"retry": {"max_attempts": 1}}]"#, None);
    assert!(generate(&s, 0, Target::Polly).contains("MaxRetryAttempts = 0,"));
}

#[test]
fn units_and_ratios_follow_each_library() {
    let s = scenario(
        r#"[{"circuit_breaker": {"failure_rate": 25, "window": {"seconds": 20}, "minimum_calls": 40, "wait_open": "1500ms"}}]"#,
        None,
    );
    let polly = generate(&s, 0, Target::Polly);
    assert!(polly.contains("FailureRatio = 0.25,") && polly.contains("SamplingDuration = TimeSpan.FromSeconds(20),"));
    assert!(polly.contains("BreakDuration = TimeSpan.FromMilliseconds(1500),"));
    let yaml = generate(&s, 0, Target::Resilience4j);
    assert!(yaml.contains("failureRateThreshold: 25") && yaml.contains("waitDurationInOpenState: 1500ms"));
    assert!(generate(&s, 0, Target::Cockatiel).contains("halfOpenAfter: 1500,"));
    assert!(generate(&s, 0, Target::FailsafeGo).contains("WithFailureRateThreshold(0.25, 40, 20*time.Second)"));
}

#[test]
fn presets_reach_the_code_through_the_parsed_values() {
    let s = scenario(r#"[{"circuit_breaker": {}}, {"retry": {}}]"#, Some("polly"));
    let polly = generate(&s, 0, Target::Polly);
    assert!(polly.contains("FailureRatio = 0.1,") && polly.contains("BreakDuration = TimeSpan.FromSeconds(5),"));
    assert!(polly.contains("MaxRetryAttempts = 3,") && polly.contains("Delay = TimeSpan.FromSeconds(2),"));
}

#[test]
fn missing_layers_and_disabled_layers_get_comments_not_silence() {
    let s = scenario(r#"[{"circuit_breaker": {}}, {"cache": {"ttl": "5s"}}, {"timeout": {"enabled": false}}]"#, None);
    let tower = generate(&s, 0, Target::Tower);
    assert!(tower.contains("// tower has no circuit breaker") && tower.contains("// tower has no cache layer"));
    assert!(tower.contains("Layer 3 (timeout) is disabled") && !tower.contains(".timeout("));
    assert!(generate(&s, 0, Target::Polly).contains("// Polly v8 has no cache strategy"));
    assert!(generate(&s, 0, Target::Cockatiel).contains("// cockatiel has no cache"));
}

#[test]
fn an_endpoint_past_the_last_gives_a_comment() {
    for target in Target::ALL {
        let code = generate(&all_six(), 7, target);
        assert!(code.starts_with(target.comment()) && code.contains("No endpoint #7"));
    }
}

#[test]
fn targets_read_back_from_their_words() {
    for target in Target::ALL {
        assert_eq!(Target::from_word(target.word()), Some(target));
    }
    assert_eq!(Target::from_word("hystrix"), None);
}
