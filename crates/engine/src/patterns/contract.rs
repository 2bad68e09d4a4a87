//! The contract between a pattern and the simulator that drives it.
//!
//! A **layer** is a pattern's shared state during a run (a breaker's window, a bulkhead's
//! permits, a cache's entries); a **call** is what one call keeps while it is inside the layer
//! (a permit, a retry's attempt count). The driver tells a layer each thing that happens to one
//! of its calls and carries out the [`Decision`] it answers with. What the layer observes on
//! the way (trace records, counters, its state, when it wants waking) goes to a [`Probe`].
//!
//! ```text
//!   driver ──enter──────────> layer ──Decision──> Forward | ForwardUntil(t) | Answer(reply)
//!   driver ──on_reply(reply)> layer                | WaitUntil(t) | Park | CallService(s)
//!   driver ──on_wake────────> layer                | AskStale { .. } | CancelInner { .. }
//!   driver ──on_layer_timer─> layer;  driver ──next_released──> parked calls it lets go
//!   driver ──on_cancel──────> layer   (an outer layer gave up: give back what the call holds)
//! ```
//!
//! Nothing here knows the simulator's node table: a call is named to its layer by a
//! [`CallRef`], an opaque token the layer may keep (a bulkhead queues them).

use crate::patterns::{Failure, Rejection};
use crate::sim::TraceKind;
use crate::time::Instant;

/// An opaque name of one call, for layers that keep calls waiting.
pub type CallRef = u32;

/// One layer of a run: its index among the run's layer runtimes, as one layer names another
/// (a fallback's cache) and as the driver keeps them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LayerId(u16);

impl LayerId {
    /// No layer (a leaf, which calls a service).
    pub const NONE: Self = Self(u16::MAX);

    /// The layer at `index` among the run's runtimes.
    #[must_use]
    pub const fn at(index: usize) -> Self {
        Self(index as u16)
    }

    /// Its index among the run's runtimes.
    #[must_use]
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// Where a good answer came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The service.
    Service,
    /// A fresh cache entry.
    CacheFresh,
    /// A stale cache entry, served after a failure.
    CacheStale,
    /// A fallback.
    Fallback,
}

/// An answer travelling outwards through the layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reply {
    /// A good answer.
    Ok(Source),
    /// A failure.
    Err(Failure),
}

/// What the driver does next with a call, as its layer decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decision {
    /// Send the call one layer further in.
    Forward,
    /// Send the call further in, and wake the layer (`on_wake`) at this instant if it has not
    /// answered by then.
    ForwardUntil(Instant),
    /// The call leaves the layer with this answer.
    Answer(Reply),
    /// Start one more inner call beside those in flight (a hedge), and wake the layer
    /// (`on_wake`) at this instant if given. Each inner call's answer comes to `on_reply`;
    /// [`Probe::inner`] says which one it is.
    ForwardAnother(Option<Instant>),
    /// Keep the call in the layer until this instant, then wake it (`on_wake`).
    WaitUntil(Instant),
    /// The call waits in the layer's own queue; the layer lets it go later through
    /// [`Probe::release`].
    Park,
    /// Send the call to this service directly (a fallback's secondary call).
    CallService(u16),
    /// Ask the layer at index `layer` of the run whether it holds a stale answer for the call's
    /// key; the driver answers through `on_stale`, with the `failure` the call had.
    AskStale {
        /// The layer to ask.
        layer: LayerId,
        /// The failure that made the layer ask.
        failure: Failure,
    },
    /// Abandon the work inside the layer, record `note` for the call, then leave with `then`
    /// (a timeout firing).
    CancelInner {
        /// The answer the call leaves with.
        then: Reply,
        /// Recorded once the inner work is abandoned.
        note: (TraceKind, u32),
    },
}

impl Decision {
    /// The call fails with `rejection`.
    #[must_use]
    pub const fn reject(rejection: Rejection) -> Self {
        Self::Answer(Reply::Err(Failure::Rejected(rejection)))
    }
}

/// Counters a layer keeps per metrics bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Counter {
    /// A cache answered from a fresh entry.
    Hit,
    /// A cache lookup went inside.
    Miss,
    /// The layer refused a call.
    Rejected,
    /// A retry was scheduled.
    Retry,
}

