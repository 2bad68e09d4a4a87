//! A modal dialog that takes the focus when it opens, keeps Tab and Shift+Tab inside, and gives
//! the focus back to where it was when it closes (the gallery and the keyboard help use it).

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What can take the focus inside a dialog.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, [tabindex]:not([tabindex='-1'])";

/// Props of [`Dialog`].
#[derive(Properties, PartialEq, Debug)]
pub struct DialogProps {
    /// The id of the element that names the dialog.
    pub labelled_by: AttrValue,
    /// Extra classes of the dialog box.
    #[prop_or_default]
    pub class: Classes,
    /// The dialog's content.
    pub children: Html,
}

fn focusables(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = root.query_selector_all(FOCUSABLE) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok()).collect()
}

fn active_element() -> Option<web_sys::HtmlElement> {
    web_sys::window()?.document()?.active_element()?.dyn_into::<web_sys::HtmlElement>().ok()
}

/// Keeps Tab inside `root`: from the last focusable to the first, and back.
fn trap_tab(root: &NodeRef, event: &KeyboardEvent) {
    if event.key() != "Tab" {
        return;
    }
    let Some(root) = root.cast::<web_sys::Element>() else { return };
    let items = focusables(&root);
    let (Some(first), Some(last)) = (items.first(), items.last()) else { return };
    let active = active_element();
    let at = |item: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a == item);
    let target = if event.shift_key() && at(first) {
        last
    } else if !event.shift_key() && at(last) {
        first
    } else {
        return;
    };
    event.prevent_default();
    let _ = target.focus();
}

/// A modal dialog over the page.
#[function_component(Dialog)]
pub fn dialog(props: &DialogProps) -> Html {
    let root = use_node_ref();
    {
        let root = root.clone();
        use_effect_with((), move |_| {
            let previous = active_element();
            if let Some(first) = root.cast::<web_sys::Element>().and_then(|r| focusables(&r).into_iter().next()) {
                let _ = first.focus();
            }
            move || {
                if let Some(previous) = previous {
                    let _ = previous.focus();
                }
            }
        });
    }
    let onkeydown = {
        let root = root.clone();
        Callback::from(move |event: KeyboardEvent| trap_tab(&root, &event))
    };
    html! {
        <div class="overlay">
            <div ref={root} class={classes!("dialog", props.class.clone())} role="dialog" aria-modal="true"
                aria-labelledby={props.labelled_by.clone()} {onkeydown}>
                { props.children.clone() }
            </div>
        </div>
    }
}
