//! A service's and an endpoint's own settings, besides their faults and stacks: the latency and
//! capacity of a service, the arrivals and cache keys of an endpoint. One row per field, as the
//! editors show them (and as the odds dialog names its knobs).

use super::layers::field;
use super::{Choice, FieldKind, SectionSpec};

use FieldKind::{Duration, Number, Whole};

/// A service's time to answer a request.
pub static LATENCY: SectionSpec = SectionSpec {
    path: "/latency",
    label: "Latency",
    choices: &[
        Choice { label: "constant", variant: "constant", value: r#"{"constant":"50ms"}"# },
        Choice { label: "uniform", variant: "uniform", value: r#"{"uniform":{"min":"20ms","max":"80ms"}}"# },
        Choice { label: "normal", variant: "normal", value: r#"{"normal":{"mean":"50ms","stddev":"10ms"}}"# },
        Choice {
            label: "log-normal (p50, p99)",
            variant: "lognormal",
            value: r#"{"lognormal":{"p50":"40ms","p99":"250ms"}}"#,
        },
    ],
    fields: &[
        field("/constant", "Service time", Duration, "", "", None),
        field("/uniform/min", "Min", Duration, "", "", None),
        field("/uniform/max", "Max", Duration, "", "", None),
        field("/normal/mean", "Mean", Duration, "", "", None),
        field("/normal/stddev", "Std dev", Duration, "", "", None),
        field("/lognormal/p50", "p50", Duration, "", "", None),
        field("/lognormal/p99", "p99", Duration, "", "", None),
    ],
};

/// A service's workers and queue (without them, it serves any number of requests at once).
pub static CAPACITY: SectionSpec = SectionSpec {
    path: "/capacity",
    label: "Capacity",
    choices: &[],
    fields: &[
        field("/concurrency", "Workers", Whole, "at once", "", None),
        field("/queue", "Queue", Whole, "waiting", "beyond workers + queue: 503 at once", None),
    ],
};

/// How an endpoint's requests arrive.
pub static LOAD: SectionSpec = SectionSpec {
    path: "/load",
    label: "Arrivals",
    choices: &[
        Choice { label: "constant rate", variant: "constant", value: r#"{"constant":{"rps":100}}"# },
        Choice { label: "Poisson", variant: "poisson", value: r#"{"poisson":{"rps":100}}"# },
        Choice { label: "ramp", variant: "ramp", value: r#"{"ramp":{"from_rps":10,"to_rps":300}}"# },
        Choice {
            label: "spike",
            variant: "spike",
            value: r#"{"spike":{"rps":100,"spike_rps":600,"from":"20s","to":"25s"}}"#,
        },
        Choice {
            label: "closed loop (clients wait, then think)",
            variant: "closed",
            value: r#"{"closed":{"clients":50,"think":"200ms"}}"#,
        },
    ],
    fields: &[
        field("/constant/rps", "Rate", Number, "req/s", "", None),
        field("/poisson/rps", "Mean rate", Number, "req/s", "", None),
        field("/ramp/from_rps", "From", Number, "req/s", "", None),
        field("/ramp/to_rps", "To", Number, "req/s", "", None),
        field("/spike/rps", "Base rate", Number, "req/s", "", None),
        field("/spike/spike_rps", "Spike rate", Number, "req/s", "", None),
        field("/spike/from", "Spike from", Duration, "", "", None),
        field("/spike/to", "Spike to", Duration, "", "", None),
        field("/closed/clients", "Clients", Whole, "", "", None),
        field("/closed/think", "Mean think time", Duration, "", "", None),
    ],
};

/// Which keys an endpoint's requests ask for (what a cache layer keys on).
pub static KEYS: SectionSpec = SectionSpec {
    path: "/keys",
    label: "Key popularity",
    choices: &[
        Choice { label: "uniform", variant: "uniform", value: r#"{"uniform":{"count":1000}}"# },
        Choice { label: "Zipf (popular keys first)", variant: "zipf", value: r#"{"zipf":{"count":1000,"s":1.1}}"# },
    ],
    fields: &[
        field("/uniform/count", "Distinct keys", Whole, "", "", None),
        field("/zipf/count", "Distinct keys", Whole, "", "", None),
        field("/zipf/s", "Zipf exponent", Number, "", "higher: a few keys get most requests", None),
    ],
};

/// The sections of a service, in the order the service editor shows them.
pub static SERVICE_SECTIONS: [&SectionSpec; 2] = [&LATENCY, &CAPACITY];

/// The sections of an endpoint, in the order the load editor shows them.
pub static ENDPOINT_SECTIONS: [&SectionSpec; 2] = [&LOAD, &KEYS];
