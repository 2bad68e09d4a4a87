use serde_json::{Value, json};

use super::*;
use crate::Scenario;

/// A scenario around an imported stack, read and validated as any document is.
fn runs(stack: &[Value]) -> Scenario {
    let doc = json!({
        "version": 2, "name": "imported", "duration": "10s",
        "services": [ { "name": "s", "latency": { "constant": "10ms" } } ],
        "endpoints": [ { "name": "e", "service": "s", "load": { "constant": { "rps": 5 } }, "stack": stack } ]
    });
    Scenario::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("{e}: {doc}"))
}

const SPRING: &str = r"
resilience4j:
  circuitbreaker:
    configs:
      default:
        slidingWindowType: TIME_BASED
        slidingWindowSize: 10
        registerHealthIndicator: true
    instances:
      backendA:
        baseConfig: default
        minimumNumberOfCalls: 20
        failureRateThreshold: 40
        waitDurationInOpenState: PT5S
        permittedNumberOfCallsInHalfOpenState: 3
        recordExceptions:
          - org.springframework.web.client.HttpServerErrorException
          - java.io.IOException
  retry:
    instances:
      backendA:
        maxAttempts: 4
        waitDuration: 200ms
        enableExponentialBackoff: true
        exponentialBackoffMultiplier: 2
  timelimiter:
    instances:
      backendA:
        timeoutDuration: 2s
  thread-pool-bulkhead:
    instances:
      backendA:
        coreThreadPoolSize: 2
";

#[test]
fn a_spring_application_yml_becomes_a_stack_in_the_aspects_order() {
    let imported = import(SPRING).unwrap();
    assert_eq!(imported.library, "resilience4j");
    let [stack] = imported.stacks.as_slice() else { panic!("{imported:?}") };
    assert_eq!(stack.name, "backendA");
    let kinds: Vec<&str> =
        stack.stack.iter().filter_map(|l| l.as_object()?.keys().next().map(String::as_str)).collect();
    assert_eq!(kinds, ["retry", "circuit_breaker", "timeout"]);
    assert_eq!(stack.stack[1]["circuit_breaker"]["window"], json!({ "seconds": 10 }), "from the default config");
    assert_eq!(stack.stack[1]["circuit_breaker"]["wait_open"], json!("5s"));
    assert_eq!(stack.stack[0]["retry"]["backoff"], json!({ "exponential": { "initial": "200ms", "multiplier": 2.0 } }));
    assert!(stack.stack.iter().all(|l| l.as_object().unwrap().values().next().unwrap()["semantics"] == "resilience4j"));
    let unsupported = imported.unsupported.join("\n");
    assert_eq!(stack.stack[1]["circuit_breaker"]["record"], json!(["5xx"]));
    let ioe = "backendA.recordExceptions: java.io.IOException stands for no simulated failure kind";
    assert!(unsupported.contains(ioe), "{unsupported}");
    assert!(unsupported.contains("registerHealthIndicator"), "{unsupported}");
    assert!(unsupported.contains("resilience4j.thread-pool-bulkhead: no such resilience4j pattern"), "{unsupported}");
    runs(&stack.stack);
}

const POLLY: &str = r#"{
  "Logging": { "LogLevel": { "Default": "Information" } },
  "Resilience": {
    "Catalog": {
      "TotalRequestTimeout": { "Timeout": "00:00:10" },
      "Retry": { "MaxRetryAttempts": 5, "Delay": "00:00:00.200", "BackoffType": "Exponential", "UseJitter": true, "MaxDelay": "00:00:05" },
      "CircuitBreaker": { "FailureRatio": 0.2, "MinimumThroughput": 50, "SamplingDuration": "00:00:30", "BreakDuration": "00:00:15" },
      "AttemptTimeout": { "Timeout": "00:00:02", "OnTimeout": "log" }
    }
  }
}"#;

