//! The fault kinds of a service's fault script, and the window they share. One row per field.

use super::layers::field;
use super::{FaultSpec, FieldKind, FieldSpec, Range};
use crate::scenario::{CAPACITY, ERROR_STATUS, SERVICE_SPAN, SHARE, SLOWDOWN};

use FieldKind::{Duration, Number, Text, Whole};

/// The window `[from, to)` every fault has.
pub static WINDOW_FIELDS: &[FieldSpec] =
    &[field("/from", "From", Duration, "", "", None), field("/to", "To", Duration, "", "empty: until the end", None)];

/// The fault kinds, in the order the service editor offers them.
pub static FAULTS: [FaultSpec; 6] = [
    FaultSpec {
        name: "outage",
        label: "Outage",
        summary: "every request answers an error status at once",
        fields: &[field("/status", "Status", Whole, "", "", Some(&Range::Status(ERROR_STATUS)))],
        example: r#"{"status":503}"#,
    },
    FaultSpec {
        name: "errors",
        label: "Errors",
        summary: "a share of served requests answers an error status after its service time",
        fields: &[
            field("/rate", "Error rate", Number, "0..1", "", Some(&Range::Number(SHARE))).required(),
            field("/status", "Status", Whole, "", "", Some(&Range::Status(ERROR_STATUS))),
        ],
        example: r#"{"rate":0.2,"status":500}"#,
    },
    FaultSpec {
        name: "slowdown",
        label: "Slowdown",
        summary: "service times of requests starting in the window are multiplied",
        fields: &[field("/factor", "Factor", Number, "×", "", Some(&Range::Number(SLOWDOWN))).required()],
        example: r#"{"factor":5}"#,
    },
    FaultSpec {
        name: "latency",
        label: "Added latency",
        summary: "service times of requests starting in the window grow by a fixed amount",
        fields: &[field("/add", "Added latency", Duration, "", "", Some(&Range::Duration(SERVICE_SPAN))).required()],
        example: r#"{"add":"200ms"}"#,
    },
    FaultSpec {
        name: "throttle",
        label: "Throttling (429)",
        summary: "above a rate, requests get 429 with Retry-After at once",
        fields: &[
            field("/rps", "Allowed rate", Whole, "req/s", "", Some(&Range::Whole(CAPACITY))).required(),
            field("/retry_after", "Retry-After", Duration, "", "empty: the rest of the second", None),
        ],
        example: r#"{"rps":50,"retry_after":"1s"}"#,
    },
    FaultSpec {
        name: "sequence",
        label: "Outcome sequence",
        summary: "the outcomes of successive requests: S serves, F fails, a status answers it at once",
        fields: &[field("/outcomes", "Outcomes", Text, "S, F or a status", "", None).required()],
        example: r#"{"outcomes":"S,F,F,S"}"#,
    },
];
