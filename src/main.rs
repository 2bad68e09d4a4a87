//! Mounts the playground on the page, unless the page loaded the wasm only to mount players
//! itself (`www/player.js` sets `window.resiliencePlaygroundManual`).

fn main() {
    let manual = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"resiliencePlaygroundManual".into()).ok())
        .is_some_and(|v| v.is_truthy());
    if !manual {
        yew::Renderer::<resilience_playground::app::App>::new().render();
    }
}
