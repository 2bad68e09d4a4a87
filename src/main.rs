//! Resilience Playground: the web app. Users stack patterns visually, script a failing service,
//! run the scenario in the browser (the engine compiled to wasm) and replay every request's
//! timeline. All simulation logic lives in `resilience-engine`.

mod app;
mod components;
mod doc;
mod runner;
mod state;
mod view_model;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
