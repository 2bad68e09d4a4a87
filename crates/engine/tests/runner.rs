//! The headless runner, as scripts use it: exit codes, one-line reasons, formats.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

use resilience_engine::examples;

fn rpsim(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_rpsim")).args(args).output().expect("rpsim runs");
    let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
    (output.status.code().unwrap_or(-1), text(output.stdout), text(output.stderr))
}

#[test]
fn runs_an_example_and_prints_its_summary() {
    let (code, out, _) = rpsim(&["run", "example:breaker-outage"]);
    assert_eq!(code, 0);
    assert!(out.contains("rejected-by-breaker") && out.contains("digest"), "{out}");
}

#[test]
fn the_summary_lists_each_layer_s_counters_such_as_the_retries_a_budget_refused() {
    let (code, out, _) = rpsim(&["run", "example:retry-budget-storm"]);
    assert_eq!(code, 0);
    let line = out.lines().find(|l| l.contains("layer 0 retry:")).expect("the retry layer's line");
    assert!(line.contains("refused") && line.contains("retries"), "{line}");
}

#[test]
fn the_seed_option_changes_the_run_and_formats_are_parseable() {
    let (_, a, _) = rpsim(&["run", "example:retry-transient", "--seed", "1"]);
    let (_, b, _) = rpsim(&["run", "example:retry-transient", "--seed", "2"]);
    assert_ne!(a, b);
    let (code, json, _) = rpsim(&["run", "example:all-six", "--format", "json"]);
    assert_eq!(code, 0);
    let value: serde_json::Value = serde_json::from_str(&json).expect("json output");
    assert!(value["summary"]["total"]["requests"].as_u64().unwrap() > 10_000);
    let (_, csv, _) = rpsim(&["run", "example:breaker-outage", "--format", "trace-csv"]);
    assert!(csv.starts_with("at_us,request,kind,layer,attempt,value\n") && csv.lines().count() > 1_000);
    let (_, metrics, _) = rpsim(&["run", "example:breaker-outage", "--format", "metrics-csv"]);
    assert!(metrics.lines().next().unwrap().contains("rejected-by-breaker"));
}

#[test]
fn writes_to_a_file_with_out() {
    let path = std::env::temp_dir().join(format!("rpsim-{}.json", std::process::id()));
    let (code, out, _) = rpsim(&["run", "example:all-six", "--format", "trace-json", "--out", path.to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (0, ""));
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("\"events\""));
    let _ = std::fs::remove_file(path);
}

