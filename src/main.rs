//! Resilience Playground: the web app. For now a small page that runs the built-in examples
//! with the engine compiled to wasm and shows each run's summary (the full playground is the
//! next step). All simulation logic lives in `resilience-engine`.

mod app;
mod components;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
