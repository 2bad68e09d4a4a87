//! Opening documents: what a page opens with (its fragment over the saved draft), examples,
//! and fragments followed without a reload. Nothing here reads storage: callers pass the draft.

use serde_json::Value;

use super::{Banner, FIRST_EXAMPLE, State};
use crate::share::Route;
use resilience_engine::examples;

impl State {
    /// The state a page opens with: what its fragment asks for, over the saved draft.
    pub fn initial(route: Route, draft: Option<String>) -> Self {
        let draft_doc = draft.and_then(|d| serde_json::from_str::<Value>(&d).ok());
        let mut state = match route {
            Route::Embed(options, source) => {
                let mut state = Self::initial(*source, None);
                state.autosave = false;
                state.start_us = options.start_us;
                state.embed = Some(options);
                return state;
            }
            Route::Example(name) => {
                let mut state = Self::with_example(&name);
                if examples::gallery(&name).is_none() {
                    state.banner =
                        Some(Banner::error(format!("There is no example called {name:?}; showing the first one.")));
                }
                state
            }
            Route::Link(Ok((doc, view))) => {
                let mut state = Self::with_example(FIRST_EXAMPLE);
                state.load_doc(doc, "shared link");
                state.apply_view(&view);
                state
            }
            Route::Link(Err(message)) => {
                let mut state = match &draft_doc {
                    Some(doc) => Self::from_doc(doc.clone(), "my draft"),
                    None => Self::with_example(FIRST_EXAMPLE),
                };
                state.banner =
                    Some(Banner::error(format!("This link could not be opened: {message}. Nothing else was changed.")));
                return state;
            }
            Route::Home => match &draft_doc {
                Some(doc) => return Self::from_doc(doc.clone(), "my draft"),
                None => Self::with_example(FIRST_EXAMPLE),
            },
        };
        // Drafts are saved only once edited: a reader who never edited anything has none, and
        // sees no banner.
        if draft_doc.as_ref().is_some_and(|d| d != &*state.doc) {
            state.autosave = false;
            if state.banner.is_none() {
                state.banner = Some(Banner {
                    offer_draft: true,
                    ..Banner::info(
                        "You opened a shared scenario. Your own draft is kept and will not be overwritten.".into(),
                    )
                });
            }
        }
        state
    }

    /// The state editing `doc` (valid or not), labelled `origin`.
    pub(super) fn from_doc(doc: Value, origin: &str) -> Self {
        let mut state = Self::with_example(FIRST_EXAMPLE);
        state.load_doc(doc, origin);
        state.edited = origin == "my draft";
        state.run_edited = state.edited;
        state
    }

    /// Opens a built-in example; edits made to the current document stay one undo away.
    pub(super) fn load_example(&mut self, name: &str) {
        let doc = examples::gallery(name).and_then(|json| serde_json::from_str(json).ok()).unwrap_or(Value::Null);
        let had_edits = self.edited;
        self.open(doc, name);
        self.gallery = false;
        self.banner = had_edits.then(|| Banner {
            offer_undo: true,
            ..Banner::info(format!(
                "Opened the example {:?}. Your edits are not lost: Undo (Ctrl+Z) brings them back.",
                self.doc["name"].as_str().unwrap_or(name)
            ))
        });
    }

    /// Follows a new fragment without a reload, keeping the run on screen until the next one.
    pub(super) fn route(&mut self, route: Route, draft: Option<String>) {
        let mut next = Self::initial(route, draft);
        next.revision = self.revision + 1;
        next.result = self.result.take();
        next.load_id = self.load_id + 1;
        next.continue_requests = self.continue_requests;
        next.undo = std::mem::take(&mut self.undo);
        if self.edited {
            next.undo.push(self.snapshot());
        }
        *self = next;
    }
}
