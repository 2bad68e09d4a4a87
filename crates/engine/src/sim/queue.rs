//! The event queue: events come out by `(time, insertion sequence)`, so events at the same
//! instant come out in the order they were scheduled (FIFO ties). Cancelled timers are skipped
//! by their owner's generation check when they come out; when the queue grows large, the engine
//! compacts it ([`EventQueue::retain`]), so memory follows the live timers.
//!
//! Most events are scheduled in time order within their kind (an endpoint's arrivals, a timeout
//! layer's deadlines: `now` plus a constant). Such events go to a **lane**, a FIFO whose times
//! never decrease, at O(1) per push and pop; the rest go to a 4-ary heap. The next event is
//! the earliest of the heap's top and the lanes' fronts, so the order is exactly the total
//! order of `(at, seq)`, whichever lane the scheduler suggested:
//!
//! ```text
//!   push_in(lane, at) ──lane empty or its last time <= at──> lane (FIFO, times ascending)
//!                     └─otherwise──────────────────────────> heap
//!   pop ──> the least (at, seq) among the heap's top and every lane's front
//! ```

use crate::time::Instant;

/// Lanes of a queue. Lane numbers passed to [`EventQueue::push_in`] wrap around.
pub(crate) const LANES: usize = 4;

/// Children of a heap node.
const ARITY: usize = 4;

/// Consumed lane entries are dropped once there are this many and they are three quarters of
/// the lane (so that moving the rest costs at most a third of an entry per event).
const LANE_COMPACT_MIN: usize = 256;

/// `(at, seq)` in one number (time in the high half), so it orders exactly as the pair.
type Key = u128;

/// "No event" among the lanes' fronts (no real key reaches it: `seq` never does).
const NO_KEY: Key = Key::MAX;

const fn key(at: Instant, seq: u64) -> Key {
    (at.as_micros() as u128) << 64 | seq as u128
}

/// An event scheduled at `key`'s time; `key`'s low half orders events of the same instant.
#[derive(Clone, Copy, Debug)]
struct Scheduled<E> {
    key: Key,
    event: E,
}

impl<E> Scheduled<E> {
    const fn at(&self) -> Instant {
        Instant::from_micros((self.key >> 64) as u64)
    }

    const fn seq(&self) -> u64 {
        self.key as u64
    }
}

/// A FIFO of events in time order: consumed entries stay in front of `head` until compacted.
#[derive(Debug)]
struct Lane<E> {
    items: Vec<Scheduled<E>>,
    head: usize,
}

impl<E: Copy> Lane<E> {
    fn pending(&self) -> &[Scheduled<E>] {
        self.items.get(self.head..).unwrap_or_default()
    }

    fn pop_front(&mut self) -> Option<Scheduled<E>> {
        let front = *self.items.get(self.head)?;
        self.head += 1;
        if self.head == self.items.len() {
            self.items.clear();
            self.head = 0;
        } else if self.head >= LANE_COMPACT_MIN && self.head >= self.items.len() / 4 * 3 {
            self.items.drain(..self.head);
            self.head = 0;
        }
        Some(front)
    }

    fn front_key(&self) -> Key {
        self.items.get(self.head).map_or(NO_KEY, |s| s.key)
    }
}

/// A min-queue of events by time, FIFO among equal times.
#[derive(Debug)]
pub(crate) struct EventQueue<E> {
    /// A 4-ary min-heap by key.
    heap: Vec<Scheduled<E>>,
    lanes: [Lane<E>; LANES],
    /// Each lane's front key ([`NO_KEY`] when empty), so that `pop` scans a small array.
    fronts: [Key; LANES],
    next_seq: u64,
}

impl<E: Copy> EventQueue<E> {
    pub(crate) fn new() -> Self {
        Self {
            heap: Vec::with_capacity(1024),
            lanes: std::array::from_fn(|_| Lane { items: Vec::new(), head: 0 }),
            fronts: [NO_KEY; LANES],
            next_seq: 0,
        }
    }

    fn next_key(&mut self, at: Instant) -> Key {
        let key = key(at, self.next_seq);
        self.next_seq += 1;
        key
    }

    /// Schedules `event` at `at`.
    pub(crate) fn push(&mut self, at: Instant, event: E) {
        let key = self.next_key(at);
        self.heap.push(Scheduled { key, event });
        self.sift_up(self.heap.len() - 1);
    }

