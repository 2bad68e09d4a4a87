//! The event queue: events come out by `(time, insertion sequence)`, so events at the same
//! instant come out in the order they were scheduled (FIFO ties). Cancelled timers are skipped
//! by their owner's generation check when they come out; when the queue grows large, the engine
//! compacts it ([`EventQueue::retain`]), so memory follows the live timers.
//!
//! Most events are scheduled in time order within their kind (an endpoint's arrivals, a timeout
//! layer's deadlines: `now` plus a constant). Such events go to a **lane**, a FIFO whose times
//! never decrease, at O(1) per push and pop; the rest go to a binary heap. The next event is
//! the earliest of the heap's top and the lanes' fronts, so the order is exactly the total
//! order of `(at, seq)`, whichever lane the scheduler suggested:
//!
//! ```text
//!   push_in(lane, at) ──lane empty or its last time <= at──> lane (FIFO, times ascending)
//!                     └─otherwise──────────────────────────> heap
//!   pop ──> the least (at, seq) among the heap's top and every lane's front
//! ```

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use crate::time::Instant;

/// Lanes of a queue. Lane numbers passed to [`EventQueue::push_in`] wrap around.
pub(crate) const LANES: usize = 4;

/// An event scheduled at `at`; `seq` orders events scheduled for the same instant.
#[derive(Clone, Copy, Debug)]
struct Scheduled<E> {
    at: Instant,
    seq: u64,
    event: E,
}

impl<E> Scheduled<E> {
    #[inline]
    fn place(&self) -> (Instant, u64) {
        (self.at, self.seq)
    }
}

impl<E> PartialEq for Scheduled<E> {
    fn eq(&self, other: &Self) -> bool {
        self.place() == other.place()
    }
}

impl<E> Eq for Scheduled<E> {}

impl<E> PartialOrd for Scheduled<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Scheduled<E> {
    /// Reversed, so that the max-heap pops the earliest `(at, seq)` first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.place().cmp(&self.place())
    }
}

/// A min-queue of events by time, FIFO among equal times.
#[derive(Debug)]
pub(crate) struct EventQueue<E> {
    heap: BinaryHeap<Scheduled<E>>,
    lanes: [VecDeque<Scheduled<E>>; LANES],
    next_seq: u64,
}

impl<E> EventQueue<E> {
    pub(crate) fn new() -> Self {
        Self { heap: BinaryHeap::with_capacity(1024), lanes: Default::default(), next_seq: 0 }
    }

    /// Schedules `event` at `at`.
    pub(crate) fn push(&mut self, at: Instant, event: E) {
        self.heap.push(Scheduled { at, seq: self.next_seq, event });
        self.next_seq += 1;
    }

    /// Schedules `event` at `at`, in lane `lane` (modulo [`LANES`]) if its times stay in
    /// order there, else in the heap. Only speed depends on the lane chosen.
    #[inline]
    pub(crate) fn push_in(&mut self, lane: usize, at: Instant, event: E) {
        let queue = &mut self.lanes[lane % LANES];
        if queue.back().is_none_or(|last| last.at <= at) {
            queue.push_back(Scheduled { at, seq: self.next_seq, event });
            self.next_seq += 1;
        } else {
            self.push(at, event);
        }
    }

