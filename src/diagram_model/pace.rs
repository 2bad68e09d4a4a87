//! Visual times: each request's stops moved as little as possible (least squares) so that every
//! hop and turn lasts at least its minimum, then an index of which calls are on screen when.

use super::stops::{Motion, Stop, motion};

/// Most buckets of the index.
const BUCKETS_MAX: u64 = 4_096;

/// Calls whose visual lifetime meets each time bucket (compressed rows).
#[derive(Clone, Debug, Default)]
pub(super) struct BucketIndex {
    origin_us: u64,
    width_us: u64,
    offsets: Vec<u32>,
    slots: Vec<u32>,
}

impl BucketIndex {
    /// Builds the index of `lifetimes[slot] = (first, last)`.
    fn build(lifetimes: &[(u64, u64)], hop_us: u64) -> Self {
        let origin_us = lifetimes.iter().map(|l| l.0).min().unwrap_or(0);
        let last_us = lifetimes.iter().map(|l| l.1).max().unwrap_or(0);
        let span_us = last_us.saturating_sub(origin_us);
        let width_us = (hop_us.saturating_mul(2)).max(span_us / BUCKETS_MAX + 1).max(1_000);
        let buckets = (span_us / width_us + 1) as usize;
        let bucket = |t: u64| ((t.saturating_sub(origin_us)) / width_us) as usize;
        let mut counts = vec![0u32; buckets + 1];
        for &(first, last) in lifetimes {
            for b in bucket(first)..=bucket(last).min(buckets - 1) {
                counts[b + 1] += 1;
            }
        }
        for b in 1..counts.len() {
            counts[b] += counts[b - 1];
        }
        let mut fill = counts.clone();
        let mut slots = vec![0u32; counts[buckets] as usize];
        for (slot, &(first, last)) in lifetimes.iter().enumerate() {
            for b in bucket(first)..=bucket(last).min(buckets - 1) {
                slots[fill[b] as usize] = slot as u32;
                fill[b] += 1;
            }
        }
        Self { origin_us, width_us, offsets: counts, slots }
    }

    /// The most calls in one bucket (a bound on the calls on screen at once).
    fn most(&self) -> usize {
        self.offsets.windows(2).map(|w| (w[1] - w[0]) as usize).max().unwrap_or(0)
    }

    /// The calls that may be on screen at `t_us`.
    pub(super) fn candidates(&self, t_us: u64) -> &[u32] {
        if t_us < self.origin_us || self.width_us == 0 {
            return &[];
        }
        let b = ((t_us - self.origin_us) / self.width_us) as usize;
        match (self.offsets.get(b), self.offsets.get(b + 1)) {
            (Some(&from), Some(&to)) => &self.slots[from as usize..to as usize],
            _ => &[],
        }
    }
}

/// The paced stops of the sampled requests.
#[derive(Debug, Default)]
pub(super) struct Paced {
    pub stride: u32,
    pub stops: Vec<Stop>,
    pub offsets: Vec<u32>,
    pub ids: Vec<u32>,
    pub index: BucketIndex,
}

/// Paces every request, then keeps one in `stride` so that at most about `max_dots` are on
/// screen at once.
pub(super) fn pace(mut requests: Vec<(u32, Vec<Stop>)>, hop_us: u64, max_dots: usize) -> Paced {
    let mut scratch = (Vec::new(), Vec::new());
    for (_, stops) in &mut requests {
        fit(stops, hop_us as f64, &mut scratch);
    }
    let lifetimes: Vec<(u64, u64)> =
        requests.iter().filter_map(|(_, s)| Some((s.first()?.v_us, s.last()?.v_us))).collect();
    let stride = (BucketIndex::build(&lifetimes, hop_us).most().div_ceil(max_dots.max(1)) as u32).max(1);
    let mut paced = Paced { stride, offsets: vec![0], ..Paced::default() };
    let mut kept = Vec::new();
    for (id, stops) in requests.into_iter().filter(|(id, s)| id % stride == 0 && !s.is_empty()) {
        kept.push((stops[0].v_us, stops[stops.len() - 1].v_us));
        paced.stops.extend(stops);
        paced.offsets.push(paced.stops.len() as u32);
        paced.ids.push(id);
    }
    paced.index = BucketIndex::build(&kept, hop_us);
    paced
}

/// The shortest visual time from `prev` to `next`, in hops.
fn gap_hops(prev: &Stop, next: &Stop) -> f64 {
    match motion(prev, next) {
        Motion::Travel(_) => f64::from(prev.station.abs_diff(next.station)),
        Motion::Serve => 0.8,
        Motion::Turn => 0.6,
        Motion::Queue | Motion::Park => 0.5,
        Motion::Hidden => 0.15,
        Motion::Hold(_) => 0.0,
    }
}

/// Replaces real times by visual ones: the non-decreasing fit closest to the real times (pool
/// adjacent violators) once each stop is shifted by the minimum time before it.
fn fit(stops: &mut [Stop], hop_us: f64, (offsets, blocks): &mut (Vec<f64>, Vec<(f64, usize)>)) {
    offsets.clear();
    blocks.clear();
    let mut offset = 0.0;
    for k in 0..stops.len() {
        if k > 0 {
            offset += gap_hops(&stops[k - 1], &stops[k]) * hop_us;
        }
        offsets.push(offset);
        blocks.push((stops[k].v_us as f64 - offset, 1));
        while blocks.len() >= 2 {
            let (sum, count) = blocks[blocks.len() - 1];
            let (prev_sum, prev_count) = blocks[blocks.len() - 2];
            if prev_sum / prev_count as f64 <= sum / count as f64 {
                break;
            }
            blocks.pop();
            if let Some(last) = blocks.last_mut() {
                *last = (prev_sum + sum, prev_count + count);
            }
        }
    }
    let mut k = 0;
    for &(sum, count) in blocks.iter() {
        let level = sum / count as f64;
        for _ in 0..count {
            if let (Some(stop), Some(offset)) = (stops.get_mut(k), offsets.get(k)) {
                stop.v_us = (level + offset).max(0.0).round() as u64;
            }
            k += 1;
        }
    }
}
