//! The form as a reader meets it: defaults that show something, refusals that point at the
//! field they are about, and sweeps some of whose cells cannot run.

use serde_json::json;

use super::form::{Fields, move_pick};
use super::tests::{act, drawn, example, run_pool, short_storm};
use crate::ops::Worker;

#[test]
fn a_refusal_marks_its_field_in_words_and_leaves_with_its_tab() {
    let mut coordinator = Worker::default();
    let doc = example("breaker-outage");
    let form = json!({"tab": "sweep", "k0_steps": "0"});
    let html = drawn(&act(&mut coordinator, &json!({"act": "run", "doc": doc, "form": form})));
    assert!(html.contains("Not run: Knob 1 steps: give a whole number from 1 to 40"), "{html}");
    assert!(
        html.contains(r#"name="k0_steps" aria-invalid="true" aria-describedby="odds-refused""#),
        "the field is marked and described by the refusal: {html}"
    );
    assert_eq!(html.matches("aria-invalid").count(), 1, "{html}");
    // The engine's objection, in the form's words: the knobs by their labels and names.
    let knob = "/endpoints/0/stack/0/circuit_breaker/failure_rate";
    let form = json!({"k0_steps": "3", "k0": knob, "k1": knob});
    let html = drawn(&act(&mut coordinator, &json!({"act": "run", "form": form})));
    assert!(
        html.contains(
            "Not run: Knob 2: product-page › 1. Circuit breaker › Failure rate threshold (%) is Knob 1&#39;s setting too"
        ),
        "{html}"
    );
    let refusal = html.split("id=\"odds-refused\">").nth(1).unwrap_or_default();
    assert!(!refusal.contains("sweep.knobs") && !refusal.contains("/endpoints/"), "{refusal}");
    assert!(html.contains(r#"name="k1" aria-invalid="true""#), "{html}");
    // Another tab: the refusal was about the sweep.
    let html = drawn(&act(&mut coordinator, &json!({"act": "tab", "arg": "seeds"})));
    assert!(!html.contains("Not run") && !html.contains("aria-invalid"), "{html}");
}

#[test]
fn a_sweep_with_cells_that_cannot_run_says_so_above_its_chart_and_in_its_status() {
    let mut coordinator = Worker::default();
    let mut doc = example("retry-storm");
    doc["duration"] = "10s".into();
    let knob = json!({"tab": "sweep", "k0": "/endpoints/0/stack/0/retry/max_attempts"});
    act(&mut coordinator, &json!({"act": "open", "doc": doc, "form": knob}));
    let form = json!({"k0_from": "0", "k0_to": "2", "k0_steps": "3", "cell_seeds": "1", "chart": "p99_ms"});
    act(&mut coordinator, &json!({"act": "run", "form": form}));
    let html = run_pool(&mut coordinator, 2, 1);
    assert!(html.contains("3 runs in 0.0 s on 1 worker; 1 cell of 3 could not run (see below)"), "{html}");
    let said = html.split("id=\"odds-invalid\">").nth(1).unwrap_or_default();
    assert!(
        said.starts_with("1 cell of 3 could not run: the scenario is invalid with its settings. For example cell 0 (place-order › 1. Retry › Max attempts (in total) = 0): "),
        "{said}"
    );
    let (above, chart) = (html.find("id=\"odds-invalid\"").unwrap_or(usize::MAX), html.find("<svg").unwrap_or(0));
    assert!(above < chart, "the reason comes before the chart");
    // The line chart marks the cell on its axis, in milliseconds from zero.
    let mark = html.split("data-act=\"cell\" data-arg=\"0\"").nth(1).unwrap_or_default();
    assert!(
        mark.contains(">×<title>place-order › 1. Retry › Max attempts (in total) = 0: invalid: cell 0 (place-order ›"),
        "{mark}"
    );
    assert!(html.contains(">× invalid setting</text>") && html.contains(">0 ms</text>"), "{html}");
}

#[test]
fn a_tipping_point_search_starts_from_a_fault_s_length_and_a_claim_that_tips() {
    let mut coordinator = Worker::default();
    let doc = example("breaker-outage");
    act(&mut coordinator, &json!({"act": "open", "doc": doc}));
    let html = drawn(&act(&mut coordinator, &json!({"act": "tab", "arg": "tip"})));
    assert!(html.contains(r#"<option value="/services/0/faults/0/outage/to" selected>"#), "{html}");
    // Of the three claims, the third (success in 45 s..60 s) holds with the outage ending at
    // 30 s and fails with it ending at the run's end, 60 s; the first two hold at both.
    assert!(html.contains(r#"<option value="2" selected>3: "#), "{html}");
    act(&mut coordinator, &json!({"act": "run", "form": {"t_seeds": "2"}}));
    let html = run_pool(&mut coordinator, 1, 0);
    let found = html.split("id=\"odds-tip\">").nth(1).unwrap_or_default();
    assert!(found.starts_with("Along inventory › fault 0: Outage › To: holds at "), "{found}");
    assert!(!found.contains("fails at —"), "the search finds where it tips: {found}");
    // How far the seeds agree, in words, and the probes as a chart: a point per probe, each
    // opening its run.
    let agree = html.split("id=\"odds-tip-seeds\">").nth(1).and_then(|t| t.split("</p>").next()).unwrap_or_default();
    assert!(
        agree.starts_with("Across the 2 seeds of each probe: every seed holds the claim from 30s to 40.")
            && agree.contains("s to 60s; in between the seeds disagree, so where it tips depends on the run"),
        "{agree}"
    );
    let chart =
        html.split("<svg class=\"tip-chart\"").nth(1).and_then(|c| c.split("</svg>").next()).unwrap_or_default();
    assert!(chart.contains("<rect class=\"disagree\""), "the band where the seeds disagree is shaded: {chart}");
    assert!(chart.contains("Outage › To: probes in order (not to scale)</text>"), "{chart}");
    let rows = html.matches("<tr class=").count();
    assert!(rows >= 3 && chart.matches("<circle class=\"probe").count() == rows, "{chart}");
    assert_eq!(chart.matches("data-act=\"probe\"").count(), rows, "{chart}");
}

#[test]
fn a_search_whose_claim_holds_at_both_ends_says_so_in_the_form_s_words() {
    let mut coordinator = Worker::default();
    let form =
        json!({"tab": "tip", "t_knob": "/duration", "t_from": "30s", "t_to": "120s", "t_claim": "0", "t_seeds": "2"});
    act(&mut coordinator, &json!({"act": "run", "doc": example("breaker-outage"), "form": form}));
    let html = run_pool(&mut coordinator, 1, 0);
    assert!(
        html.contains("and fails at — (it still holds at the end of the range: move “to (fails)” further"),
        "{html}"
    );
    assert!(html.contains("<p id=\"odds-tip-seeds\">All 2 seeds hold the claim at every value probed.</p>"), "{html}");
}

#[test]
fn an_embed_s_sweep_panel_says_what_it_would_run_runs_on_a_click_and_opens_a_cell_in_the_embed() {
    let mut coordinator = Worker::default();
    let mut doc = example("breaker-outage");
    doc["sweep"] = json!({"knobs": [
        {"path": "/endpoints/0/stack/0/circuit_breaker/failure_rate", "from": 20, "to": 80, "steps": 2},
        {"path": "/services/0/faults/0/outage/to", "values": ["25s", "55s"]}], "seeds": 2, "chart": "expect[2]"});
    let reply = act(&mut coordinator, &json!({"act": "open", "doc": doc, "embed": true}));
    let intro = reply["html"].as_str().unwrap_or_default();
    assert!(
        intro.starts_with("<p id=\"odds-embed-intro\">This scenario's sweep: share of seeds where claim 3 holds: success rate ≥ 99.0 % in 45s..60s over product-page › 1. Circuit breaker › Failure rate threshold (%) × inventory › fault 0: Outage › To, 4 cells of 2 seeds (8 runs).</p>"),
        "{intro}"
    );
    assert!(intro.contains("data-act=\"run\">Run the sweep</button>"), "{intro}");
    // The page sends its document with every act.
    act(&mut coordinator, &json!({"act": "run", "doc": doc, "embed": true}));
    run_pool(&mut coordinator, 2, 3);
    let html = drawn(&act(&mut coordinator, &json!({"act": "open", "doc": doc, "embed": true})));
    assert!(html.contains("8 runs in") && html.contains("<rect data-act=\"cell\""), "{html}");
    assert!(!html.contains("odds-csv"), "a sandboxed embed cannot download: {html}");
    assert!(html.contains("<h3>share of seeds where claim 3 holds: success rate ≥ 99.0 % in 45s..60s over "), "{html}");
    let opened = act(&mut coordinator, &json!({"act": "cell", "arg": "3", "doc": doc, "embed": true}));
    let said = opened["said"].as_str().unwrap_or_default();
    assert!(
        said.starts_with("Opened the run with product-page › 1. Circuit breaker › Failure rate threshold (%) = 80"),
        "{said}"
    );
    assert!(said.ends_with('.') && !said.contains("Ctrl+Z"), "an embed has no undo: {said}");
    // A stranger's link whose sweep is past the limits: refused, saying why, with no button.
    doc["sweep"]["knobs"][0]["steps"] = json!(99_999_999_999_999_999_u64);
    doc["sweep"]["seeds"] = json!(1_000_000);
    let html = drawn(&act(&mut Worker::default(), &json!({"act": "open", "doc": doc, "embed": true})));
    assert!(html.contains("Not run: the scenario&#39;s sweep, as written: sweep."), "{html}");
    assert!(!html.contains("odds-embed-intro"), "{html}");
}

#[test]
fn a_sweep_starts_from_a_fault_s_length_charting_a_claim_that_changes_across_it() {
    let mut coordinator = Worker::default();
    act(&mut coordinator, &json!({"act": "open", "doc": example("breaker-outage")}));
    let html = drawn(&act(&mut coordinator, &json!({"act": "tab", "arg": "sweep"})));
    let k0 = html.split("id=\"odds-k0\"").nth(1).and_then(|k| k.split("</select>").next()).unwrap_or_default();
    assert!(k0.contains(r#"<option value="/services/0/faults/0/outage/to" selected>"#), "{k0}");
    // The third claim (success in 45 s..60 s) holds with the outage ending at 30 s and fails
    // with it ending at 80 s: charted, the sweep shows where.
    assert!(html.contains(r#"<option value="expect[2]" selected>"#), "{html}");
    // A scenario without claims charts its success rate.
    let mut bare = example("breaker-outage");
    bare.as_object_mut().map(|o| o.remove("expect"));
    let html = drawn(&act(&mut Worker::default(), &json!({"act": "tab", "arg": "sweep", "doc": bare})));
    assert!(html.contains(r#"<option value="success_rate" selected>"#), "{html}");
}

#[test]
fn an_embed_names_a_large_scenario_s_claims_by_number_without_running_it() {
    let mut doc = example("retry-storm");
    doc["endpoints"][0]["load"] = json!({"constant": {"rps": 5000}});
    doc["sweep"] =
        json!({"knobs": [{"path": "/endpoints/0/stack/0/retry/max_attempts", "values": [1, 2]}], "chart": "expect[0]"});
    let mut coordinator = Worker::default();
    let reply = act(&mut coordinator, &json!({"act": "open", "doc": doc, "embed": true}));
    let intro = reply["html"].as_str().unwrap_or_default();
    assert!(intro.contains("This scenario's sweep: share of seeds where claim 1 holds over "), "{intro}");
    assert!(coordinator.odds.claim_words.is_empty(), "no run before the reader asks for one");
}

#[test]
fn the_chart_keys_move_the_picked_cell_within_its_axes_and_enter_opens_it() {
    let mut coordinator = Worker::default();
    // Both knobs picked anew start with their own ranges.
    let form = json!({"tab": "sweep", "k0": "/endpoints/0/stack/0/retry/max_attempts",
        "k1": "/endpoints/0/load/spike/rps", "cell_seeds": "1", "chart": "expect[0]"});
    act(&mut coordinator, &json!({"act": "run", "doc": short_storm(), "form": form}));
    run_pool(&mut coordinator, 2, 3);
    // Seven rows (2 to 8 attempts) by ten columns (150 to 600 rps): the keys stop at the edges.
    for (key, cell) in [
        ("ArrowRight", 1),
        ("End", 9),
        ("ArrowRight", 9),
        ("ArrowDown", 19),
        ("Home", 10),
        ("ArrowUp", 0),
        ("ArrowUp", 0),
        ("ArrowLeft", 0),
        ("ArrowRight", 1),
        ("ArrowDown", 11),
        ("ArrowDown", 21),
        ("ArrowDown", 31),
        ("ArrowDown", 41),
        ("ArrowDown", 51),
        ("ArrowDown", 61),
        ("ArrowDown", 61),
        ("Tab", 61),
    ] {
        let html = drawn(&act(&mut coordinator, &json!({"act": "move", "arg": key})));
        let picked = format!("class=\"picked\" data-act=\"cell\" data-arg=\"{cell}\"");
        assert!(html.contains(&picked), "{key} picks cell {cell}: {html}");
    }
    // The chart's name says the cell picked, in the editors' words; its help, the keys.
    let html = drawn(&act(&mut coordinator, &json!({"act": "form"})));
    let words = "; picked: place-order › 1. Retry › Max attempts (in total) = 8, place-order › Arrivals › Base rate (req/s) = 200: ";
    assert!(html.contains(words), "{html}");
    assert!(html.contains("aria-describedby=\"odds-chart-help\""), "{html}");
    assert!(html.contains("pick one with the arrow keys and press Enter"), "{html}");
    let reply = act(&mut coordinator, &json!({"act": "open-cell", "arg": "Enter"}));
    let edits = reply["edits"].as_array().expect("edits");
    assert_eq!(edits[0], json!(["/endpoints/0/stack/0/retry/max_attempts", 8]), "{reply}");
    assert_eq!(edits[1], json!(["/endpoints/0/load/spike/rps", 200]), "{reply}");
}

#[test]
fn a_line_chart_moves_its_point_left_and_right_only() {
    let mut fields = Fields::new();
    for (key, point) in [("ArrowRight", "1"), ("ArrowUp", "1"), ("End", "4"), ("ArrowLeft", "3"), ("Home", "0")] {
        move_pick(&mut fields, key, &[5]);
        assert_eq!(fields.get("open_row").map(String::as_str), Some(point), "{key}");
    }
    assert!(!fields.contains_key("open_column"));
    // A sweep of no knobs (none shown) moves nothing.
    move_pick(&mut fields, "ArrowRight", &[]);
    assert_eq!(fields.get("open_row").map(String::as_str), Some("0"));
}

#[test]
fn default_ranges_take_at_most_ten_values_a_round_step_apart() {
    let mut coordinator = Worker::default();
    let doc = example("breaker-outage");
    for (knob, from, to, steps) in [
        // 20 calls: 10 to 40, 5 apart (not 31 values, nor ten 3.33 apart).
        ("/endpoints/0/stack/0/circuit_breaker/minimum_calls", "10", "40", "7"),
        // 5 probes: 2 to 10, one apart, as they fit.
        ("/endpoints/0/stack/0/circuit_breaker/permitted_half_open", "2", "10", "9"),
        // 100 ms: 50 ms to 200 ms, 20 ms apart.
        ("/services/0/latency/lognormal/p99", "60ms", "200ms", "8"),
    ] {
        let form = json!({"tab": "sweep", "k0": knob});
        let html = drawn(&act(&mut coordinator, &json!({"act": "open", "doc": doc, "form": form})));
        for (field, value) in [("k0_from", from), ("k0_to", to)] {
            assert!(html.contains(&format!(r#"name="{field}" type="text" value="{value}""#)), "{knob}: {html}");
        }
        let steps = format!(r#"name="k0_steps" type="text" inputmode="numeric" value="{steps}""#);
        assert!(html.contains(&steps), "{knob}: {html}");
    }
}

#[test]
fn a_search_from_a_value_to_the_same_value_is_refused_at_its_to() {
    let mut coordinator = Worker::default();
    let form = json!({"tab": "tip", "t_from": "30s", "t_to": "30000ms"});
    let html = drawn(&act(&mut coordinator, &json!({"act": "run", "doc": example("breaker-outage"), "form": form})));
    assert!(html.contains("Not run: To: 30000ms is From too; give a value where the claim fails"), "{html}");
    assert!(html.contains(r#"name="t_to" aria-invalid="true""#), "{html}");
}

#[test]
fn a_duration_of_zero_needs_no_unit() {
    let mut coordinator = Worker::default();
    // A knob picked anew starts with its own range: picked first, then its range typed.
    let form = json!({"tab": "sweep", "k0": "/services/0/faults/0/outage/from"});
    act(&mut coordinator, &json!({"act": "form", "doc": example("breaker-outage"), "form": form}));
    let form = json!({"k0_from": "0", "k0_to": "10s", "k0_steps": "2", "cell_seeds": "1", "chart": "success_rate"});
    let html = drawn(&act(&mut coordinator, &json!({"act": "run", "form": form})));
    assert!(!html.contains("Not run"), "{html}");
    let html = run_pool(&mut coordinator, 1, 0);
    assert!(html.contains("= 0s: "), "{html}");
}
