//! A knob: one numeric field of the scenario document, named by a JSON pointer, and the values
//! a sweep gives it.

use serde::Deserialize;
use serde_json::Value;

use crate::ScenarioError;
use crate::time::Span;

/// Most values one knob may take.
pub const KNOB_VALUES_MAX: usize = 40;

/// What the field a knob points at holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A whole number (attempts, capacities, status codes): interpolated values are rounded.
    Integer,
    /// Any number (rates, shares, factors).
    Number,
    /// A duration string (`"250ms"`): values are durations, interpolated in microseconds.
    Duration,
}

impl Target {
    /// `x` as a value of such a field can be (whole, or a whole number of microseconds, of
    /// milliseconds past a second).
    #[must_use]
    pub fn snap(self, x: f64) -> f64 {
        snap(self, x)
    }

    /// `x` (microseconds for a duration) as such a field writes it, snapped.
    #[must_use]
    pub fn write(self, x: f64) -> Value {
        write(self, x)
    }

    /// `value` of such a field as a number (microseconds for a duration), if it is one.
    #[must_use]
    pub fn read(self, value: &Value) -> Option<f64> {
        number(value, self, "").ok()
    }

    /// What `value` holds, if a knob can set it: a whole number, any number or a duration.
    #[must_use]
    pub fn of(value: &Value) -> Option<Self> {
        match value {
            Value::Number(n) if n.is_i64() || n.is_u64() => Some(Self::Integer),
            Value::Number(_) => Some(Self::Number),
            Value::String(text) if text.parse::<Span>().is_ok() => Some(Self::Duration),
            _ => None,
        }
    }
}

/// One knob of a sweep, its values resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Knob {
    /// JSON pointer to the field (`/endpoints/0/stack/0/retry/max_attempts`).
    pub path: String,
    /// What the field holds.
    pub target: Target,
    /// The values, as written into the document.
    pub values: Vec<Value>,
}

/// A knob as the document writes it: `values`, or `from`, `to` and `steps`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KnobDoc {
    path: String,
    #[serde(default)]
    from: Option<Value>,
    #[serde(default)]
    to: Option<Value>,
    #[serde(default)]
    steps: Option<u64>,
    #[serde(default)]
    values: Option<Vec<Value>>,
}

impl Knob {
    /// Reads the knob at `path` (`sweep.knobs[1]`) of a sweep over `doc`.
    ///
    /// # Errors
    /// A malformed entry, a pointer that does not exist, a field that is not a number or a
    /// duration, a wrong `steps` or too many values, each at its path.
    pub fn read(item: &Value, doc: &Value, path: &str) -> Result<Self, ScenarioError> {
        if !item.is_object() {
            return Err(ScenarioError::new(
                path,
                "expected an object: { \"path\": \"/…\", \"from\", \"to\", \"steps\" or \"values\" }",
            ));
        }
        let knob: KnobDoc =
            serde_json::from_value(item.clone()).map_err(|e| ScenarioError::new(path, e.to_string()))?;
        let target = target(doc, &knob.path, &format!("{path}.path"))?;
        let values = match (knob.values, knob.from, knob.to, knob.steps) {
            (Some(list), None, None, None) => listed(list, target, &format!("{path}.values"))?,
            (None, Some(from), Some(to), Some(steps)) => {
                let from = number(&from, target, &format!("{path}.from"))?;
                let to = number(&to, target, &format!("{path}.to"))?;
                range(from, to, steps, &format!("{path}.steps"))?.into_iter().map(|x| write(target, x)).collect()
            }
            _ => return Err(ScenarioError::new(path, "give either values: [...] or from, to and steps")),
        };
        Ok(Self { path: knob.path, target, values })
    }

    /// The knob's value `index` in words, as an axis label (`4`, `2.5`, `30s`).
    #[must_use]
    pub fn label(&self, index: usize) -> String {
        match self.values.get(index) {
            Some(Value::String(text)) => text.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        }
    }

