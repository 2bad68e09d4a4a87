//! The diagram's legend: what the dots, marks, gate and cells mean.

use yew::prelude::*;

/// Legend entries: (class, colour, words). Filled dots are answers, rings are failures; the
/// badges match the stack builder's.
const ENTRIES: [(&str, &str, &str); 14] = [
    ("dd", "var(--muted)", "call going in"),
    ("dd", "#2e9d4f", "answered"),
    ("dd", "#2f7ed8", "from cache"),
    ("dd", "#9b6fd0", "fallback"),
    ("dd ring", "#d63a3a", "error"),
    ("dd ring", "#f28c28", "refused by breaker"),
    ("dd ring", "#d9a400", "refused: full, over a limit or rate"),
    ("dd ring", "#b04a8c", "timed out"),
    ("dd ring", "var(--muted)", "waiting to retry"),
    ("cut", "", "a timeout cut the call"),
    ("cell busy", "", "busy slot or worker"),
    ("badge closed", "", "breaker closed: calls pass"),
    ("badge open", "", "open: calls bounce"),
    ("badge half-open", "", "half-open: a few probes"),
];

/// The legend under the canvas.
pub fn legend() -> Html {
    let items = ENTRIES.iter().map(|(class, colour, words)| {
        html! { <span class="mk"><span class={*class} style={format!("--c:{colour}")} aria-hidden="true"></span>{ *words }</span> }
    });
    html! {
        <div class="legend-line diagram-legend">
            <p>{ for items }</p>
            <p class="muted">{ "Top lane (left on phones): calls going in; other lane: answers coming back. Dots are slowed down to be seen (when dense, one dot stands for several calls: see the client); the layers' states follow the play head exactly." }</p>
        </div>
    }
}
