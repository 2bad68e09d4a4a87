//! The catalogue: every layer kind and fault kind of the scenario format, described for the
//! people and tools that edit scenarios (the web app's palette and forms, `rpsim catalog`,
//! docs and editors).
//!
//! Each kind has its name as scenario files spell it, a label, a one-line explanation, its
//! fields (type, unit, range, default), the outcomes it can produce and what it reports. The
//! tables are plain static data; nothing here is written twice:
//! - ranges are the validator's own [`Bounds`](crate::scenario::Bounds) constants;
//! - defaults are what the scenario format fills in for a field left out ([`LayerSpec::defaults`]
//!   decodes a document that leaves everything out but the required fields): the very values
//!   of the config's `Default`, which the tests check field by field. Read this way, the web app
//!   needs no serialiser besides the one that turns a config back into JSON.
//!
//! Adding a field is one row in its kind's table (`layers.rs`, `faults.rs`).

mod faults;
pub(crate) mod layers;
mod output;
#[cfg(test)]
mod tests;
mod traffic;

use serde::Serialize;
use serde_json::Value;

pub use faults::{FAULTS, WINDOW_FIELDS};
pub use layers::{CLIENT_POOL, FAILURE_KINDS, LAYERS};
pub use output::{Catalog, FaultOut, FieldOut, LayerOut, catalog, to_json};
pub use traffic::{CAPACITY, ENDPOINT_SECTIONS, KEYS, LATENCY, LOAD, SERVICE_SECTIONS};

use crate::patterns::semantics::{Preset, Semantics};
use crate::scenario::{Bounds, SpanBounds};
use crate::sim::Outcome;

/// One layer kind (or the shared client pool).
#[derive(Debug, Serialize)]
pub struct LayerSpec {
    /// The name scenario files use (`circuit_breaker`).
    pub name: &'static str,
    /// A short title (`Circuit breaker`).
    pub label: &'static str,
    /// What it does, in one line.
    pub summary: &'static str,
    /// Its settings, in the order a form shows them.
    #[serde(skip)]
    pub fields: &'static [FieldSpec],
    /// The outcomes a request can end with because of this layer.
    pub outcomes: &'static [Outcome],
    /// The states it moves between (empty for a stateless layer).
    pub states: &'static [StateSpec],
    /// Its cumulative counters, in the order of the trace's counter slots.
    pub counters: &'static [&'static str],
    /// Figures it reports beside its counters.
    pub readings: &'static [ReadingSpec],
    /// The chart of its state over time, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart: Option<Chart>,
    /// What its [`TraceKind::LayerEvent`](crate::sim::TraceKind::LayerEvent) records mean, by
    /// their `value` (empty for the kinds that have trace kinds of their own).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub events: &'static [&'static str],
    /// The mark a request's row gets on the timeline when this layer decides its fate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<MarkerSpec>,
    /// A config to start from (JSON), with settings that show the pattern at work.
    #[serde(serialize_with = "embedded_json")]
    pub example: &'static str,
    /// What each library that has this pattern sets (its `semantics` presets).
    pub presets: &'static [Preset],
    /// The library whose defaults the plain defaults are (`None`: none of the preset libraries).
    pub semantics: Option<Semantics>,
    /// Pairs of fields that say the same thing in other words (`max_attempts`, `max_retries`): a
    /// preset does not fill one when the layer writes the other.
    #[serde(skip)]
    pub either: &'static [(&'static str, &'static str)],
}

/// One fault kind of a service's fault script.
#[derive(Debug, Serialize)]
pub struct FaultSpec {
    /// The name scenario files use (`throttle`).
    pub name: &'static str,
    /// A short title.
    pub label: &'static str,
    /// What it does, in one line.
    pub summary: &'static str,
    /// Its settings besides the window ([`WINDOW_FIELDS`]).
    #[serde(skip)]
    pub fields: &'static [FieldSpec],
    /// A fault to start from (JSON), without its window.
    #[serde(serialize_with = "embedded_json")]
    pub example: &'static str,
}

/// One setting.
#[derive(Debug, Serialize)]
pub struct FieldSpec {
    /// JSON pointer inside the config (`/window/count`); a nested field belongs to one variant
    /// of its parent.
    pub path: &'static str,
    /// Label.
    pub label: &'static str,
    /// Value type.
    #[serde(rename = "type")]
    pub kind: FieldKind,
    /// True when a document must give it (no default).
    #[serde(skip_serializing_if = "is_false")]
    pub required: bool,
    /// Unit or words shown after the value.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub unit: &'static str,
    /// A short explanation.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub help: &'static str,
    /// Accepted values, as the validator checks them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<&'static Range>,
    /// For a choice: the variants offered.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub choices: &'static [Choice],
}

fn is_false(value: &bool) -> bool {
    !value
}