    /// The knob's value `index` as a number, in the field's unit (milliseconds for durations),
    /// for chart axes.
    #[must_use]
    pub fn number_at(&self, index: usize) -> f64 {
        self.values.get(index).and_then(|v| number(v, self.target, "").ok()).map_or(0.0, |x| match self.target {
            Target::Duration => x / 1e3,
            _ => x,
        })
    }
}

/// What the field at `pointer` of `doc` holds.
pub(super) fn target(doc: &Value, pointer: &str, path: &str) -> Result<Target, ScenarioError> {
    if !pointer.starts_with('/') {
        return Err(ScenarioError::new(
            path,
            format!("{pointer:?} is not a JSON pointer (it starts with /, as in /services/0/capacity/concurrency)"),
        ));
    }
    for (key, what) in [(super::sweep::KEY, "the sweep itself"), (crate::expect::KEY, "an assertion, not a setting")] {
        if pointer.strip_prefix('/').and_then(|p| p.split('/').next()) == Some(key) {
            return Err(ScenarioError::new(path, format!("{pointer} is {what}; a knob sets a field of the scenario")));
        }
    }
    let value = doc.pointer(pointer).ok_or_else(|| ScenarioError::new(path, format!("{pointer} does not exist")))?;
    Target::of(value).ok_or_else(|| {
        ScenarioError::new(path, format!("{pointer} holds {}, not a number or a duration", kind_of(value)))
    })
}

/// A JSON value's kind in words.
fn kind_of(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the flag {b}"),
        Value::String(text) => format!("the text {:?}", text.chars().take(40).collect::<String>()),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
        Value::Number(n) => format!("the number {n}"),
    }
}

/// A value for a `target` field as a number (microseconds for a duration).
pub(super) fn number(value: &Value, target: Target, path: &str) -> Result<f64, ScenarioError> {
    match (target, value) {
        (Target::Duration, Value::String(text)) => {
            text.parse::<Span>().map(|s| s.as_micros() as f64).map_err(|e| ScenarioError::new(path, e.to_string()))
        }
        (Target::Duration, _) => Err(ScenarioError::new(path, "the field is a duration: write one, as in \"250ms\"")),
        (_, Value::Number(n)) => {
            n.as_f64().filter(|x| x.is_finite()).ok_or_else(|| ScenarioError::new(path, "expected a finite number"))
        }
        (_, _) => Err(ScenarioError::new(path, "the field is a number: write one")),
    }
}

/// The value `x` (microseconds for a duration) as the field writes it (see [`snap`]).
pub(super) fn write(target: Target, x: f64) -> Value {
    match target {
        Target::Integer => Value::from(snap(target, x) as i64),
        Target::Number => serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number),
        Target::Duration => Value::String(Span::from_micros(snap(target, x) as u64).to_string()),
    }
}

/// `x` as the field can hold it: whole numbers rounded; a duration of a second or more rounded
/// to the millisecond (`"26.667s"`, not `"26666.667ms"`), a shorter one to the microsecond.
pub(super) fn snap(target: Target, x: f64) -> f64 {
    match target {
        Target::Integer => x.round(),
        Target::Number => x,
        Target::Duration if x >= 1e6 => (x / 1e3).round() * 1e3,
        Target::Duration => x.round().max(0.0),
    }
}

/// How far a bracket halved by [`snap`]ped midpoints may stay wider than exact halving would
/// leave it (less than one snapping step, or float rounding): a search stops within it, so it
/// never makes more probes than [`super::TipSearch::probes_at_most`] says.
pub(super) fn snap_slack(target: Target, largest: f64) -> f64 {
    match target {
        Target::Integer => 0.0,
        Target::Number => largest.abs() * 1e-12,
        Target::Duration if largest >= 1e6 => 1e3,
        Target::Duration => 1.0,
    }
}

