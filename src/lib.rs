//! Resilience Playground: the web app. Users stack patterns visually, script a failing service,
//! run the scenario in the browser (the engine compiled to wasm) and replay every request's
//! timeline. All simulation logic lives in `resilience-engine`; this crate is state, views and
//! playback. `src/main.rs` mounts [`app::App`] on the page.

pub mod app;
pub mod axis;
pub mod compare_model;
pub mod components;
pub mod defaults;
pub mod diagram_model;
pub mod doc;
pub mod dom_events;
pub mod export_png;
pub mod number;
pub mod playback;
pub mod player;
pub mod runner;
pub mod share;
pub mod shortcuts;
pub mod state;
pub mod view_model;
pub mod worker;
