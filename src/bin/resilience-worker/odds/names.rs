//! Knobs named as the playground's editors name them: a layer's setting by its stack number,
//! its kind and its label with its unit ("product-page › 1. Circuit breaker › Failure rate (%)"),
//! a fault's by its number (as claims count faults), its kind and its label ("inventory › fault 0:
//! Outage › To"), a service's or an endpoint's own setting by its section and label ("catalog ›
//! Latency › p99", "checkout › Arrivals › Spike rate (req/s)"), anything else by its parts.

use resilience_engine::catalog::{self, FieldSpec};
use serde_json::Value;

/// A field's path in words.
pub fn knob_name(doc: &Value, path: &str) -> String {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["endpoints", endpoint, "stack", index, kind, rest @ ..] => {
            if let (Some(spec), Ok(index)) = (catalog::layer(kind), index.parse::<usize>()) {
                let field = label(spec.fields.iter(), rest);
                return format!("{} › {}. {} › {field}", name_of(doc, "endpoints", endpoint), index + 1, spec.label);
            }
        }
        ["services", service, "faults", index, kind, rest @ ..] => {
            if let Some(spec) = catalog::fault(kind) {
                let field = label(spec.fields.iter().chain(catalog::WINDOW_FIELDS), rest);
                return format!("{} › fault {index}: {} › {field}", name_of(doc, "services", service), spec.label);
            }
        }
        [list @ ("services" | "endpoints"), owner, section, rest @ ..] => {
            let sections = if *list == "services" { &catalog::SERVICE_SECTIONS } else { &catalog::ENDPOINT_SECTIONS };
            if let Some(spec) = sections.iter().find(|s| s.path[1..] == **section) {
                let field = label(spec.fields.iter(), rest);
                return format!("{} › {} › {field}", name_of(doc, list, owner), spec.label);
            }
        }
        _ => {}
    }
    in_parts(doc, &parts)
}

/// The name of `list`'s item `index` (a service or an endpoint), else its number.
fn name_of(doc: &Value, list: &str, index: &str) -> String {
    doc.pointer(&format!("/{list}/{index}/name")).and_then(Value::as_str).unwrap_or(index).to_owned()
}

/// The label (and unit) of the field at `rest` among `fields`, else its parts in words.
fn label<'a>(mut fields: impl Iterator<Item = &'a FieldSpec>, rest: &[&str]) -> String {
    let path = format!("/{}", rest.join("/"));
    match fields.find(|f| f.path == path) {
        // No unit where the label says it already ("Minimum calls").
        Some(f) if f.unit.is_empty() || f.label.to_lowercase().contains(f.unit) => f.label.to_owned(),
        Some(f) => format!("{} ({})", f.label, f.unit),
        None => rest.iter().map(|p| p.replace('_', " ")).collect::<Vec<_>>().join(" › "),
    }
}

/// Any other path in words: names for numbered services and endpoints, `›` between parts.
fn in_parts(doc: &Value, parts: &[&str]) -> String {
    let mut words = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let part = parts[i];
        let named = ["services", "endpoints"].contains(&part).then(|| parts.get(i + 1)).flatten();
        if let Some(index) = named {
            let pointer = format!("/{part}/{index}/name");
            let name = doc.pointer(&pointer).and_then(Value::as_str).unwrap_or(index);
            words.push(name.to_owned());
            i += 2;
            continue;
        }
        if part == "stack" || part == "faults" {
            if let Some(index) = parts.get(i + 1) {
                // Layers are counted from 1, as the stack shows them; faults as claims name them.
                let shown = if part == "stack" {
                    index.parse::<usize>().map_or_else(|_| (*index).to_owned(), |i| (i + 1).to_string())
                } else {
                    (*index).to_owned()
                };
                words.push(format!("{} {shown}", if part == "stack" { "layer" } else { "fault" }));
                i += 2;
                continue;
            }
        }
        words.push(part.replace('_', " ").replace("~1", "/").replace("~0", "~"));
        i += 1;
    }
    words.join(" › ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::knob_name;

    #[test]
    fn knobs_are_named_as_the_editors_name_them() {
        let doc = json!({"services": [{"name": "inventory"}], "endpoints": [{"name": "<shop>"}]});
        let named = |path: &str| knob_name(&doc, path);
        assert_eq!(
            named("/endpoints/0/stack/1/circuit_breaker/failure_rate"),
            "<shop> › 2. Circuit breaker › Failure rate threshold (%)"
        );
        assert_eq!(
            named("/endpoints/0/stack/0/circuit_breaker/minimum_calls"),
            "<shop> › 1. Circuit breaker › Minimum calls"
        );
        assert_eq!(
            named("/endpoints/0/stack/0/circuit_breaker/window/count"),
            "<shop> › 1. Circuit breaker › Window size (calls)"
        );
        assert_eq!(named("/services/0/faults/0/outage/to"), "inventory › fault 0: Outage › To");
        assert_eq!(named("/services/0/faults/0/outage/status"), "inventory › fault 0: Outage › Status");
        // A service's or an endpoint's own settings, by section and label.
        assert_eq!(named("/services/0/latency/lognormal/p50"), "inventory › Latency › p50");
        assert_eq!(named("/services/0/capacity/queue"), "inventory › Capacity › Queue (waiting)");
        assert_eq!(named("/endpoints/0/load/spike/spike_rps"), "<shop> › Arrivals › Spike rate (req/s)");
        assert_eq!(named("/endpoints/0/keys/zipf/s"), "<shop> › Key popularity › Zipf exponent");
        // Anything else, and an unknown kind, by its parts.
        assert_eq!(named("/services/0/latency/weibull/k"), "inventory › Latency › weibull › k");
        assert_eq!(named("/endpoints/0/deadline"), "<shop> › deadline");
        assert_eq!(named("/endpoints/0/stack/0/warp_drive/max_warp"), "<shop> › layer 1 › warp drive › max warp");
        assert_eq!(named("/duration"), "duration");
    }
}
