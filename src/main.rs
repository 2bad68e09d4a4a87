//! Mounts the playground on the page.

fn main() {
    yew::Renderer::<resilience_playground::app::App>::new().render();
}
