//! The dialog's form: its fields (named as the page sends them back), their defaults from the
//! document, and the batches it describes, checked before any run.

use std::collections::BTreeMap;

use resilience_engine::odds::{self, Target, TipRequest};
use resilience_engine::time::Span;
use resilience_engine::{Scenario, expect};
use serde_json::{Value, json};

/// The form's values by field name, as text (as the page's inputs hold them).
pub type Fields = BTreeMap<String, String>;

/// The form's field names (anything else the page sends is ignored).
pub const NAMES: [&str; 21] = [
    "tab",
    "seeds",
    "first_seed",
    "k0",
    "k0_from",
    "k0_to",
    "k0_steps",
    "k1",
    "k1_from",
    "k1_to",
    "k1_steps",
    "cell_seeds",
    "chart",
    "t_knob",
    "t_from",
    "t_to",
    "t_claim",
    "t_seeds",
    "open_row",
    "open_column",
    "open_seed",
];

/// A field's value, or "".
pub fn get<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.get(name).map_or("", String::as_str)
}

/// The index of the sweep's cell picked in the rows' and columns' lists (the first until one is
/// picked), in a sweep whose second knob has `columns` values (1 for a single knob).
pub fn picked_cell(fields: &Fields, columns: usize) -> usize {
    let pick = |name: &str| get(fields, name).parse::<usize>().unwrap_or(0);
    let width = columns.max(1);
    pick("open_row") * width + pick("open_column").min(width - 1)
}

/// Moves the picked cell by a key pressed on the chart, within a sweep of `sizes` values per
/// knob: a heatmap's rows (its first knob, drawn top down) go with the up and down arrows, its
/// columns and a line's points with the left and right ones; Home and End go to the first and
/// last column or point. Other keys change nothing.
pub fn move_pick(fields: &mut Fields, key: &str, sizes: &[usize]) {
    // Left, right, Home and End go along the horizontal axis: the columns, or a line's points.
    let along = match key {
        "ArrowLeft" => -1,
        "ArrowRight" => 1,
        "Home" => isize::MIN,
        "End" => isize::MAX,
        _ => 0,
    };
    let (name, size, step) = match (key, sizes) {
        ("ArrowUp", [rows, _]) => ("open_row", *rows, -1),
        ("ArrowDown", [rows, _]) => ("open_row", *rows, 1),
        (_, [_, columns]) if along != 0 => ("open_column", *columns, along),
        (_, [points]) if along != 0 => ("open_row", *points, along),
        _ => return,
    };
    let last = size.saturating_sub(1);
    let now = get(fields, name).parse::<usize>().unwrap_or(0).min(last);
    let next = now.saturating_add_signed(step).min(last);
    fields.insert(name.to_owned(), next.to_string());
}