    /// Schedules `event` at `at`, in lane `lane` (modulo [`LANES`]) if its times stay in
    /// order there, else in the heap. Only speed depends on the lane chosen.
    #[inline]
    pub(crate) fn push_in(&mut self, lane: usize, at: Instant, event: E) {
        let lane = lane % LANES;
        let queue = &mut self.lanes[lane];
        if queue.pending().last().is_some_and(|last| last.at() > at) {
            return self.push(at, event);
        }
        let key = key(at, self.next_seq);
        self.next_seq += 1;
        if queue.pending().is_empty() {
            self.fronts[lane] = key;
        }
        queue.items.push(Scheduled { key, event });
    }

    /// The earliest event, FIFO among equal times.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<(Instant, E)> {
        let (mut best, mut from) = (self.heap.first().map_or(NO_KEY, |s| s.key), LANES);
        for (lane, front) in self.fronts.iter().enumerate() {
            if *front < best {
                (best, from) = (*front, lane);
            }
        }
        let next = match self.lanes.get_mut(from) {
            Some(lane) => {
                let next = lane.pop_front();
                self.fronts[from] = lane.front_key();
                next
            }
            None => self.pop_heap(),
        };
        next.map(|s| (s.at(), s.event))
    }

    /// Keeps only the events for which `keep(at, seq, event)` is true. The order of the rest
    /// is unchanged: it is the total order of `(at, seq)`, wherever they wait.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(Instant, u64, &E) -> bool) {
        self.heap.retain(|s| keep(s.at(), s.seq(), &s.event));
        // A sorted array is a heap.
        self.heap.sort_unstable_by_key(|s| s.key);
        for (lane, front) in self.lanes.iter_mut().zip(&mut self.fronts) {
            lane.items.drain(..lane.head);
            lane.head = 0;
            lane.items.retain(|s| keep(s.at(), s.seq(), &s.event));
            *front = lane.front_key();
        }
    }

    /// Visits every waiting event as `(at, seq, event)`, in no particular order.
    pub(crate) fn for_each(&self, mut visit: impl FnMut(Instant, u64, &E)) {
        for s in self.heap.iter().chain(self.lanes.iter().flat_map(Lane::pending)) {
            visit(s.at(), s.seq(), &s.event);
        }
    }

    /// Events waiting.
    pub(crate) fn len(&self) -> usize {
        self.heap.len() + self.lanes.iter().map(|l| l.pending().len()).sum::<usize>()
    }

    /// Moves the entry at `i` up to its place.
    fn sift_up(&mut self, mut i: usize) {
        let item = self.heap[i];
        while i > 0 {
            let parent = (i - 1) / ARITY;
            if self.heap[parent].key <= item.key {
                break;
            }
            self.heap[i] = self.heap[parent];
            i = parent;
        }
        self.heap[i] = item;
    }

    /// Takes the heap's least entry.
    fn pop_heap(&mut self) -> Option<Scheduled<E>> {
        let last = self.heap.pop()?;
        let Some(top) = self.heap.first().copied() else { return Some(last) };
        let heap = self.heap.as_mut_slice();
        let mut i = 0;
        loop {
            let first = ARITY * i + 1;
            let (child, key) = match heap.get(first..first + ARITY) {
                Some(&[a, b, c, d]) => least_of_four(first, [a.key, b.key, c.key, d.key]),
                _ => match heap.get(first..).and_then(|rest| rest.iter().enumerate().min_by_key(|(_, c)| c.key)) {
                    Some((offset, c)) => (first + offset, c.key),
                    None => break,
                },
            };
            if last.key <= key {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = last;
        Some(top)
    }
}

/// The index (from `first`) and key of the least of four keys, by selects rather than jumps:
/// which child is least is unpredictable.
#[inline]
fn least_of_four(first: usize, keys: [Key; 4]) -> (usize, Key) {
    let (low, low_key) = if keys[1] < keys[0] { (1, keys[1]) } else { (0, keys[0]) };
    let (high, high_key) = if keys[3] < keys[2] { (3, keys[3]) } else { (2, keys[2]) };
    if high_key < low_key { (first + high, high_key) } else { (first + low, low_key) }
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
