//! The layer kinds, in palette order, and the client pool. One row per field: adding a field to
//! a config is one row here.

use serde::Serialize;
use serde_json::Value;

use super::{
    Chart, Choice, FieldKind, FieldSpec, LayerSpec, MarkerSpec, Named, Range, Reading, ReadingSpec, StateSpec,
};
use crate::scenario::{
    ATTEMPTS, CAPACITY, GROWTH, PERCENT, POSITIVE_SPAN, QUEUE, RETRIES, WAIT_SPAN, WINDOW_CALLS, WINDOW_SECONDS,
};
use crate::sim::Outcome;

use FieldKind::{Bool, Choice as Pick, ChoiceOrService, Duration, FailureKinds, Number, Switch, Whole};

/// A field row: optional, no choices (see [`FieldSpec::required`], [`FieldSpec::pick`]).
pub(super) const fn field(
    path: &'static str,
    label: &'static str,
    kind: FieldKind,
    unit: &'static str,
    help: &'static str,
    range: Option<&'static Range>,
) -> FieldSpec {
    FieldSpec { path, label, kind, required: false, unit, help, range, choices: &[] }
}

impl FieldSpec {
    /// The same field, required.
    pub(super) const fn required(self) -> Self {
        Self { required: true, ..self }
    }

    /// The same field, offering `choices`.
    pub(super) const fn pick(self, choices: &'static [Choice]) -> Self {
        Self { choices, ..self }
    }
}

/// The config as JSON.
pub(super) fn json_of<T: Serialize>(config: T) -> Value {
    // Through text: the compact writer's serialisers are smaller in the web app than `to_value`'s.
    serde_json::to_string(&config).ok().and_then(|text| serde_json::from_str(&text).ok()).unwrap_or(Value::Null)
}

const ENABLED: FieldSpec = field(
    "/enabled",
    "Enabled",
    Switch,
    "",
    "off keeps the layer in the stack but lets calls pass straight through",
    None,
);

const fn choice(label: &'static str, variant: &'static str, value: &'static str) -> Choice {
    Choice { label, variant, value }
}

/// The failure kinds that `retry_on`, `record` and `on` select.
pub static FAILURE_KINDS: &[Named] = &[
    Named { name: "5xx", label: "5xx" },
    Named { name: "429", label: "429" },
    Named { name: "4xx", label: "other 4xx" },
    Named { name: "timeout", label: "timeout" },
    Named { name: "rejected", label: "rejected inside" },
];