#[test]
fn bad_input_exits_non_zero_with_one_line_that_names_the_field() {
    let dir = std::env::temp_dir().join(format!("rpsim-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(resilience_engine::examples::get("breaker-outage").unwrap()).unwrap();
    doc["endpoints"][0]["stack"][0]["circuit_breaker"]["minimum_calls"] = 0.into();
    std::fs::write(&bad, doc.to_string()).unwrap();
    for (args, words) in [
        (vec!["validate", bad.to_str().unwrap()], "endpoints[0].stack[0].circuit_breaker.minimum_calls"),
        (vec!["run", bad.to_str().unwrap()], "minimum_calls"),
        (vec!["run", "/nonexistent.json"], "cannot read"),
        (vec!["run", "example:nope"], "no example"),
        (vec!["run", "example:all-six", "--format", "xml"], "unknown format"),
        (vec!["run", "example:all-six", "--seed", "minus one"], "--seed"),
        (vec!["frobnicate"], "usage"),
    ] {
        let (code, _, err) = rpsim(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.starts_with("rpsim: ") && err.contains(words), "{args:?}: {err}");
        if args[0] != "frobnicate" {
            assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        }
    }
    let (code, out, _) = rpsim(&["validate", "example:all-six"]);
    assert_eq!(code, 0);
    assert!(out.contains("valid"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_catalog_prints_every_kind_as_json() {
    let (code, out, _) = rpsim(&["catalog"]);
    assert_eq!(code, 0);
    let value: serde_json::Value = serde_json::from_str(&out).expect("json output");
    let names: Vec<&str> = value["layers"].as_array().unwrap().iter().filter_map(|l| l["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "fallback",
            "cache",
            "circuit_breaker",
            "retry",
            "timeout",
            "bulkhead",
            "rate_limiter",
            "hedging",
            "adaptive_limit",
            "throttle"
        ]
    );
    assert_eq!(value["client_pool"]["name"], "client_pool");
    assert_eq!(value["faults"].as_array().map(Vec::len), Some(6));
    let timeout = &value["layers"][4]["fields"][1];
    assert_eq!((timeout["path"].as_str(), timeout["default"].as_str()), (Some("/timeout"), Some("1s")));
    let (code, _, err) = rpsim(&["catalog", "extra"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn check_measures_each_assertion_and_fails_when_one_does() {
    let examples: Vec<String> = examples::ALL.iter().map(|(name, _)| format!("example:{name}")).collect();
    let args: Vec<&str> = core::iter::once("check").chain(examples.iter().map(String::as_str)).collect();
    let (code, out, err) = rpsim(&args);
    assert_eq!(code, 0, "every gallery story's claims hold: {err}");
    assert!(out.lines().count() >= 2 * examples.len() && !out.contains("FAIL"), "{out}");

    let dir = std::env::temp_dir().join(format!("rpsim-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(examples::get("breaker-outage").unwrap()).unwrap();
    doc["expect"] = serde_json::json!([{ "breaker": { "never_opens": true } }, { "amplification": { "at_most": 2 } }]);
    let weakened = dir.join("weakened.json");
    std::fs::write(&weakened, doc.to_string()).unwrap();
    let (code, out, err) = rpsim(&["check", weakened.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("FAIL the breaker never opens (measured opened by 21s)") && out.contains("PASS amplification"),
        "{out}"
    );
    assert!(err.contains("1 assertion(s) failed"), "{err}");

    doc["expect"] = serde_json::json!([{ "latency": { "percentile": 90, "at_most": "1s" } }]);
    std::fs::write(&weakened, doc.to_string()).unwrap();
    let (code, _, err) = rpsim(&["check", weakened.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("expect[0].latency.percentile: must be 50, 95 or 99"), "{err}");

    let (code, svg, _) =
        rpsim(&["report", weakened.to_str().unwrap().replace("weakened.json", "").as_str(), "--format", "svg"]);
    assert_eq!(code, 2, "a folder is no scenario");
    let (code, svg_ok, _) = rpsim(&["report", "example:hedging-tail", "--format", "svg"]);
    assert_eq!(code, 0);
    assert!(svg_ok.starts_with("<svg") && svg_ok.contains("✓ pass") && !svg_ok.contains("<script"), "{svg}");
    let (_, markdown, _) = rpsim(&["report", "example:hedging-tail"]);
    assert!(markdown.starts_with("### Hedging") && markdown.contains("**3 of 3 assertions hold**"), "{markdown}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn explain_insights_import_and_code_answer_from_the_command_line() {
    let (code, out, err) = rpsim(&["explain", "example:breaker-outage"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("open after 25 of the last 50 recorded calls failed"), "{out}");
    let (code, out, _) = rpsim(&["insights", "example:breaker-never-opens"]);
    assert_eq!(code, 0);
    assert!(out.contains("fewer than its minimum of 1000") && out.contains("[fix: Judge after"), "{out}");
    let (code, out, _) = rpsim(&["code", "--target", "polly", "example:breaker-outage"]);
    assert_eq!(code, 0);
    assert!(out.contains("ResiliencePipelineBuilder"), "{out}");
    let config = std::env::temp_dir().join(format!("rpsim-import-{}.yml", std::process::id()));
    std::fs::write(
        &config,
        "resilience4j:\n  retry:\n    instances:\n      api:\n        maxAttempts: 5\n        colour: blue\n",
    )
    .unwrap();
    let (code, out, err) = rpsim(&["import", config.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let imported: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(imported["stacks"][0]["stack"][0]["retry"]["max_attempts"], 5);
    assert!(imported["unsupported"][0].as_str().unwrap().contains("instances.api.colour"), "{out}");
    std::fs::remove_file(config).unwrap();
    let (code, _, err) = rpsim(&["explain", "example:breaker-outage", "--request", "many"]);
    assert_eq!(code, 2);
    assert!(err.contains("--request takes a request number"), "{err}");
}
