//! The bodies of the fuzz targets, one per parser, kept here so that the cargo-fuzz targets
//! (`crates/engine/fuzz`, nightly) and a stable test (`tests/fuzz_bodies.rs`, run by CI) run
//! the same code. Each takes raw bytes, never panics on any input, and says how far the input
//! got. A scenario that gets through its parser and validation runs under the tight budgets of
//! [`options`], and must end with a report or a [`RunError`](crate::RunError).
//!
//! Not part of the engine's API: it may change with the fuzz targets.

use crate::scenario::link;
use crate::{RunOptions, Scenario, TraceMode, run};

/// Largest file the playground reads when one is dropped or chosen (16 MiB, as in the web
/// app's `share::FILE_BYTES_MAX`); larger files are refused before they are read.
pub const FILE_BYTES_MAX: usize = 16 * 1024 * 1024;

/// How far an input got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reached {
    /// Refused by the parser (size, UTF-8, shape, version, JSON, types, list lengths).
    Refused,
    /// Parsed, then refused by validation.
    Invalid,
    /// Valid, and the run produced a report.
    Ran,
    /// Valid, and the run stopped with a `RunError` (a budget or a bound).
    Stopped,
}

/// Tight run budgets: each fuzz case stays in the milliseconds and a few MiB, and still
/// reaches every bound (events, stalls, calls in flight, pending events, trace cap).
#[must_use]
pub fn options() -> RunOptions {
    RunOptions {
        trace: TraceMode::Full { max_events: 20_000 },
        max_events: 50_000,
        stalled_events_max: 5_000,
        calls_in_flight_max: 5_000,
        pending_events_max: 10_000,
        queue_compact_min: 1_024,
    }
}

/// Fuzz body for scenario JSON: bytes → [`Scenario::parse_bytes`]; when it parses,
/// [`Scenario::validate`]; when valid, a run under [`options`].
///
/// # Panics
/// Only on a bug: a refusal or validation problem without a message.
#[must_use]
pub fn scenario_json(data: &[u8]) -> Reached {
    match Scenario::parse_bytes(data) {
        Ok(scenario) => validate_then_run(&scenario),
        Err(error) => refused(&error.to_string()),
    }
}

/// Fuzz body for share links: bytes as a string (lossy UTF-8, as a URL fragment would be)
/// → [`link::decode`]; a decoded scenario runs under [`options`] and its link, made again,
/// opens again.
///
/// # Panics
/// Only on a bug: a refusal without a message, or a decoded link that does not re-open.
#[must_use]
pub fn link_payload(data: &[u8]) -> Reached {
    let text = String::from_utf8_lossy(data);
    match link::decode(&text) {
        Ok((scenario, view)) => {
            let again = link::decode(&link::encode(&scenario, &view));
            assert!(again.is_ok(), "a decoded link does not re-open: {again:?}");
            run_bounded(&scenario)
        }
        Err(error) => refused(&error.to_string()),
    }
}

/// Fuzz body for imported files, the engine's share of the web app's file import: a file over
/// [`FILE_BYTES_MAX`] is refused unread; otherwise [`Scenario::from_bytes`] (what the engine
/// offers for files) and [`Scenario::from_json`] over the lossy UTF-8 text (what the browser's
/// `File.text()` hands the app) must agree on valid UTF-8. A valid scenario runs under
/// [`options`]. (Images exported by the playground carry a share link: [`link_payload`].)
///
/// # Panics
/// Only on a bug: the two readings disagree, or a refusal has no message.
#[must_use]
pub fn import_file(data: &[u8]) -> Reached {
    if data.len() > FILE_BYTES_MAX {
        return Reached::Refused;
    }
    let from_bytes = Scenario::from_bytes(data);
    let from_text = Scenario::from_json(&String::from_utf8_lossy(data));
    if std::str::from_utf8(data).is_ok() {
        assert_eq!(from_bytes, from_text, "the bytes and the text of a file read differently");
    }
    match from_bytes {
        Ok(scenario) => run_bounded(&scenario),
        Err(error) => refused(&error.to_string()),
    }
}

/// Validates `scenario`, then runs it when valid.
fn validate_then_run(scenario: &Scenario) -> Reached {
    let problems = scenario.validate();
    for problem in &problems {
        assert!(!problem.message.is_empty(), "a validation problem without a message at {:?}", problem.path);
    }
    if problems.is_empty() { run_bounded(scenario) } else { Reached::Invalid }
}

/// Runs a valid scenario under [`options`].
fn run_bounded(scenario: &Scenario) -> Reached {
    match run(scenario, &options()) {
        Ok(_) => Reached::Ran,
        Err(error) => {
            assert!(!error.to_string().is_empty(), "a run error without a message");
            Reached::Stopped
        }
    }
}

/// A parser refusal, checked to say something.
fn refused(message: &str) -> Reached {
    assert!(!message.is_empty(), "a refusal without a message");
    Reached::Refused
}