#[test]
fn a_polly_appsettings_section_becomes_a_stack_in_the_standard_handlers_order() {
    let imported = import(POLLY).unwrap();
    assert_eq!(imported.library, "polly");
    let [stack] = imported.stacks.as_slice() else { panic!("{imported:?}") };
    assert_eq!(stack.name, "Resilience.Catalog");
    let kinds: Vec<&str> =
        stack.stack.iter().filter_map(|l| l.as_object()?.keys().next().map(String::as_str)).collect();
    assert_eq!(kinds, ["timeout", "retry", "circuit_breaker", "timeout"]);
    assert_eq!(stack.stack[1]["retry"]["max_retries"], 5);
    assert_eq!(stack.stack[1]["retry"]["jitter"], "decorrelated");
    assert_eq!(stack.stack[2]["circuit_breaker"]["failure_rate"], 20.0);
    assert_eq!(stack.stack[2]["circuit_breaker"]["wait_open"], "15s");
    assert_eq!(stack.stack[3]["timeout"]["timeout"], "2s");
    assert_eq!(
        imported.unsupported,
        [
            "Resilience.Catalog.AttemptTimeout.OnTimeout: no setting of the simulated strategy (predicates and callbacks live in code)"
        ]
    );
    runs(&stack.stack);
}

const ENVOY: &str = r"
cluster:
  name: payments
  connect_timeout: 0.25s
  circuit_breakers:
    thresholds:
      - priority: DEFAULT
        max_connections: 100
        max_pending_requests: 50
        max_requests: 200
        retry_budget:
          budget_percent: { value: 25.0 }
          min_retry_concurrency: 5
  outlier_detection:
    consecutive_5xx: 5
route:
  timeout: 3s
  retry_policy:
    retry_on: 5xx,reset,cancelled
    num_retries: 2
    per_try_timeout: 0.5s
    retry_back_off: { base_interval: 0.05s }
";

#[test]
fn an_envoy_cluster_and_route_become_one_stack() {
    let imported = import(ENVOY).unwrap();
    let [stack] = imported.stacks.as_slice() else { panic!("{imported:?}") };
    assert_eq!(stack.name, "payments");
    let kinds: Vec<&str> =
        stack.stack.iter().filter_map(|l| l.as_object()?.keys().next().map(String::as_str)).collect();
    assert_eq!(kinds, ["timeout", "retry", "timeout", "bulkhead"]);
    let retry = &stack.stack[1]["retry"];
    assert_eq!((retry["max_attempts"].as_u64(), retry["max_delay"].as_str()), (Some(3), Some("500ms")));
    assert_eq!(retry["retry_on"], json!(["5xx", "timeout", "rejected"]));
    assert_eq!(retry["budget"], json!({ "envoy": { "budget_percent": 25.0, "min_retry_concurrency": 5 } }));
    assert_eq!(stack.stack[3]["bulkhead"], json!({ "max_concurrent": 200, "queue": 50, "semantics": "envoy" }));
    let unsupported = imported.unsupported.join("\n");
    for words in [
        "max_connections: connections are not simulated",
        "outlier_detection: ejects hosts",
        "connect_timeout",
        "\"cancelled\"",
    ] {
        assert!(unsupported.contains(words), "{words}: {unsupported}");
    }
    runs(&stack.stack);
}

#[test]
fn bad_input_says_what_is_wrong() {
    assert!(import("a: [").unwrap_err().0.starts_with("not YAML or JSON"));
    assert!(import("- 1\n- 2").unwrap_err().0.contains("expected a mapping"));
    assert!(import("spring: { application: { name: x } }").unwrap_err().0.contains("found no resilience4j"));
    assert!(import(&" ".repeat(IMPORT_BYTES_MAX + 1)).unwrap_err().0.contains("too large"));
    let odd =
        import("resilience4j: { retry: { instances: { a: { maxAttempts: many, waitDuration: soon } } } }").unwrap();
    let unsupported = odd.unsupported.join("\n");
    assert!(
        unsupported.contains("maxAttempts: expected a whole number")
            && unsupported.contains("waitDuration: not a duration"),
        "{unsupported}"
    );
}

