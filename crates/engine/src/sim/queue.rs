//! The event queue: a binary heap keyed by `(time, insertion sequence)`, so events at the same
//! instant come out in the order they were scheduled (FIFO ties). Cancelled timers are skipped
//! by their owner's generation check when they come out; when the heap grows large, the engine
//! compacts it ([`EventQueue::retain`]), so memory follows the live timers.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::time::Instant;

/// An event scheduled at `at`; `seq` orders events scheduled for the same instant.
#[derive(Clone, Copy, Debug)]
struct Scheduled<E> {
    at: Instant,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Scheduled<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
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
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

/// A min-queue of events by time, FIFO among equal times.
#[derive(Debug)]
pub(crate) struct EventQueue<E> {
    heap: BinaryHeap<Scheduled<E>>,
    next_seq: u64,
}

impl<E> EventQueue<E> {
    pub(crate) fn new() -> Self {
        Self { heap: BinaryHeap::with_capacity(1024), next_seq: 0 }
    }

    /// Schedules `event` at `at`.
    pub(crate) fn push(&mut self, at: Instant, event: E) {
        self.heap.push(Scheduled { at, seq: self.next_seq, event });
        self.next_seq += 1;
    }

    /// The earliest event, FIFO among equal times.
    pub(crate) fn pop(&mut self) -> Option<(Instant, E)> {
        self.heap.pop().map(|s| (s.at, s.event))
    }

    /// Keeps only the events for which `keep(at, seq, event)` is true. The order of the rest
    /// is unchanged: it is the total order of `(at, seq)`, whatever the heap's layout.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(Instant, u64, &E) -> bool) {
        self.heap.retain(|s| keep(s.at, s.seq, &s.event));
    }

    /// Visits every waiting event as `(at, seq, event)`, in no particular order.
    pub(crate) fn for_each(&self, mut visit: impl FnMut(Instant, u64, &E)) {
        for s in &self.heap {
            visit(s.at, s.seq, &s.event);
        }
    }

    /// Events waiting.
    pub(crate) fn len(&self) -> usize {
        self.heap.len()
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
}
