//! An editor panel that folds: a `<details>` whose summary is the panel's heading. Open on wide
//! screens, folded on narrow ones (where the results come first), chosen once when it mounts
//! so that the reader's own toggling is never undone.

use yew::prelude::*;

/// Below this width (the layout's one-column breakpoint) editors start folded.
const NARROW_QUERY: &str = "(max-width: 900px)";

/// True when the window is narrow enough for the one-column layout.
fn narrow() -> bool {
    web_sys::window().and_then(|w| w.match_media(NARROW_QUERY).ok().flatten()).is_some_and(|query| query.matches())
}

/// Props of [`Fold`].
#[derive(Properties, PartialEq, Debug)]
pub struct Props {
    /// Extra class of the panel (`stack`, `service`, `load`).
    pub class: AttrValue,
    /// Element id of the heading (the panel is labelled by it).
    pub title_id: AttrValue,
    /// The heading's content.
    pub title: Html,
    /// The panel's body.
    #[prop_or_default]
    pub children: Html,
}

/// A folding editor panel.
#[function_component(Fold)]
pub fn fold(props: &Props) -> Html {
    let open = use_state(|| !narrow());
    html! {
        <section class={classes!("panel", "fold", props.class.clone())} aria-labelledby={props.title_id.clone()}>
            <details open={*open}>
                <summary><h2 id={props.title_id.clone()}>{ props.title.clone() }</h2></summary>
                <div class="fold-body">{ props.children.clone() }</div>
            </details>
        </section>
    }
}
