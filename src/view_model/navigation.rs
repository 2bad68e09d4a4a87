//! Moving through a run: where the play head starts, stepping between events and state
//! changes, zooming and following a selection on the time axis. Pure functions, tested natively.

use resilience_engine::sim::TraceEvent;

/// How far before the first fault the play head starts, in microseconds.
const STORY_LEAD_US: u64 = 2_000_000;

/// Where the play head starts for a scenario: just before its first fault that does not start
/// at 0 (where the story begins), or at 0 without one.
pub fn story_start_us(scenario: &resilience_engine::Scenario) -> u64 {
    let end_us = scenario.duration.as_micros();
    scenario
        .services
        .iter()
        .flat_map(|service| &service.faults)
        .map(|fault| fault.window().0.as_micros())
        .filter(|from_us| *from_us > 0 && *from_us < end_us)
        .min()
        .map_or(0, |from_us| from_us.saturating_sub(STORY_LEAD_US.min(from_us / 2)))
}

/// The time of the next (`forward`) or previous trace event strictly after (before) `t_us`.
pub fn step_event(events: &[TraceEvent], t_us: u64, forward: bool) -> Option<u64> {
    if forward {
        let i = events.partition_point(|e| e.at_us <= t_us);
        events.get(i).map(|e| e.at_us)
    } else {
        let i = events.partition_point(|e| e.at_us < t_us);
        i.checked_sub(1).map(|i| events[i].at_us)
    }
}

/// The first of `times` (ascending) strictly after `t_us`.
pub fn next_after(times: &[u64], t_us: u64) -> Option<u64> {
    times.get(times.partition_point(|t| *t <= t_us)).copied()
}

/// Narrowest time window the views zoom to, in microseconds.
pub const WINDOW_MIN_US: u64 = 1_000;

/// The window `(from, to)` scaled by `factor` (< 1 zooms in) around `centre_us`, kept inside
/// `[0, end_us]` and never narrower than [`WINDOW_MIN_US`].
pub fn zoom_window(window: (u64, u64), centre_us: u64, factor: f64, end_us: u64) -> (u64, u64) {
    let (from, to) = (window.0 as f64, window.1 as f64);
    let centre = (centre_us as f64).clamp(from, to);
    let factor = if factor.is_finite() && factor > 0.0 { factor } else { 1.0 };
    let new_from = (centre - (centre - from) * factor).max(0.0);
    let new_to = (centre + (to - centre) * factor).min(end_us.max(1) as f64);
    if new_to - new_from < WINDOW_MIN_US as f64 { window } else { (new_from as u64, new_to as u64) }
}

/// The window shifted (same width) so that `t_us` is inside it, with a tenth of a margin;
/// unchanged when `t_us` is already comfortably inside.
pub fn window_showing(window: (u64, u64), t_us: u64, end_us: u64) -> (u64, u64) {
    let (from, to) = window;
    let width = to.saturating_sub(from).max(1);
    let margin = width / 10;
    if t_us >= from + margin && t_us + margin <= to {
        return window;
    }
    let new_from = t_us.saturating_sub(width / 2).min(end_us.saturating_sub(width));
    (new_from, new_from + width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use resilience_engine::sim::TraceKind;
    use resilience_engine::{Scenario, examples};

    #[test]
    fn windows_zoom_and_follow_within_the_run() {
        assert_eq!(zoom_window((0, 60_000_000), 30_000_000, 0.5, 60_000_000), (15_000_000, 45_000_000));
        assert_eq!(zoom_window((0, 60_000_000), 30_000_000, 4.0, 60_000_000), (0, 60_000_000), "clamped");
        assert_eq!(zoom_window((0, 1_500), 500, 0.1, 60_000_000), (0, 1_500), "never under 1 ms");
        assert_eq!(zoom_window((0, 10), 5, f64::NAN, 10), (0, 10));
        assert_eq!(window_showing((0, 10_000_000), 5_000_000, 60_000_000), (0, 10_000_000), "already shown");
        assert_eq!(window_showing((0, 10_000_000), 30_000_000, 60_000_000), (25_000_000, 35_000_000));
        assert_eq!(window_showing((0, 10_000_000), 59_000_000, 60_000_000), (50_000_000, 60_000_000));
        let events = [1, 5, 5, 9].map(|at_us| TraceEvent {
            at_us,
            request: 0,
            value: 0,
            kind: TraceKind::Arrival,
            layer: 0,
            attempt: 0,
        });
        assert_eq!((step_event(&events, 5, true), step_event(&events, 5, false)), (Some(9), Some(1)));
        assert_eq!((step_event(&events, 9, true), step_event(&events, 1, false)), (None, None));
        assert_eq!((next_after(&[3, 7], 3), next_after(&[3, 7], 7)), (Some(7), None));
    }

    #[test]
    fn the_story_starts_just_before_the_first_fault() {
        let scenario = |name: &str| Scenario::from_json(examples::gallery(name).unwrap()).unwrap();
        assert_eq!(story_start_us(&scenario("breaker-outage")), 18_000_000, "outage at 20 s");
        assert_eq!(story_start_us(&scenario("all-six")), 18_000_000, "errors from 0 s do not count");
        assert_eq!(story_start_us(&scenario("retry-storm")), 0, "no fault window");
    }
}
