//! Where requests come from: open-loop arrival processes, closed-loop think times, and the
//! cache key of each request.

use crate::rng::{Stream, StreamId};
use crate::scenario::{Keys, Load};
use crate::time::{Instant, micros_of_f64};

const US_PER_S: f64 = 1e6;

/// An endpoint's arrival process during a run.
#[derive(Clone, Debug)]
pub(crate) enum Arrivals {
    /// Evenly spaced.
    Constant { gap_us: f64, next_us: f64 },
    /// Poisson with a piecewise-constant or linearly moving rate.
    Poisson { rate: RateCurve, clock_us: f64 },
    /// Explicit times (sorted).
    Times { times_us: Vec<u64>, next: usize },
    /// Closed loop: arrivals come from clients finishing their think time.
    Closed { clients: u32, think_mean_us: f64 },
}

/// Requests per second as a function of time.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RateCurve {
    Flat(f64),
    Ramp { from_rps: f64, to_rps: f64, duration_us: f64 },
    Spike { rps: f64, spike_rps: f64, from_us: f64, to_us: f64 },
}

impl RateCurve {
    fn at(self, t_us: f64) -> f64 {
        match self {
            Self::Flat(rps) => rps,
            Self::Ramp { from_rps, to_rps, duration_us } => {
                from_rps + (to_rps - from_rps) * (t_us / duration_us).min(1.0)
            }
            Self::Spike { rps, spike_rps, from_us, to_us } => {
                if (from_us..to_us).contains(&t_us) {
                    spike_rps
                } else {
                    rps
                }
            }
        }
    }

    fn max(self) -> f64 {
        match self {
            Self::Flat(rps) => rps,
            Self::Ramp { from_rps, to_rps, .. } => from_rps.max(to_rps),
            Self::Spike { rps, spike_rps, .. } => rps.max(spike_rps),
        }
    }

    /// The next time the rate changes abruptly after `t_us` (a spike edge), if any.
    fn next_edge(self, t_us: f64) -> Option<f64> {
        match self {
            Self::Spike { from_us, to_us, .. } => [from_us, to_us].into_iter().find(|edge| *edge > t_us),
            _ => None,
        }
    }
}

impl Arrivals {
    pub(crate) fn new(load: &Load, duration_us: u64) -> Self {
        let duration = duration_us as f64;
        let poisson = |rate| Self::Poisson { rate, clock_us: 0.0 };
        match load {
            Load::Constant { rps } => Self::Constant { gap_us: US_PER_S / rps, next_us: 0.0 },
            Load::Poisson { rps } => poisson(RateCurve::Flat(*rps)),
            Load::Ramp { from_rps, to_rps } => {
                poisson(RateCurve::Ramp { from_rps: *from_rps, to_rps: *to_rps, duration_us: duration })
            }
            Load::Spike { rps, spike_rps, from, to } => poisson(RateCurve::Spike {
                rps: *rps,
                spike_rps: *spike_rps,
                from_us: from.as_micros() as f64,
                to_us: to.as_micros() as f64,
            }),
            Load::Times(times) => {
                let mut times_us: Vec<u64> = times.iter().map(|t| t.as_micros()).collect();
                times_us.sort_unstable();
                Self::Times { times_us, next: 0 }
            }
            Load::Closed { clients, think } => {
                Self::Closed { clients: *clients, think_mean_us: think.as_micros() as f64 }
            }
        }
    }

    /// The next open-loop arrival, or `None` when there are no more (or the load is closed).
    pub(crate) fn next(&mut self, rng: &mut Stream) -> Option<Instant> {
        match self {
            Self::Constant { gap_us, next_us } => {
                let at = *next_us;
                *next_us += *gap_us;
                Some(Instant::from_micros(micros_of_f64(at)))
            }
            Self::Poisson { rate, clock_us } => {
                next_poisson(*rate, clock_us, rng).map(|t| Instant::from_micros(micros_of_f64(t)))
            }
            Self::Times { times_us, next } => {
                let at = times_us.get(*next).copied()?;
                *next += 1;
                Some(Instant::from_micros(at))
            }
            Self::Closed { .. } => None,
        }
    }

    /// A closed-loop client's think time (exponential with the configured mean).
    pub(crate) fn think_us(&self, rng: &mut Stream) -> u64 {
        match self {
            Self::Closed { think_mean_us, .. } => micros_of_f64(rng.exponential(*think_mean_us)),
            _ => 0,
        }
    }

    /// True for explicit times: they are all scheduled at the start, so that requests
    /// arriving at the same instant all arrive before anything else happens at that instant.
    pub(crate) fn all_upfront(&self) -> bool {
        matches!(self, Self::Times { .. })
    }

    /// Closed-loop clients (zero for open loops).
    pub(crate) fn clients(&self) -> u32 {
        match self {
            Self::Closed { clients, .. } => *clients,
            _ => 0,
        }
    }
}

