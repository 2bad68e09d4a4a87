//! Cache: answer from a recent result for the same key instead of calling inside.
//!
//! ```text
//!   lookup(key) ──fresh entry──────────────> Hit (served from cache, fresh)
//!   lookup(key) ──expired entry or none────> Miss ──inner ok──────> store; pass the answer out
//!                                                └─inner failed──> stale entry allowed? Stale : failure
//! ```

mod layer;
mod presets;
mod spec;

mod doc;
mod lru;

pub use doc::CacheDoc;

use crate::time::Instant;
use lru::Lru;

/// The answer to [`Cache::lookup`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// A fresh entry: answer from the cache.
    Fresh,
    /// An entry exists but is past its TTL.
    Expired,
    /// No entry.
    Miss,
}

/// Counters, for traces and the UI.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Entries held.
    pub entries: u32,
    /// Lookups answered fresh.
    pub hits: u64,
    /// Lookups that had to call inside.
    pub misses: u64,
    /// Failures answered with a stale entry.
    pub stale_served: u64,
}

/// A cache layer's settings (read from a [`CacheDoc`]), in the units the machine uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheSettings {
    ttl_us: u64,
    capacity: u32,
    serve_stale: bool,
    max_staleness_us: u64,
}

/// A cache layer's state: one LRU of store times per key.
#[derive(Clone, Debug)]
pub struct Cache {
    ttl_us: u64,
    serve_stale: bool,
    max_staleness_us: u64,
    stored_at: Lru<Instant>,
    stats: CacheStats,
}

impl Cache {
    /// An empty cache for keys below `key_space` (its key table grows as keys arrive, so no
    /// value allocates up front).
    #[must_use]
    pub fn new(settings: CacheSettings, key_space: u32) -> Self {
        Self {
            ttl_us: settings.ttl_us,
            serve_stale: settings.serve_stale,
            max_staleness_us: settings.max_staleness_us,
            stored_at: Lru::new(key_space, settings.capacity),
            stats: CacheStats::default(),
        }
    }

    /// Looks `key` up at `now`; a fresh hit becomes the most recently used entry.
    pub fn lookup(&mut self, now: Instant, key: u32) -> Lookup {
        let result = match self.stored_at.peek(key) {
            None => Lookup::Miss,
            Some(at) if now.micros_since(at) < self.ttl_us => Lookup::Fresh,
            Some(_) => Lookup::Expired,
        };
        if result == Lookup::Fresh {
            self.stored_at.touch(key);
            self.stats.hits += 1;
        } else {
            self.stats.misses += 1;
        }
        result
    }

    /// Stores a fresh answer for `key`.
    pub fn store(&mut self, now: Instant, key: u32) {
        self.stored_at.insert(key, now);
    }

    /// After an inner failure: true (and counted) if an entry for `key` may be served stale.
    pub fn serve_stale(&mut self, now: Instant, key: u32) -> bool {
        if !self.serve_stale {
            return false;
        }
        let limit = self.ttl_us.saturating_add(self.max_staleness_us);
        let allowed = self.stored_at.peek(key).is_some_and(|at| now.micros_since(at) <= limit);
        self.stats.stale_served += u64::from(allowed);
        allowed
    }

    /// For a stale-cache fallback: true if any entry for `key` exists, however old.
    #[must_use]
    pub fn has_entry(&self, key: u32) -> bool {
        self.stored_at.peek(key).is_some()
    }

    /// Counters and size.
    #[must_use]
    pub fn stats(&self) -> CacheStats {
        CacheStats { entries: self.stored_at.len() as u32, ..self.stats }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::document::PatternDoc;
    use crate::time::Span;

    fn cache(serve_stale: bool, max_staleness: Option<Span>) -> Cache {
        let config = CacheDoc { enabled: true, ttl: Span::from_secs(10), capacity: 2, serve_stale, max_staleness };
        Cache::new(config.parse().unwrap(), 100)
    }

    #[test]
    fn entries_are_fresh_for_their_ttl() {
        let mut c = cache(false, None);
        assert_eq!(c.lookup(Instant::ZERO, 7), Lookup::Miss);
        c.store(Instant::ZERO, 7);
        assert_eq!(c.lookup(Instant::from_micros(9_999_999), 7), Lookup::Fresh);
        assert_eq!(c.lookup(Instant::from_secs(10), 7), Lookup::Expired);
        assert!(!c.serve_stale(Instant::from_secs(10), 7), "stale serving is off");
        let stats = c.stats();
        assert_eq!((stats.hits, stats.misses, stats.entries), (1, 2, 1));
    }

    #[test]
    fn stale_entries_are_served_within_max_staleness() {
        let mut c = cache(true, Some(Span::from_secs(5)));
        c.store(Instant::ZERO, 1);
        assert!(c.serve_stale(Instant::from_secs(15), 1));
        assert!(!c.serve_stale(Instant::from_micros(15_000_001), 1));
        assert!(!c.serve_stale(Instant::from_secs(1), 2), "no entry, nothing stale");
        assert!(c.has_entry(1));
        assert_eq!(c.stats().stale_served, 1);
    }

    #[test]
    fn capacity_evicts_least_recently_used() {
        let mut c = cache(false, None);
        c.store(Instant::ZERO, 1);
        c.store(Instant::ZERO, 2);
        assert_eq!(c.lookup(Instant::ZERO, 1), Lookup::Fresh);
        c.store(Instant::ZERO, 3);
        assert_eq!(c.lookup(Instant::ZERO, 2), Lookup::Miss);
        assert_eq!(c.lookup(Instant::ZERO, 1), Lookup::Fresh);
    }
}
