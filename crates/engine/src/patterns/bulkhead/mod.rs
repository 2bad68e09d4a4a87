//! Bulkhead: a fixed number of permits, with an optional FIFO of waiting calls.
//!
//! ```text
//!   try_acquire ──permit free──────────────────────> Admitted(permit)
//!   try_acquire ──none free, may wait, room to wait─> Waiting ──release elsewhere──> Admitted
//!                                                       └──max wait elapsed──────> Rejected
//!   try_acquire ──none free, cannot wait───────────> Rejected
//! ```
//!
//! Waiters are tokens of the caller's choosing (`W`); the machine hands a released permit
//! straight to the oldest waiter, so a newcomer can never jump the queue. The same machine
//! models the scenario's shared client worker pool.

mod layer;
mod presets;
mod spec;
pub use layer::BulkheadLayer;

mod doc;

use std::collections::{BTreeMap, VecDeque};

pub use doc::BulkheadDoc;

use crate::patterns::Rejection;
use crate::time::Instant;

/// Proof that a call holds a permit; give it back with [`Bulkhead::release`].
#[derive(Debug, PartialEq, Eq)]
#[must_use = "a permit must be released, or the bulkhead leaks capacity"]
pub struct BulkheadPermit(());

/// The answer to [`Bulkhead::try_acquire`].
#[derive(Debug, PartialEq, Eq)]
pub enum Admission {
    /// A permit, held until released.
    Admitted(BulkheadPermit),
    /// The call waits; it is admitted by a later `release` or expires at its deadline.
    Waiting,
    /// Refused.
    Rejected(Rejection),
}

#[derive(Clone, Copy, Debug)]
struct Waiter<W> {
    token: W,
    deadline: Instant,
}

/// Occupancy, for traces and the UI.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BulkheadStats {
    /// Permits in use.
    pub in_use: u32,
    /// Calls waiting.
    pub waiting: u32,
}

/// A bulkhead's settings (read from a [`BulkheadDoc`]): permits, and who may wait how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BulkheadSettings {
    permits_max: u32,
    /// Microseconds a call may wait; `None`: until admitted.
    wait_max_us: Option<u64>,
    waiting_max: usize,
}

/// A bulkhead's state. `W` is the waiter token (the simulator uses its node ids).
#[derive(Clone, Debug)]
pub struct Bulkhead<W> {
    permits_max: u32,
    in_use: u32,
    /// Microseconds a call may wait; `None`: until admitted.
    wait_max_us: Option<u64>,
    waiting_max: usize,
    /// Waiters by ticket, oldest first; `None` marks one withdrawn from the middle (the front
    /// is always a live waiter, so deadlines and hand-overs read it directly).
    waiting: VecDeque<Option<Waiter<W>>>,
    /// Ticket of `waiting[0]`; tickets count up by one per waiter.
    front_ticket: u64,
    /// Ticket of each live waiter, so that withdrawing one is O(log n), not a scan.
    ticket_of: BTreeMap<W, u64>,
}

impl<W: Copy + Ord> Bulkhead<W> {
    /// An empty bulkhead.
    #[must_use]
    pub fn new(settings: BulkheadSettings) -> Self {
        let BulkheadSettings { permits_max, wait_max_us, waiting_max } = settings;
        Self {
            permits_max,
            in_use: 0,
            wait_max_us,
            waiting_max,
            waiting: VecDeque::new(),
            front_ticket: 0,
            ticket_of: BTreeMap::new(),
        }
    }

    /// Asks for a permit for the call `token` at `now`. Tokens of waiting calls must be
    /// distinct (a call waits at most once at a time).
    pub fn try_acquire(&mut self, now: Instant, token: W) -> Admission {
        if self.in_use < self.permits_max {
            self.in_use += 1;
            return Admission::Admitted(BulkheadPermit(()));
        }
        if self.ticket_of.len() >= self.waiting_max {
            return Admission::Rejected(Rejection::BulkheadFull);
        }
        let deadline = self.wait_max_us.map_or(Instant::NEVER, |wait| now.plus_micros(wait));
        let ticket = self.front_ticket + self.waiting.len() as u64;
        self.waiting.push_back(Some(Waiter { token, deadline }));
        self.ticket_of.insert(token, ticket);
        Admission::Waiting
    }

