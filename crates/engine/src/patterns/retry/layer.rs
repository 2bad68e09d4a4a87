//! The retry as a layer: each attempt goes inside; after a failure the policy decides whether
//! to wait and try again or to give the failure to the caller, and a budget, if the layer has
//! one, may refuse the retry.

use core::cell::RefCell;
use std::rc::Rc;

use super::{Budget, Retry, RetryCall, RetryDecision};
use crate::patterns::Failure;
use crate::patterns::contract::{CallRef, Counter, Decision, LayerPattern, Probe, Reply};
use crate::rng::Stream;
use crate::sim::{TraceKind, layer_event};

/// The layer's own trace event (a `TraceKind::LayerEvent` code; its words in `spec.rs`): the
/// budget refused a retry (figure: attempts made). Code 2, after the retry's own two kinds,
/// so that it is the layer's third counter.
pub(super) const REFUSED_BY_BUDGET: u8 = 2;

/// A retry layer during a run: its policy, its own stream of jitter, and the budget it draws
/// on (shared with other layers when the budget is named).
#[derive(Debug)]
pub struct RetryLayer {
    policy: Retry,
    jitter: Stream,
    budget: Option<Rc<RefCell<Budget>>>,
}

impl RetryLayer {
    /// The layer of a policy, drawing its jitter from `jitter` and its retries from `budget`.
    #[must_use]
    pub const fn new(policy: Retry, jitter: Stream, budget: Option<Rc<RefCell<Budget>>>) -> Self {
        Self { policy, jitter, budget }
    }

    fn with_budget<T>(&self, f: impl FnOnce(&mut Budget) -> T) -> Option<T> {
        self.budget.as_ref().map(|budget| f(&mut budget.borrow_mut()))
    }

    /// The call leaves the layer with `reply`.
    fn answer<P: Probe>(&self, call: &RetryLayerCall, reply: Reply, probe: &P) -> Decision {
        self.with_budget(|budget| {
            if matches!(reply, Reply::Ok(_)) {
                budget.on_success(probe.now().as_micros(), call.retry_cost);
            }
            budget.on_request_end();
        });
        Decision::Answer(reply)
    }
}

/// One call inside a retry layer: the policy's count, and what the budget needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryLayerCall {
    call: RetryCall,
    /// A retry attempt (not the first) is inside now.
    retry_in_flight: bool,
    /// What the last retry cost (`None`: no retry yet).
    retry_cost: Option<u32>,
}

impl LayerPattern for RetryLayer {
    type Call = RetryLayerCall;

    fn enter<P: Probe>(&mut self, _me: CallRef, _probe: &mut P) -> (RetryLayerCall, Decision) {
        self.with_budget(Budget::on_request_start);
        let call = RetryLayerCall { call: self.policy.start(), retry_in_flight: false, retry_cost: None };
        (call, Decision::Forward)
    }

    fn on_reply<P: Probe>(&mut self, call: &mut RetryLayerCall, reply: Reply, probe: &mut P) -> Decision {
        if core::mem::take(&mut call.retry_in_flight) {
            self.with_budget(|budget| budget.on_retry_in_flight(false));
        }
        let Reply::Err(failure) = reply else { return self.answer(call, reply, probe) };
        match self.policy.on_failure(&mut call.call, failure, &mut self.jitter) {
            RetryDecision::RetryAfter { delay_us, .. } => {
                let now_us = probe.now().as_micros();
                match self.with_budget(|budget| budget.try_retry(now_us, failure == Failure::Timeout)) {
                    Some(None) => {
                        probe.count(Counter::Rejected);
                        probe.trace(TraceKind::LayerEvent, layer_event(REFUSED_BY_BUDGET, call.call.attempts().into()));
                        return self.answer(call, reply, probe);
                    }
                    Some(Some(cost)) => call.retry_cost = Some(cost),
                    None => {}
                }
                probe.count(Counter::Retry);
                probe.trace(TraceKind::RetryScheduled, delay_us.min(u64::from(u32::MAX)) as u32);
                Decision::WaitUntil(probe.now().plus_micros(delay_us))
            }
            RetryDecision::GiveUp => {
                probe.trace(TraceKind::RetryGaveUp, call.call.attempts());
                self.answer(call, reply, probe)
            }
        }
    }

    fn on_wake<P: Probe>(&mut self, call: &mut RetryLayerCall, _probe: &mut P) -> Decision {
        call.retry_in_flight = true;
        self.with_budget(|budget| budget.on_retry_in_flight(true));
        Decision::Forward
    }

    fn on_cancel<P: Probe>(&mut self, call: &mut RetryLayerCall, _me: CallRef, _probe: &mut P) {
        let retry_in_flight = core::mem::take(&mut call.retry_in_flight);
        self.with_budget(|budget| {
            if retry_in_flight {
                budget.on_retry_in_flight(false);
            }
            budget.on_request_end();
        });
    }
}
