//! `rpsim seeds`, `rpsim sweep` and `rpsim tip` from the command line, as scripts use them.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/odds/retry-storm-sweep.json");

fn rpsim(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_rpsim")).args(args).output().expect("rpsim runs");
    let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
    (output.status.code().unwrap_or(-1), text(output.stdout), text(output.stderr))
}

/// A copy of the fixture with `edit` applied, in a temporary file.
fn variant(name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> std::path::PathBuf {
    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    edit(&mut doc);
    let path = std::env::temp_dir().join(format!("rpsim-odds-{}-{name}.json", std::process::id()));
    std::fs::write(&path, doc.to_string()).unwrap();
    path
}

#[test]
fn seeds_prints_the_odds_or_one_row_per_seed() {
    let (code, out, err) =
        rpsim(&["seeds", "example:breaker-outage", "--seeds", "3", "--first-seed", "5", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), 4);
    assert!(rows[0].starts_with("seed,success_rate,goodput_rps,p99_ms,amplification,recovery_ms[0]"), "{}", rows[0]);
    assert_eq!(rows.iter().skip(1).map(|r| r.split(',').next().unwrap()).collect::<Vec<_>>(), ["5", "6", "7"]);
    assert!(err.contains("seeds: 3/3 runs"), "{err}");
    let (code, out, _) = rpsim(&["seeds", "example:all-six", "--seeds", "2", "--jobs", "2"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("2 runs (0 stopped at a bound)\n"), "{out}");
    assert!(out.contains("expect[0] success rate ≥ 95.0 %: holds on 2 of 2 seeds (100.0 %)"), "{out}");
    let (code, json, _) = rpsim(&["seeds", "example:all-six", "--seeds", "2", "--format", "json"]);
    assert_eq!(code, 0);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["outcomes"].as_array().unwrap().len(), 2);
    assert_eq!(value["odds"]["runs"], 2);
    let (code, _, err) = rpsim(&["seeds", "example:all-six", "--seeds", "5000"]);
    assert_eq!((code, err.trim()), (2, "rpsim: example:all-six: seeds: must be between 1 and 1000 seeds, got 5000"));
}

#[test]
fn sweep_writes_csv_json_and_an_svg_and_refuses_too_much_work() {
    let short = variant("short", |doc| doc["duration"] = "30s".into());
    let svg = std::env::temp_dir().join(format!("rpsim-odds-{}.svg", std::process::id()));
    let (code, out, err) = rpsim(&["sweep", short.to_str().unwrap(), "--jobs", "2", "--svg", svg.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("sweep: 32/32 runs"), "{err}");
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), 17);
    assert!(rows[0].starts_with("cell,/endpoints/0/stack/0/retry/max_attempts,/endpoints/0/load/spike/to,runs,"));
    assert!(rows[1].starts_with("0,1,21s,2,,"), "{}", rows[1]);
    let picture = std::fs::read_to_string(&svg).unwrap();
    assert!(picture.starts_with("<svg") && picture.trim_end().ends_with("</svg>"));
    let (code, json, _) = rpsim(&["sweep", short.to_str().unwrap(), "--format", "json", "--jobs", "1"]);
    assert_eq!(code, 0);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["cells"].as_array().unwrap().len(), 16);
    assert_eq!(value["chart"], "expect[0]");
    let (_, again, _) = rpsim(&["sweep", short.to_str().unwrap(), "--jobs", "1"]);
    assert_eq!(again, out, "1 and 2 jobs print the same numbers");
    let huge = variant("huge", |doc| doc["sweep"]["seeds"] = 1000.into());
    let (code, _, err) = rpsim(&["sweep", huge.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("sweep: this sweep would simulate 310.8 million requests, 3.2× the limit of 100 million; use fewer cells, seeds or a shorter run"), "{err}");
    let bad = variant("bad", |doc| doc["sweep"]["knobs"][1]["path"] = "/endpoints/0/stack/9".into());
    let (code, _, err) = rpsim(&["sweep", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.trim_end().ends_with("sweep.knobs[1].path: /endpoints/0/stack/9 does not exist"), "{err}");
    for path in [short, huge, bad, svg] {
        let _ = std::fs::remove_file(path);
    }
}

#[test]
fn tip_prints_each_probe_and_the_bracket() {
    let short = variant("tip", |doc| {
        doc["duration"] = "30s".into();
        doc["endpoints"][0]["load"]["spike"]["to"] = "21s".into();
        doc["expect"][0]["success_rate"]["from"] = "25s".into();
        doc["expect"][0]["success_rate"]["to"] = "30s".into();
    });
    let file = short.to_str().unwrap();
    let args = [
        "tip",
        file,
        "--knob",
        "/endpoints/0/stack/0/retry/max_attempts",
        "--from",
        "1",
        "--to",
        "3",
        "--assert",
        "0",
        "--seeds",
        "1",
        "--first-seed",
        "7",
    ];
    let (code, out, err) = rpsim(&args);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("success rate ≥ 90.0 % in 25s..30s\n"), "{out}");
    assert!(out.contains("probe /endpoints/0/stack/0/retry/max_attempts = 1: holds (on 1 of 1 seeds)"), "{out}");
    assert!(out.trim_end().ends_with("bracket [1, 2]: the assertion flips inside the bracket; 3 runs"), "{out}");
    assert!(out.contains("\nevery seed holds up to 1; every seed fails from 2\nbracket"), "{out}");
    let (code, _, err) = rpsim(&["tip", file, "--knob", "/nope", "--from", "1", "--to", "3", "--assert", "0"]);
    assert_eq!((code, err.trim_end().ends_with("knob: /nope does not exist")), (2, true), "{err}");
    let (code, _, err) = rpsim(&["tip", file, "--from", "1"]);
    assert_eq!((code, err.trim()), (2, "rpsim: tip needs --knob"));
    let _ = std::fs::remove_file(short);
}
