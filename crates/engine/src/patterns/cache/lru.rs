//! A fixed-capacity LRU index over small integer keys: O(1) lookup, touch, insert and evict,
//! no hashing (keys index a dense table of 4 bytes a key; validation bounds the total over all
//! caches). The key table and the entries grow as keys arrive, so memory follows what is
//! cached, whatever `key_space` says.

const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Slot<V> {
    key: u32,
    value: V,
    newer: u32,
    older: u32,
}

/// Least-recently-used map from keys in `0..key_space` to values of type `V`.
#[derive(Clone, Debug)]
pub(crate) struct Lru<V> {
    /// Keys at or above this are never stored.
    key_space: u32,
    /// The slot of each key seen so far (`NONE`: not stored); grows up to the largest key.
    slot_of_key: Vec<u32>,
    slots: Vec<Slot<V>>,
    capacity: usize,
    newest: u32,
    oldest: u32,
}

impl<V: Copy> Lru<V> {
    /// An empty map for keys below `key_space`, holding at most `capacity` entries.
    pub(crate) fn new(key_space: u32, capacity: u32) -> Self {
        Self {
            key_space,
            slot_of_key: Vec::new(),
            slots: Vec::with_capacity(capacity.min(key_space).min(1_024) as usize),
            capacity: capacity as usize,
            newest: NONE,
            oldest: NONE,
        }
    }

    /// The value under `key`, without touching its recency.
    pub(crate) fn peek(&self, key: u32) -> Option<V> {
        let slot = *self.slot_of_key.get(key as usize)?;
        (slot != NONE).then(|| self.slots[slot as usize].value)
    }

    /// Marks `key` most recently used.
    pub(crate) fn touch(&mut self, key: u32) {
        if let Some(&slot) = self.slot_of_key.get(key as usize).filter(|s| **s != NONE) {
            self.unlink(slot);
            self.push_newest(slot);
        }
    }

    /// Stores `value` under `key` as the most recent entry, evicting the oldest when full.
    pub(crate) fn insert(&mut self, key: u32, value: V) {
        if self.capacity == 0 || key >= self.key_space {
            return;
        }
        if key as usize >= self.slot_of_key.len() {
            self.slot_of_key.resize(key as usize + 1, NONE);
        }
        let existing = self.slot_of_key[key as usize];
        let slot = if existing != NONE {
            self.unlink(existing);
            existing
        } else if self.slots.len() < self.capacity {
            self.slots.push(Slot { key, value, newer: NONE, older: NONE });
            (self.slots.len() - 1) as u32
        } else {
            let victim = self.oldest;
            self.unlink(victim);
            self.slot_of_key[self.slots[victim as usize].key as usize] = NONE;
            victim
        };
        self.slots[slot as usize].key = key;
        self.slots[slot as usize].value = value;
        self.slot_of_key[key as usize] = slot;
        self.push_newest(slot);
    }

    /// Entries held.
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    fn unlink(&mut self, slot: u32) {
        let Slot { newer, older, .. } = self.slots[slot as usize];
        match newer {
            NONE => self.newest = older,
            n => self.slots[n as usize].older = older,
        }
        match older {
            NONE => self.oldest = newer,
            o => self.slots[o as usize].newer = newer,
        }
    }

    fn push_newest(&mut self, slot: u32) {
        let old_newest = self.newest;
        let entry = &mut self.slots[slot as usize];
        entry.newer = NONE;
        entry.older = old_newest;
        match old_newest {
            NONE => self.oldest = slot,
            n => self.slots[n as usize].newer = slot,
        }
        self.newest = slot;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_the_least_recently_used() {
        let mut lru = Lru::new(10, 2);
        lru.insert(1, 'a');
        lru.insert(2, 'b');
        lru.touch(1);
        lru.insert(3, 'c'); // evicts 2
        assert_eq!(lru.peek(1), Some('a'));
        assert_eq!(lru.peek(2), None);
        assert_eq!(lru.peek(3), Some('c'));
        lru.insert(1, 'A'); // update in place, now newest
        lru.insert(4, 'd'); // evicts 3
        assert_eq!((lru.peek(1), lru.peek(3), lru.peek(4)), (Some('A'), None, Some('d')));
        assert_eq!(lru.len(), 2);
    }

    #[test]
    fn out_of_range_keys_and_zero_capacity_are_harmless() {
        let mut lru = Lru::new(4, 0);
        lru.insert(1, 1);
        lru.insert(99, 1);
        lru.touch(99);
        assert_eq!((lru.peek(1), lru.peek(99), lru.len()), (None, None, 0));
    }

    #[test]
    fn a_huge_key_space_allocates_nothing_up_front() {
        let mut lru = Lru::new(u32::MAX, u32::MAX);
        assert_eq!((lru.slot_of_key.capacity(), lru.slots.capacity()), (0, 1_024));
        lru.insert(7, 'x');
        assert_eq!((lru.peek(7), lru.slot_of_key.len()), (Some('x'), 8));
    }

    #[test]
    fn entries_are_allocated_as_keys_arrive() {
        let mut lru = Lru::new(1_000_000, 1_000_000);
        assert!(lru.slots.capacity() <= 1_024);
        for key in (0..1_000_000).step_by(1_000) {
            lru.insert(key, key);
        }
        assert_eq!(lru.len(), 1_000);
        assert!(lru.slots.capacity() <= 1_024);
        assert_eq!((lru.peek(999_000), lru.peek(999_001), lru.peek(1_000_000)), (Some(999_000), None, None));
    }

    #[test]
    fn single_slot_cycles() {
        let mut lru = Lru::new(100, 1);
        for key in 0..100 {
            lru.insert(key, key);
            assert_eq!(lru.peek(key), Some(key));
            if key > 0 {
                assert_eq!(lru.peek(key - 1), None);
            }
        }
    }
}