/// Writes a JSON text as the value it holds (not as a string).
pub(crate) fn embedded_json<S: serde::Serializer>(json: &&'static str, serializer: S) -> Result<S::Ok, S::Error> {
    serde_json::from_str::<Value>(json).map_err(serde::ser::Error::custom)?.serialize(serializer)
}

/// The type of a setting's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FieldKind {
    /// A whole number.
    Whole,
    /// A number.
    Number,
    /// A duration string such as `"250ms"`.
    Duration,
    /// True or false.
    Bool,
    /// The layer's on/off switch (`enabled`), shown on the layer rather than in its form.
    Switch,
    /// One of `choices` (an externally tagged value).
    Choice,
    /// One of `choices`, or a call to a service of the scenario: `{"service": NAME}`.
    ChoiceOrService,
    /// A set of failure kinds ([`FAILURE_KINDS`]).
    FailureKinds,
    /// Free text.
    Text,
}

/// Accepted values of a setting.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Range {
    /// A whole number.
    Whole(Bounds<u32>),
    /// A number.
    Number(Bounds<f64>),
    /// A status code.
    Status(Bounds<u16>),
    /// A duration.
    Duration(SpanBounds),
}

/// A section of a service's or an endpoint's own settings (`/latency`, `/load`): a value of one
/// of several variants (`{"lognormal": {…}}`), or a plain object (`/capacity`).
#[derive(Debug, Serialize)]
pub struct SectionSpec {
    /// Its path inside the service or endpoint (`/latency`).
    pub path: &'static str,
    /// Label (`Latency`).
    pub label: &'static str,
    /// The variants offered, each with the value picking it sets; empty for a plain object.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub choices: &'static [Choice],
    /// Its settings, by their paths inside the section (`/lognormal/p50`), in the order a form
    /// shows them.
    pub fields: &'static [FieldSpec],
}

impl SectionSpec {
    /// The settings of its variant `variant` (all of them for a section without variants).
    pub fn fields_of<'a>(&'static self, variant: &'a str) -> impl Iterator<Item = &'static FieldSpec> + 'a {
        let plain = self.choices.is_empty();
        self.fields.iter().filter(move |f| plain || f.path[1..].split('/').next() == Some(variant))
    }

    /// The setting at `path` inside the section, if it is one.
    pub fn field(&self, path: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.path == path)
    }
}

/// One variant a choice offers.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// Label.
    pub label: &'static str,
    /// The variant's name (`exponential`).
    pub variant: &'static str,
    /// The whole value the choice sets (JSON); empty: the default's value.
    #[serde(skip_serializing_if = "str::is_empty", serialize_with = "embedded_json")]
    pub value: &'static str,
}

/// A name as files spell it, with its label.
#[derive(Debug, Serialize)]
pub struct Named {
    /// As files spell it.
    pub name: &'static str,
    /// Label.
    pub label: &'static str,
}

/// One state of a layer's state machine.
#[derive(Debug, Serialize)]
pub struct StateSpec {
    /// Its code in the trace's state changes.
    pub code: u8,
    /// Label (`half-open`).
    pub label: &'static str,
    /// Words for entering it (`breaker opened`).
    pub entered: &'static str,
}

/// A figure a layer reports, computed by viewers from the trace and metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reading {
    /// The current state (see `states`).
    State,
    /// Calls waiting out a backoff.
    WaitingToRetry,
    /// Permits in use.
    InUse,
    /// Calls waiting for a permit.
    Waiting,
    /// Failed share of the recorded calls, in percent.
    FailureRate,
    /// Fresh hits over lookups, in percent.
    HitRatio,
}

impl Reading {
    /// True for ratios, which read best after the counters they are computed from.
    #[must_use]
    pub const fn is_ratio(self) -> bool {
        matches!(self, Self::FailureRate | Self::HitRatio)
    }
}

/// A reading with its label.
#[derive(Debug, Serialize)]
pub struct ReadingSpec {
    /// Which figure.
    pub reading: Reading,
    /// Label.
    pub label: &'static str,
}

/// A chart of a layer's state over time, from the run's metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Chart {
    /// The state, as coloured bands.
    StateStrip,
    /// Permits in use and calls waiting.
    Occupancy,
    /// Fresh hits over lookups.
    HitRatio,
}

/// A timeline mark.
#[derive(Debug, Serialize)]
pub struct MarkerSpec {
    /// Legend words.
    pub label: &'static str,
    /// The outcome whose colour it takes.
    pub outcome: Outcome,
}

impl LayerSpec {
    /// The default of the field at `path` (`/window/count`), if it has one.
    #[must_use]
    pub fn default_of(&'static self, path: &str) -> Option<Value> {
        self.defaults().pointer(path).cloned()
    }

