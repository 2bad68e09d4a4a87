//! Names shown outside the page body: the tab title, and the examples' human titles for the
//! example picker.

use resilience_engine::{Scenario, examples};
use yew::prelude::*;

/// The application's name, after the scenario's in the tab title.
const APP_NAME: &str = "Resilience Playground";

/// The tab title for a scenario called `name` (`<name> · Resilience Playground`).
#[must_use]
pub fn document_title(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() { APP_NAME.to_owned() } else { format!("{name} · {APP_NAME}") }
}

/// Keeps `document.title` naming the scenario.
#[hook]
pub fn use_document_title(name: &str) {
    use_effect_with(name.to_owned(), |name| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&document_title(name));
        }
    });
}

thread_local! {
    /// Titles of [`examples::ALL`], in the same order (parsed once).
    static TITLES: Vec<String> = examples::ALL
        .iter()
        .map(|(slug, json)| {
            let title = Scenario::parse(json).map(|s| s.name).unwrap_or_default();
            if title.trim().is_empty() { (*slug).to_owned() } else { title }
        })
        .collect();
}

/// The human title of the example `slug` (its scenario's `name`), or the slug itself.
#[must_use]
pub fn example_title(slug: &str) -> String {
    let index = examples::ALL.iter().position(|(s, _)| *s == slug);
    index.and_then(|i| TITLES.with(|titles| titles.get(i).cloned())).unwrap_or_else(|| slug.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_name_the_scenario() {
        assert_eq!(document_title("Breaker vs outage"), "Breaker vs outage · Resilience Playground");
        assert_eq!(document_title("  "), "Resilience Playground");
    }

    #[test]
    fn every_example_has_a_human_title() {
        for (slug, _) in examples::ALL {
            let title = example_title(slug);
            assert!(!title.is_empty() && title != *slug, "{slug} has no title");
        }
        assert_eq!(example_title("no-such-example"), "no-such-example");
    }
}