/// Fills every missing field from the document: the knobs and ranges a sweep or search starts
/// from, or the document's own `sweep` section when it has one.
pub fn fill_defaults(fields: &mut Fields, doc: &Value) {
    let candidates = odds::candidates(doc);
    let first = |wanted: &dyn Fn(&str) -> bool| candidates.iter().map(|(p, _)| p).find(|p| wanted(p)).cloned();
    // A sweep starts from a pattern's setting (the retries, if any), a search from the length
    // of the first fault (how long an outage the stack rides out), else as a sweep does.
    let fault_end = first(&|p| p.contains("/faults/") && p.ends_with("/to"));
    let first_knob = first(&|p| p.ends_with("/max_attempts"))
        .or_else(|| fault_end.clone())
        .or_else(|| first(&|p| p.contains("/stack/")))
        .or_else(|| candidates.first().map(|(p, _)| p.clone()))
        .unwrap_or_default();
    let tip_knob = fault_end.unwrap_or_else(|| first_knob.clone());
    let seed = doc.get("seed").and_then(Value::as_u64).unwrap_or(0).to_string();
    let mut put = |name: &str, value: String| {
        fields.entry(name.to_owned()).or_insert(value);
    };
    put("tab", if doc.get("sweep").is_some() { "sweep" } else { "seeds" }.to_owned());
    put("seeds", "100".to_owned());
    put("first_seed", seed);
    put("k0", first_knob);
    put("k1", String::new());
    put("cell_seeds", "4".to_owned());
    put("t_knob", tip_knob);
    put("t_seeds", "20".to_owned());
    for (knob, prefix) in [("k0", "k0_"), ("k1", "k1_"), ("t_knob", "t_")] {
        // Working a range out builds the document a few times: only for a knob without one.
        if fields.contains_key(&format!("{prefix}from")) && fields.contains_key(&format!("{prefix}to")) {
            continue;
        }
        let path = get(fields, knob).to_owned();
        let (from, to, steps) = range_defaults(doc, &path);
        fields.entry(format!("{prefix}from")).or_insert(from);
        fields.entry(format!("{prefix}to")).or_insert(to);
        if prefix != "t_" {
            fields.entry(format!("{prefix}steps")).or_insert(steps);
        }
    }
    // Two runs each: only once the tab is shown. A sweep charts the first claim that flips
    // across its first knob's range, else the success rate; a search looks for that claim.
    if !fields.contains_key("chart") && get(fields, "tab") == "sweep" {
        let chart = flipping_claim(doc, fields, ["k0", "k0_from", "k0_to"]).map(|n| format!("expect[{n}]"));
        fields.insert("chart".to_owned(), chart.unwrap_or_else(|| "success_rate".to_owned()));
    }
    if !fields.contains_key("t_claim") && get(fields, "tab") == "tip" {
        let claim = flipping_claim(doc, fields, ["t_knob", "t_from", "t_to"]).unwrap_or(0);
        fields.insert("t_claim".to_owned(), claim.to_string());
    }
}

/// The first claim that holds at the knob's "from" and fails at its "to" (the fields named
/// `[knob, from, to]`) on the document's seed, so that a sweep or a search starts with one that
/// changes; `None` when no claim does, or the scenario is too large for the two runs that tell.
fn flipping_claim(doc: &Value, fields: &Fields, [knob, from_field, to_field]: [&str; 3]) -> Option<usize> {
    let expectations = expect::read(doc).ok().filter(|e| !e.is_empty())?;
    let path = get(fields, knob);
    let target = target_of(doc, path)?;
    let seed = doc.get("seed").and_then(Value::as_u64).unwrap_or(0);
    let run_at = |end: &str| {
        let mut edited = doc.clone();
        *edited.pointer_mut(path)? = knob_value(get(fields, end), target, end).ok()?;
        let scenario = Scenario::from_json(&edited.to_string()).ok()?;
        if scenario.expected_requests() > super::SMALL_RUN_REQUESTS_MAX {
            return None;
        }
        odds::run_seed(&scenario, &expectations, seed).ok()
    };
    let (from, to) = (run_at(from_field)?, run_at(to_field)?);
    (0..expectations.len()).find(|&n| from.holds(n) && !to.holds(n))
}

/// The form's fields from the document's `sweep` section (a shared link's sweep).
pub fn from_sweep(sweep: &Value) -> Fields {
    let mut fields = Fields::new();
    fields.insert("tab".into(), "sweep".into());
    let text = super::view::plain;
    for (i, knob) in sweep.get("knobs").and_then(Value::as_array).into_iter().flatten().take(2).enumerate() {
        fields.insert(format!("k{i}"), knob.get("path").map(text).unwrap_or_default());
        let values = knob.get("values").and_then(Value::as_array);
        let from = knob.get("from").or_else(|| values.and_then(|v| v.first()));
        let to = knob.get("to").or_else(|| values.and_then(|v| v.last()));
        let steps = knob.get("steps").cloned().or_else(|| values.map(|v| v.len().into()));
        fields.insert(format!("k{i}_from"), from.map(text).unwrap_or_default());
        fields.insert(format!("k{i}_to"), to.map(text).unwrap_or_default());
        fields.insert(format!("k{i}_steps"), steps.as_ref().map(text).unwrap_or_default());
    }
    if let Some(seeds) = sweep.get("seeds") {
        fields.insert("cell_seeds".into(), text(seeds));
    }
    if let Some(chart) = sweep.get("chart") {
        fields.insert("chart".into(), text(chart));
    }
    fields
}