/// `steps` values evenly spaced from `from` to `to`, both included (`steps` = 1: `from`).
fn range(from: f64, to: f64, steps: u64, path: &str) -> Result<Vec<f64>, ScenarioError> {
    if steps == 0 || steps > KNOB_VALUES_MAX as u64 {
        return Err(ScenarioError::new(path, format!("must be between 1 and {KNOB_VALUES_MAX}, got {steps}")));
    }
    let last = (steps - 1).max(1) as f64;
    Ok((0..steps).map(|k| from + (to - from) * k as f64 / last).collect())
}

/// A listed set of values, each checked against the field's kind.
fn listed(list: Vec<Value>, target: Target, path: &str) -> Result<Vec<Value>, ScenarioError> {
    if list.is_empty() || list.len() > KNOB_VALUES_MAX {
        return Err(ScenarioError::new(path, format!("must list 1 to {KNOB_VALUES_MAX} values, got {}", list.len())));
    }
    for (j, value) in list.iter().enumerate() {
        number(value, target, &format!("{path}[{j}]"))?;
    }
    Ok(list)
}

/// Top-level keys whose fields are not knobs: the document's version and seed (seeds are
/// varied by a batch, not a knob), and the `sweep` and `expect` sections.
const NOT_KNOBS: [&str; 4] = ["version", "seed", super::sweep::KEY, crate::expect::KEY];

/// Most fields [`candidates`] lists (a stranger's document may be large).
pub const CANDIDATES_MAX: usize = 400;

/// Every field of `doc` a knob can set (a number or a duration, outside [`NOT_KNOBS`]), with
/// what it holds, in key order (list items in order), at most [`CANDIDATES_MAX`]: the choices a sweep form
/// offers.
#[must_use]
pub fn candidates(doc: &Value) -> Vec<(String, Target)> {
    let mut found = Vec::new();
    if let Value::Object(map) = doc {
        for (key, value) in map.iter().filter(|(k, _)| !NOT_KNOBS.contains(&k.as_str())) {
            walk(value, &format!("/{}", escape(key)), &mut found);
        }
    }
    found
}

fn walk(value: &Value, pointer: &str, found: &mut Vec<(String, Target)>) {
    if found.len() >= CANDIDATES_MAX {
        return;
    }
    match value {
        Value::Object(map) => map.iter().for_each(|(key, v)| walk(v, &format!("{pointer}/{}", escape(key)), found)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| walk(v, &format!("{pointer}/{i}"), found)),
        leaf => found.extend(Target::of(leaf).map(|kind| (pointer.to_owned(), kind))),
    }
}

/// A key as a JSON pointer segment (RFC 6901: `~` as `~0`, `/` as `~1`).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_list_numbers_and_durations_but_not_the_seed_or_sections() {
        let doc = serde_json::json!({
            "version": 1, "seed": 7, "duration": "60s",
            "endpoints": [{ "name": "a/b", "stack": [{ "retry": { "max_attempts": 3, "jitter": 0.5, "on": "errors" } }] }],
            "expect": [{ "success_rate": { "at_least": 0.9 } }],
            "sweep": { "knobs": [], "seeds": 2 }
        });
        let found = candidates(&doc);
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            ["/duration", "/endpoints/0/stack/0/retry/jitter", "/endpoints/0/stack/0/retry/max_attempts"]
        );
        assert_eq!(found[0].1, Target::Duration);
        assert_eq!(found[1].1, Target::Number);
        assert_eq!(found[2].1, Target::Integer);
        assert_eq!(escape("a/b~c"), "a~1b~0c");
    }

    #[test]
    fn durations_of_a_second_or_more_are_written_to_the_millisecond() {
        let at = |x: f64| write(Target::Duration, x);
        assert_eq!(at(26_666_666.7), Value::from("26.667s"));
        assert_eq!(at(20_000_000.0), Value::from("20s"));
        assert_eq!(at(999_999.6), Value::from("1s"));
        assert_eq!(at(1_500.4), Value::from("1.5ms"));
        assert_eq!(at(-3.0), Value::from("0s"));
    }
}
