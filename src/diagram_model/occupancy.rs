//! Counts over time (slots in use, calls queued) as step functions read with a binary search,
//! built from +1/-1 changes given in time order (the trace's order: no sorting).

/// A count that changes at known times: `counts[i]` holds from `times[i]` on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Steps {
    times: Vec<u64>,
    counts: Vec<u32>,
    now: i64,
}

impl Steps {
    /// Adds `delta` at `t_us` (not before the last change). Changes at one instant merge into
    /// one step, so a slot handed from one call to the next is never counted twice.
    pub fn change(&mut self, t_us: u64, delta: i64) {
        self.now += delta;
        let value = self.now.max(0) as u32;
        match (self.times.last(), self.counts.last_mut()) {
            (Some(last), Some(count)) if *last >= t_us => *count = value,
            _ => {
                self.times.push(t_us);
                self.counts.push(value);
            }
        }
    }

    /// The count at `t_us`.
    pub fn at(&self, t_us: u64) -> u32 {
        let n = self.times.partition_point(|t| *t <= t_us);
        n.checked_sub(1).and_then(|i| self.counts.get(i)).copied().unwrap_or(0)
    }

    /// The highest count ever.
    pub fn max(&self) -> u32 {
        self.counts.iter().copied().max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_changes_and_merges_those_at_one_instant() {
        let mut steps = Steps::default();
        for (t, delta) in [(0, 1), (5, 1), (10, 1), (10, -1), (15, -1), (20, -1)] {
            steps.change(t, delta);
        }
        assert_eq!((steps.at(0), steps.at(5), steps.at(10), steps.at(15), steps.at(20)), (1, 2, 2, 1, 0));
        assert_eq!(steps.max(), 2);
        assert_eq!(Steps::default().at(7), 0);
    }
}
