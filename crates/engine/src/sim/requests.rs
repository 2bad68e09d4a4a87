//! The request store: requests start at arrivals, and complete with an outcome that the
//! metrics, totals and trace record.

use super::engine::{Engine, Event, Request};
use super::layers::{NO_NODE, RequestSlot};
use super::outcome::Outcome;
use super::trace::{NO_LAYER, TraceKind};
use crate::patterns::Failure;
use crate::patterns::contract::{Reply, Source};

impl Engine {
    pub(super) fn start_request(&mut self, endpoint: u16) {
        let e = &mut self.endpoints[endpoint as usize];
        let key = e.keys.sample(&mut e.key_rng);
        let measured = self.now >= self.warmup_end;
        if measured {
            e.totals.arrival();
        }
        let request =
            Request { id: self.next_request_id, endpoint, arrived: self.now, key, attempts: 0, hedges: 0, measured };
        self.arrivals += 1;
        self.next_request_id = self.next_request_id.wrapping_add(1);
        let slot = match self.free_requests.pop() {
            Some(slot) => {
                self.requests[slot.index()] = request;
                slot
            }
            None => {
                self.requests.push(request);
                RequestSlot::at(self.requests.len() - 1)
            }
        };
        self.in_flight += 1;
        self.metrics.buckets[self.bucket].arrivals += 1;
        self.trace(slot, TraceKind::Arrival, NO_LAYER, u32::from(endpoint));
        let root = self.new_node(slot, 0, NO_NODE);
        self.enter(root);
    }

    pub(super) fn complete_request(&mut self, slot: RequestSlot, reply: Reply) {
        let request = self.requests[slot.index()];
        let outcome = classify(reply, request.attempts.saturating_sub(request.hedges));
        let latency_us = self.now.micros_since(request.arrived);
        self.trace(slot, TraceKind::Complete, NO_LAYER, outcome as u32);
        self.metrics.complete(self.bucket, outcome, latency_us);
        let endpoint = &mut self.endpoints[request.endpoint as usize];
        if request.measured {
            endpoint.totals.complete(outcome, latency_us);
        }
        if endpoint.arrivals.clients() > 0 && self.now < self.arrivals_end {
            let think = endpoint.arrivals.think_us(&mut endpoint.think_rng);
            self.queue.push(self.now.plus_micros(think), Event::ClientWake { endpoint: request.endpoint });
        }
        self.free_requests.push(slot);
        self.in_flight -= 1;
    }
}

/// The final outcome of a request that ended with `reply` after `attempts` downstream attempts
/// (hedges left out: a hedged success is not a success after retries).
pub(super) fn classify(reply: Reply, attempts: u16) -> Outcome {
    match reply {
        Reply::Ok(Source::Service) if attempts > 1 => Outcome::SuccessAfterRetry,
        Reply::Ok(Source::Service) => Outcome::Success,
        Reply::Ok(Source::CacheFresh) => Outcome::CacheFresh,
        Reply::Ok(Source::CacheStale) => Outcome::CacheStale,
        Reply::Ok(Source::Fallback) => Outcome::Fallback,
        Reply::Err(Failure::Timeout) => Outcome::TimedOut,
        Reply::Err(Failure::Rejected(rejection)) => rejection.outcome(),
        Reply::Err(_) => Outcome::Failed,
    }
}
