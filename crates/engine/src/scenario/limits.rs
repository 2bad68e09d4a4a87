//! Bounds on what a scenario may ask for. They keep every run finite and small enough for a
//! browser tab; validation names the field that passes one. The ranges of settings are shared
//! with the catalogue, which shows them to editors and the web app.

use serde::Serialize;

use crate::time::Span;

/// Largest scenario document accepted, in bytes.
pub const INPUT_BYTES_MAX: usize = 8 * 1024 * 1024;
/// Longest run: 24 hours of virtual time.
pub const DURATION_MAX_SECS: u64 = 24 * 3_600;
/// Highest arrival rate of one endpoint.
pub const RPS_MAX: f64 = 100_000.0;
/// Most requests a scenario may generate (arrival rate × duration, summed over endpoints).
pub const REQUESTS_MAX: f64 = 20_000_000.0;
/// Most services, and most endpoints.
pub const SERVICES_MAX: usize = 16;
/// Most endpoints.
pub const ENDPOINTS_MAX: usize = 16;
/// Most layers in one stack.
pub const LAYERS_MAX: usize = 16;
/// Most fault windows per service.
pub const FAULTS_MAX: usize = 64;
/// Most entries in an explicit sequence (latencies, outcomes).
pub const SEQUENCE_MAX: usize = 10_000;
/// Most explicit arrival times of one endpoint.
pub const TIMES_MAX: usize = 1_000_000;
/// Most downstream attempts a scenario may generate: for each endpoint its requests times the
/// product of its retry limits (a fallback to a service doubles it), summed over endpoints.
pub const ATTEMPTS_TOTAL_MAX: f64 = 100_000_000.0;
/// Most distinct cache keys.
pub const KEYS_MAX: u32 = 1_000_000;
/// Most entries all caches together may hold (each cache: the smaller of its capacity and its
/// endpoint's key count). Caches allocate as keys arrive, up to this.
pub const CACHE_ENTRIES_MAX: u64 = 4_000_000;
/// Most cache keys over all cache layers together (each indexes its endpoint's whole key
/// space, 4 bytes a key: at most 64 MiB).
pub const CACHE_KEYS_TOTAL_MAX: u64 = 16_000_000;
/// Most cache lookups a scenario may make (each enabled cache layer, once per attempt that
/// reaches it). A lookup in a large cache is a random memory access: about 0.23 µs natively
/// (measured at the limits), so the slowest cache-bound run takes about 15 s, under 30 s.
pub const CACHE_LOOKUPS_MAX: f64 = 80_000_000.0;
/// Largest worker count, queue length, bulkhead size or cache capacity.
pub const CAPACITY_MAX: u32 = 1_000_000;
/// Most attempts of one retry layer.
pub const ATTEMPTS_MAX: u32 = 100;
/// Most closed-loop clients of one endpoint.
pub const CLIENTS_MAX: u32 = 100_000;
/// Largest breaker count window.
pub const WINDOW_CALLS_MAX: u32 = 100_000;
/// Largest breaker time window, in seconds.
pub const WINDOW_SECONDS_MAX: u32 = 3_600;
/// Longest name, in characters.
pub const NAME_CHARS_MAX: usize = 200;
/// Longest description, in characters.
pub const DESCRIPTION_CHARS_MAX: usize = 10_000;
/// Longest share-link payload, in characters; longer links are refused before decoding.
pub const LINK_CHARS_MAX: usize = 512 * 1024;
/// Most panels a share link may list.
pub const LINK_PANELS_MAX: usize = 16;
/// Most calls in flight at once in a run (one per layer a request is inside, plus its service
/// call): the simulator's default bound, and what validation estimates a load against.
pub const CALLS_IN_FLIGHT_MAX: usize = 2_000_000;

/// Inclusive bounds of a numeric setting: what the validator accepts and the catalogue shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Bounds<T> {
    /// Smallest value accepted.
    pub min: T,
    /// Largest value accepted.
    pub max: T,
}

/// Bounds of a duration setting; no `max`: only a duration's own limit (100 days).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SpanBounds {
    /// Shortest duration accepted.
    pub min: Span,
    /// Longest duration accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<Span>,
}

/// Worker counts, bulkhead sizes, cache capacities, minimum calls, throttle rates.
pub const CAPACITY: Bounds<u32> = Bounds { min: 1, max: CAPACITY_MAX };
/// Queue lengths.
pub const QUEUE: Bounds<u32> = Bounds { min: 0, max: CAPACITY_MAX };
/// Breaker count windows, half-open probes and consecutive failures.
pub const WINDOW_CALLS: Bounds<u32> = Bounds { min: 1, max: WINDOW_CALLS_MAX };
/// Breaker time windows, in seconds.
pub const WINDOW_SECONDS: Bounds<u32> = Bounds { min: 1, max: WINDOW_SECONDS_MAX };
/// A retry's attempts in total.
pub const ATTEMPTS: Bounds<u32> = Bounds { min: 1, max: ATTEMPTS_MAX };
/// A retry's retries after the first attempt.
pub const RETRIES: Bounds<u32> = Bounds { min: 0, max: ATTEMPTS_MAX - 1 };
/// Closed-loop clients of one endpoint.
pub const CLIENTS: Bounds<u32> = Bounds { min: 1, max: CLIENTS_MAX };
/// Distinct cache keys.
pub const KEY_COUNT: Bounds<u32> = Bounds { min: 1, max: KEYS_MAX };
/// Breaker rate thresholds, in percent.
pub const PERCENT: Bounds<f64> = Bounds { min: 0.01, max: 100.0 };
/// Growth factors: a breaker's wait multiplier, an exponential backoff's multiplier.
pub const GROWTH: Bounds<f64> = Bounds { min: 1.0, max: 100.0 };
/// Shares: an error rate, a jitter factor.
pub const SHARE: Bounds<f64> = Bounds { min: 0.0, max: 1.0 };
/// A slowdown's multiplier.
pub const SLOWDOWN: Bounds<f64> = Bounds { min: 1.0, max: 1_000.0 };
/// A Zipf exponent.
pub const ZIPF_EXPONENT: Bounds<f64> = Bounds { min: 0.01, max: 10.0 };
/// An error status a fault answers.
pub const ERROR_STATUS: Bounds<u16> = Bounds { min: 400, max: 599 };
/// Durations that must be greater than zero (TTLs, timeouts, slow-call durations).
pub const POSITIVE_SPAN: SpanBounds = SpanBounds { min: Span::from_micros(1), max: None };
/// Waits of at least a millisecond (a breaker's open wait, a backoff's first wait).
pub const WAIT_SPAN: SpanBounds = SpanBounds { min: Span::from_millis(1), max: None };
/// Service times and added latencies: at most an hour.
pub const SERVICE_SPAN: SpanBounds = SpanBounds { min: Span::ZERO, max: Some(Span::from_secs(3_600)) };
