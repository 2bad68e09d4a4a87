//! The cache as a layer: a fresh entry answers at once; otherwise the call goes inside, a good
//! answer from the service is stored, and a failure is answered from a stale entry when there
//! is one (serve-stale).

use super::{Cache, Lookup};
use crate::patterns::contract::{CallRef, Counter, Decision, LayerPattern, Probe, Reply, Source};
use crate::sim::TraceKind;

impl LayerPattern for Cache {
    type Call = ();

    fn enter<P: Probe>(&mut self, _me: CallRef, probe: &mut P) -> ((), Decision) {
        let key = probe.key();
        if self.lookup(probe.now(), key) == Lookup::Fresh {
            probe.count(Counter::Hit);
            probe.trace(TraceKind::CacheHit, key);
            ((), Decision::Answer(Reply::Ok(Source::CacheFresh)))
        } else {
            probe.count(Counter::Miss);
            probe.trace(TraceKind::CacheMiss, key);
            ((), Decision::Forward)
        }
    }

    fn on_reply<P: Probe>(&mut self, _call: &mut (), reply: Reply, probe: &mut P) -> Decision {
        let (now, key) = (probe.now(), probe.key());
        match reply {
            Reply::Ok(Source::Service) => self.store(now, key),
            Reply::Err(_) if self.serve_stale(now, key) => {
                probe.trace(TraceKind::CacheStale, key);
                return Decision::Answer(Reply::Ok(Source::CacheStale));
            }
            _ => {}
        }
        Decision::Answer(reply)
    }

    fn has_stale(&self, key: u32) -> bool {
        self.has_entry(key)
    }
}
