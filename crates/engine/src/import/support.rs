//! What every importer needs: taking keys out of a mapping so the rest can be listed, and
//! reading each library's way of writing durations and numbers.

use serde_json::{Map, Value};

use crate::time::Span;

/// A mapping being read: keys are taken out as they become settings; [`Reader::finish`] lists
/// the rest as unsupported.
pub(super) struct Reader<'a> {
    map: Map<String, Value>,
    path: String,
    unsupported: &'a mut Vec<String>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(value: Value, path: String, unsupported: &'a mut Vec<String>) -> Self {
        let map = match value {
            Value::Object(map) => map,
            other => {
                unsupported.push(format!("{path}: expected a mapping, got {}", kind(&other)));
                Map::new()
            }
        };
        Self { map, path, unsupported }
    }

    /// The value at `key`, taken out.
    pub(super) fn take(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key)
    }

    /// A whole number at `key`, or a note that it is not one.
    pub(super) fn count(&mut self, key: &str) -> Option<u64> {
        let value = self.take(key)?;
        let number = value.as_u64().or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()));
        if number.is_none() {
            self.note(key, &format!("expected a whole number, got {}", kind(&value)));
        }
        number
    }

    /// A number at `key`, or a note that it is not one.
    pub(super) fn number(&mut self, key: &str) -> Option<f64> {
        let value = self.take(key)?;
        let number = value.as_f64().or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()));
        if number.is_none() {
            self.note(key, &format!("expected a number, got {}", kind(&value)));
        }
        number
    }

    /// A true/false at `key`.
    pub(super) fn flag(&mut self, key: &str) -> Option<bool> {
        let value = self.take(key)?;
        let flag = value.as_bool().or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()));
        if flag.is_none() {
            self.note(key, "expected true or false");
        }
        flag
    }

    /// A duration at `key`, read by `read`, or a note that it cannot be read.
    pub(super) fn span(&mut self, key: &str, read: fn(&Value) -> Option<Span>) -> Option<Span> {
        let value = self.take(key)?;
        let span = read(&value);
        if span.is_none() {
            self.note(key, &format!("not a duration: {}", short(&value)));
        }
        span
    }

    /// Lists `key` as unsupported, with the reason.
    pub(super) fn note(&mut self, key: &str, reason: &str) {
        self.unsupported.push(format!("{}.{key}: {reason}", self.path));
    }

    /// The path of `key` in this mapping.
    pub(super) fn path_of(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    /// The list of unsupported keys (for nested readers).
    pub(super) fn unsupported(&mut self) -> &mut Vec<String> {
        self.unsupported
    }

    /// Lists every key not taken as unsupported (`reason` says why).
    pub(super) fn finish(self, reason: &str) {
        for key in self.map.keys() {
            self.unsupported.push(format!("{}.{key}: {reason}", self.path));
        }
    }
}

/// A value's JSON type, for messages.
pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A value in a message, cut to 40 characters.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 { format!("{}…", text.chars().take(40).collect::<String>()) } else { text }
}

/// A span as scenario files write it.
pub(super) fn text(span: Span) -> Value {
    Value::String(span.to_string())
}

/// Spring Boot's durations: `10s`, `500ms`, `2m`, ISO-8601 `PT10S`, or a number of milliseconds.
pub(super) fn spring_duration(value: &Value) -> Option<Span> {
    if let Some(ms) = value.as_u64() {
        return Some(Span::from_millis(ms));
    }
    let text = value.as_str()?.trim();
    if let Some(iso) = text.strip_prefix("PT").or_else(|| text.strip_prefix("pt")) {
        return iso_duration(iso);
    }
    if let Ok(ms) = text.parse::<u64>() {
        return Some(Span::from_millis(ms));
    }
    let spring = text.strip_suffix('d').and_then(|d| d.parse::<u64>().ok()).map(|d| format!("{}h", d * 24));
    spring.as_deref().unwrap_or(text).parse().ok()
}

/// The time part of an ISO-8601 duration after `PT`: `10S`, `1M30S`, `0.5S`, `2H`.
fn iso_duration(text: &str) -> Option<Span> {
    let mut micros = 0.0;
    let mut number = String::new();
    for c in text.chars() {
        let unit = match c.to_ascii_uppercase() {
            'H' => 3_600e6,
            'M' => 60e6,
            'S' => 1e6,
            _ => {
                number.push(c);
                continue;
            }
        };
        micros += number.parse::<f64>().ok()? * unit;
        number.clear();
    }
    (number.is_empty() && micros.is_finite()).then(|| Span::from_micros(micros as u64))
}

/// .NET `TimeSpan` text: `00:00:02`, `00:00:00.500`, `1.02:00:00` (days.hours:minutes:seconds).
pub(super) fn timespan(value: &Value) -> Option<Span> {
    let text = value.as_str()?.trim();
    let (days, clock) = match text.split_once(':').map(|(head, _)| head.split_once('.')) {
        Some(Some((days, _))) => (days.parse::<u64>().ok()?, &text[days.len() + 1..]),
        _ => (0, text),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let [hours, minutes, seconds] = parts.as_slice() else { return None };
    let seconds = f64::from(hours.parse::<u32>().ok()?) * 3_600.0
        + f64::from(minutes.parse::<u32>().ok()?) * 60.0
        + seconds.parse::<f64>().ok().filter(|s| *s >= 0.0)?
        + days as f64 * 86_400.0;
    Some(Span::from_micros((seconds * 1e6).round() as u64))
}

/// Protobuf JSON durations as Envoy writes them: `0.25s`, `10s`, or `{seconds, nanos}`.
pub(super) fn proto_duration(value: &Value) -> Option<Span> {
    if let Some(object) = value.as_object() {
        let seconds = object.get("seconds").and_then(|s| s.as_u64().or_else(|| s.as_str()?.parse().ok())).unwrap_or(0);
        let nanos = object.get("nanos").and_then(Value::as_u64).unwrap_or(0);
        return Some(Span::from_micros(seconds * 1_000_000 + nanos / 1_000));
    }
    let seconds: f64 = value.as_str()?.trim().strip_suffix('s')?.parse().ok()?;
    (seconds >= 0.0 && seconds.is_finite()).then(|| Span::from_micros((seconds * 1e6).round() as u64))
}