    /// The earliest event, FIFO among equal times.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<(Instant, E)> {
        let mut best = self.heap.peek().map(Scheduled::place);
        let mut from = LANES;
        for (i, lane) in self.lanes.iter().enumerate() {
            if let Some(front) = lane.front() {
                if best.is_none_or(|b| front.place() < b) {
                    (best, from) = (Some(front.place()), i);
                }
            }
        }
        let next = if from == LANES { self.heap.pop() } else { self.lanes[from].pop_front() };
        next.map(|s| (s.at, s.event))
    }

    /// Keeps only the events for which `keep(at, seq, event)` is true. The order of the rest
    /// is unchanged: it is the total order of `(at, seq)`, wherever they wait.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(Instant, u64, &E) -> bool) {
        self.heap.retain(|s| keep(s.at, s.seq, &s.event));
        for lane in &mut self.lanes {
            lane.retain(|s| keep(s.at, s.seq, &s.event));
        }
    }

    /// Visits every waiting event as `(at, seq, event)`, in no particular order.
    pub(crate) fn for_each(&self, mut visit: impl FnMut(Instant, u64, &E)) {
        for s in self.heap.iter().chain(self.lanes.iter().flatten()) {
            visit(s.at, s.seq, &s.event);
        }
    }

    /// Events waiting.
    pub(crate) fn len(&self) -> usize {
        self.heap.len() + self.lanes.iter().map(VecDeque::len).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_insertion_order() {
        let mut q = EventQueue::new();
        q.push(Instant::from_micros(5), 'a');
        q.push(Instant::from_micros(1), 'b');
        q.push(Instant::from_micros(5), 'c');
        q.push(Instant::from_micros(1), 'd');
        q.push(Instant::from_micros(3), 'e');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ['b', 'd', 'e', 'a', 'c']);
    }

    #[test]
    fn retain_keeps_the_order_of_the_rest() {
        let mut q = EventQueue::new();
        for i in 0..100u32 {
            q.push(Instant::from_micros(u64::from(i * 7 % 13)), i);
        }
        q.retain(|_, _, e| e % 3 != 0);
        let mut expected: Vec<(u64, u32)> =
            (0..100u32).filter(|i| i % 3 != 0).map(|i| (u64::from(i * 7 % 13), i)).collect();
        expected.sort_unstable();
        let order: Vec<(u64, u32)> = std::iter::from_fn(|| q.pop().map(|(at, e)| (at.as_micros(), e))).collect();
        assert_eq!(order, expected);
    }

    #[test]
    fn many_ties_stay_fifo() {
        let mut q = EventQueue::new();
        for i in 0..1_000u32 {
            q.push(Instant::from_micros(u64::from(i % 3)), i);
        }
        let mut last = (Instant::ZERO, 0u32);
        let mut first = true;
        while let Some((at, i)) = q.pop() {
            if !first && at == last.0 {
                assert!(i > last.1, "FIFO among ties");
            }
            assert!(at >= last.0, "time never goes backwards");
            last = (at, i);
            first = false;
        }
        assert_eq!(q.len(), 0);
    }

    /// Whatever lanes the pushes name, and with pops in between, events come out in the
    /// order of `(at, seq)`, exactly as from the heap alone.
    #[test]
    fn lanes_never_change_the_order() {
        let mut rng = crate::rng::Stream::new(11, crate::rng::StreamId::Faults(0));
        let (mut laned, mut plain) = (EventQueue::new(), EventQueue::new());
        let (mut now, mut out_laned, mut out_plain) = (0u64, Vec::new(), Vec::new());
        for i in 0..20_000u32 {
            // Lanes 0 and 1 get `now` plus a constant (in order), 2 and 3 anything.
            let lane = rng.below(4);
            let delay_us = match lane {
                0 => 7,
                1 => 30,
                _ => rng.below(40),
            };
            let at = Instant::from_micros(now + delay_us);
            laned.push_in(lane as usize, at, i);
            plain.push(at, i);
            if rng.below(2) == 0 {
                out_laned.extend(laned.pop());
                out_plain.extend(plain.pop());
                now = out_plain.last().map_or(now, |(at, _): &(Instant, u32)| at.as_micros());
            }
        }
        let in_lanes = laned.len() - laned.heap.len();
        assert!(in_lanes > 100 && laned.heap.len() > 100, "both paths used: {in_lanes} {}", laned.heap.len());
        laned.retain(|_, _, e| e % 5 != 0);
        plain.retain(|_, _, e| e % 5 != 0);
        assert_eq!(laned.len(), plain.len());
        out_laned.extend(std::iter::from_fn(|| laned.pop()));
        out_plain.extend(std::iter::from_fn(|| plain.pop()));
        assert_eq!(out_laned, out_plain);
    }
}
