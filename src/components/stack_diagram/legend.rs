//! The diagram's legend: what the dots, marks, gate and cells mean.

use yew::prelude::*;

/// Props of [`Legend`].
#[derive(Properties, PartialEq, Eq, Debug)]
pub struct LegendProps {
    /// One dot stands for this many calls.
    pub stride: u32,
}

/// Dots (filled: an answer, ring: a failure), the cut mark, the breaker's states, slot cells.
#[function_component(Legend)]
pub fn legend(props: &LegendProps) -> Html {
    let dot = |colour: &str, ring: bool, label: &str| {
        let style = if ring { format!("color:{colour}") } else { format!("background:{colour}") };
        html! { <span class="mk"><span class={classes!("dd", ring.then_some("ring"))} {style}></span>{ label.to_owned() }</span> }
    };
    let each =
        if props.stride > 1 { format!("one dot = {} calls", props.stride) } else { "one dot = one call".to_owned() };
    html! {
        <div class="legend-line diagram-legend">
            <p>
                <span class="mk"><span class="dd" style="background:var(--muted)"></span>{ "call going in" }</span>
                { dot("#2e9d4f", false, "answered") }
                { dot("#2f7ed8", false, "from cache") }
                { dot("#9b6fd0", false, "fallback") }
                { dot("#d63a3a", true, "error") }
                { dot("#f28c28", true, "refused by breaker") }
                { dot("#d9a400", true, "bulkhead full") }
                { dot("#b04a8c", true, "timed out") }
                { dot("var(--muted)", true, "waiting to retry") }
                <span class="mk"><span class="cut" aria-hidden="true">{ "✕" }</span>{ "a timeout cut the call" }</span>
            </p>
            <p>
                { "Breaker: " }
                <span class="badge closed">{ "closed" }</span>{ " calls pass · " }
                <span class="badge open">{ "open" }</span>{ " calls bounce · " }
                <span class="badge half-open">{ "half-open" }</span>{ " a few probes · " }
                <span class="cell busy"></span>{ "busy " }<span class="cell"></span>{ "free slot or worker" }
            </p>
            <p class="muted">{ format!("Top lane: calls going in; bottom lane (right on phones): answers coming back. Dots are slowed down to be seen ({each}); the layers' states follow the play head exactly.") }</p>
        </div>
    }
}
