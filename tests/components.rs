//! Component tests in headless Chromium: the playground mounted in a page, driven through its
//! DOM as a user would.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use gloo_timers::future::sleep;
use resilience_playground::app::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

fn mount() -> Element {
    let root = document().create_element("div").expect("div");
    document().body().expect("body").append_child(&root).expect("append");
    yew::Renderer::<App>::with_root(root.clone()).render();
    root
}

/// Waits (up to 10 s) until `selector` matches inside `root` and `check` holds for it.
async fn wait_for(root: &Element, selector: &str, check: impl Fn(&Element) -> bool) -> Element {
    for _ in 0..200 {
        if let Some(found) = root.query_selector(selector).ok().flatten().filter(|e| check(e)) {
            return found;
        }
        sleep(Duration::from_millis(50)).await;
    }
    panic!("{selector} never appeared");
}

fn set_input(input: &HtmlInputElement, value: &str) {
    input.set_value(value);
    let event = web_sys::Event::new("change").expect("event");
    input.dispatch_event(&event).expect("dispatch");
}

#[wasm_bindgen_test]
async fn the_default_example_runs_and_shows_its_summary() {
    let root = mount();
    let status = wait_for(&root, "#run-meta", |e| e.text_content().unwrap_or_default().contains("digest")).await;
    assert!(status.text_content().unwrap_or_default().contains("events"));
    let summary = wait_for(&root, "#summary", |_| true).await;
    assert!(summary.query_selector("tr[data-outcome='rejected-by-breaker']").unwrap().is_some());
    assert_eq!(root.query_selector_all(".pipeline .layer").unwrap().length(), 1, "the first screen: one breaker");
}

#[wasm_bindgen_test]
async fn a_bad_value_shows_a_message_next_to_its_field_and_a_good_one_clears_it() {
    let root = mount();
    wait_for(&root, "#run-meta", |e| e.text_content().unwrap_or_default().contains("digest")).await;
    let rate: HtmlInputElement = wait_for(&root, "#f-endpoints-0-load-poisson-rps", |_| true).await.unchecked_into();
    set_input(&rate, "-3");
    let error =
        wait_for(&root, "#f-endpoints-0-load-poisson-rps-error", |e| !e.text_content().unwrap_or_default().is_empty())
            .await;
    assert!(error.text_content().unwrap_or_default().contains("above 0"));
    assert!(root.query_selector(".stale-note").unwrap().is_some(), "the last result stays, marked stale");
    set_input(&rate, "150");
    wait_for(&root, "#f-endpoints-0-load-poisson-rps-error", |e| e.text_content().unwrap_or_default().is_empty()).await;
}

#[wasm_bindgen_test]
async fn adding_and_removing_layers_from_the_palette() {
    let root = mount();
    wait_for(&root, "#run-meta", |e| e.text_content().unwrap_or_default().contains("digest")).await;
    let select: HtmlSelectElement = root.query_selector("#example").unwrap().unwrap().unchecked_into();
    select.set_value("breaker-outage");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    wait_for(&root, "#scenario-title", |e| e.text_content().unwrap_or_default().contains("Circuit breaker during"))
        .await;
    wait_for(&root, ".pipeline .layer[data-kind='circuit_breaker']", |_| true).await;
    let add: web_sys::HtmlElement = root.query_selector("#add-bulkhead").unwrap().unwrap().unchecked_into();
    add.click();
    wait_for(&root, ".pipeline .layer[data-kind='bulkhead']", |_| true).await;
    assert_eq!(root.query_selector_all(".pipeline .layer").unwrap().length(), 2);
    let remove: web_sys::HtmlElement =
        root.query_selector("[aria-label='Remove Bulkhead']").unwrap().unwrap().unchecked_into();
    remove.click();
    for _ in 0..100 {
        if root.query_selector_all(".pipeline .layer").unwrap().length() == 1 {
            return;
        }
        sleep(Duration::from_millis(20)).await;
    }
    panic!("the bulkhead was not removed");
}
