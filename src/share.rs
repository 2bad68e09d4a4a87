//! Where a page's scenario comes from and goes to: the URL fragment (`#example/<name>`,
//! `#s=<link>`, `#embed&…`), the local draft (autosave), files (JSON, and PNG/SVG images that
//! carry their scenario) and downloads. Everything here fails softly: a sandboxed iframe has
//! no storage, a clipboard may be refused, a file may be junk; each gives a message, never a
//! panic.

use resilience_engine::Scenario;
use resilience_engine::scenario::link::{self, SharedView};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

use crate::number::fixed;

mod image;
pub use image::{charts_svg, png_text, png_with_text, svg_link};

/// localStorage key of the user's draft.
const DRAFT_KEY: &str = "resilience-playground/draft";
/// The keyword under which PNG and SVG exports carry their scenario link.
pub const IMAGE_KEYWORD: &str = "resilience-playground";
/// Links longer than this get a warning (some chats and tools cut them).
pub const LINK_WARN_CHARS: usize = 8_000;
/// Largest file accepted for import.
pub const FILE_BYTES_MAX: f64 = 16.0 * 1024.0 * 1024.0;

/// Longest embed `id=` kept, in characters.
const ID_CHARS_MAX: usize = 100;
/// Height of the iframe in the embed snippet, in CSS pixels: the default panels (timeline,
/// charts, summary) at a typical article width. The host script then fits it to the content.
pub const EMBED_HEIGHT_PX: u32 = 1280;
/// The host script of the embed snippet: it sets each embed's iframe to the height the embed
/// reports (see `components::embed_host::HEIGHT_MESSAGE`). It also works pasted as one line.
pub const HOST_SCRIPT: &str = "<script>addEventListener('message', (e) => { if (e.data?.type !== 'resilience-playground:height') return;
  for (const f of document.getElementsByTagName('iframe')) if (f.contentWindow === e.source) f.style.height = e.data.height + 'px';
});</script>";

/// Panels the embed mode can show.
pub const PANELS: &[&str] = &["timeline", "charts", "summary", "stack", "diagram", "claims", "sweep"];

/// Options of the embed mode, from the URL fragment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedOptions {
    /// Panels shown, in order.
    pub panels: Vec<String>,
    /// Start playing when the result is ready (and the embed is in view).
    pub autoplay: bool,
    /// `light`, `dark`, or empty for the reader's preference.
    pub theme: String,
    /// Play-head start, in microseconds.
    pub start_us: u64,
    /// Names the embed in the height messages it posts to its host (`id=`; may be empty).
    pub id: String,
    /// The playground's address for "Open in playground" (empty: this page, as in an iframe;
    /// `www/player.js` gives its own folder, since the host page is not the playground).
    pub home: String,
}

/// What the URL fragment asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// The playground with the draft or the default example.
    Home,
    /// A built-in example by name.
    Example(String),
    /// A shared scenario (already decoded and valid, as its document), or why it could not be
    /// opened.
    Link(Result<(Value, SharedView), String>),
    /// The compact read-only player.
    Embed(EmbedOptions, Box<Route>),
}