    /// Gives a permit back. If a call is waiting, the permit goes to the oldest one, which is
    /// returned with its new permit.
    pub fn release(&mut self, permit: BulkheadPermit) -> Option<(W, BulkheadPermit)> {
        match self.pop_front() {
            Some(waiter) => Some((waiter.token, permit)),
            None => {
                self.in_use -= 1;
                None
            }
        }
    }

    /// Removes a waiting call (its caller gave up). Returns false if it was not waiting.
    pub fn cancel_wait(&mut self, token: W) -> bool {
        let Some(ticket) = self.ticket_of.remove(&token) else {
            return false;
        };
        if let Some(entry) = self.waiting.get_mut((ticket - self.front_ticket) as usize) {
            *entry = None;
        }
        self.skip_withdrawn();
        true
    }

    /// When the oldest waiter's wait expires, if anyone waits with a deadline.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.front().map(|w| w.deadline).filter(|deadline| *deadline != Instant::NEVER)
    }

    /// Removes and returns one waiter whose deadline is at or before `now`; call until `None`.
    pub fn handle_timeout(&mut self, now: Instant) -> Option<W> {
        // Deadlines are entry time + a constant, so the queue is sorted by deadline.
        if self.front().is_some_and(|w| w.deadline <= now) {
            return self.pop_front().map(|w| w.token);
        }
        None
    }

    /// Current occupancy.
    #[must_use]
    pub fn stats(&self) -> BulkheadStats {
        BulkheadStats { in_use: self.in_use, waiting: self.ticket_of.len() as u32 }
    }

    /// The oldest live waiter.
    fn front(&self) -> Option<&Waiter<W>> {
        self.waiting.front().and_then(Option::as_ref)
    }

    /// Takes the oldest live waiter out of the queue.
    fn pop_front(&mut self) -> Option<Waiter<W>> {
        let waiter = self.waiting.pop_front().flatten()?;
        self.front_ticket += 1;
        self.ticket_of.remove(&waiter.token);
        self.skip_withdrawn();
        Some(waiter)
    }

    /// Drops withdrawn entries from the front, so that the front is a live waiter.
    fn skip_withdrawn(&mut self) {
        while matches!(self.waiting.front(), Some(None)) {
            self.waiting.pop_front();
            self.front_ticket += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::document::PatternDoc;
    use crate::time::Span;

    fn bulkhead(max: u32, wait_ms: u64, queue: Option<u32>) -> Bulkhead<u32> {
        let doc = BulkheadDoc { enabled: true, max_concurrent: max, max_wait: Span::from_millis(wait_ms), queue };
        Bulkhead::new(doc.parse().unwrap())
    }

    fn admitted(admission: Admission) -> BulkheadPermit {
        match admission {
            Admission::Admitted(permit) => permit,
            other => panic!("expected a permit, got {other:?}"),
        }
    }

    /// C17: max 2, no wait: acquire, acquire, reject; two releases; acquire again.
    #[test]
    fn c17_semaphore_bulkhead_basic_operations() {
        let mut b = bulkhead(2, 0, None);
        let t = Instant::ZERO;
        let p1 = admitted(b.try_acquire(t, 1));
        let p2 = admitted(b.try_acquire(t, 2));
        assert_eq!(b.try_acquire(t, 3), Admission::Rejected(Rejection::BulkheadFull));
        assert_eq!(b.release(p1), None);
        assert_eq!(b.stats().in_use, 1);
        assert_eq!(b.release(p2), None);
        assert_eq!(b.stats().in_use, 0);
        let _p4 = admitted(b.try_acquire(t, 4));
    }

    /// C17 `testEntryTimeout`: max 1, wait 10 ms, permit held: rejected after 10 ms.
    #[test]
    fn c17_entry_timeout() {
        let mut b = bulkhead(1, 10, None);
        let _held = admitted(b.try_acquire(Instant::ZERO, 1));
        assert_eq!(b.try_acquire(Instant::ZERO, 2), Admission::Waiting);
        assert_eq!(b.poll_timeout(), Some(Instant::from_millis(10)));
        assert_eq!(b.handle_timeout(Instant::from_micros(9_999)), None);
        assert_eq!(b.handle_timeout(Instant::from_millis(10)), Some(2));
        assert_eq!(b.stats(), BulkheadStats { in_use: 1, waiting: 0 });
    }

    /// C31: cockatiel `bulkhead(2, 2)`, five calls at t0 lasting 0, 2, 4, 6, 8 ms.
    #[test]
    fn c31_bulkhead_with_queue() {
        let mut b = bulkhead(2, 0, Some(2));
        let mut log = Vec::new();
        let mut running: Vec<(u64, u32, BulkheadPermit)> = Vec::new();
        let durations = [0, 2, 4, 6, 8];
        let mut slots = Vec::new();
        for call in 0..5u32 {
            match b.try_acquire(Instant::ZERO, call) {
                Admission::Admitted(p) => {
                    log.push(format!("{call} enter"));
                    running.push((durations[call as usize], call, p));
                }
                Admission::Waiting => {}
                Admission::Rejected(_) => log.push(format!("{call} rejected")),
            }
            let s = b.stats();
            slots.push((2 - s.in_use, 2 - s.waiting));
        }
        assert_eq!(slots[..4], [(1, 2), (0, 2), (0, 1), (0, 0)]);
        while !running.is_empty() {
            running.sort_by_key(|(end, call, _)| (*end, *call));
            let (end, call, permit) = running.remove(0);
            log.push(format!("{call} exit"));
            if let Some((next, p)) = b.release(permit) {
                log.push(format!("{next} enter"));
                running.push((end + durations[next as usize], next, p));
            }
        }
        let expected =
            ["0 enter", "1 enter", "4 rejected", "0 exit", "2 enter", "1 exit", "3 enter", "2 exit", "3 exit"];
        assert_eq!(log, expected);
        assert_eq!(b.stats(), BulkheadStats { in_use: 0, waiting: 0 });
    }

    #[test]
    fn cancelled_waiters_leave_the_queue() {
        let mut b = bulkhead(1, 100, None);
        let held = admitted(b.try_acquire(Instant::ZERO, 1));
        assert_eq!(b.try_acquire(Instant::ZERO, 2), Admission::Waiting);
        assert_eq!(b.try_acquire(Instant::ZERO, 3), Admission::Waiting);
        assert!(b.cancel_wait(2));
        assert!(!b.cancel_wait(2));
        assert_eq!(b.release(held).map(|(token, _)| token), Some(3));
    }

    #[test]
    fn withdrawing_from_the_middle_keeps_the_order_of_the_rest() {
        let mut b = bulkhead(1, 100, Some(3));
        let mut held = admitted(b.try_acquire(Instant::ZERO, 0));
        for token in 1..=3 {
            assert_eq!(b.try_acquire(Instant::from_millis(token), u32::try_from(token).unwrap()), Admission::Waiting);
        }
        assert_eq!(b.try_acquire(Instant::ZERO, 9), Admission::Rejected(Rejection::BulkheadFull));
        assert!(b.cancel_wait(2));
        assert_eq!(b.stats().waiting, 2);
        assert_eq!(b.try_acquire(Instant::from_millis(5), 4), Admission::Waiting, "room again");
        assert!(b.cancel_wait(1), "the front");
        assert_eq!(b.poll_timeout(), Some(Instant::from_millis(103)), "the next live waiter's deadline");
        let mut order = Vec::new();
        while let Some((token, permit)) = b.release(held) {
            order.push(token);
            held = permit;
        }
        assert_eq!(order, [3, 4]);
        assert_eq!(b.stats(), BulkheadStats { in_use: 0, waiting: 0 });
    }
}
