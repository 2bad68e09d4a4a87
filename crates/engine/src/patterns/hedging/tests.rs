//! The latency window (tower's percentile delay) and the settings' checks.

use super::*;
use crate::patterns::document::PatternDoc;

const MS: u64 = 1_000;

#[test]
fn the_delay_is_the_previous_periods_percentile_once_it_has_enough_data() {
    let mut window = LatencyWindow::new(1_000 * MS, 90.0, 10);
    for i in 1..=9 {
        window.record(i * MS, i * 10 * MS);
    }
    assert_eq!(window.delay_us(999 * MS), None, "the current period does not count yet");
    assert_eq!(window.delay_us(1_000 * MS), None, "9 data points are below the minimum");
    for i in 1..=10 {
        window.record(1_000 * MS + i, i * 10 * MS);
    }
    // Nearest rank: the 9th of 10 sorted latencies.
    assert_eq!(window.delay_us(2_000 * MS), Some(90 * MS));
    assert_eq!(window.delay_us(4_500 * MS), None, "a period without data gives no delay");
}

#[test]
fn bad_settings_are_named() {
    let doc = HedgingDoc { max_hedged_attempts: 11, percentile: 0.0, min_data_points: 0, ..HedgingDoc::default() };
    let fields: Vec<_> = doc.parse().unwrap_err().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["max_hedged_attempts", "percentile", "min_data_points"]);
    assert_eq!(HedgingDoc::default().parse().unwrap().delay_us, 2_000 * MS, "Polly's default delay");
}