const BACKOFFS: &[Choice] = &[
    choice("constant", "constant", ""),
    choice("linear", "linear", r#"{"linear":{"delay":"200ms"}}"#),
    choice("exponential", "exponential", r#"{"exponential":{"initial":"100ms","multiplier":2.0}}"#),
];
const JITTERS: &[Choice] = &[
    choice("none", "none", ""),
    choice("full: random in [0, d]", "full", r#""full""#),
    choice("equal: d/2 + random in [0, d/2]", "equal", r#""equal""#),
    choice("decorrelated", "decorrelated", r#""decorrelated""#),
    choice("±25 % (Polly)", "factor", r#"{"factor":0.25}"#),
];
const WINDOWS: &[Choice] =
    &[choice("last N calls", "count", ""), choice("last N seconds", "seconds", r#"{"seconds":10}"#)];
const BOUNDARIES: &[Choice] = &[
    choice("strictly after (resilience4j)", "strictly_after", ""),
    choice("at or after (Polly, cockatiel)", "at_or_after", r#""at_or_after""#),
];
const EVALUATE: &[Choice] = &[
    choice("after every call (resilience4j)", "every_call", ""),
    choice("only after failures (Polly)", "on_failure", r#""on_failure""#),
];
const AFTER_MAX_WAIT: &[Choice] = &[choice("open", "open", ""), choice("closed", "closed", r#""closed""#)];
const MODES: &[Choice] = &[
    choice("normal", "normal", ""),
    choice("forced open", "forced_open", r#""forced_open""#),
    choice("metrics only (never blocks)", "metrics_only", r#""metrics_only""#),
    choice("disabled", "disabled", r#""disabled""#),
];
const HALF_OPEN_ADMISSION: &[Choice] = &[
    choice("reject extra calls (resilience4j)", "reject", ""),
    choice("queue until the probes decide (cockatiel)", "queue", r#""queue""#),
];
const RETRY_AFTER: &[Choice] = &[
    choice("ignore it", "ignore", ""),
    choice("honour it as sent", "as_sent", r#""as_sent""#),
    choice("clamp to backoff … +5 s (AWS SDK)", "clamp", r#""clamp""#),
];
const ACTIONS: &[Choice] =
    &[choice("static value", "static", ""), choice("stale cache entry", "stale_cache", r#""stale_cache""#)];

/// The layer kinds, in palette order.
pub static LAYERS: [LayerSpec; 6] = [
    LayerSpec {
        name: "fallback",
        label: "Fallback",
        summary: "answer something useful when the call fails",
        fields: &[
            ENABLED,
            field("/action", "Answer with", ChoiceOrService, "", "", None).pick(ACTIONS),
            field("/on", "Answer on", FailureKinds, "", "which failures the fallback answers", None),
        ],
        outcomes: &[Outcome::Fallback],
        states: &[],
        counters: &["served"],
        readings: &[],
        chart: None,
        marker: Some(MarkerSpec { label: "fallback", outcome: Outcome::Fallback }),
        example: r#"{"action":"static"}"#,
    },
    LayerSpec {
        name: "cache",
        label: "Cache",
        summary: "answer from recent results; serve stale on errors",
        fields: &[
            ENABLED,
            field("/ttl", "TTL", Duration, "", "how long an entry is fresh", Some(&Range::Duration(POSITIVE_SPAN)))
                .required(),
            field(
                "/capacity",
                "Capacity",
                Whole,
                "entries",
                "least recently used go first",
                Some(&Range::Whole(CAPACITY)),
            ),
            field("/serve_stale", "Serve stale on error", Bool, "", "", None),
            field("/max_staleness", "Max staleness", Duration, "", "past the TTL; empty = any age", None),
        ],
        outcomes: &[Outcome::CacheFresh, Outcome::CacheStale],
        states: &[],
        counters: &["hits", "misses", "stale served"],
        readings: &[ReadingSpec { reading: Reading::HitRatio, label: "hit ratio" }],
        chart: Some(Chart::HitRatio),
        marker: Some(MarkerSpec { label: "cache answer", outcome: Outcome::CacheFresh }),
        example: r#"{"ttl":"10s","capacity":1000,"serve_stale":true}"#,
    },
    LayerSpec {
        name: "circuit_breaker",
        label: "Circuit breaker",
        summary: "stop calling a failing dependency, probe it now and then",
        fields: &[
            ENABLED,
            field("/window", "Window", Pick, "", "calls judged in the closed state", None).pick(WINDOWS),
            field("/window/count", "Window size", Whole, "calls", "", Some(&Range::Whole(WINDOW_CALLS))).required(),
            field("/window/seconds", "Window length", Whole, "s", "", Some(&Range::Whole(WINDOW_SECONDS))).required(),
            field(
                "/failure_rate",
                "Failure rate threshold",
                Number,
                "%",
                "opens at or above this",
                Some(&Range::Number(PERCENT)),
            ),
            field(
                "/minimum_calls",
                "Minimum calls",
                Whole,
                "calls",
                "no verdict before this many calls",
                Some(&Range::Whole(CAPACITY)),
            ),
            field(
                "/wait_open",
                "Wait in open",
                Duration,
                "",
                "before a probe may pass",
                Some(&Range::Duration(WAIT_SPAN)),
            ),
            field(
                "/wait_multiplier",
                "Wait multiplier",
                Number,
                "×",
                "growth of the wait on each re-open",
                Some(&Range::Number(GROWTH)),
            ),
            field("/wait_max", "Max wait in open", Duration, "", "cap on the grown wait", None),
            field(
                "/permitted_half_open",
                "Probes in half-open",
                Whole,
                "calls",
                "extra calls are rejected",
                Some(&Range::Whole(WINDOW_CALLS)),
            ),
            field("/slow_call_duration", "Slow call above", Duration, "", "", Some(&Range::Duration(POSITIVE_SPAN))),
            field("/slow_call_rate", "Slow-call rate threshold", Number, "%", "", Some(&Range::Number(PERCENT))),
            field(
                "/max_wait_half_open",
                "Max wait in half-open",
                Duration,
                "",
                "leave half-open after this long",
                Some(&Range::Duration(POSITIVE_SPAN)),
            ),
            field("/after_max_wait", "Then go", Pick, "", "where the max wait in half-open leads", None)
                .pick(AFTER_MAX_WAIT),
            field(
                "/consecutive_failures",
                "Consecutive failures",
                Whole,
                "",
                "open after N failures in a row instead of rates",
                Some(&Range::Whole(WINDOW_CALLS)),
            ),
            field("/open_boundary", "Open wait ends", Pick, "", "", None).pick(BOUNDARIES),
            field("/evaluate", "Judge", Pick, "", "", None).pick(EVALUATE),
            field("/record", "Count as failures", FailureKinds, "", "other failures count as successes", None),
            field("/ignore", "Ignore", FailureKinds, "", "these give the permit back uncounted", None),
            field(
                "/half_open_successes",
                "Successes to close",
                Whole,
                "probes",
                "close after this many successful probes, 1 to the probes in half-open (failsafe); empty: judge the rate",
                None,
            ),
            field("/half_open_admission", "When probes are taken", Pick, "", "", None).pick(HALF_OPEN_ADMISSION),
            field("/round_rates", "Whole percent", Bool, "", "judge rates rounded to whole percent (failsafe)", None),
            field("/mode", "Mode", Pick, "", "force a state, or only measure", None).pick(MODES),
        ],
        outcomes: &[Outcome::RejectedByBreaker],
        states: &[
            StateSpec { code: 0, label: "closed", entered: "breaker closed" },
            StateSpec { code: 1, label: "open", entered: "breaker opened" },
            StateSpec { code: 2, label: "half-open", entered: "breaker half-open" },
            StateSpec { code: 3, label: "disabled", entered: "breaker disabled" },
            StateSpec { code: 4, label: "forced open", entered: "breaker forced open" },
            StateSpec { code: 5, label: "metrics only", entered: "breaker measuring only" },
        ],
        counters: &["permitted", "rejected", "recorded"],
        readings: &[
            ReadingSpec { reading: Reading::State, label: "state" },
            ReadingSpec { reading: Reading::FailureRate, label: "failure rate" },
        ],
        chart: Some(Chart::StateStrip),
        marker: Some(MarkerSpec { label: "breaker rejection", outcome: Outcome::RejectedByBreaker }),
        example: r#"{"window":{"count":50},"failure_rate":50,"minimum_calls":20,"wait_open":"5s","permitted_half_open":5}"#,
    },
    LayerSpec {
        name: "retry",
        label: "Retry",
        summary: "try again after a failure, with backoff and jitter",
        fields: &[
            ENABLED,
            field(
                "/max_attempts",
                "Max attempts",
                Whole,
                "in total",
                "attempts in total, the first included (resilience4j)",
                Some(&Range::Whole(ATTEMPTS)),
            ),
            field(
                "/max_retries",
                "Max retries",
                Whole,
                "after the first",
                "retries after the first attempt (Polly); set one of the two",
                Some(&Range::Whole(RETRIES)),
            ),
            field("/backoff", "Backoff", Pick, "", "how the wait grows", None).pick(BACKOFFS),
            field("/backoff/constant/delay", "Delay", Duration, "", "", None).required(),
            field("/backoff/linear/delay", "Delay step", Duration, "× n", "", None).required(),
            field("/backoff/exponential/initial", "Initial wait", Duration, "", "", Some(&Range::Duration(WAIT_SPAN)))
                .required(),
            field("/backoff/exponential/multiplier", "Multiplier", Number, "×", "", Some(&Range::Number(GROWTH)))
                .required(),
            field("/max_delay", "Max wait", Duration, "", "cap on any single wait", None),
            field("/jitter", "Jitter", Pick, "", "randomises each wait so clients do not retry in lockstep", None)
                .pick(JITTERS),
            field("/retry_after", "Retry-After", Pick, "", "what a 429/503's Retry-After does to the wait", None)
                .pick(RETRY_AFTER),
            field("/retry_on", "Retry on", FailureKinds, "", "which failures are retried", None),
        ],
        outcomes: &[Outcome::SuccessAfterRetry],
        states: &[],
        counters: &["retries", "gave up"],
        readings: &[ReadingSpec { reading: Reading::WaitingToRetry, label: "waiting to retry" }],
        chart: None,
        marker: None,
        example: r#"{"max_attempts":3,"backoff":{"exponential":{"initial":"100ms","multiplier":2.0}},"jitter":"full"}"#,
    },
    LayerSpec {
        name: "timeout",
        label: "Timeout",
        summary: "bound the time spent inside",
        fields: &[
            ENABLED,
            field(
                "/timeout",
                "Timeout",
                Duration,
                "",
                "inside a retry: per attempt; outside: the whole call",
                Some(&Range::Duration(POSITIVE_SPAN)),
            ),
        ],
        outcomes: &[Outcome::TimedOut],
        states: &[],
        counters: &["timed out"],
        readings: &[],
        chart: None,
        marker: Some(MarkerSpec { label: "timeout", outcome: Outcome::TimedOut }),
        example: r#"{"timeout":"500ms"}"#,
    },
    LayerSpec {
        name: "bulkhead",
        label: "Bulkhead",
        summary: "bound the calls inside at once",
        fields: &[
            ENABLED,
            field("/max_concurrent", "Max concurrent", Whole, "calls", "", Some(&Range::Whole(CAPACITY))),
            field("/max_wait", "Max wait for a permit", Duration, "", "0 rejects at once", None),
            field("/queue", "Queue", Whole, "calls", "bounded FIFO of waiting calls", Some(&Range::Whole(QUEUE))),
        ],
        outcomes: &[Outcome::RejectedByBulkhead],
        states: &[],
        counters: BULKHEAD_COUNTERS,
        readings: BULKHEAD_READINGS,
        chart: Some(Chart::Occupancy),
        marker: Some(MarkerSpec { label: "bulkhead rejection", outcome: Outcome::RejectedByBulkhead }),
        example: r#"{"max_concurrent":25}"#,
    },
];

const BULKHEAD_COUNTERS: &[&str] = &["admitted", "queued", "rejected"];
const BULKHEAD_READINGS: &[ReadingSpec] = &[
    ReadingSpec { reading: Reading::InUse, label: "in use" },
    ReadingSpec { reading: Reading::Waiting, label: "waiting" },
];

/// The shared client worker pool: the scenario's `client`, a bulkhead in front of every stack.
pub static CLIENT_POOL: LayerSpec = LayerSpec {
    name: "client_pool",
    label: "Client pool",
    summary: "requests hold a client thread until they complete",
    fields: &[
        field("/workers", "Threads", Whole, "", "", Some(&Range::Whole(CAPACITY))).required(),
        field(
            "/queue",
            "Queue",
            Whole,
            "waiting",
            "requests that may wait for a thread; empty = any number",
            Some(&Range::Whole(QUEUE)),
        ),
        field("/max_wait", "Max wait for a thread", Duration, "", "", None),
    ],
    outcomes: &[Outcome::Failed],
    states: &[],
    counters: BULKHEAD_COUNTERS,
    readings: BULKHEAD_READINGS,
    chart: Some(Chart::Occupancy),
    marker: None,
    example: r#"{"workers":40,"max_wait":"500ms"}"#,
};
