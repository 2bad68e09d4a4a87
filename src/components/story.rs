//! The scenario's story under the header: its description, always visible, and for the built-in
//! examples three things to try.

use yew::prelude::*;

use crate::state::AppContext;

/// Three things to try in each built-in example: (example, tips).
const TIPS: &[(&str, [&str; 3])] = &[
    (
        "breaker-outage",
        [
            "Press Play and watch the breaker's gate close a moment after the outage starts at 20 s.",
            "Open the breaker and raise its failure rate to 90 %: how much later does it open?",
            "Compare against “no patterns”: every request waits for a 503 during the outage.",
        ],
    ),
    (
        "all-six",
        [
            "Switch one layer off at a time (its “on” button) and watch the verdict change.",
            "Compare against “this stack without layer 3” to see what the breaker alone buys.",
            "Move the timeout above the retry: one deadline for all attempts instead of one each.",
        ],
    ),
    (
        "cache-outage",
        [
            "Turn serve_stale off and watch the outage turn red.",
            "Lower the TTL to 1 s: fewer hits, more calls to the service.",
            "Flatten the key popularity (Zipf exponent 0) and see the hit ratio fall.",
        ],
    ),
    (
        "retry-transient",
        [
            "Set max attempts to 1 and compare the success rate.",
            "Turn off honour Retry-After and watch the 429s come back.",
            "Switch jitter to none and look at the attempts chart for bursts.",
        ],
    ),
    (
        "retry-storm",
        [
            "Watch the downstream attempts stay high long after the spike ends at 15 s.",
            "Lower max attempts to 1: does the service recover after the spike?",
            "Add a circuit breaker above the retry and see whether it stops the storm.",
        ],
    ),
    (
        "timeout-brownout",
        [
            "Compare the p99 with and without the timeout.",
            "Raise the timeout to 5 s: latency grows, success barely moves.",
            "Add a retry above the timeout: each attempt gets its own 250 ms.",
        ],
    ),
    (
        "bulkhead-isolation",
        [
            "Switch the bulkhead off and watch the search endpoint starve.",
            "Raise max concurrent to 40: the bulkhead no longer isolates anything.",
            "Look at the bulkhead's occupancy chart during the slowdown.",
        ],
    ),
    (
        "fallback-outage",
        [
            "Switch the fallback off and count the failed requests.",
            "Answer from a secondary service instead of the static value.",
            "Restrict the fallback to rejections only and see what slips through.",
        ],
    ),
    (
        "retries-every-layer",
        [
            "Look at the downstream attempts during the outage: up to 27 per request.",
            "Keep the retry in one layer only and compare the amplification.",
            "Add a breaker outside the retries and watch the attempts drop.",
        ],
    ),
    (
        "thundering-herd",
        [
            "Look at the spikes at every second boundary in the attempts chart.",
            "Add jitter to the retry and watch the spikes flatten.",
            "Compare the peak downstream rate with and without jitter.",
        ],
    ),
    (
        "breaker-never-opens",
        [
            "Lower minimum calls to 20 and watch the breaker open within a second.",
            "Shorten the window to 5 s: what does that change?",
            "Compare against “no patterns”: this breaker buys nothing.",
        ],
    ),
    (
        "rate-limiter-spike",
        [
            "Switch the rate limiter off: during the spike every request waits out the timeout.",
            "Pick the resilience4j algorithm: a refused call first waits its 5 s timeout.",
            "Raise the burst to 2000: what happens at 20 s?",
        ],
    ),
    (
        "retry-budget-storm",
        [
            "Set the budget to none: the storm is back and never ends.",
            "Try Envoy's budget, then the AWS quota: which recovers first?",
            "Raise retry percent to 100: how much storm does that let through?",
        ],
    ),
    (
        "hedging-tail",
        [
            "Switch hedging off and compare the p99.",
            "Lower the delay to 50 ms: how much extra load buys how much p99?",
            "Pick the percentile mode: the delay follows the service's own p90.",
        ],
    ),
    (
        "adaptive-limit-slowdown",
        [
            "Switch the adaptive limit off: every caller waits out the 1 s timeout.",
            "Try Gradient2, then Vegas: which one finds the lower limit?",
            "Watch the occupancy chart: in-flight calls follow the limit down and back up.",
        ],
    ),
    (
        "throttle-outage",
        [
            "Switch the throttle off and count the service's attempts during the outage.",
            "Remove the 90 % cap: how much longer does recovery take?",
            "Pick failsafe-go's rule and compare how fast the service is trusted again.",
        ],
    ),
];

/// The tips for an example, if it has any.
pub fn tips_for(example: &str) -> Option<&'static [&'static str; 3]> {
    TIPS.iter().find(|(name, _)| *name == example).map(|(_, tips)| tips)
}

/// The scenario's description and, for built-in examples, three things to try.
/// (A plain function: it reads only the app's state, and its parent draws again whenever that
/// changes.)
pub fn story(state: &AppContext) -> Html {
    let description = state.doc["description"].as_str().unwrap_or("").to_owned();
    let tips = if state.run_edited { None } else { tips_for(&state.example) };
    html! {
        <div class="story">
            if !description.is_empty() { <p class="description" id="scenario-description">{ description }</p> }
            if let Some(tips) = tips {
                <div class="tips" aria-labelledby="tips-title">
                    <h2 id="tips-title" class="tips-title">{ "Three things to try" }</h2>
                    <ol id="tips">{ for tips.iter().map(|tip| html! { <li>{ *tip }</li> }) }</ol>
                </div>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_has_three_things_to_try() {
        for (name, _) in resilience_engine::examples::ALL {
            assert!(tips_for(name).is_some(), "{name} has no tips");
        }
        assert!(tips_for("my draft").is_none());
    }
}
