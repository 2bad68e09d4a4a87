//! The diagram's legend: what the dots, marks, gate and cells mean.

use yew::prelude::*;

/// Legend entries: (class, colour, words). Filled dots are answers, rings are failures.
const ENTRIES: [(&str, &str, &str); 13] = [
    ("dd", "var(--muted)", "call going in"),
    ("dd", "#2e9d4f", "answered"),
    ("dd", "#2f7ed8", "from cache"),
    ("dd", "#9b6fd0", "fallback"),
    ("dd ring", "#d63a3a", "error"),
    ("dd ring", "#f28c28", "refused by breaker"),
    ("dd ring", "#d9a400", "bulkhead full"),
    ("dd ring", "#b04a8c", "timed out"),
    ("dd ring", "var(--muted)", "waiting to retry"),
    ("cut", "#b04a8c", "a timeout cut the call"),
    ("badge closed", "", "breaker closed: calls pass"),
    ("badge open", "", "open: calls bounce"),
    ("badge half-open", "", "half-open: a few probes"),
];

/// The legend under the canvas; `stride` calls per dot.
pub fn legend(stride: u32) -> Html {
    let items = ENTRIES.iter().map(|(class, colour, words)| {
        html! { <span class="mk"><span class={*class} style={format!("--c:{colour}")} aria-hidden="true"></span>{ *words }</span> }
    });
    let mut note = String::from(
        "Top lane (left on phones): calls going in; other lane: answers coming back. Dots are slowed down to be seen (one dot = ",
    );
    note.push_str(&if stride > 1 { stride.to_string() + " calls" } else { "one call".into() });
    note.push_str("); the layers' states follow the play head exactly.");
    html! {
        <div class="legend-line diagram-legend">
            <p>{ for items }<span class="mk"><span class="cell busy"></span><span class="cell"></span>{ "busy / free slot or worker" }</span></p>
            <p class="muted">{ note }</p>
        </div>
    }
}
