//! What each station says in words at an instant, and the one-sentence summary that is the
//! diagram's text alternative.

use resilience_engine::catalog;

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
    /// A glyph before the headline (never the only cue: the headline says it in words).
    pub glyph: &'static str,
    /// The main reading ("open", "12/50 busy").
    pub headline: String,
    /// A second line ("3 queued", "outage").
    pub detail: String,
    /// True when the detail is an alert (a fault at the service).
    pub alert: bool,
    /// The headline's tone.
    pub tone: Tone,
    /// Slots or workers to draw as cells: (busy, capacity).
    pub slots: Option<(u32, u32)>,
}

impl Readout {
    fn plain(glyph: &'static str, headline: String, detail: String) -> Self {
        Self { glyph, headline, detail, alert: false, tone: Tone::Plain, slots: None }
    }
}

/// The breaker state's name, as `data-breaker` and the summary say it: the catalogue's word
/// for the state the gate is drawn in (open, half-open, or closed for every other state).
pub fn breaker_name(code: u8) -> &'static str {
    let drawn = if matches!(code, 1 | 2) { code } else { 0 };
    catalog::layer(BREAKER).and_then(|spec| spec.states.iter().find(|s| s.code == drawn)).map_or("?", |s| s.label)
}

/// `n word`, or nothing when `n` is 0 and `hide_zero`.
fn counted(n: u32, word: &str, hide_zero: bool) -> String {
    if n == 0 && hide_zero {
        return String::new();
    }
    let mut text = n.to_string();
    text.push(' ');
    text.push_str(word);
    text
}

impl DiagramModel {
    /// The fault active at the service at `t_us`, if any (an outage before any other).
    pub fn fault_at(&self, t_us: u64) -> Option<&'static str> {
        let mut active = self.faults.iter().filter(|(from, to, _)| *from <= t_us && t_us < *to).map(|f| f.2);
        let first = active.next()?;
        Some(if first == "outage" { first } else { active.find(|k| *k == "outage").unwrap_or(first) })
    }

    /// Every station's words at `t_us`, given its state then.
    pub fn readouts(&self, states: &[StationState], t_us: u64) -> Vec<Readout> {
        let stride = if self.stride > 1 {
            String::from("1 dot = ") + &counted(self.stride, "calls", false)
        } else {
            String::new()
        };
        self.stations
            .iter()
            .zip(states)
            .map(|(station, s)| match station.kind {
                StationKind::Client => Readout::plain("", String::new(), stride.clone()),
                StationKind::Pool | StationKind::Bulkhead => slots(s, station.capacity, "waiting"),
                StationKind::Service => {
                    let mut readout = slots(s, station.capacity, "queued");
                    if let Some(fault) = self.fault_at(t_us) {
                        (readout.detail, readout.alert) = (fault.to_owned(), true);
                    }
                    readout
                }
                StationKind::Breaker => {
                    let (glyph, tone) = match s.breaker {
                        1 => ("⊘", Tone::Bad),
                        2 => ("◐", Tone::Warn),
                        _ => ("●", Tone::Good),
                    };
                    let detail = counted(s.counts[1], "refused", false);
                    Readout { tone, ..Readout::plain(glyph, breaker_name(s.breaker).to_owned(), detail) }
                }
                StationKind::Retry => {
                    Readout::plain("↻", counted(s.waiting, "waiting", false), counted(s.counts[0], "retries", false))
                }
                StationKind::Timeout => Readout::plain("✂", counted(s.counts[0], "cut", false), String::new()),
                StationKind::Cache => {
                    let looked = u64::from(s.counts[0]) + u64::from(s.counts[1]);
                    let rate = (u64::from(s.counts[0]) * 100).checked_div(looked).unwrap_or(0) as u32;
                    Readout::plain("◆", counted(rate, "% hits", false), counted(s.counts[2], "stale", true))
                }
                StationKind::Fallback => Readout::plain("↪", counted(s.counts[0], "answered", false), String::new()),
                StationKind::RateLimiter => counters(station.kind, s, "⇥", 1, 0),
                StationKind::Throttle => counters(station.kind, s, "◔", 0, 1),
                StationKind::Hedging => counters(station.kind, s, "⇉", 0, 1),
                StationKind::AdaptiveLimit => {
                    let limit = s.limit.map_or_else(String::new, |l| String::from("≤ ") + &counted(l, "calls", false));
                    Readout::plain("⇅", limit, word_count(station.kind, s, 0, false))
                }
            })
            .collect()
    }

    /// One sentence about what the diagram shows at `t_us` (its text alternative).
    pub fn describe(&self, readouts: &[Readout], t_us: u64) -> String {
        let mut text = String::from("Live stack diagram (");
        for (i, station) in self.stations.iter().enumerate() {
            text.push_str(if i == 0 { "" } else { " → " });
            text.push_str(&kind_name(station.kind));
        }
        let tenths = t_us / 100_000;
        text.push_str(") at ");
        text.push_str(&(tenths / 10).to_string());
        text.push('.');
        text.push(char::from(b'0' + (tenths % 10) as u8));
        text.push_str(" s:");
        let mut first = true;
        for (station, readout) in self.stations.iter().zip(readouts).filter(|(_, r)| !r.headline.is_empty()) {
            text.push_str(if first { " " } else { "; " });
            first = false;
            text.push_str(&kind_name(station.kind));
            text.push(' ');
            text.push_str(&readout.headline);
            if !readout.detail.is_empty() {
                text.push_str(", ");
                text.push_str(&readout.detail);
            }
        }
        text.push('.');
        text
    }
}

