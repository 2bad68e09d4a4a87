//! The request inspector: one request's journey through the layers, in words, straight from
//! the trace ("cache miss → breaker closed, permitted → attempt 1 → timed out …"). It opens
//! as a drawer beside the timeline (a bottom sheet on narrow screens), where the eye already is.
//!
//! Its words come from the engine's catalogue where it has them (layer labels, state words,
//! counter words, the fallback's answers) and from [`Outcome::name`]; the few phrases the
//! catalogue has no row for are in one table, [`WORDS`].

use resilience_engine::catalog::{self, LayerSpec};
use resilience_engine::patterns::circuit_breaker::{RecordedNote, RecordedOutcome};
use resilience_engine::scenario::Scenario;
use resilience_engine::sim::{Outcome, POOL, SERVICE, TraceEvent, TraceKind};
use yew::prelude::*;

use crate::state::{Action, use_app};
use crate::view_model::Journey;

/// The inspector's phrases that the engine catalogue does not have (yet): the only trace
/// wording written in the web app.
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

fn ms(us: u64) -> String {
    format!("{:.1} ms", us as f64 / 1e3)
}

/// The inspector panel.
#[function_component(Inspector)]
pub fn inspector() -> Html {
    let state = use_app();
    let Some(result) = &state.result else { return html! {} };
    let Some(journey) = state.selected_request.and_then(|id| result.derived.journeys.get(id as usize)) else {
        return html! {};
    };
    let Some(trace) = &result.report.trace else { return html! {} };
    let reader = Reader { scenario: &result.scenario, journey };
    let steps = trace.events[journey.first_event..]
        .iter()
        .filter(|e| e.request == journey.id)
        .take_while(|e| e.at_us <= journey.end_us)
        .filter_map(|e| {
            let what = reader.step(e)?;
            Some(html! { <li><span class="t">{ format!("+{}", ms(e.at_us - journey.arrival_us)) }</span>{ what }</li> })
        });
    let close = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::SelectRequest(None)))
    };
    let outcome = journey.outcome.map_or("unfinished", Outcome::name);
    html! {
        <aside class="panel inspector" id="inspector" aria-labelledby="inspector-title">
            <h2 id="inspector-title">{ format!("Request #{} · {outcome}", journey.id) }
                <button class="close" aria-label="Close the inspector" onclick={close}>{ "✕" }</button></h2>
            <p class="muted">{ format!("arrived at {:.3} s · ← → on the timeline walk through requests", journey.arrival_us as f64 / 1e6) }</p>
            <ol class="journey" id="journey">{ for steps }</ol>
        </aside>
    }
}

/// Reads one request's trace events as sentences.
struct Reader<'a> {
    scenario: &'a Scenario,
    journey: &'a Journey,
}

impl Reader<'_> {
    /// The catalogue's row for the layer (or client pool) at trace label `label`.
    fn spec(&self, label: u8) -> Option<&'static LayerSpec> {
        match label {
            POOL => Some(&catalog::CLIENT_POOL),
            l => self.stack().get(usize::from(l)).and_then(|layer| catalog::layer(layer.kind_name())),
        }
    }

    fn stack(&self) -> &[resilience_engine::scenario::Layer] {
        self.scenario.endpoints.get(usize::from(self.journey.endpoint)).map_or(&[], |e| e.stack.as_slice())
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
                format!("completed: {outcome} after {}", ms(e.at_us - self.journey.arrival_us))
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
