//! Counts over time (slots in use, calls queued) as step functions read with a binary search.

/// A count that changes at known times: `counts[i]` holds from `times[i]` on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Steps {
    times: Vec<u64>,
    counts: Vec<u32>,
}

impl Steps {
    /// The step function of intervals `[from, to)`: at every instant, how many contain it.
    /// At equal times, ends count before starts (a slot given back and taken again at the same
    /// instant is never counted twice).
    pub fn from_intervals(intervals: &[(u64, u64)]) -> Self {
        let mut deltas: Vec<(u64, i8)> = Vec::with_capacity(intervals.len() * 2);
        for &(from, to) in intervals.iter().filter(|(from, to)| to > from) {
            deltas.push((from, 1));
            deltas.push((to, -1));
        }
        deltas.sort_unstable();
        let mut steps = Self::default();
        let mut count: i64 = 0;
        for (t, delta) in deltas {
            count += i64::from(delta);
            let value = count.max(0) as u32;
            if steps.times.last() == Some(&t) {
                if let Some(last) = steps.counts.last_mut() {
                    *last = value;
                }
            } else {
                steps.times.push(t);
                steps.counts.push(value);
            }
        }
        steps
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
    fn counts_overlapping_intervals_and_hands_over_at_equal_times() {
        let steps = Steps::from_intervals(&[(0, 10), (5, 15), (10, 20), (30, 30)]);
        assert_eq!((steps.at(0), steps.at(5), steps.at(10), steps.at(15), steps.at(20)), (1, 2, 2, 1, 0));
        assert_eq!(steps.max(), 2);
        assert_eq!(Steps::default().at(7), 0);
    }
}
