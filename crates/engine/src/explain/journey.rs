//! One request's journey through the layers, in words, straight from the trace ("cache miss →
//! breaker closed, permitted → attempt 1 → timed out …"): what the playground's inspector shows.
//!
//! Its words come from the catalogue where it has them (layer labels, state words, counter
//! words, the fallback's answers) and from [`Outcome::name`]; the few phrases the catalogue has
//! no row for are in one table, [`WORDS`].

use serde::Serialize;

use crate::Scenario;
use crate::catalog::{self, LayerSpec};
use crate::patterns::circuit_breaker::{RecordedNote, RecordedOutcome};
use crate::sim::{Outcome, POOL, SERVICE, Trace, TraceEvent, TraceKind};

/// One step of a journey.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    /// When it happened, in microseconds.
    pub at_us: u64,
    /// What happened, in words.
    pub text: String,
}

/// The steps of `request`'s journey, from its arrival to its end (empty if the trace does not
/// hold it).
#[must_use]
pub fn journey(scenario: &Scenario, trace: &Trace, request: u32) -> Vec<Step> {
    let mut events = trace.events.iter().filter(|e| e.request == request);
    let Some(arrival) = events.next().filter(|e| e.kind == TraceKind::Arrival) else { return Vec::new() };
    let reader = Reader { scenario, endpoint: arrival.value as usize, arrival_us: arrival.at_us };
    let mut steps = Vec::new();
    for e in std::iter::once(arrival).chain(events) {
        if let Some(text) = reader.step(e) {
            steps.push(Step { at_us: e.at_us, text });
        }
        if e.kind == TraceKind::Complete {
            break;
        }
    }
    steps
}

