use serde_json::{Value, json};

use super::*;
use crate::{RunOptions, Scenario, examples, run};

fn example_doc(name: &str) -> Value {
    serde_json::from_str(examples::get(name).unwrap()).unwrap()
}

/// The verdicts of `expect` on a run of example `name` (with its own `expect` replaced).
fn verdicts(name: &str, expect: Value) -> Vec<Verdict> {
    let mut doc = example_doc(name);
    doc[KEY] = expect;
    let scenario = Scenario::from_json(&doc.to_string()).expect("the list is no part of the run model");
    let report = run(&scenario, &RunOptions::default()).unwrap();
    check(&read(&doc).unwrap(), &scenario, &report)
}

fn passes(verdicts: &[Verdict]) -> Vec<bool> {
    verdicts.iter().map(|v| v.pass).collect()
}

#[test]
fn the_breaker_story_holds_and_a_stricter_claim_fails() {
    let v = verdicts(
        "breaker-outage",
        json!([
            { "breaker": { "opens_within": "3s", "of_fault": 0 } },
            { "success_rate": { "at_least": 0.99, "to": "20s" } },
            { "success_rate": { "at_least": 0.99, "from": "20s", "to": "40s" } },
            { "breaker": { "never_opens": true } },
            { "outcome_share": { "outcome": "rejected-by-breaker", "at_least": 0.05 } },
            { "amplification": { "at_most": 1.0 } },
            { "latency": { "percentile": 99, "at_most": "1ms" } },
        ]),
    );
    assert_eq!(passes(&v), [true, true, false, false, true, true, false], "{v:#?}");
    assert!(v[0].measured.starts_with("opened by "), "{}", v[0].measured);
    assert!(v[2].claim.ends_with("in 20s..20s") || v[2].claim.contains("20s..40s"), "{}", v[2].claim);
}

#[test]
fn a_run_without_a_breaker_says_so() {
    let v = verdicts(
        "retry-transient",
        json!([{ "breaker": { "never_opens": true } }, { "slowest": { "at_most": "1h" } }]),
    );
    assert_eq!(passes(&v), [false, true]);
    assert_eq!(v[0].claim, "the breaker never opens", "the claim keeps its words");
    assert_eq!(v[0].measured, "endpoint 0 has no circuit breaker switched on");
}

#[test]
fn wrong_entries_are_named_by_path() {
    let cases = [
        (json!({ "expect": { "x": 1 } }), "expect", "a list"),
        (
            json!({ "expect": [{ "success_rate": { "at_least": 1.5 } }] }),
            "expect[0].success_rate.at_least",
            "between 0 and 1",
        ),
        (
            json!({ "expect": [{ "latency": { "percentile": 90, "at_most": "1s" } }] }),
            "expect[0].latency.percentile",
            "50, 95 or 99",
        ),
        (json!({ "expect": [{}, { "breaker": {} }] }), "expect[0]", ""),
        (
            json!({ "expect": [{ "breaker": { "opens_within": "1s", "never_opens": true } }] }),
            "expect[0].breaker",
            "either",
        ),
        (
            json!({ "expect": [{ "outcome_share": { "outcome": "ok" } }] }),
            "expect[0].outcome_share.outcome",
            "served-from-cache",
        ),
        (json!({ "expect": [{ "teleport": {} }] }), "expect[0]", "unknown variant"),
        (
            json!({ "expect": [{ "success_rate": { "at_least": 0.5, "from": "2s", "to": "1s" } }] }),
            "expect[0].success_rate.to",
            "after",
        ),
    ];
    for (doc, path, words) in cases {
        let error = read(&doc).unwrap_err();
        assert_eq!(error.path, path, "{error}");
        assert!(error.message.contains(words), "{error}");
    }
    let too_many = json!({ "expect": vec![json!({ "amplification": { "at_most": 2 } }); EXPECT_MAX + 1] });
    assert!(read(&too_many).unwrap_err().message.contains("the limit is 64"));
    assert_eq!(read(&json!({})).unwrap(), vec![]);
}

#[test]
fn every_gallery_story_carries_assertions_that_hold() {
    for (name, json) in examples::ALL {
        let doc: Value = serde_json::from_str(json).unwrap();
        let expectations = read(&doc).unwrap();
        assert!(!expectations.is_empty(), "{name} states its claims in `expect`");
        let scenario = Scenario::from_json(json).unwrap();
        let report = run(&scenario, &RunOptions::default()).unwrap();
        for verdict in check(&expectations, &scenario, &report) {
            assert!(verdict.pass, "{name}: {} measured {}", verdict.claim, verdict.measured);
        }
    }
}
