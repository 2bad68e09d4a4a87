//! `rpsim run`'s output formats: the summary table, JSON, the trace as JSON or CSV, the
//! metrics as CSV.

use std::io::Write;

use resilience_engine::Report;
use resilience_engine::sim::{Trace, TraceEvent, TraceKind};

/// The output formats.
pub(super) const FORMATS: [&str; 5] = ["summary", "json", "trace-json", "trace-csv", "metrics-csv"];

/// Writes the report in `format` (one of [`FORMATS`]). Traces stream record by record: memory
/// stays at the trace itself (24 bytes a record), not its text.
pub(super) fn render(report: &Report, format: &str, out: &mut impl Write) -> std::io::Result<()> {
    let json = |out: &mut dyn Write, value: serde_json::Value| -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &value)?;
        out.write_all(b"\n")
    };
    match format {
        "summary" => {
            let layers = report.metrics.layer_table();
            let layers = if layers.is_empty() { String::new() } else { format!("layers\n{layers}") };
            writeln!(
                out,
                "{}{layers}digest {:016x}, {} events",
                report.summary.to_table(),
                report.digest,
                report.events
            )
        }
        "json" => json(
            out,
            serde_json::json!({ "summary": report.summary, "metrics": report.metrics, "digest": format!("{:016x}", report.digest) }),
        ),
        "trace-json" => {
            let document =
                TraceDocument { digest: format!("{:016x}", report.digest), trace: report.trace.as_ref().map(TraceOut) };
            serde_json::to_writer_pretty(&mut *out, &document)?;
            out.write_all(b"\n")
        }
        "trace-csv" => report.trace.as_ref().map_or(Ok(()), |t| t.write_csv(out)),
        _ => out.write_all(report.metrics.to_csv().as_bytes()),
    }
}

/// `--format trace-json`: keys in the order a JSON object value would print them (sorted).
#[derive(serde::Serialize)]
struct TraceDocument<'a> {
    digest: String,
    trace: Option<TraceOut<'a>>,
}

/// A trace serialised record by record.
struct TraceOut<'a>(&'a Trace);

impl serde::Serialize for TraceOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut trace = serializer.serialize_struct("Trace", 2)?;
        trace.serialize_field("events", &EventsOut(&self.0.events))?;
        trace.serialize_field("truncated", &self.0.truncated)?;
        trace.end()
    }
}

/// The records of a trace, each with its keys sorted.
struct EventsOut<'a>(&'a [TraceEvent]);

impl serde::Serialize for EventsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|e| EventOut {
            at_us: e.at_us,
            attempt: e.attempt,
            kind: e.kind,
            layer: e.layer,
            request: e.request,
            value: e.value,
        }))
    }
}

/// One trace record with its keys sorted.
#[derive(serde::Serialize)]
struct EventOut {
    at_us: u64,
    attempt: u16,
    kind: TraceKind,
    layer: u8,
    request: u32,
    value: u32,
}
