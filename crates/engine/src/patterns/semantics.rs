//! Library presets: which library's defaults and boundary rules a layer follows.
//!
//! Every layer may name a library in its `semantics` field (`"semantics": "polly"`), and a
//! scenario may name one for all its layers. The library's [`Preset`] fills in every field the
//! layer leaves out; a field the layer writes always wins. A kind's plain defaults are one
//! library's already (its [`LayerSpec::semantics`]), so a document that names no library means
//! exactly what it meant before presets existed.
//!
//! Resolution, for one layer:
//!
//! ```text
//! layer's own `semantics` ──(kind has that preset? else a validation error)──► preset
//!        │ absent
//!        ▼
//! scenario's `semantics` ──(kind has that preset?)──► preset
//!        │ absent, or the kind has no such preset
//!        ▼
//! the kind's own library (LayerSpec::semantics), whose preset is the plain defaults
//! ```

use serde::Serialize;
use serde_json::{Map, Value};

use crate::catalog::LayerSpec;

/// A library whose behaviour a layer can follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Semantics {
    /// resilience4j (Java).
    #[default]
    Resilience4j,
    /// Polly v8 (.NET).
    Polly,
    /// cockatiel (TypeScript).
    Cockatiel,
    /// failsafe (Java) and failsafe-go.
    Failsafe,
    /// tower (Rust).
    Tower,
    /// Envoy proxy.
    Envoy,
    /// The AWS SDKs.
    Aws,
}

crate::patterns::read_as_words!(
    Semantics: Resilience4j = "resilience4j",
    Polly = "polly",
    Cockatiel = "cockatiel",
    Failsafe = "failsafe",
    Tower = "tower",
    Envoy = "envoy",
    Aws = "aws"
);

impl Semantics {
    /// Every library, in the order menus list them.
    pub const ALL: [Self; 7] =
        [Self::Resilience4j, Self::Polly, Self::Cockatiel, Self::Failsafe, Self::Tower, Self::Envoy, Self::Aws];

    /// The word scenario files use (`resilience4j`).
    #[must_use]
    pub const fn word(self) -> &'static str {
        match self {
            Self::Resilience4j => "resilience4j",
            Self::Polly => "polly",
            Self::Cockatiel => "cockatiel",
            Self::Failsafe => "failsafe",
            Self::Tower => "tower",
            Self::Envoy => "envoy",
            Self::Aws => "aws",
        }
    }

    /// The library's name as people write it (`Polly`).
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Resilience4j => "resilience4j",
            Self::Polly => "Polly",
            Self::Cockatiel => "cockatiel",
            Self::Failsafe => "failsafe",
            Self::Tower => "tower",
            Self::Envoy => "Envoy",
            Self::Aws => "AWS SDK",
        }
    }

    /// The library spelled `word`, if any.
    #[must_use]
    pub fn from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|library| library.word() == word)
    }
}

/// What one library sets for one layer kind.
#[derive(Debug, Serialize)]
pub struct Preset {
    /// The library.
    pub library: Semantics,
    /// The fields it sets, as a JSON object of top-level fields (`{}` for the kind's plain
    /// defaults, which are this library's).
    #[serde(serialize_with = "crate::catalog::embedded_json")]
    pub fields: &'static str,
    /// Where the values come from, and what the playground approximates.
    pub note: &'static str,
}

/// A preset of `library` setting `fields` (a JSON object), with its source `note`.
#[must_use]
pub const fn preset(library: Semantics, fields: &'static str, note: &'static str) -> Preset {
    Preset { library, fields, note }
}

impl LayerSpec {
    /// The preset of `library` for this kind, if the library has this pattern.
    #[must_use]
    pub fn preset(&self, library: Semantics) -> Option<&'static Preset> {
        self.presets.iter().find(|p| p.library == library)
    }

    /// The library a layer of this kind follows: its own if it names one, else the scenario's
    /// if the kind has that preset, else the kind's own ([`LayerSpec::semantics`]).
    #[must_use]
    pub fn library_of(&self, own: Option<Semantics>, scenario: Option<Semantics>) -> Option<Semantics> {
        own.or_else(|| scenario.filter(|library| self.preset(*library).is_some())).or(self.semantics)
    }

    /// The fields the preset of `library` sets, as a JSON object (empty for the kind's own
    /// library and for a library without this pattern).
    #[must_use]
    pub fn preset_fields(&self, library: Option<Semantics>) -> Map<String, Value> {
        match library.and_then(|library| self.preset(library)) {
            Some(preset) => match serde_json::from_str(preset.fields) {
                Ok(Value::Object(fields)) => fields,
                _ => Map::new(),
            },
            None => Map::new(),
        }
    }

    /// Fills the fields `body` (a layer's settings object) leaves out from the preset of
    /// `library`. A field the body writes wins, and so does its other spelling
    /// ([`LayerSpec::either`]: a body with `max_retries` gets no preset `max_attempts`).
    pub fn fill_from_preset(&self, body: &mut Map<String, Value>, library: Option<Semantics>) {
        for (key, value) in self.preset_fields(library) {
            if !body.contains_key(&key) && !self.other_spelling_written(body, &key) {
                body.insert(key, value);
            }
        }
    }

    /// True if `body` writes a field that says what `key` says in other words.
    fn other_spelling_written(&self, body: &Map<String, Value>, key: &str) -> bool {
        self.either.iter().any(|(a, b)| (*a == key && body.contains_key(*b)) || (*b == key && body.contains_key(*a)))
    }
}

/// Why a layer's `semantics` cannot be used: the kind has no preset for the library.
#[must_use]
pub fn unknown_preset(spec: &LayerSpec, library: Semantics) -> String {
    let offered: Vec<&str> = spec.presets.iter().map(|p| p.library.word()).collect();
    if offered.is_empty() {
        return format!("{} has no library presets; leave semantics out", spec.label);
    }
    format!("{} has no {} preset; choose one of {}", spec.label, library.word(), offered.join(", "))
}
