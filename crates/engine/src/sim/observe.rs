//! Observation: trace records, and the summary, metrics and trace a finished run hands over.

use super::engine::Engine;
use super::layers::{NodeId, RequestSlot};
use super::metrics::Metrics;
use super::summary::{Summary, TotalsBuilder};
use super::trace::{NO_REQUEST, Trace, TraceKind};
use crate::patterns::contract::LayerId;

impl Engine {
    /// Records a trace event for the request in `slot` (no-op in metrics-only mode).
    #[inline]
    pub(super) fn trace(&mut self, slot: RequestSlot, kind: TraceKind, layer: u8, value: u32) {
        if let Some(trace) = &mut self.trace {
            let (id, attempt) = match self.requests.get(slot.index()) {
                Some(r) if slot != RequestSlot::NONE => (r.id, r.attempts),
                _ => (NO_REQUEST, 0),
            };
            trace.push(self.now, id, kind, layer, attempt, value);
        }
    }

    pub(super) fn label(&self, node: NodeId) -> (LayerId, u8) {
        let slot = self.nodes[node.index()].slot;
        (slot.runtime, slot.label)
    }

    /// Ends the run: fills state series, computes percentiles and the summary.
    pub(super) fn into_parts(mut self) -> (Summary, Metrics, Option<Trace>) {
        if let Some(trace) = &mut self.trace {
            trace.events.shrink_to_fit();
        }
        self.fill_state_series();
        self.metrics.finish();
        let measured_s = self.measured_s;
        let bucket_s = self.metrics.bucket_us as f64 / 1e6;
        let mut all = TotalsBuilder::new(self.metrics.buckets.len());
        let endpoints = self
            .endpoints
            .iter()
            .zip(&self.endpoint_names)
            .map(|(runtime, name)| {
                all.absorb(&runtime.totals);
                runtime.totals.build(name, measured_s, bucket_s)
            })
            .collect();
        let summary = Summary {
            total: all.build("all", measured_s, bucket_s),
            endpoints,
            unfinished: self.in_flight,
            virtual_end_s: self.now.as_micros() as f64 / 1e6,
        };
        (summary, self.metrics, self.trace)
    }

    pub(super) fn fill_state_series(&mut self) {
        for (runtime, changes) in self.books.iter().map(|book| &book.state_changes).enumerate() {
            let layer = &self.stacks.runtimes[runtime];
            let worse = |a: u8, b: u8| if layer.severity(b) > layer.severity(a) { b } else { a };
            let samples = &mut self.metrics.layers[runtime].samples;
            let (mut state, mut changes) = (layer.initial_state(), changes.iter().peekable());
            for (bucket, sample) in samples.iter_mut().enumerate() {
                let mut worst = state;
                while let Some((_, next)) = changes.next_if(|(b, _)| *b == bucket) {
                    state = *next;
                    worst = worse(worst, state);
                }
                sample.state = state;
                sample.worst_state = worst;
            }
        }
    }
}