/// Next arrival of a non-homogeneous Poisson process by thinning; exact at spike edges thanks
/// to memorylessness (restart the gap at the edge).
fn next_poisson(rate: RateCurve, clock_us: &mut f64, rng: &mut Stream) -> Option<f64> {
    for _ in 0..1_000_000 {
        let ceiling = match rate {
            RateCurve::Spike { .. } => rate.at(*clock_us),
            _ => rate.max(),
        };
        if ceiling <= 0.0 {
            *clock_us = rate.next_edge(*clock_us)?;
            continue;
        }
        let candidate = *clock_us + rng.exponential(US_PER_S / ceiling);
        if let Some(edge) = rate.next_edge(*clock_us).filter(|edge| candidate >= *edge) {
            *clock_us = edge;
            continue;
        }
        *clock_us = candidate;
        if matches!(rate, RateCurve::Ramp { .. }) && rng.unit() * ceiling > rate.at(candidate) {
            continue;
        }
        return Some(candidate);
    }
    None
}

/// Draws cache keys.
#[derive(Clone, Debug)]
pub(crate) enum KeySampler {
    /// Every request uses key 0.
    Single,
    /// Uniform over `count` keys.
    Uniform { count: u32 },
    /// Zipf by inverse CDF over a precomputed table.
    Zipf { cdf: Vec<f64> },
}

impl KeySampler {
    pub(crate) fn new(keys: Option<Keys>) -> Self {
        match keys {
            None => Self::Single,
            Some(Keys::Uniform { count }) => Self::Uniform { count },
            Some(Keys::Zipf { count, s }) => {
                let mut total = 0.0;
                let mut cdf: Vec<f64> = (1..=count)
                    .map(|rank| {
                        total += 1.0 / libm::pow(f64::from(rank), s);
                        total
                    })
                    .collect();
                for value in &mut cdf {
                    *value /= total;
                }
                Self::Zipf { cdf }
            }
        }
    }

    /// Distinct keys this sampler can return.
    pub(crate) fn key_space(&self) -> u32 {
        match self {
            Self::Single => 1,
            Self::Uniform { count } => *count,
            Self::Zipf { cdf } => cdf.len() as u32,
        }
    }

    pub(crate) fn sample(&self, rng: &mut Stream) -> u32 {
        match self {
            Self::Single => 0,
            Self::Uniform { count } => rng.below(u64::from(*count)) as u32,
            Self::Zipf { cdf } => {
                let u = rng.unit();
                (cdf.partition_point(|p| *p <= u) as u32).min(cdf.len() as u32 - 1)
            }
        }
    }
}

/// The stream an endpoint's arrivals draw from.
pub(crate) fn arrival_stream(seed: u64, endpoint: u16) -> Stream {
    Stream::new(seed, StreamId::Arrivals(endpoint))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Span;

    fn count_until(arrivals: &mut Arrivals, end_us: u64) -> usize {
        let mut rng = arrival_stream(5, 0);
        std::iter::from_fn(|| arrivals.next(&mut rng)).take_while(|t| t.as_micros() < end_us).count()
    }

    #[test]
    fn constant_rate_is_evenly_spaced() {
        let mut a = Arrivals::new(&Load::Constant { rps: 4.0 }, 10_000_000);
        let mut rng = arrival_stream(1, 0);
        let times: Vec<u64> = (0..3).map(|_| a.next(&mut rng).unwrap().as_micros()).collect();
        assert_eq!(times, [0, 250_000, 500_000]);
    }

    #[test]
    fn poisson_ramp_and_spike_rates_are_about_right() {
        let ten_s = 10_000_000;
        let n = count_until(&mut Arrivals::new(&Load::Poisson { rps: 1_000.0 }, ten_s), ten_s);
        assert!((9_500..10_500).contains(&n), "poisson {n}");
        let n = count_until(&mut Arrivals::new(&Load::Ramp { from_rps: 0.0, to_rps: 2_000.0 }, ten_s), ten_s);
        assert!((9_500..10_500).contains(&n), "ramp {n}");
        let spike = Load::Spike { rps: 100.0, spike_rps: 5_000.0, from: Span::from_secs(2), to: Span::from_secs(3) };
        let n = count_until(&mut Arrivals::new(&spike, ten_s), ten_s);
        assert!((5_500..6_300).contains(&n), "spike {n}");
    }

    #[test]
    fn zipf_prefers_low_keys() {
        let sampler = KeySampler::new(Some(Keys::Zipf { count: 100, s: 1.1 }));
        let mut rng = Stream::new(1, StreamId::Keys(0));
        let mut counts = [0u32; 100];
        for _ in 0..100_000 {
            counts[sampler.sample(&mut rng) as usize] += 1;
        }
        assert!(counts[0] > counts[1] && counts[1] > counts[10] && counts[10] > counts[99]);
        assert_eq!(sampler.key_space(), 100);
    }
}
