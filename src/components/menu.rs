//! A header menu: a `<details>` disclosure whose items are drawn only while it is open. The
//! closed menu (its summary) is part of the first paint; its items, a component of their own,
//! are not, so their code comes with the page's later wasm part (`scripts/split/`).

use yew::prelude::*;

/// Draws a menu's items (a plain function, called only while the menu is open, so nothing of
/// the items runs before; it must not call hooks: make it draw a component that does).
pub type Items = fn() -> Html;

/// Props of [`Menu`].
#[derive(Properties, Debug)]
pub struct Props {
    /// The summary's text, which opens and closes the menu.
    pub summary: AttrValue,
    /// The `<details>` element's classes.
    pub class: AttrValue,
    /// The `<details>` element's id, if it has one.
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// Draws the items (see [`Items`]).
    pub items: Items,
}

impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.items, other.items)
            && (&self.summary, &self.class, &self.id) == (&other.summary, &other.class, &other.id)
    }
}

/// See the module doc.
#[function_component(Menu)]
pub fn menu(props: &Props) -> Html {
    let open = use_state(|| false);
    let is_open = *open;
    let ontoggle = Callback::from(move |event: Event| {
        open.set(event.target_dyn_into::<web_sys::HtmlDetailsElement>().is_some_and(|d| d.open()));
    });
    html! {
        <details class={props.class.clone()} id={props.id.clone()} {ontoggle}>
            <summary>{ props.summary.clone() }</summary>
            if is_open { { (props.items)() } }
        </details>
    }
}
