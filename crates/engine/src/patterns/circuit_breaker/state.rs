//! The breaker's states as it reports them, the events it publishes, and the manual
//! transitions resilience4j allows.

use core::fmt;

use crate::time::Instant;

/// The breaker's state, as traces and the UI show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BreakerState {
    /// Calls pass; outcomes are recorded and judged.
    Closed,
    /// Calls are rejected until `until`.
    Open {
        /// End of the open wait.
        until: Instant,
    },
    /// A limited number of probe calls pass.
    HalfOpen,
    /// Calls pass; nothing is recorded, nothing is published but state changes.
    Disabled,
    /// Every call is rejected until a manual transition; the wait never ends.
    ForcedOpen,
    /// Calls pass; outcomes are recorded and judged, the `*_exceeded` events are published
    /// (once each), but the breaker never opens.
    MetricsOnly,
}

impl BreakerState {
    /// A stable code for traces and charts. These are resilience4j's `State.order` numbers:
    /// 0 closed, 1 open, 2 half-open, 3 disabled, 4 forced open, 5 metrics only.
    #[must_use]
    pub const fn code(self) -> u8 {
        match self {
            Self::Closed => 0,
            Self::Open { .. } => 1,
            Self::HalfOpen => 2,
            Self::Disabled => 3,
            Self::ForcedOpen => 4,
            Self::MetricsOnly => 5,
        }
    }

    /// The state's name in scenario files and the catalogue (`"half_open"`, `"forced_open"` …).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Closed => "closed",
            Self::Open { .. } => "open",
            Self::HalfOpen => "half_open",
            Self::Disabled => "disabled",
            Self::ForcedOpen => "forced_open",
            Self::MetricsOnly => "metrics_only",
        }
    }

    /// True while the breaker lets no call through (open or forced open).
    #[must_use]
    pub const fn blocks(self) -> bool {
        matches!(self, Self::Open { .. } | Self::ForcedOpen)
    }
}

/// A state a manual transition can lead to ([`super::CircuitBreaker::transition_to`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Closed, with fresh metrics.
    Closed,
    /// Open for the next wait of the growing wait (the closed or half-open metrics are kept).
    Open,
    /// Half-open with fresh probe permits.
    HalfOpen,
    /// Disabled.
    Disabled,
    /// Forced open.
    ForcedOpen,
    /// Metrics only.
    MetricsOnly,
}

/// A transition resilience4j refuses (`IllegalStateTransitionException`): closed → half-open,
/// metrics-only → open and metrics-only → half-open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IllegalTransition {
    /// Where the breaker was (it stays there).
    pub from: BreakerState,
    /// Where it was asked to go.
    pub to: Target,
}

impl fmt::Display for IllegalTransition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "illegal state transition from {} to {:?}", self.from.name(), self.to)
    }
}

/// What the breaker publishes, in the order resilience4j publishes it (a `*_exceeded` event
/// comes before the transition it causes). Per-call events (permitted, rejected, recorded,
/// ignored) are the driver's to trace: [`super::CircuitBreaker::record`] says which one.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum BreakerEvent {
    /// The state changed. Never published for a transition to the same state.
    StateTransition {
        /// When.
        at: Instant,
        /// The state left.
        from: BreakerState,
        /// The state entered.
        to: BreakerState,
    },
    /// The failure rate reached its threshold (closed: just before opening; metrics only:
    /// the first time only).
    FailureRateExceeded {
        /// When.
        at: Instant,
        /// The rate, in percent.
        rate: f64,
    },
    /// The slow-call rate reached its threshold (as [`BreakerEvent::FailureRateExceeded`]).
    SlowCallRateExceeded {
        /// When.
        at: Instant,
        /// The rate, in percent.
        rate: f64,
    },
    /// [`super::CircuitBreaker::reset`] was called.
    Reset {
        /// When.
        at: Instant,
    },
}

/// The breaker's internal phase: the reported state plus what that state needs.
#[derive(Clone, Debug)]
pub(super) enum Phase {
    Closed,
    Open { until: Instant },
    HalfOpen { permits_issued: u32, since: Instant },
    Disabled,
    ForcedOpen,
    MetricsOnly { failure_published: bool, slow_published: bool },
}

impl Phase {
    pub(super) const fn state(&self) -> BreakerState {
        match *self {
            Self::Closed => BreakerState::Closed,
            Self::Open { until } => BreakerState::Open { until },
            Self::HalfOpen { .. } => BreakerState::HalfOpen,
            Self::Disabled => BreakerState::Disabled,
            Self::ForcedOpen => BreakerState::ForcedOpen,
            Self::MetricsOnly { .. } => BreakerState::MetricsOnly,
        }
    }
}

/// True for the transitions resilience4j's `StateTransition` table leaves out.
pub(super) const fn is_illegal(from: BreakerState, to: Target) -> bool {
    matches!(
        (from, to),
        (BreakerState::Closed, Target::HalfOpen) | (BreakerState::MetricsOnly, Target::Open | Target::HalfOpen)
    )
}

/// A small queue of published events: the oldest is dropped when it is full, so a driver that
/// never drains it costs a fixed amount of memory.
#[derive(Clone, Debug, Default)]
pub(super) struct Events {
    queue: std::collections::VecDeque<BreakerEvent>,
    dropped: u64,
}

/// Events kept before the oldest is dropped.
const EVENTS_MAX: usize = 16;

impl Events {
    pub(super) fn push(&mut self, event: BreakerEvent) {
        if self.queue.len() == EVENTS_MAX {
            self.queue.pop_front();
            self.dropped += 1;
        }
        self.queue.push_back(event);
    }

    pub(super) fn pop(&mut self) -> Option<BreakerEvent> {
        self.queue.pop_front()
    }

    pub(super) const fn dropped(&self) -> u64 {
        self.dropped
    }
}