/// What the field at `path` holds, if a knob can set it.
pub fn target_of(doc: &Value, path: &str) -> Option<Target> {
    doc.pointer(path).and_then(Target::of)
}

/// From, to and steps around the field's current value: half of it to twice it, each end
/// moved back toward the current value while the document would be invalid with it (an
/// outage's end before its start), a moment in the run (a fault's or a spike's start or end)
/// kept inside the run, and at most ten values a round step apart; so a knob picked anew starts
/// with cells that run and values that read well ("30s, 35s … 60s").
fn range_defaults(doc: &Value, path: &str) -> (String, String, String) {
    let Some(target) = target_of(doc, path) else { return (String::new(), String::new(), "10".into()) };
    let now = current(doc, path, target);
    let (from, to) = match target {
        Target::Integer if now <= 0.0 => (0.0, 10.0),
        Target::Integer => ((now / 2.0).floor().max(1.0), (now * 2.0).max(2.0)),
        Target::Number if now == 0.0 => (0.0, 1.0),
        Target::Duration if now == 0.0 => (0.0, 1e6),
        Target::Number | Target::Duration => (now / 2.0, now * 2.0),
    };
    let moment = target == Target::Duration && (path.ends_with("/from") || path.ends_with("/to"));
    let run_us = current(doc, "/duration", Target::Duration);
    let inside = |x: f64| if moment && run_us > 0.0 { x.min(run_us) } else { x };
    let (from, to) = (valid_end(doc, path, target, inside(from), now), valid_end(doc, path, target, inside(to), now));
    let (from, to, steps) = round_steps(from, to, target);
    (text_of(target, from), text_of(target, to), steps.to_string())
}

/// Most values a default range has.
const DEFAULT_STEPS_MAX: f64 = 10.0;

/// At most [`DEFAULT_STEPS_MAX`] values from about `from` to about `to`, a round step apart (1,
/// 2, 2.5 or 5 times a power of ten; whole numbers one apart where they fit): the ends move
/// in to multiples of the step, so they stay where the document is valid.
fn round_steps(from: f64, to: f64, target: Target) -> (f64, f64, usize) {
    let span = to - from;
    if span.is_nan() || span <= 0.0 {
        return (from, to, 1);
    }
    if target == Target::Integer && span < DEFAULT_STEPS_MAX {
        return (from, to, span as usize + 1);
    }
    let least = span / (DEFAULT_STEPS_MAX - 1.0);
    let power = 10f64.powf(least.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= least).unwrap_or(10.0 * power);
    let step = if target == Target::Integer { step.ceil() } else { step };
    let (low, high) = ((from / step).ceil() * step, (to / step).floor() * step);
    if high <= low {
        return (from, to, 2);
    }
    (low, high, ((high - low) / step).round() as usize + 1)
}

/// The field's value now, as a number (microseconds for a duration; 0 when unreadable).
fn current(doc: &Value, path: &str, target: Target) -> f64 {
    let value = doc.pointer(path);
    match target {
        Target::Duration => {
            value.and_then(Value::as_str).and_then(|t| t.parse::<Span>().ok()).map_or(0.0, |s| s.as_micros() as f64)
        }
        Target::Integer | Target::Number => value.and_then(Value::as_f64).unwrap_or(0.0),
    }
}

