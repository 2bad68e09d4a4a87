//! Copy as code: golden files for every gallery example and every target, and real syntax
//! checks: the tower code compiles (one temporary crate, one module per example) and the
//! resilience4j `application.yml` parses as YAML.
//!
//! `UPDATE_GOLDEN=1 cargo test -p resilience-engine --test codegen` rewrites the golden files.

use std::path::{Path, PathBuf};
use std::process::Command;

use resilience_engine::codegen::{Target, generate};
use resilience_engine::{Scenario, examples};

/// Every (file stem, scenario, endpoint index) of the gallery: `example` for a one-endpoint
/// example, `example--endpoint` for each endpoint of the others.
fn cases() -> Vec<(String, Scenario, usize)> {
    let mut cases = Vec::new();
    for (name, json) in examples::ALL {
        let scenario = Scenario::from_json(json).unwrap_or_else(|e| panic!("{name}: {e}"));
        let count = scenario.endpoints.len();
        for (index, endpoint) in scenario.endpoints.iter().enumerate() {
            let stem = if count == 1 { (*name).to_owned() } else { format!("{name}--{}", endpoint.name) };
            cases.push((stem, scenario.clone(), index));
        }
    }
    cases
}

/// Stacks beyond the gallery that reach the other branches of the generators (other backoffs,
/// budgets, queues, shared limiters, every kind): checked for syntax, not pinned by golden files.
const EXTRA_STACKS: &[&str] = &[
    r#"[{"retry": {"max_retries": 2, "backoff": {"linear": {"delay": "20ms"}}, "max_delay": "50ms", "jitter": {"factor": 0.25},
        "budget": {"envoy": {}}}},
       {"rate_limiter": {"algorithm": "smooth", "limit": 5, "period": "1s", "max_wait": "200ms", "shared": "api"}},
       {"bulkhead": {"max_concurrent": 3, "queue": 4, "max_wait": "100ms"}}]"#,
    r#"[{"fallback": {"action": {"service": "svc"}, "on": ["timeout"]}},
       {"retry": {"max_attempts": 3, "backoff": {"exponential": {"initial": "10ms", "multiplier": 1.5}}, "retry_after": "clamp",
        "budget": {"tps": {"shared": "b"}}}},
       {"circuit_breaker": {"consecutive_failures": 3, "wait_multiplier": 2, "wait_max": "1m", "ignore": ["4xx"]}},
       {"hedging": {"mode": "percentile"}}, {"adaptive_limit": {}}, {"throttle": {}}, {"cache": {"ttl": "1s"}},
       {"retry": {"max_attempts": 2, "jitter": "decorrelated", "backoff": {"exponential": {"initial": "5ms", "multiplier": 2}}}},
       {"bulkhead": {"max_concurrent": 2, "max_wait": "10ms"}}, {"timeout": {"enabled": false}}]"#,
    r#"[{"retry": {"retry_on": ["rejected", "4xx"]}}, {"rate_limiter": {"algorithm": "fixed_window"}},
       {"circuit_breaker": {"window": {"seconds": 5}, "half_open_successes": 2, "permitted_half_open": 3, "record": ["5xx"]}}]"#,
    "[]",
];

/// The extra stacks as one-endpoint scenarios, under every library's presets.
fn extra_cases() -> Vec<(String, Scenario, usize)> {
    let mut cases = Vec::new();
    for (n, stack) in EXTRA_STACKS.iter().enumerate() {
        for semantics in ["resilience4j", "polly", "cockatiel", "failsafe", "tower"] {
            let json = format!(
                r#"{{"version": 2, "name": "extra", "semantics": "{semantics}", "duration": "10s",
                    "services": [{{"name": "svc", "latency": {{"constant": "10ms"}}}}],
                    "endpoints": [{{"name": "Extra {n}!", "service": "svc", "load": {{"closed": {{"clients": 2, "think": "1s"}}}},
                                   "stack": {stack}}}]}}"#
            );
            let scenario = Scenario::from_json(&json).unwrap_or_else(|e| panic!("extra {n} ({semantics}): {e}"));
            cases.push((format!("extra-{n}-{semantics}"), scenario, 0));
        }
    }
    cases
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/codegen")
}

#[test]
fn generated_code_matches_the_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let dir = fixtures();
    std::fs::create_dir_all(&dir).unwrap();
    let mut stale = Vec::new();
    for (stem, scenario, endpoint) in cases() {
        for target in Target::ALL {
            let path = dir.join(format!("{stem}.{}", target.extension()));
            let code = generate(&scenario, endpoint, target);
            if update {
                std::fs::write(&path, &code).unwrap();
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(code.as_str()) {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(stale.is_empty(), "generated code differs from (UPDATE_GOLDEN=1 rewrites them):\n{}", stale.join("\n"));
}

#[test]
fn every_example_and_target_says_something_about_every_layer() {
    for (stem, scenario, endpoint) in cases().into_iter().chain(extra_cases()) {
        for target in Target::ALL {
            let code = generate(&scenario, endpoint, target);
            for (index, layer) in scenario.endpoints[endpoint].stack.iter().enumerate() {
                let mark = format!("{}. ", index + 1);
                assert!(
                    code.contains(&mark),
                    "{stem} ({}): layer {} ({}) not mentioned",
                    target.word(),
                    index + 1,
                    layer.kind_name()
                );
            }
        }
    }
}

#[test]
fn resilience4j_yaml_parses() {
    for (stem, scenario, endpoint) in cases().into_iter().chain(extra_cases()) {
        let yaml = generate(&scenario, endpoint, Target::Resilience4j);
        let value: serde_yaml::Value =
            serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{stem}.yml: {e}\n{yaml}"));
        if !scenario.endpoints[endpoint].stack.is_empty() {
            assert!(
                value.get("resilience4j").is_some() || yaml.contains("no resilience4j"),
                "{stem}.yml has no resilience4j key"
            );
        }
    }
}

/// Writes every example's tower code as one module of a temporary crate and builds it offline
/// (tower 0.5 and tokio from the local registry cache), with warnings denied.
#[test]
fn tower_code_compiles() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("codegen-tower");
    let src = root.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(root.join("Cargo.toml"), MANIFEST).unwrap();
    let mut lib = String::from("//! Generated tower stacks, one module per gallery example.\n#![deny(warnings)]\n\n");
    for (stem, scenario, endpoint) in cases().into_iter().chain(extra_cases()) {
        let module = stem.replace("--", "_").replace(['-', '.'], "_");
        std::fs::write(src.join(format!("{module}.rs")), generate(&scenario, endpoint, Target::Tower)).unwrap();
        lib.push_str(&format!("pub mod {module};\n"));
    }
    std::fs::write(src.join("lib.rs"), lib).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["build", "--offline", "--quiet"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the generated tower code does not build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

const MANIFEST: &str = r#"[package]
name = "codegen-tower-check"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
tokio = { version = "1", features = ["rt", "time", "sync"] }
tower = { version = "0.5", features = ["buffer", "limit", "load-shed", "retry", "timeout", "util"] }

# Not part of any enclosing workspace.
[workspace]
"#;