/// The journey's phrases that the catalogue has no row for: the only trace wording written
/// outside it.
struct Words {
    /// The service station (the catalogue describes layers and the client pool only).
    service: &'static str,
    /// A cache lookup that found a fresh entry, before the key.
    cache_hit: &'static str,
    /// A cache lookup that found nothing fresh, before the key.
    cache_miss: &'static str,
    /// The cache served a stale entry.
    cache_stale: &'static str,
    /// Why a half-open breaker turns calls away or queues them.
    probes_taken: &'static str,
    /// A half-open breaker's queued call, until its probes decide.
    waits_for_probes: &'static str,
    /// A call abandoned while queued at a half-open breaker.
    left_half_open_queue: &'static str,
    /// A breaker permit handed back without a result.
    permit_unrecorded: &'static str,
    /// A call queued at a bulkhead.
    waiting_for_permit: &'static str,
    /// Why a bulkhead rejected: full (code 0), or the wait ran out (code 1).
    bulkhead_rejected: [&'static str; 2],
    /// A bulkhead permit released: normally (0), by an abandoned call (1), or a queued call
    /// abandoned (2).
    bulkhead_released: [&'static str; 3],
    /// The fallback's answer from its secondary service (the catalogue's choices list the
    /// static value and the stale cache entry).
    secondary_service: &'static str,
    /// A call queued at the service.
    attempt_queued: &'static str,
    /// An attempt abandoned by the caller.
    attempt_abandoned: &'static str,
    /// What the breaker did with a result, by [`RecordedOutcome`]: the verb before the
    /// catalogue's counter word does not fit "ignored" and "not counted".
    ignored_failure: &'static str,
    /// A result the breaker did not count.
    not_counted: &'static str,
    /// A failure rate not computed yet.
    rate_not_computed: &'static str,
}

/// See [`Words`].
const WORDS: Words = Words {
    service: "service",
    cache_hit: "fresh hit for key",
    cache_miss: "miss for key",
    cache_stale: "served a stale entry",
    probes_taken: "probes taken",
    waits_for_probes: "waits until they decide",
    left_half_open_queue: "left the half-open queue (the call was abandoned)",
    permit_unrecorded: "permit given back unrecorded",
    waiting_for_permit: "waiting for a permit",
    bulkhead_rejected: ["full", "wait expired"],
    bulkhead_released: [
        "permit given back",
        "permit given back (the call was abandoned)",
        "left the queue (the call was abandoned)",
    ],
    secondary_service: "the secondary service",
    attempt_queued: "queued at the service (all workers busy)",
    attempt_abandoned: "abandoned (the service keeps working on it)",
    ignored_failure: "ignored the failure (its kind is in `ignore`)",
    not_counted: "did not count the result",
    rate_not_computed: "not yet computed (below the minimum calls)",
};

/// The fallback's answers by the trace's code, as its `action` choices name them.
const FALLBACK_VARIANTS: [&str; 2] = ["static", "stale_cache"];

/// A span in milliseconds, to a tenth.
fn ms(us: u64) -> String {
    format!("{:.1} ms", us as f64 / 1e3)
}

/// Reads one request's trace events as sentences.
struct Reader<'a> {
    scenario: &'a Scenario,
    /// The endpoint the request arrived at.
    endpoint: usize,
    /// When it arrived, in microseconds.
    arrival_us: u64,
}

impl Reader<'_> {
    /// The catalogue's row for the layer (or client pool) at trace label `label`.
    fn spec(&self, label: u8) -> Option<&'static LayerSpec> {
        match label {
            POOL => Some(&catalog::CLIENT_POOL),
            l => self.stack().get(usize::from(l)).and_then(|layer| catalog::layer(layer.kind_name())),
        }
    }

    fn stack(&self) -> &[crate::scenario::Layer] {
        self.scenario.endpoints.get(self.endpoint).map_or(&[], |e| e.stack.as_slice())
    }

    /// The station, by its catalogue label in lower case: "circuit breaker (3)", "client pool".
    fn name(&self, label: u8) -> String {
        match (label, self.spec(label)) {
            (SERVICE, _) => WORDS.service.to_owned(),
            (POOL, Some(spec)) => spec.label.to_ascii_lowercase(),
            (l, Some(spec)) => format!("{} ({})", spec.label.to_ascii_lowercase(), u16::from(l) + 1),
            (_, None) => "?".to_owned(),
        }
    }

    /// The catalogue's word for the layer's counter `slot` ("permitted", "gave up").
    fn counter(&self, label: u8, slot: usize) -> &'static str {
        self.spec(label).and_then(|spec| spec.counters.get(slot)).copied().unwrap_or("?")
    }

    /// The catalogue's word for the layer's state `code` ("open", "half-open").
    fn state_word(&self, label: u8, code: u8) -> &'static str {
        self.spec(label).and_then(|spec| spec.states.iter().find(|s| s.code == code)).map_or("?", |s| s.label)
    }

    /// One event as a sentence, or `None` for events the inspector leaves out.
    fn step(&self, e: &TraceEvent) -> Option<String> {
        let (name, value) = (self.name(e.layer), e.value);
        let what = match e.kind {
            TraceKind::Arrival => {
                let endpoint = self.scenario.endpoints.get(value as usize).map_or("?", |e| e.name.as_str());
                return Some(format!("arrived at endpoint {endpoint}"));
            }
            TraceKind::CacheHit => format!("{} {value}", WORDS.cache_hit),
            TraceKind::CacheMiss => format!("{} {value}", WORDS.cache_miss),
            TraceKind::CacheStale => WORDS.cache_stale.to_owned(),
            TraceKind::RetryScheduled => format!("waiting {} before attempt {}", ms(u64::from(value)), e.attempt + 1),
            TraceKind::RetryGaveUp => format!("{} after {value} attempts", self.counter(e.layer, 1)),
            TraceKind::TimeoutFired => self.counter(e.layer, 0).to_owned(),
            TraceKind::FallbackServed => format!("answered with {}", fallback_answer(value)),
            kind => return self.guard_step(e, kind).or_else(|| self.request_step(e, kind)),
        };
        Some(format!("{name}: {what}"))
    }

    /// The breaker's and bulkhead's events.
    fn guard_step(&self, e: &TraceEvent, kind: TraceKind) -> Option<String> {
        let (label, value) = (e.layer, e.value as usize);
        let what = match kind {
            TraceKind::BreakerPermitted => self.counter(label, 0).to_owned(),
            TraceKind::BreakerRejected if value == 1 => {
                format!("{} ({}, {})", self.counter(label, 1), self.state_word(label, 2), WORDS.probes_taken)
            }
            TraceKind::BreakerRejected => format!("{} ({})", self.counter(label, 1), self.state_word(label, 1)),
            TraceKind::BreakerRecorded => self.recorded(label, RecordedNote::decode(e.value)),
            TraceKind::BreakerReleased if value == 1 => WORDS.left_half_open_queue.to_owned(),
            TraceKind::BreakerReleased => WORDS.permit_unrecorded.to_owned(),
            TraceKind::BreakerQueued => {
                format!("{}, {}: {}", self.state_word(label, 2), WORDS.probes_taken, WORDS.waits_for_probes)
            }
            TraceKind::BulkheadAdmitted => self.counter(label, 0).to_owned(),
            TraceKind::BulkheadQueued => WORDS.waiting_for_permit.to_owned(),
            TraceKind::BulkheadRejected => {
                format!("{} ({})", self.counter(label, 2), WORDS.bulkhead_rejected[usize::from(value == 1)])
            }
            TraceKind::BulkheadReleased => WORDS.bulkhead_released[value.min(2)].to_owned(),
            _ => return None,
        };
        Some(format!("{}: {what}", self.name(label)))
    }

    /// The attempts at the service and the request's end.
    fn request_step(&self, e: &TraceEvent, kind: TraceKind) -> Option<String> {
        Some(match kind {
            TraceKind::AttemptStart => {
                let service = self.scenario.services.get(e.value as usize).map_or("?", |s| s.name.as_str());
                format!("attempt {} sent to {service}", e.attempt)
            }
            TraceKind::AttemptQueued => WORDS.attempt_queued.to_owned(),
            TraceKind::AttemptEnd => format!("attempt {} answered {}", e.attempt, e.value),
            TraceKind::AttemptAbandoned => format!("attempt {} {}", e.attempt, WORDS.attempt_abandoned),
            TraceKind::Complete => {
                let outcome = u8::try_from(e.value).ok().and_then(Outcome::from_code).map_or("?", Outcome::name);
                format!("completed: {outcome} after {}", ms(e.at_us - self.arrival_us))
            }
            _ => return None,
        })
    }

    /// What the breaker did with a call's result, and the failure rate it judged by right
    /// after (the rate's label is the catalogue's reading).
    fn recorded(&self, label: u8, note: RecordedNote) -> String {
        let recorded = self.counter(label, 2);
        let counted = match note.outcome {
            RecordedOutcome::Success => format!("{recorded} a success"),
            RecordedOutcome::Failure => format!("{recorded} a failure"),
            RecordedOutcome::Ignored => WORDS.ignored_failure.to_owned(),
            RecordedOutcome::NotCounted => WORDS.not_counted.to_owned(),
        };
        let rate_label = self
            .spec(label)
            .and_then(|spec| spec.readings.iter().find(|r| r.reading == catalog::Reading::FailureRate))
            .map_or("failure rate", |r| r.label);
        match note.failure_rate_pct {
            Some(rate) => format!("{counted}; {rate_label} {rate:.0} %"),
            None => format!("{counted}; {rate_label} {}", WORDS.rate_not_computed),
        }
    }
}