#[test]
fn the_libraries_duration_spellings() {
    use super::support::{proto_duration, spring_duration, timespan};
    use crate::time::Span;
    let ms = |n| Some(Span::from_millis(n));
    assert_eq!(spring_duration(&json!("PT1M30S")), ms(90_000));
    assert_eq!(spring_duration(&json!("PT0.5S")), ms(500));
    assert_eq!(spring_duration(&json!(250)), ms(250));
    assert_eq!(spring_duration(&json!("2d")), ms(2 * 86_400_000));
    assert_eq!(timespan(&json!("00:01:02.5")), ms(62_500));
    assert_eq!(timespan(&json!("1.00:00:00")), ms(86_400_000));
    assert_eq!(timespan(&json!("soon")), None);
    assert_eq!(proto_duration(&json!("0.025s")), ms(25));
    assert_eq!(proto_duration(&json!({ "seconds": 2, "nanos": 500_000_000 })), ms(2_500));
}

/// The gallery stacks resilience4j expresses without approximation (the others use full jitter,
/// a retry budget or a rate-limiter algorithm of another library, exported as the nearest
/// resilience4j setting and read back as that).
const EXACT: [&str; 5] =
    ["timeout-brownout", "breaker-outage", "bulkhead-isolation", "retry-storm", "breaker-never-opens"];

/// The kinds resilience4j's Spring properties express.
const SPRING_KINDS: [&str; 5] = ["retry", "circuit_breaker", "rate_limiter", "timeout", "bulkhead"];

#[test]
fn importing_the_exported_application_yml_gives_back_the_stack() {
    use crate::codegen::{Target, generate};
    for (name, json) in crate::examples::ALL {
        let scenario = Scenario::from_json(json).unwrap();
        for (e, endpoint) in scenario.endpoints.iter().enumerate() {
            let kinds: Vec<&str> = endpoint.stack.iter().filter(|l| l.enabled()).map(|l| l.kind_name()).collect();
            let spring: Vec<&str> = kinds.iter().copied().filter(|k| SPRING_KINDS.contains(k)).collect();
            let one_of_each = spring.iter().all(|k| spring.iter().filter(|o| *o == k).count() == 1);
            if !one_of_each || spring.is_empty() {
                continue; // Spring applies one aspect of a kind per method (the export says so).
            }
            let exported = generate(&scenario, e, Target::Resilience4j);
            let imported = import(&exported).unwrap_or_else(|err| panic!("{name}/{e}: {err}"));
            let stack = imported.stacks.iter().find(|s| s.name == endpoint.name).expect("the endpoint's instance");
            let back: Vec<&str> =
                stack.stack.iter().filter_map(|l| l.as_object()?.keys().next().map(String::as_str)).collect();
            // The same kinds in the same order, plus a layer the export stood in for (an
            // adaptive limit or a throttle is exported as its nearest resilience4j pattern).
            let mut rest = back.iter();
            assert!(spring.iter().all(|k| rest.any(|b| b == k)), "{name}/{e}: {spring:?} in {back:?}");
            // Exporting and importing again gives the same stack (the first export's
            // approximations, such as ±50 % for full jitter, are kept, not drifted).
            let mut doc: Value = serde_json::from_str(json).unwrap();
            doc["endpoints"][e]["stack"] = Value::Array(stack.stack.clone());
            let again = Scenario::from_json(&doc.to_string()).unwrap_or_else(|err| panic!("{name}/{e}: {err}"));
            if EXACT.contains(name) {
                let original: Vec<_> = endpoint.stack.iter().filter(|l| l.enabled()).cloned().collect();
                assert_eq!(again.endpoints[e].stack, original, "{name}/{e}: exactly the stack it was");
            }
            let twice = import(&generate(&again, e, Target::Resilience4j)).unwrap();
            let stack_twice = twice.stacks.iter().find(|s| s.name == endpoint.name).unwrap();
            doc["endpoints"][e]["stack"] = Value::Array(stack_twice.stack.clone());
            let third = Scenario::from_json(&doc.to_string()).unwrap();
            assert_eq!(
                third.endpoints[e].stack, again.endpoints[e].stack,
                "{name}/{e}: a second round trip changes nothing"
            );
            assert_eq!(imported.unsupported, Vec::<String>::new(), "{name}/{e}: every exported key is read back");
        }
    }
}