/// What a layer reports to the driver while it handles a call: trace records, counters, its
/// state, and when it wants waking.
pub trait Probe {
    /// The current virtual time.
    fn now(&self) -> Instant;
    /// The cache key of the call being handled.
    fn key(&self) -> u32;
    /// Records `kind` with `value` for the call being handled.
    fn trace(&mut self, kind: TraceKind, value: u32);
    /// Counts one `counter` in the current bucket.
    fn count(&mut self, counter: Counter);
    /// The layer's occupancy now: permits in use and calls waiting.
    fn occupancy(&mut self, in_use: u32, waiting: u32);
    /// The layer's state now (a stable code); the driver records changes only.
    fn state(&mut self, code: u8);
    /// The layer wants `on_layer_timer` at this instant (the driver keeps the earliest).
    fn wake_layer_at(&mut self, at: Option<Instant>);
    /// In `on_reply`: which inner call answered, 0 for the first, 1, 2, … for those started
    /// by [`Decision::ForwardAnother`].
    fn inner(&self) -> u8 {
        0
    }
}

/// A parked call the layer lets go: what happens to it, and the trace record that says why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Released {
    /// The call.
    pub call: CallRef,
    /// `Forward` after [`LayerPattern::hand_over`] gave it what it waited for, or an answer.
    pub decision: Decision,
    /// Recorded for the released call before its decision is carried out.
    pub note: Option<(TraceKind, u32)>,
}

/// One pattern as the simulator drives it: its shared state is `Self`, a call's is `Call`.
pub trait LayerPattern {
    /// What one call keeps while it is inside the layer.
    type Call;

    /// A call enters the layer.
    fn enter<P: Probe>(&mut self, me: CallRef, probe: &mut P) -> (Self::Call, Decision);

    /// The work inside the layer answered the call.
    fn on_reply<P: Probe>(&mut self, call: &mut Self::Call, reply: Reply, probe: &mut P) -> Decision;

    /// The call's own timer fired (see [`Decision::ForwardUntil`] and [`Decision::WaitUntil`]),
    /// or a parked call was released with what it waited for.
    fn on_wake<P: Probe>(&mut self, _call: &mut Self::Call, _probe: &mut P) -> Decision {
        Decision::Forward
    }

    /// The layer's shared timer fired (see [`Probe::wake_layer_at`]).
    fn on_layer_timer<P: Probe>(&mut self, _probe: &mut P) {}

    /// True when the layer has parked calls to let go (see [`LayerPattern::next_released`]).
    fn has_released(&self) -> bool {
        false
    }

    /// The next parked call the layer lets go, if any. The driver asks whenever
    /// [`LayerPattern::has_released`] says so, until `None`.
    fn next_released<P: Probe>(&mut self, _probe: &mut P) -> Option<Released> {
        None
    }

    /// The answer to [`Decision::AskStale`]: whether the asked layer holds a stale entry for
    /// the call, which failed with `failure`.
    fn on_stale<P: Probe>(
        &mut self,
        _call: &mut Self::Call,
        _found: bool,
        failure: Failure,
        _probe: &mut P,
    ) -> Decision {
        Decision::Answer(Reply::Err(failure))
    }

    /// A parked call is released with what it waited for (a bulkhead permit).
    fn hand_over(&mut self, _call: &mut Self::Call) {}

    /// An outer layer abandoned the call: give back what it holds.
    fn on_cancel<P: Probe>(&mut self, _call: &mut Self::Call, _me: CallRef, _probe: &mut P) {}

    /// Whether the layer can answer `key` with a stale entry (for a fallback's
    /// [`Decision::AskStale`]).
    fn has_stale(&self, _key: u32) -> bool {
        false
    }

    /// The state code the layer starts in (reported changes are relative to it).
    fn initial_state(&self) -> u8 {
        0
    }

    /// How severe a reported state code is (0 = normal), so that a metrics bucket can show the
    /// worst state it saw.
    fn severity(&self, _code: u8) -> u8 {
        0
    }
}

/// Where a pattern draws its randomness from: uniform numbers in `[0, 1)`. The simulator hands
/// each layer its own seeded stream; a pattern used outside the simulator can pass any source.
pub trait Random {
    /// The next uniform number in `[0, 1)`.
    fn unit(&mut self) -> f64;
}

impl Random for crate::rng::Stream {
    fn unit(&mut self) -> f64 {
        crate::rng::Stream::unit(self)
    }
}