/// Reads a fragment (with or without its `#`).
pub fn parse_route(fragment: &str) -> Route {
    let fragment = fragment.trim_start_matches('#');
    if let Some(name) = fragment.strip_prefix("example/") {
        return Route::Example(name.to_owned());
    }
    if let Some(payload) = fragment.strip_prefix("s=") {
        return Route::Link(link::decode_doc(payload).map_err(|e| e.to_string()));
    }
    if let Some(rest) = fragment.strip_prefix("embed") {
        let mut options = EmbedOptions::default();
        let mut source = Route::Home;
        for pair in rest.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "panels" => {
                    options.panels = value.split(',').filter(|p| PANELS.contains(p)).map(str::to_owned).collect()
                }
                "autoplay" => options.autoplay = value != "0",
                "theme" if matches!(value, "light" | "dark") => options.theme = value.to_owned(),
                "t" => {
                    options.start_us =
                        crate::number::parse_decimal(value).filter(|t| *t >= 0.0).map_or(0, |t| (t * 1e6) as u64)
                }
                "id" => options.id = value.chars().take(ID_CHARS_MAX).collect(),
                "s" => source = Route::Link(link::decode_doc(value).map_err(|e| e.to_string())),
                "example" => source = Route::Example(value.to_owned()),
                _ => {}
            }
        }
        if options.panels.is_empty() {
            options.panels = vec!["timeline".into(), "charts".into(), "summary".into()];
        }
        return Route::Embed(options, Box::new(source));
    }
    Route::Home
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The page's fragment, if any.
pub fn current_fragment() -> String {
    window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The page's address without its fragment.
pub fn page_base() -> String {
    let href = window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_owned()
}

/// Encodes a (valid) scenario document and view as a link payload in the worker chunk (which
/// carries the deflate code), then calls `then` with it or with why it could not.
pub fn with_payload(doc: &Value, view: &SharedView, then: impl FnOnce(Result<String, String>) + 'static) {
    payload_boxed(doc, view, Box::new(then));
}

/// [`with_payload`] without its generic callback.
#[inline(never)]
fn payload_boxed(doc: &Value, view: &SharedView, then: Box<dyn FnOnce(Result<String, String>)>) {
    let view = view_json(view);
    let request = format!(r#"{{"op":"link","view":{view},"doc":{doc}}}"#);
    crate::worker::ask(None, request, move |reply| {
        then(reply.map(|r| r["payload"].as_str().unwrap_or_default().to_owned()));
    });
}

/// A view as JSON, written here: serde's serialiser for it would cost the bundle a copy.
fn view_json(view: &SharedView) -> String {
    let request = view.request.map_or_else(|| "null".to_owned(), |r| r.to_string());
    let window = view.window.map_or_else(|| "null".to_owned(), |[from, to]| format!("[{from},{to}]"));
    let panels = Value::from(view.panels.clone());
    format!(
        r#"{{"endpoint":{},"request":{request},"cursor_us":{},"window":{window},"panels":{panels}}}"#,
        view.endpoint, view.cursor_us
    )
}

/// The full share link for a link payload.
pub fn share_url(payload: &str) -> String {
    format!("{}#s={payload}", page_base())
}

/// The snippet that embeds a scenario: an `<iframe>`, then the script that sizes it to fit.
pub fn embed_snippet(doc: &Value, payload: &str) -> String {
    snippet_at(&page_base(), doc, payload)
}

/// The name of a scenario document.
pub fn doc_name(doc: &Value) -> &str {
    doc["name"].as_str().unwrap_or_default()
}

/// The embed snippet for a playground served at `base`.
fn snippet_at(base: &str, doc: &Value, payload: &str) -> String {
    // A scenario with a sweep embeds it too (run when a reader asks).
    let sweep = if doc.get("sweep").is_some() { ",sweep" } else { "" };
    let src = format!("{base}#embed&panels=timeline,charts,summary{sweep}&s={payload}");
    let title = doc_name(doc).replace('"', "&quot;").replace('<', "&lt;");
    format!(
        "<iframe src=\"{src}\" title=\"{title}\" width=\"100%\" height=\"{EMBED_HEIGHT_PX}\" loading=\"lazy\" style=\"border:0\"></iframe>\n{HOST_SCRIPT}"
    )
}

/// Shows `fragment` in the address bar without adding a history entry or reloading.
pub fn replace_fragment(fragment: &str) {
    if let Some(history) = window().and_then(|w| w.history().ok()) {
        let url = format!("{}{fragment}", page_base());
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

fn storage() -> Option<web_sys::Storage> {
    // A sandboxed iframe throws on access: that is "no storage", not an error.
    window().and_then(|w| w.local_storage().ok().flatten())
}

/// The saved draft, if storage is available and holds one.
pub fn load_draft() -> Option<String> {
    storage().and_then(|s| s.get_item(DRAFT_KEY).ok().flatten())
}

/// Saves the draft; false if storage is unavailable or full.
pub fn save_draft(json: &str) -> bool {
    storage().is_some_and(|s| s.set_item(DRAFT_KEY, json).is_ok())
}

/// Copies text to the clipboard if the browser allows it (the promise's outcome is not awaited).
pub fn copy_to_clipboard(text: &str) -> bool {
    let Some(navigator) = window().map(|w| w.navigator()) else { return false };
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")) else { return false };
    let Ok(write) = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")) else { return false };
    let Ok(write) = write.dyn_into::<js_sys::Function>() else { return false };
    let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) else { return false };
    // A refusal (no focus, no permission) is expected: the link is also shown in a text box.
    if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
        let ignore = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
        let _ = promise.catch(&ignore);
        ignore.forget(); // a few bytes per copy, kept until the promise settles
    }
    true
}

/// Offers bytes as a file download.
pub fn download(name: &str, mime: &str, bytes: &[u8]) {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let anchor = window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(anchor) = anchor {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// A file-name-safe version of a scenario name.
pub fn file_stem(name: &str) -> String {
    let stem: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let stem = stem.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    if stem.is_empty() { "scenario".into() } else { stem.chars().take(60).collect() }
}

// ---- files -----------------------------------------------------------------------------------

async fn promise_value(promise: js_sys::Promise) -> Result<JsValue, String> {
    wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| "the browser could not read it".to_owned())
}

/// Reads a dropped or chosen file: a scenario JSON, a PNG or SVG exported by the playground
/// (which carries its scenario inside), or a library's configuration to import.
///
/// # Errors
/// What is wrong with the file, in words (too big, not a scenario, invalid at a path…).
pub async fn read_scenario(file: web_sys::File) -> Result<Opened, String> {
    let size = file.size();
    if size > FILE_BYTES_MAX {
        return Err(format!(
            "the file is {} MB; the limit is {} MB",
            fixed(size / 1e6, 1),
            fixed(FILE_BYTES_MAX / 1e6, 0)
        ));
    }
    let name = file.name().to_ascii_lowercase();
    if name.ends_with(".png") || file.type_() == "image/png" {
        let buffer = promise_value(file.array_buffer()).await?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        let payload = png_text(&bytes, IMAGE_KEYWORD)
            .ok_or("this PNG carries no scenario (only images exported by the playground do)")?;
        return link::decode_doc(&payload).map(|(doc, _)| Opened::Scenario(doc)).map_err(|e| e.to_string());
    }
    let text = promise_value(file.text()).await?.as_string().unwrap_or_default();
    if name.ends_with(".svg") || text.trim_start().starts_with("<svg") {
        let payload =
            svg_link(&text).ok_or("this SVG carries no scenario (only images exported by the playground do)")?;
        return link::decode_doc(&payload).map(|(doc, _)| Opened::Scenario(doc)).map_err(|e| e.to_string());
    }
    if is_library_config(&name, &text) {
        return Ok(Opened::Config(text));
    }
    valid_doc(&text).map(Opened::Scenario)
}

/// What a file held: a scenario, or a library's configuration to import.
#[derive(Debug)]
pub enum Opened {
    /// A valid scenario document.
    Scenario(Value),
    /// The text of a resilience4j, Polly or Envoy configuration.
    Config(String),
}

/// Is this file a library's configuration rather than a scenario? YAML files are, and so is
/// JSON whose start names neither a `version` nor `endpoints` (every scenario has both, and a
/// broken scenario is better told what is wrong with it as a scenario).
fn is_library_config(name: &str, text: &str) -> bool {
    let head: String = text.chars().take(64 * 1024).collect();
    name.ends_with(".yml")
        || name.ends_with(".yaml")
        || !(head.contains("\"version\"") || head.contains("\"endpoints\""))
}

/// A scenario's JSON text as its document, once it is known to be a valid scenario (so that
/// no work is spent on documents that would be refused anyway).
///
/// # Errors
/// The scenario's first problem, with its path.
pub fn valid_doc(json: &str) -> Result<Value, String> {
    Scenario::from_json(json).map_err(|e| e.to_string())?;
    serde_json::from_str(json).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_read_from_the_fragment() {
        assert_eq!(parse_route(""), Route::Home);
        assert_eq!(parse_route("#example/retry-storm"), Route::Example("retry-storm".into()));
        assert!(matches!(parse_route("#s=z1.garbage"), Route::Link(Err(_))));
        let Route::Embed(options, source) =
            parse_route("#embed&panels=summary,bogus,timeline&autoplay=1&theme=dark&t=12.5&example=all-six")
        else {
            panic!("embed")
        };
        assert_eq!(options.panels, ["summary", "timeline"]);
        assert!(options.autoplay);
        assert_eq!((options.theme.as_str(), options.start_us), ("dark", 12_500_000));
        assert_eq!(*source, Route::Example("all-six".into()));
        let Route::Embed(options, _) = parse_route("#embed&t=-5&theme=<b>") else { panic!("embed") };
        assert_eq!((options.start_us, options.theme.as_str(), options.panels.len()), (0, "", 3));
        let Route::Embed(options, _) = parse_route(&format!("#embed&id=intro{}", "x".repeat(500))) else {
            panic!("embed")
        };
        assert!(options.id.starts_with("intro") && options.id.chars().count() == ID_CHARS_MAX);
    }

    #[test]
    fn a_view_written_by_hand_reads_back_as_the_same_view() {
        let full = SharedView {
            endpoint: 2,
            request: Some(41),
            cursor_us: 12_500_000,
            window: Some([1, 9_000_000]),
            panels: vec!["timeline".into(), "claims".into()],
        };
        for view in [full, SharedView::default()] {
            let read: SharedView = serde_json::from_str(&view_json(&view)).expect("valid JSON");
            assert_eq!(read, view);
        }
    }

    #[test]
    fn library_configurations_are_told_from_scenarios() {
        assert!(is_library_config("application.yml", "resilience4j:\n  retry: {}"));
        assert!(is_library_config("app.YAML".to_ascii_lowercase().as_str(), "{}"));
        assert!(is_library_config("appsettings.json", r#"{"Retry": {"MaxRetryAttempts": 3}}"#));
        assert!(!is_library_config("scenario.json", r#"{"version": 2, "endpoints": []}"#));
        // A broken scenario still reads as a scenario, so its error names the scenario's path.
        assert!(!is_library_config("broken.json", r#"{"version": 2, "endpoints": [ {"stack": 3} ]"#));
        assert!(!is_library_config("junk.json", r#"{"version": 1, "duration": "soon"}"#));
    }

    #[test]
    fn the_embed_snippet_sizes_its_frame() {
        let doc = valid_doc(resilience_engine::examples::gallery("retry-storm").unwrap_or(""));
        let Ok(doc) = doc else { panic!("the example parses") };
        let snippet = snippet_at("https://x.test/", &doc, &link::encode_doc(&doc, &SharedView::default()));
        let (frame, script) = snippet.split_once("</iframe>\n").unwrap_or_default();
        assert!(frame.starts_with("<iframe src=\"https://x.test/#embed&panels=timeline,charts,summary&s=z1."));
        assert!(frame.contains(&format!("height=\"{EMBED_HEIGHT_PX}\"")));
        assert_eq!(script, HOST_SCRIPT);
        assert!(script.contains("resilience-playground:height") && script.contains("e.source"));
        // A scenario with a sweep embeds its sweep panel too.
        let mut swept = doc;
        swept["sweep"] = serde_json::json!({ "knobs": [{ "path": "/seed", "values": [1, 2] }] });
        let snippet = snippet_at("https://x.test/", &swept, "p");
        assert!(snippet.starts_with("<iframe src=\"https://x.test/#embed&panels=timeline,charts,summary,sweep&s=p\""));
        let Route::Embed(options, _) = parse_route("#embed&panels=summary,sweep") else { panic!("embed") };
        assert_eq!(options.panels, ["summary", "sweep"]);
    }

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("All six patterns <stacked>!"), "all-six-patterns-stacked");
        assert_eq!(file_stem("***"), "scenario");
    }
}