    /// The default config as JSON; fields without a default are absent.
    #[must_use]
    pub fn defaults(&'static self) -> Value {
        let place = if core::ptr::eq(self, &CLIENT_POOL) { Place::Client } else { Place::Stack(self.name) };
        serde_defaults(place, self.fields)
    }

    /// The field at `path`.
    #[must_use]
    pub fn field(&self, path: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.path == path)
    }

    /// A new layer of this kind, as a stack entry: `{"retry": {...}}`.
    #[must_use]
    pub fn new_layer(&self) -> Value {
        let config = serde_json::from_str(self.example).unwrap_or_else(|_| Value::Object(Default::default()));
        // One insert, not `collect`: collecting sorts (a stable sort the web app need not carry).
        let mut entry = serde_json::Map::new();
        entry.insert(self.name.to_owned(), config);
        Value::Object(entry)
    }
}

impl FaultSpec {
    /// The fault's defaults as JSON, window included; fields without a default are absent.
    #[must_use]
    pub fn defaults(&self) -> Value {
        serde_defaults(Place::Fault(self.name), self.fields)
    }
}

impl Choice {
    /// The whole value this choice sets, given the field's default.
    #[must_use]
    pub fn value(&self, default: Option<&Value>) -> Value {
        match (self.value, default) {
            ("", Some(default)) => default.clone(),
            (json, _) => serde_json::from_str(json).unwrap_or(Value::Null),
        }
    }
}

/// The layer kind called `name` (as scenario files spell it), or the client pool.
#[must_use]
pub fn layer(name: &str) -> Option<&'static LayerSpec> {
    LAYERS.iter().copied().chain([&CLIENT_POOL]).find(|l| l.name == name)
}

/// The fault kind called `name`.
#[must_use]
pub fn fault(name: &str) -> Option<&'static FaultSpec> {
    FAULTS.iter().find(|f| f.name == name)
}

/// Where a config sits in a scenario document.
#[derive(Clone, Copy)]
enum Place {
    /// A layer of a stack, by kind.
    Stack(&'static str),
    /// The shared client pool.
    Client,
    /// A fault of a service, by kind.
    Fault(&'static str),
}

/// The defaults the scenario format fills in for a config left out everywhere but its required
/// fields (given as the zero of their type), without those required fields: for configs that
/// have no `Default`. It reads a whole (tiny) document with [`Scenario::parse`], the very
/// decoder every document goes through, so no second decoder is compiled in.
///
/// [`Scenario::parse`]: crate::Scenario::parse
fn serde_defaults(place: Place, fields: &[FieldSpec]) -> Value {
    let given: serde_json::Map<String, Value> = fields
        .iter()
        .filter(|f| f.required && f.path.matches('/').count() == 1)
        .map(|f| (f.path[1..].to_owned(), zero_of(f.kind)))
        .collect();
    let config = Value::Object(given.clone());
    let (layers, faults, client, pointer) = match place {
        Place::Stack(kind) => (format!("{{\"{kind}\":{config}}}"), String::new(), String::new(), format!("/{kind}")),
        Place::Client => (String::new(), String::new(), format!(",\"client\":{config}"), String::new()),
        Place::Fault(kind) => (String::new(), format!("{{\"{kind}\":{config}}}"), String::new(), format!("/{kind}")),
    };
    let doc = format!(
        r#"{{"version":{},"name":"d","duration":"1s","services":[{{"name":"s","latency":{{"constant":"1ms"}},"faults":[{faults}]}}],"endpoints":[{{"name":"e","service":"s","load":{{"constant":{{"rps":1}}}},"stack":[{layers}]}}]{client}}}"#,
        crate::scenario::SCHEMA_VERSION
    );
    // Only the config is turned back into JSON (serialising the whole scenario would compile
    // the serialisers of every part of it into the web app).
    let parsed = crate::Scenario::parse(&doc).ok();
    let config = parsed.and_then(|s| match place {
        Place::Stack(_) => s.endpoints.into_iter().next()?.stack.into_iter().next().map(layers::json_of),
        Place::Client => s.client.map(layers::json_of),
        Place::Fault(_) => s.services.into_iter().next()?.faults.into_iter().next().map(layers::json_of),
    });
    let mut value = config.and_then(|v| v.pointer(&pointer).cloned());
    if let Some(Value::Object(map)) = &mut value {
        map.retain(|key, _| !given.contains_key(key));
    }
    value.unwrap_or(Value::Null)
}

/// The zero of a field's type, as JSON.
fn zero_of(kind: FieldKind) -> Value {
    match kind {
        FieldKind::Whole | FieldKind::Number => Value::from(0),
        FieldKind::Duration => Value::from("0s"),
        FieldKind::Bool | FieldKind::Switch => Value::from(false),
        // The shortest valid text: an outcome sequence of one success.
        _ => Value::from("S"),
    }
}