/// `end`, or a value halfway toward `now` (a few times over) while the document is invalid
/// with the field set to it; `now` itself at worst.
fn valid_end(doc: &Value, path: &str, target: Target, mut end: f64, now: f64) -> f64 {
    let mut edited = doc.clone();
    for _ in 0..6 {
        if let Some(slot) = edited.pointer_mut(path) {
            *slot = target.write(end);
        }
        if Scenario::from_json(&edited.to_string()).is_ok() {
            return end;
        }
        end = target.snap((end + now) / 2.0);
    }
    now
}

/// `x` as the form shows it.
fn text_of(target: Target, x: f64) -> String {
    match target {
        Target::Integer => (x as i64).to_string(),
        Target::Number => short(x),
        Target::Duration => Span::from_micros(x as u64).to_string(),
    }
}

/// A number with at most four decimals, without trailing zeros.
fn short(x: f64) -> String {
    let text = format!("{x:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The largest whole number a knob's from or to may be (every count in a scenario is far
/// below it; past it, a float no longer holds every whole number).
const WHOLE_MAX: f64 = 1e15;

/// The value a form's text gives a field of kind `target` (a number, or a duration as text).
fn knob_value(text: &str, target: Target, field: &str) -> Result<Value, String> {
    let text = text.trim();
    match target {
        // Zero is zero in any unit: it needs none.
        Target::Duration if text.parse::<f64>().is_ok_and(|x| x == 0.0) => Ok(Value::String("0s".to_owned())),
        Target::Duration => match text.parse::<Span>() {
            Ok(_) => Ok(Value::String(text.to_owned())),
            Err(error) => Err(format!("{field}: {error}")),
        },
        Target::Integer => {
            let x: f64 = text.parse().map_err(|_| format!("{field}: {text:?} is not a number"))?;
            if x.fract() == 0.0 && (0.0..=WHOLE_MAX).contains(&x) {
                Ok(json!(x as i64))
            } else {
                Err(format!("{field}: the field takes whole numbers from 0 to {WHOLE_MAX}, not {text:?}"))
            }
        }
        Target::Number => match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(json!(x)),
            _ => Err(format!("{field}: {text:?} is not a number")),
        },
    }
}

/// A whole number from the form, in `1..=max`, or what is wrong with it.
pub fn count(fields: &Fields, name: &str, label: &str, max: usize) -> Result<usize, String> {
    let text = get(fields, name).trim();
    text.parse::<usize>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| format!("{label}: give a whole number from 1 to {max}, not {text:?}"))
}

/// A seed from the form.
pub fn seed(fields: &Fields, name: &str, label: &str) -> Result<u64, String> {
    let text = get(fields, name).trim();
    text.parse::<u64>().map_err(|_| format!("{label}: give a whole number from 0 up, not {text:?}"))
}

/// The `sweep` section the form describes (checked against the document by the plan).
pub fn sweep_section(fields: &Fields, doc: &Value) -> Result<Value, String> {
    let mut knobs = Vec::new();
    for (i, label) in [(0, "Knob 1"), (1, "Knob 2")] {
        let path = get(fields, &format!("k{i}"));
        if path.is_empty() {
            continue;
        }
        let target = target_of(doc, path).ok_or_else(|| format!("{label}: {path} is not a number or a duration"))?;
        let from = knob_value(get(fields, &format!("k{i}_from")), target, &format!("{label} from"))?;
        let to = knob_value(get(fields, &format!("k{i}_to")), target, &format!("{label} to"))?;
        let steps = count(fields, &format!("k{i}_steps"), &format!("{label} steps"), odds::KNOB_VALUES_MAX)?;
        knobs.push(json!({ "path": path, "from": from, "to": to, "steps": steps }));
    }
    if knobs.is_empty() {
        return Err("Knob 1: pick a field to sweep".to_owned());
    }
    let seeds = count(fields, "cell_seeds", "Seeds per cell", odds::SEEDS_MAX)?;
    let first_seed = doc.get("seed").and_then(Value::as_u64).unwrap_or(0);
    Ok(json!({ "knobs": knobs, "seeds": seeds, "first_seed": first_seed, "chart": get(fields, "chart") }))
}

