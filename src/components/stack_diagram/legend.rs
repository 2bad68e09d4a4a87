//! The diagram's legend: what the dots, marks, gate and cells mean. Static markup (no
//! user data), so it costs one string rather than a tree of elements built in code.

use yew::prelude::*;

/// Filled dots are answers, rings are failures; the badges match the stack builder's.
const LEGEND: &str = concat!(
    r#"<div class="legend-line diagram-legend"><p>"#,
    r#"<span class="mk"><span class="dd" style="--c:var(--muted)"></span>call going in</span> "#,
    r#"<span class="mk"><span class="dd" style="--c:#2e9d4f"></span>answered</span> "#,
    r#"<span class="mk"><span class="dd" style="--c:#2f7ed8"></span>from cache</span> "#,
    r#"<span class="mk"><span class="dd" style="--c:#9b6fd0"></span>fallback</span> "#,
    r#"<span class="mk"><span class="dd ring" style="--c:#d63a3a"></span>error</span> "#,
    r#"<span class="mk"><span class="dd ring" style="--c:#f28c28"></span>refused by breaker</span> "#,
    r#"<span class="mk"><span class="dd ring" style="--c:#d9a400"></span>bulkhead full</span> "#,
    r#"<span class="mk"><span class="dd ring" style="--c:#b04a8c"></span>timed out</span> "#,
    r#"<span class="mk"><span class="dd ring" style="--c:var(--muted)"></span>waiting to retry</span> "#,
    r#"<span class="mk"><span class="cut"></span>a timeout cut the call</span> "#,
    r#"<span class="mk"><span class="cell busy"></span><span class="cell"></span>busy / free slot or worker</span></p><p>"#,
    r#"Breaker: <span class="badge closed">closed</span> calls pass · "#,
    r#"<span class="badge open">open</span> calls bounce · "#,
    r#"<span class="badge half-open">half-open</span> a few probes</p>"#,
    r#"<p class="muted">Top lane (left on phones): calls going in; other lane: answers coming back. "#,
    r#"Dots are slowed down to be seen (when dense, one dot stands for several calls: see the client); "#,
    r#"the layers' states follow the play head exactly.</p></div>"#,
);

/// The legend under the canvas.
pub fn legend() -> Html {
    Html::from_html_unchecked(AttrValue::Static(LEGEND))
}