/// The fallback's answer by the trace's code: the catalogue's label for its `action` choice
/// ("static value", "stale cache entry"), or the secondary service.
fn fallback_answer(code: u32) -> String {
    let choice = FALLBACK_VARIANTS.get(code as usize).and_then(|variant| {
        let field = catalog::layer("fallback")?.field("/action")?;
        field.choices.iter().find(|c| c.variant == *variant)
    });
    choice.map_or_else(|| WORDS.secondary_service.to_owned(), |c| format!("the {}", c.label))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RunOptions, examples, run};

    #[test]
    fn a_journey_runs_from_arrival_to_completion_in_words() {
        let scenario = Scenario::from_json(examples::gallery("breaker-outage").unwrap()).unwrap();
        let report = run(&scenario, &RunOptions::full_trace(5_000_000)).unwrap();
        let trace = report.trace.as_ref().unwrap();
        let steps = journey(&scenario, trace, 1967);
        let words: Vec<&str> = steps.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(words.first().copied(), Some("arrived at endpoint product-page"));
        assert!(words.iter().any(|w| w.starts_with("circuit breaker (") && w.contains("rejected (open)")), "{words:?}");
        assert!(words.last().is_some_and(|w| w.starts_with("completed: ")), "{words:?}");
        assert!(steps.windows(2).all(|w| w[0].at_us <= w[1].at_us), "in time order");
        assert!(journey(&scenario, trace, u32::MAX - 1).is_empty(), "a request the trace does not hold");
    }

    #[test]
    fn fallback_answers_come_from_the_catalogue() {
        assert_eq!(fallback_answer(0), "the static value");
        assert_eq!(fallback_answer(1), "the stale cache entry");
        assert_eq!(fallback_answer(2), "the secondary service");
    }

    #[test]
    fn breaker_and_bulkhead_words_come_from_the_catalogue() {
        let breaker = catalog::layer("circuit_breaker").map(|s| (s.counters, s.states.len()));
        assert_eq!(breaker.map(|(c, _)| c), Some(&["permitted", "rejected", "recorded"][..]));
        assert!(breaker.is_some_and(|(_, states)| states >= 3), "closed, open, half-open");
        let bulkhead = catalog::layer("bulkhead").map(|s| s.counters);
        assert_eq!(bulkhead, Some(&["admitted", "queued", "rejected"][..]));
        assert_eq!(catalog::layer("retry").and_then(|s| s.counters.get(1)).copied(), Some("gave up"));
        assert_eq!(catalog::layer("timeout").and_then(|s| s.counters.first()).copied(), Some("timed out"));
    }
}