/// The tipping-point search the form describes.
pub fn tip_request(fields: &Fields, doc: &Value) -> Result<TipRequest, String> {
    let knob = get(fields, "t_knob").to_owned();
    let target = target_of(doc, &knob).ok_or_else(|| format!("Knob: {knob} is not a number or a duration"))?;
    let claims = doc.get("expect").and_then(Value::as_array).map_or(0, Vec::len);
    if claims == 0 {
        return Err(
            "Claim: this scenario makes no claims (its expect list is empty), so there is nothing to tip".into()
        );
    }
    let assertion = get(fields, "t_claim").parse::<usize>().ok().filter(|a| *a < claims);
    let (from, to) =
        (knob_value(get(fields, "t_from"), target, "From")?, knob_value(get(fields, "t_to"), target, "To")?);
    // Either way round is a search (down from a value that holds, too); one value is none.
    if matches!((target.read(&from), target.read(&to)), (Some(a), Some(b)) if a == b) {
        return Err(format!("To: {} is From too; give a value where the claim fails", get(fields, "t_to").trim()));
    }
    Ok(TipRequest {
        from,
        to,
        knob,
        assertion: assertion.ok_or("Claim: pick one of the scenario's claims")?,
        seeds: count(fields, "t_seeds", "Seeds per probe", odds::SEEDS_MAX)?,
        first_seed: doc.get("seed").and_then(Value::as_u64).unwrap_or(0),
    })
}

/// Each field's label, as a refusal's opening words name it ("Knob 1 from: …"), and as the
/// engine names the sweep section's entries it comes from.
const FIELD_LABELS: [(&str, &str); 19] = [
    ("Seeds", "seeds"),
    ("First seed", "first_seed"),
    ("Knob 1", "k0"),
    ("Knob 1 from", "k0_from"),
    ("Knob 1 to", "k0_to"),
    ("Knob 1 steps", "k0_steps"),
    ("Knob 2", "k1"),
    ("Knob 2 from", "k1_from"),
    ("Knob 2 to", "k1_to"),
    ("Knob 2 steps", "k1_steps"),
    ("Seeds per cell", "cell_seeds"),
    ("Chart", "chart"),
    ("Knob", "t_knob"),
    ("From", "t_from"),
    ("To", "t_to"),
    ("Claim", "t_claim"),
    ("Seeds per probe", "t_seeds"),
    ("knob", "t_knob"),
    ("assertion", "t_claim"),
];

/// The field a refusal is about, from its opening words ("Knob 1 from: …"), if it names one.
pub fn field_of(refusal: &str) -> Option<&'static str> {
    let (label, _) = refusal.split_once(": ")?;
    FIELD_LABELS.iter().find(|(l, _)| *l == label).map(|(_, field)| *field)
}

/// An error the engine found in the sweep section the form made, in the form's words: its
/// entries named by their fields' labels ("sweep.knobs[0].from" is "Knob 1 from"), and the
/// knobs' fields by `name` ("storefront › 1. Retry › Max attempts (in total)").
pub fn in_form_words(error: &str, fields: &Fields, name: impl Fn(&str) -> String) -> String {
    let mut words = error.to_owned();
    for i in 0..2 {
        let knob = format!("Knob {}", i + 1);
        for part in ["from", "to", "steps"] {
            words = words.replace(&format!("sweep.knobs[{i}].{part}"), &format!("{knob} {part}"));
        }
        words = words.replace(&format!("sweep.knobs[{i}].path"), &knob);
        words = words.replace(&format!("sweep.knobs[{i}]"), &knob);
        words = words.replace(&format!("knobs[{i}]'s field"), &format!("{knob}'s setting"));
        let path = get(fields, &format!("k{i}"));
        if !path.is_empty() {
            words = words.replace(path, &name(path));
        }
    }
    words.replace("sweep.seeds", "Seeds per cell").replace("sweep.chart", "Chart")
}
