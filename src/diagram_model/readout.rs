//! What each station says in words at an instant, and the one-sentence summary that is the
//! diagram's text alternative.

use super::{DiagramModel, StationKind, StationState};

/// How a readout's headline is coloured (always with a glyph or a word beside it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Plain text.
    Plain,
    /// Healthy (a closed breaker).
    Good,
    /// Trouble (an open breaker, a fault at the service, full slots).
    Bad,
    /// In between (a half-open breaker).
    Warn,
}

/// One station's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Readout {
    /// The main reading ("⊘ open", "12/50 busy").
    pub headline: String,
    /// A second line ("3 queued", "⚠ outage").
    pub detail: String,
    /// The headline's tone.
    pub tone: Tone,
    /// Slots or workers to draw as cells: (busy, capacity).
    pub slots: Option<(u32, u32)>,
}

/// The breaker state's name, as `data-breaker` and the summary say it.
pub fn breaker_name(code: u8) -> &'static str {
    match code {
        1 => "open",
        2 => "half-open",
        _ => "closed",
    }
}

impl DiagramModel {
    /// The fault active at the service at `t_us`, if any (the most severe one).
    pub fn fault_at(&self, t_us: u64) -> Option<&'static str> {
        const SEVERITY: [&str; 6] = ["outage", "throttle", "slowdown", "latency", "errors", "sequence"];
        let active = self.faults.iter().filter(|(from, to, _)| *from <= t_us && t_us < *to);
        active.min_by_key(|(_, _, kind)| SEVERITY.iter().position(|k| k == kind).unwrap_or(SEVERITY.len())).map(|f| f.2)
    }

    /// Every station's words at `t_us`, given its state then.
    pub fn readouts(&self, states: &[StationState], t_us: u64) -> Vec<Readout> {
        self.stations
            .iter()
            .zip(states)
            .map(|(station, s)| {
                let plain =
                    |headline: String, detail: String| Readout { headline, detail, tone: Tone::Plain, slots: None };
                match station.kind {
                    StationKind::Client if self.stride > 1 => {
                        plain(String::new(), format!("1 dot = {} calls", self.stride))
                    }
                    StationKind::Client => plain(String::new(), String::new()),
                    StationKind::Pool | StationKind::Bulkhead => slots(s, station.capacity, "waiting"),
                    StationKind::Service => {
                        let mut readout = slots(s, station.capacity, "queued");
                        if let Some(fault) = self.fault_at(t_us) {
                            readout.detail = format!("⚠ {fault}");
                            readout.tone = Tone::Bad;
                        }
                        readout
                    }
                    StationKind::Breaker => {
                        let (glyph, tone) = match s.breaker {
                            1 => ("⊘", Tone::Bad),
                            2 => ("◐", Tone::Warn),
                            _ => ("●", Tone::Good),
                        };
                        let headline = format!("{glyph} {}", breaker_name(s.breaker));
                        Readout { headline, detail: format!("{} refused", s.counts[1]), tone, slots: None }
                    }
                    StationKind::Retry => plain(format!("↻ {} waiting", s.waiting), format!("{} retries", s.counts[0])),
                    StationKind::Timeout => plain(format!("✂ {} cut", s.counts[0]), String::new()),
                    StationKind::Cache => {
                        let looked = u64::from(s.counts[0]) + u64::from(s.counts[1]);
                        let rate = (u64::from(s.counts[0]) * 100).checked_div(looked).unwrap_or(0);
                        let stale = if s.counts[2] > 0 { format!("{} stale", s.counts[2]) } else { String::new() };
                        plain(format!("◆ {rate} % hits"), stale)
                    }
                    StationKind::Fallback => plain(format!("↪ {} answered", s.counts[0]), String::new()),
                }
            })
            .collect()
    }

    /// One sentence about what the diagram shows at `t_us` (its text alternative).
    pub fn describe(&self, states: &[StationState], t_us: u64) -> String {
        let mut parts = Vec::new();
        for (station, s) in self.stations.iter().zip(states) {
            match station.kind {
                StationKind::Breaker => parts.push(format!(
                    "breaker {}{}",
                    breaker_name(s.breaker),
                    match s.breaker {
                        1 => ", refusing calls",
                        2 => ", letting a few probes through",
                        _ => ", letting calls through",
                    }
                )),
                StationKind::Retry => parts.push(format!("{} calls waiting to retry", s.waiting)),
                StationKind::Pool | StationKind::Bulkhead => {
                    let name = if station.kind == StationKind::Pool { "client pool" } else { "bulkhead" };
                    let capacity = station.capacity.unwrap_or(0);
                    parts.push(format!("{name} {}/{capacity} busy, {} waiting", s.busy, s.queued));
                }
                StationKind::Service => {
                    let fault = self.fault_at(t_us).map_or(String::new(), |f| format!(" ({f})"));
                    parts.push(match station.capacity {
                        Some(c) => format!("service {}/{c} workers busy{fault}", s.busy),
                        None => format!("service working on {} calls{fault}", s.busy),
                    });
                }
                _ => {}
            }
        }
        let names: Vec<&str> = self.stations.iter().map(|s| kind_name(s.kind)).collect();
        format!("Live stack diagram, {}, at {:.1} s: {}.", names.join(" → "), t_us as f64 / 1e6, parts.join("; "))
    }
}

/// A station kind's name.
pub fn kind_name(kind: StationKind) -> &'static str {
    match kind {
        StationKind::Client => "client",
        StationKind::Pool => "client pool",
        StationKind::Fallback => "fallback",
        StationKind::Cache => "cache",
        StationKind::Breaker => "breaker",
        StationKind::Retry => "retry",
        StationKind::Timeout => "timeout",
        StationKind::Bulkhead => "bulkhead",
        StationKind::Service => "service",
    }
}

fn slots(s: &StationState, capacity: Option<u32>, queue_word: &str) -> Readout {
    let detail = if s.queued > 0 { format!("{} {queue_word}", s.queued) } else { String::new() };
    match capacity {
        Some(c) => Readout {
            headline: format!("{}/{c} busy", s.busy),
            detail,
            tone: if s.busy >= c { Tone::Bad } else { Tone::Plain },
            slots: Some((s.busy, c)),
        },
        None => Readout { headline: format!("{} inside", s.busy), detail, tone: Tone::Plain, slots: None },
    }
}
