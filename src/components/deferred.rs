//! A panel below the first screen: drawn once the page's later wasm part is in, or as soon as
//! its place comes into view, whichever is first. The first paint then runs (and downloads)
//! only what the first screen shows; the rest comes with the later part, which starts
//! downloading with the page (`scripts/split/`). Where the build did not split the wasm, every
//! panel draws at once.

use yew::prelude::*;

use crate::dom_events::{VisibilityWatch, use_later_part_ready};
use crate::state::{AppContext, use_app};

/// Draws a panel from the app's state (see [`Props::render`]).
pub type Render = fn(&AppContext) -> Html;

/// Props of [`Deferred`].
#[derive(Properties, Debug)]
pub struct Props {
    /// Draws the panel. A plain function, called only once the panel may draw, so nothing of
    /// the panel runs before (it must not call hooks: make it draw a component that does).
    pub render: Render,
    /// The placeholder's height while the panel waits (a CSS length): about the panel's own,
    /// so what follows stays below the first screen too.
    pub placeholder_height: AttrValue,
}

impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.render, other.render) && self.placeholder_height == other.placeholder_height
    }
}

/// See the module doc.
#[function_component(Deferred)]
pub fn deferred(props: &Props) -> Html {
    let state = use_app();
    let ready = use_later_part_ready();
    let seen = use_state(|| false);
    let place = use_node_ref();
    {
        let (seen, place) = (seen.clone(), place.clone());
        use_effect_with(ready || *seen, move |drawn| {
            let element = place.cast::<web_sys::Element>().filter(|_| !*drawn);
            let watch = element.and_then(|e| {
                VisibilityWatch::new(&e, move |visible| {
                    if visible {
                        seen.set(true)
                    }
                })
            });
            move || drop(watch)
        });
    }
    if ready || *seen {
        return (props.render)(&state);
    }
    let style = format!("min-height: {}", props.placeholder_height);
    html! { <div ref={place} class="deferred" {style} aria-hidden="true"></div> }
}