/// The stations the engine catalogue does not describe: the web app's words for them.
const CLIENT: &str = "client";
/// See [`CLIENT`].
const SERVICE: &str = "service";
/// The catalogue's name of the circuit breaker layer.
const BREAKER: &str = "circuit_breaker";

/// The catalogue's entry for a station's layer kind (none for the client and the service).
fn spec_of(kind: StationKind) -> Option<&'static catalog::LayerSpec> {
    match kind {
        StationKind::Client | StationKind::Service => None,
        StationKind::Pool => Some(&catalog::CLIENT_POOL),
        StationKind::Fallback => catalog::layer("fallback"),
        StationKind::Cache => catalog::layer("cache"),
        StationKind::Breaker => catalog::layer(BREAKER),
        StationKind::Retry => catalog::layer("retry"),
        StationKind::Timeout => catalog::layer("timeout"),
        StationKind::Bulkhead => catalog::layer("bulkhead"),
        StationKind::RateLimiter => catalog::layer("rate_limiter"),
        StationKind::Hedging => catalog::layer("hedging"),
        StationKind::AdaptiveLimit => catalog::layer("adaptive_limit"),
        StationKind::Throttle => catalog::layer("throttle"),
    }
}

/// A station's name: its layer kind's catalogue label in lower case ("circuit breaker",
/// "client pool"), or the client's and the service's.
pub fn kind_name(kind: StationKind) -> String {
    match kind {
        StationKind::Client => CLIENT.to_owned(),
        StationKind::Service => SERVICE.to_owned(),
        _ => spec_of(kind).map_or_else(|| "?".to_owned(), |spec| spec.label.to_ascii_lowercase()),
    }
}

/// Counter `slot` of a station in the catalogue's word for it: "12 refused".
fn word_count(kind: StationKind, s: &StationState, slot: usize, hide_zero: bool) -> String {
    let word = spec_of(kind).and_then(|spec| spec.counters.get(slot)).copied().unwrap_or("?");
    counted(s.counts.get(slot).copied().unwrap_or(0), word, hide_zero)
}

/// A station read from two of its counters: the `headline` one, and the `detail` one when not 0.
fn counters(kind: StationKind, s: &StationState, glyph: &'static str, headline: usize, detail: usize) -> Readout {
    Readout::plain(glyph, word_count(kind, s, headline, false), word_count(kind, s, detail, true))
}

fn slots(s: &StationState, capacity: Option<u32>, queue_word: &str) -> Readout {
    let detail = counted(s.queued, queue_word, true);
    match capacity {
        Some(c) => {
            let mut headline = s.busy.to_string();
            headline.push('/');
            headline.push_str(&counted(c, "busy", false));
            Readout { slots: Some((s.busy, c)), ..Readout::plain("", headline, detail) }
        }
        None => Readout::plain("", counted(s.busy, "inside", false), detail),
    }
}
