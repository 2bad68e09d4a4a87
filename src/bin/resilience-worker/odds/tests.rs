//! The odds dialog driven as the page and the pool drive it: acts in, drawings out, jobs run by
//! several workers finishing in a shuffled order.

use serde_json::{Value, json};

use crate::ops::Worker;
use resilience_engine::examples;

pub(super) fn act(coordinator: &mut Worker, request: &Value) -> Value {
    let mut request = request.clone();
    request["op"] = "odds".into();
    serde_json::from_str(&coordinator.handle(&request.to_string(), &|| 0.0)).expect("every reply is JSON")
}

pub(super) fn example(name: &str) -> Value {
    serde_json::from_str(examples::gallery(name).expect("a gallery example")).expect("JSON")
}

/// Runs the coordinator's batch on `members` workers; each step finishes a job picked by
/// `order` among those out. Returns the final drawing.
pub(super) fn run_pool(coordinator: &mut Worker, members: usize, order: u64) -> String {
    let mut pool: Vec<Worker> = (0..members).map(|_| Worker::default()).collect();
    let mut busy = vec![false; members];
    let mut out: Vec<(usize, String)> = Vec::new();
    for step in 0u64.. {
        for (member, idle) in busy.iter_mut().enumerate() {
            if !*idle {
                if let Some(job) = coordinator.odds.next_job() {
                    out.push((member, job));
                    *idle = true;
                }
            }
        }
        if out.is_empty() {
            break;
        }
        let pick = usize::try_from(resilience_engine::splitmix64(order ^ step) % out.len() as u64).unwrap_or(0);
        let (member, job) = out.swap_remove(pick);
        let reply = pool[member].handle(&job, &|| 0.0);
        coordinator.odds.job_done(&reply, step as f64);
        busy[member] = false;
    }
    drawn(&coordinator.odds.view_with(0.0, true))
}

/// A reply's drawing, every part.
pub(super) fn drawn(reply: &Value) -> String {
    ["form", "status", "html"].map(|part| reply[part].as_str().unwrap_or_default().to_owned()).concat()
}

fn digest_of(html: &str) -> String {
    let start = html.find("id=\"odds-digest\">").expect("a finished batch shows its digest") + 17;
    html[start..start + 16].to_owned()
}

/// A short scenario with a claim that holds on some seeds only.
pub(super) fn short_storm() -> Value {
    let mut doc = example("retry-storm");
    doc["duration"] = "30s".into();
    doc
}

#[test]
fn seeds_give_the_same_odds_on_one_two_or_eight_workers_in_any_order() {
    let mut digests = Vec::new();
    for (members, order) in [(1, 1), (2, 2), (8, 3), (8, 4)] {
        let mut coordinator = Worker::default();
        let reply = act(
            &mut coordinator,
            &json!({"act": "run", "doc": short_storm(), "form": {"tab": "seeds", "seeds": "12"}}),
        );
        assert!(drawn(&reply).contains("0 of 12 runs"), "{reply}");
        assert_eq!(reply["html"], "", "the last batch's results are cleared");
        let html = run_pool(&mut coordinator, members, order);
        assert!(html.contains("12 runs in"), "{html}");
        assert!(html.contains("of seeds</b> ("), "each claim's share: {html}");
        assert!(html.contains("class=\"strip-plot\""), "strip plots: {html}");
        digests.push(digest_of(&html));
    }
    assert!(digests.windows(2).all(|w| w[0] == w[1]), "{digests:?}");
}

#[test]
fn a_seed_clicked_opens_its_run_and_a_cell_its_values_and_failing_seed() {
    let mut coordinator = Worker::default();
    act(&mut coordinator, &json!({"act": "run", "doc": short_storm(), "form": {"tab": "seeds", "seeds": "3"}}));
    run_pool(&mut coordinator, 2, 9);
    let reply = act(&mut coordinator, &json!({"act": "seed", "arg": "14"}));
    assert_eq!(reply["edits"], json!([["/seed", 14]]));
    assert_eq!(reply["said"], "Opened the run on seed 14 (Ctrl+Z goes back).");

    let form = json!({"tab": "sweep", "k0": "/endpoints/0/stack/0/retry/max_attempts", "k0_from": "1", "k0_to": "4",
        "k0_steps": "4", "k1": "", "cell_seeds": "2", "chart": "expect[0]"});
    act(&mut coordinator, &json!({"act": "run", "doc": short_storm(), "form": form}));
    let html = run_pool(&mut coordinator, 3, 5);
    assert!(html.contains("data-act=\"cell\" data-arg=\"3\""), "{html}");
    let csv = act(&mut coordinator, &json!({"act": "csv"}));
    assert_eq!(csv["download"]["name"], "sweep.csv");
    assert!(
        csv["download"]["text"].as_str().unwrap().starts_with("cell,/endpoints/0/stack/0/retry/max_attempts,runs"),
        "{csv}"
    );
    let reply = act(&mut coordinator, &json!({"act": "cell", "arg": "3"}));
    let edits = reply["edits"].as_array().expect("edits");
    assert_eq!(edits[0], json!(["/endpoints/0/stack/0/retry/max_attempts", 4]));
    assert_eq!(edits[1][0], "/seed");
    assert_eq!(edits[2][0], "/sweep", "the sweep goes into the document with the run it opens");
    let said = reply["said"].as_str().unwrap();
    assert!(
        said.starts_with("Opened the run with place-order › 1. Retry › Max attempts (in total) = 4 on seed "),
        "{said}"
    );
    assert_eq!(edits[2][1]["knobs"][0]["steps"], 4);
    let closed = act(&mut coordinator, &json!({"act": "close"}));
    assert_eq!(closed["edits"], json!([]), "written once: {closed}");
    let reply = act(&mut coordinator, &json!({"act": "open-cell", "form": {"open_row": "0"}}));
    assert_eq!(reply["edits"][0], json!(["/endpoints/0/stack/0/retry/max_attempts", 1]), "{reply}");
}

#[test]
fn the_seed_or_cell_picked_from_the_lists_is_marked_in_the_charts_and_opened_by_its_button() {
    let mut coordinator = Worker::default();
    act(&mut coordinator, &json!({"act": "run", "doc": short_storm(), "form": {"tab": "seeds", "seeds": "3"}}));
    let html = run_pool(&mut coordinator, 2, 9);
    let seeds: Vec<u64> = (0..3).map(|i| resilience_engine::odds::seed_at(13, i)).collect();
    assert!(html.contains(&format!("<option value=\"{}\" selected>seed {}", seeds[0], seeds[0])), "{html}");
    // Picking another seed rings its dot in every strip, and its button opens that run.
    let reply = act(&mut coordinator, &json!({"act": "form", "form": {"open_seed": seeds[2].to_string()}}));
    let html = drawn(&reply);
    let ringed = format!("picked\" data-act=\"seed\" data-arg=\"{}\"", seeds[2]);
    assert_eq!(html.matches(&ringed).count(), html.matches("class=\"strip-plot\"").count(), "{html}");
    assert_eq!(html.matches("picked\" data-act=\"seed\"").count(), html.matches(&ringed).count());
    let reply = act(&mut coordinator, &json!({"act": "open-seed"}));
    assert_eq!(reply["edits"], json!([["/seed", seeds[2]]]), "{reply}");

    // A two-knob sweep: the picked row and column outline one cell, the one the button opens.
    // (A second knob picked anew starts with its own range: 150 to 600 rps in 10 steps.)
    let form = json!({"tab": "sweep", "k0": "/endpoints/0/stack/0/retry/max_attempts", "k0_from": "1", "k0_to": "2",
        "k0_steps": "2", "k1": "/endpoints/0/load/spike/rps", "cell_seeds": "1", "chart": "expect[0]"});
    act(&mut coordinator, &json!({"act": "run", "doc": short_storm(), "form": form}));
    let html = run_pool(&mut coordinator, 2, 3);
    assert_eq!(html.matches("class=\"picked\"").count(), 1, "{html}");
    assert!(html.contains("class=\"picked\" data-act=\"cell\" data-arg=\"0\""), "the first until picked: {html}");
    let reply = act(&mut coordinator, &json!({"act": "form", "form": {"open_row": "1", "open_column": "2"}}));
    let html = drawn(&reply);
    assert!(html.contains("class=\"picked\" data-act=\"cell\" data-arg=\"12\""), "{reply}");
    // Its outline is drawn again on top of the chart, on the cell's box, last.
    let cell = html.split("data-arg=\"12\" ").nth(1).and_then(|c| c.split(" fill=").next()).unwrap_or_default();
    let ring =
        html.split("<rect class=\"pick-ring\" ").nth(1).and_then(|r| r.split(" fill=").next()).unwrap_or_default();
    assert!(!cell.is_empty() && cell == ring, "{cell} / {ring}");
    assert!(html.contains("fill=\"none\"/></svg>"), "the ring is drawn last: {html}");
    let reply = act(&mut coordinator, &json!({"act": "open-cell"}));
    let edits = reply["edits"].as_array().expect("edits");
    assert_eq!(edits[0], json!(["/endpoints/0/stack/0/retry/max_attempts", 2]), "{reply}");
    assert_eq!(edits[1], json!(["/endpoints/0/load/spike/rps", 250]), "{reply}");
    // A phone's page asks for the narrow chart, and keeps it until it says otherwise.
    let html = drawn(&act(&mut coordinator, &json!({"act": "form", "narrow": true})));
    assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"360\""), "{html}");
    assert!(drawn(&act(&mut coordinator, &json!({"act": "form"}))).contains("width=\"360\""));
    let html = drawn(&act(&mut coordinator, &json!({"act": "form", "narrow": false})));
    assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\""), "{html}");
}

#[test]
fn too_much_work_or_a_bad_field_is_refused_before_any_run_saying_why() {
    let mut coordinator = Worker::default();
    let mut huge = example("retry-storm");
    huge["duration"] = "3600s".into();
    let reply = act(&mut coordinator, &json!({"act": "run", "doc": huge, "form": {"tab": "seeds", "seeds": "1000"}}));
    let html = drawn(&reply);
    assert!(html.contains("Not run:") && html.contains("limit"), "{html}");
    assert!(coordinator.odds.next_job().is_none());
    let reply =
        act(&mut coordinator, &json!({"act": "run", "doc": short_storm(), "form": {"tab": "seeds", "seeds": "ten"}}));
    assert!(drawn(&reply).contains("Seeds: give a whole number from 1 to 1000, not &quot;ten&quot;"));
    assert!(!drawn(&reply).contains("role=\"alert\""), "read once, by the status region: {reply}");
    let form = json!({"tab": "sweep", "k0": "/endpoints/0/stack/0/retry/max_attempts", "k0_from": "1", "k0_to": "x"});
    let reply = act(&mut coordinator, &json!({"act": "run", "doc": short_storm(), "form": form}));
    assert!(drawn(&reply).contains("Knob 1 to: &quot;x&quot; is not a number"), "{reply}");
    // Values a whole-number field or a duration cannot take are refused by the form's own
    // names, before any cell is built.
    for (path, from, said) in [
        ("/endpoints/0/stack/0/retry/max_attempts", "-5", "Knob 1 from: the field takes whole numbers from 0 to"),
        ("/endpoints/0/stack/0/retry/max_attempts", "2.5", "Knob 1 from: the field takes whole numbers"),
        ("/endpoints/0/stack/0/retry/max_attempts", "1e308", "Knob 1 from: the field takes whole numbers"),
        ("/duration", "-10s", "Knob 1 from: duration &quot;-10s&quot; is negative"),
        ("/duration", "banana", "Knob 1 from: &quot;banana&quot; is not a duration"),
    ] {
        let form =
            json!({"tab": "sweep", "k0": path, "k0_from": from, "k0_to": "3", "k0_steps": "3", "cell_seeds": "1"});
        let mut fresh = Worker::default();
        act(&mut fresh, &json!({"act": "open", "doc": short_storm(), "form": {"tab": "sweep", "k0": path}}));
        let reply = act(&mut fresh, &json!({"act": "run", "form": form}));
        assert!(drawn(&reply).contains(said), "{from}: {reply}");
        assert!(fresh.odds.next_job().is_none());
    }
    let reply = act(&mut coordinator, &json!({"act": "run", "form": {"tab": "tip"}, "doc": example("breaker-outage")}));
    assert!(drawn(&reply).contains("Not run:"), "{reply}");
}

#[test]
fn cancel_stops_handing_out_jobs_and_keeps_the_partial_results() {
    let mut coordinator = Worker::default();
    act(&mut coordinator, &json!({"act": "run", "doc": short_storm(), "form": {"tab": "seeds", "seeds": "40"}}));
    let job = coordinator.odds.next_job().expect("a job");
    let reply = Worker::default().handle(&job, &|| 0.0);
    coordinator.odds.job_done(&reply, 1.0);
    let reply = act(&mut coordinator, &json!({"act": "cancel"}));
    assert!(coordinator.take_stop_jobs(), "the pool is told to stop");
    assert!(coordinator.odds.next_job().is_none());
    let html = drawn(&reply);
    assert!(html.contains("Cancelled after ") && html.contains(" of 40 runs: the results below are partial"), "{html}");
    assert!(html.contains("holds on"), "the partial results stay: {html}");
}

#[test]
fn a_documents_sweep_fills_the_form_and_hostile_text_is_escaped() {
    let mut doc = short_storm();
    doc["endpoints"][0]["name"] = "<img src=x onerror=alert(1)>".into();
    doc["sweep"] =
        json!({"knobs": [{"path": "/endpoints/0/stack/0/retry/max_attempts", "values": [1, 2, 3]}], "seeds": 3});
    let mut coordinator = Worker::default();
    let html = drawn(&act(&mut coordinator, &json!({"act": "open", "doc": doc})));
    assert!(html.contains("aria-pressed=\"true\">Sweep"), "{html}");
    assert!(html.contains("name=\"k0_steps\" type=\"text\" inputmode=\"numeric\" value=\"3\""), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt; › 1. Retry › Max attempts (in total)"), "{html}");
    assert!(!html.contains("Not run:"), "a sweep that can run says nothing: {html}");
    // A link's sweep that cannot run as written says why as the dialog opens.
    let mut bad = short_storm();
    bad["sweep"] = json!({"knobs": [{"path": "/nope/0", "from": 1, "to": 3, "steps": -3}], "chart": "expect[9]"});
    let html = drawn(&act(&mut Worker::default(), &json!({"act": "open", "doc": bad})));
    assert!(html.contains("Not run: the scenario&#39;s sweep, as written: sweep.knobs[0]"), "{html}");
    assert!(html.contains("The form shows what it could keep."), "{html}");
    // Too many runs is said as the dialog opens too, without building a cell.
    let mut huge = short_storm();
    huge["sweep"] = json!({"knobs": [
        {"path": "/endpoints/0/stack/0/retry/max_attempts", "from": 1, "to": 40, "steps": 40},
        {"path": "/duration", "from": "10s", "to": "40s", "steps": 40}], "seeds": 1000});
    let html = drawn(&act(&mut Worker::default(), &json!({"act": "open", "doc": huge})));
    assert!(html.contains("sweep: this sweep would simulate 1.6 million runs, 8× the limit of 200000"), "{html}");
}

#[test]
fn a_tipping_point_search_spreads_each_probes_seeds_over_the_pool_with_the_same_result() {
    let form = json!({"tab": "tip", "t_knob": "/endpoints/0/stack/0/retry/max_attempts", "t_from": "4", "t_to": "1",
        "t_claim": "0", "t_seeds": "6"});
    let mut digests = Vec::new();
    for (members, order) in [(1, 1), (2, 2), (8, 3)] {
        let mut coordinator = Worker::default();
        let reply = act(&mut coordinator, &json!({"act": "run", "doc": short_storm(), "form": form, "cores": 3.0}));
        assert!(drawn(&reply).contains("Searching: probe 1 of at most 5, 6 seeds each on 2 workers"), "{reply}");
        // The first probe's six seeds go out as several jobs, for the workers to share.
        let first = coordinator.odds.next_job().expect("a job");
        assert!(first.contains("\"kind\":\"seeds\"") && first.contains("\"to\":1"), "{first}");
        coordinator.odds.job_done(&Worker::default().handle(&first, &|| 0.0), 0.0);
        let html = run_pool(&mut coordinator, members, order);
        assert!(html.contains("id=\"odds-tip\""), "{html}");
        assert!(html.contains("data-act=\"probe\""), "{html}");
        assert!(html.contains(" runs (1 probe) in ") || html.contains(" probes) in "), "{html}");
        assert!(!html.contains("(searching)"), "a search over says what it found: {html}");
        digests.push(digest_of(&html));
    }
    assert!(digests.windows(2).all(|w| w[0] == w[1]), "{digests:?}");
}

#[test]
fn a_search_that_bisects_ends_saying_where_the_claim_flips() {
    let doc = example("retries-every-layer");
    let knob = "/services/0/faults/0/outage/to";
    let mut coordinator = Worker::default();
    // As the page does it: the knob is picked first (which resets its range), then the range.
    act(&mut coordinator, &json!({"act": "form", "doc": doc, "form": {"tab": "tip", "t_knob": knob}}));
    let form = json!({"tab": "tip", "t_knob": knob, "t_from": "40s", "t_to": "21s", "t_claim": "0", "t_seeds": "2"});
    act(&mut coordinator, &json!({"act": "run", "doc": doc, "form": form, "cores": 3.0}));
    let html = run_pool(&mut coordinator, 2, 5);
    assert!(html.contains(" and fails at ") && html.contains("(it flips between these two)"), "{html}");
    assert!(!html.contains("(searching)"), "a search over says what it found: {html}");
    assert!(
        html.contains("aria-label=\"Open the run of probe 1 (40s)\">Open</button>"),
        "each Open says which: {html}"
    );
}

#[test]
fn the_pool_has_a_worker_per_core_but_the_pages_or_as_many_as_the_address_asks() {
    use crate::ops::pool_size;
    assert_eq!(pool_size(&json!({"cores": 2.0})), 1);
    assert_eq!(pool_size(&json!({"cores": 4.0})), 3);
    assert_eq!(pool_size(&json!({"cores": 1.0})), 1);
    assert_eq!(pool_size(&json!({"cores": 64.0})), 8);
    assert_eq!(pool_size(&json!({"cores": 2.0, "search": "?theme=dark&workers=3"})), 3);
    assert_eq!(pool_size(&json!({"cores": 2.0, "search": "?workers=0"})), 1);
    assert_eq!(pool_size(&json!({"search": "?workers=many"})), 1);
}

#[test]
fn a_thousand_seeds_draw_a_sample_of_dots_but_count_every_seed() {
    let mut coordinator = Worker::default();
    let mut doc = short_storm();
    doc["duration"] = "2s".into();
    act(&mut coordinator, &json!({"act": "run", "doc": doc, "form": {"tab": "seeds", "seeds": "1000"}}));
    let html = run_pool(&mut coordinator, 2, 7);
    assert!(html.contains("1000 runs in"), "{html}");
    assert!(html.contains("a dot for one seed in 5"), "{html}");
    // A claim lists its first 12 failing seeds and says how many more fail.
    let claim = html.split("id=\"odds-claim-0\"").nth(1).and_then(|c| c.split("</li>").next()).unwrap_or_default();
    let counts = claim.split("</b> (").nth(1).and_then(|c| c.split(')').next()).unwrap_or_default();
    let (held, runs) = counts.split_once(" of ").unwrap_or_default();
    let failing = runs.parse::<usize>().unwrap_or(0) - held.parse::<usize>().unwrap_or(0);
    assert!(failing > 12, "{claim}");
    assert_eq!(claim.matches("data-act=\"seed\"").count(), 12, "{claim}");
    assert!(claim.ends_with(&format!("and {} more", failing - 12)), "{claim}");
    let first_strip = html.split("class=\"strip-plot\"").nth(1).unwrap().split("</svg>").next().unwrap();
    assert_eq!(first_strip.matches("<circle").count(), 200);
}

#[test]
fn a_drawing_without_results_keeps_the_form_and_status() {
    let mut coordinator = Worker::default();
    act(&mut coordinator, &json!({"act": "run", "doc": short_storm(), "form": {"tab": "seeds", "seeds": "4"}}));
    let light = coordinator.odds.view_with(0.0, false);
    assert!(light.get("html").is_none(), "no results: {light}");
    assert!(light["status"].as_str().unwrap().contains("0 of 4 runs"), "{light}");
    assert!(coordinator.odds.view_with(0.0, true).get("html").is_some());
}

/// Puts a push's `parts` into `page` as the page does: each part's HTML replaces the contents of
/// the element with its id (a heatmap row's `<g>`).
fn apply_parts(page: &mut String, parts: &[Value]) {
    for part in parts {
        let (id, html) = (part[0].as_str().expect("an id"), part[1].as_str().expect("html"));
        let open = format!("<g id=\"{id}\">");
        let start = page.find(&open).expect("the row is on the page") + open.len();
        let end = start + page[start..].find("</g>").expect("the row's end");
        page.replace_range(start..end, html);
    }
}

#[test]
fn a_sweeps_pushes_redraw_only_the_rows_that_changed_and_the_page_ends_up_with_the_whole_chart() {
    let mut coordinator = Worker::default();
    let form = json!({"tab": "sweep", "k0": "/endpoints/0/stack/0/retry/max_attempts", "k0_from": "1", "k0_to": "4",
        "k0_steps": "4", "k1": "/services/0/capacity/concurrency", "k1_from": "10", "k1_to": "40", "k1_steps": "4",
        "cell_seeds": "2", "chart": "expect[0]"});
    let reply = act(&mut coordinator, &json!({"act": "run", "doc": short_storm(), "form": form}));
    let mut page = reply["html"].as_str().expect("the results area is cleared").to_owned();
    let (mut patched, mut whole) = (0, 0);
    while let Some(job) = coordinator.odds.next_job() {
        let done = Worker::default().handle(&job, &|| 0.0);
        coordinator.odds.job_done(&done, 1.0);
        let push = coordinator.odds.push_view(1.0, true);
        match (push.get("html"), push.get("parts")) {
            (Some(html), None) => {
                page = html.as_str().expect("html").to_owned();
                whole += 1;
            }
            (None, Some(Value::Array(parts))) => {
                assert!(parts.len() < 4, "only the rows that changed: {parts:?}");
                apply_parts(&mut page, parts);
                patched += 1;
                if patched == 1 {
                    // The dialog closed and opened again: its reply clears the results area, so
                    // the next push draws it whole.
                    let reply = act(&mut coordinator, &json!({"act": "open"}));
                    let html = coordinator.odds.view_with(1.0, true)["html"].as_str().expect("html").to_owned();
                    assert_eq!(page, html);
                    page = reply["html"].as_str().expect("cleared while running").to_owned();
                    continue;
                }
            }
            other => panic!("a push has html or parts: {other:?}"),
        }
        let html = coordinator.odds.view_with(1.0, true)["html"].as_str().expect("html").to_owned();
        assert_eq!(page, html, "the page shows what a whole drawing would");
    }
    assert!(patched > 1 && whole > 1, "{patched} patched, {whole} whole");
}

#[test]
fn a_knob_picked_anew_starts_with_a_range_whose_cells_all_run() {
    // Half to twice the outage's end (40 s) would start at its start (20 s), which is invalid:
    // the range's ends move back toward 40 s until the document is valid with them; and twice
    // it would end past the run (60 s): a moment in the run stays in the run. Seven values, 5 s
    // apart.
    let mut coordinator = Worker::default();
    let doc = example("breaker-outage");
    let form = json!({"tab": "sweep", "k0": "/services/0/faults/0/outage/to"});
    let reply = act(&mut coordinator, &json!({"act": "open", "doc": doc, "form": form}));
    let html = drawn(&reply);
    assert!(html.contains(r#"name="k0_from" type="text" value="30s""#), "{html}");
    assert!(html.contains(r#"name="k0_to" type="text" value="60s""#), "{html}");
    assert!(html.contains(r#"name="k0_steps" type="text" inputmode="numeric" value="7""#), "{html}");
    let form = json!({"k0_steps": "3", "cell_seeds": "1", "chart": "success_rate"});
    act(&mut coordinator, &json!({"act": "run", "form": form}));
    let html = run_pool(&mut coordinator, 1, 0);
    assert!(
        !html.contains("make the scenario invalid") && html.contains("= 30s: 82.7 %") && html.contains("= 60s: 32.4 %"),
        "{html}"
    );
    // The chart says what it charts and sweeps in words, not by field names.
    let named = "success rate (%) over inventory › fault 0: Outage › To";
    assert!(html.contains(&format!("<h3>{named}</h3>")) && html.contains(&format!("<title>{named}</title>")), "{html}");
    let chart = html.split("id=\"odds-heatmap\"").nth(1).and_then(|c| c.split("</svg>").next()).unwrap_or_default();
    assert!(
        chart.contains("<title>inventory › fault 0: Outage › To = 30s: 82.7 %") && !chart.contains("/services/"),
        "{chart}"
    );
}

#[test]
fn starting_another_tabs_batch_stops_the_running_one_says_so_and_each_tab_keeps_its_own_results() {
    let mut coordinator = Worker::default();
    let form = json!({"tab": "sweep", "k0": "/endpoints/0/stack/0/retry/max_attempts", "k0_from": "1", "k0_to": "3",
        "k0_steps": "3", "cell_seeds": "2", "chart": "success_rate"});
    let knob = json!({"tab": "sweep", "k0": "/endpoints/0/stack/0/retry/max_attempts"});
    act(&mut coordinator, &json!({"act": "open", "doc": short_storm(), "form": knob}));
    act(&mut coordinator, &json!({"act": "run", "form": form}));
    // One job of the sweep comes back, then the reader starts seeds on the other tab.
    let job = coordinator.odds.next_job().expect("the sweep hands out a job");
    let reply = Worker::default().handle(&job, &|| 0.0);
    coordinator.odds.job_done(&reply, 1.0);
    let reply = act(&mut coordinator, &json!({"act": "run", "form": {"tab": "seeds", "seeds": "3"}}));
    let said = drawn(&reply);
    assert!(
        said.contains("Stopped the sweep at 1 of 6 runs to start this; its results so far stay on its tab."),
        "{said}"
    );
    let seeds = run_pool(&mut coordinator, 1, 3);
    assert!(seeds.contains("3 runs in") && seeds.contains("across 3 seeds"), "{seeds}");
    // Back on the sweep's tab: its partial results, cancelled, not the seeds'.
    let sweep = drawn(&act(&mut coordinator, &json!({"act": "tab", "arg": "sweep"})));
    assert!(sweep.contains("Cancelled after 1 of 6 runs") && sweep.contains("odds-heatmap"), "{sweep}");
    assert!(!sweep.contains("Stopped the sweep"), "said once, not on every drawing after: {sweep}");
    assert!(!sweep.contains("across 3 seeds"), "{sweep}");
    // A tab that never ran shows no results.
    let tip = drawn(&act(&mut coordinator, &json!({"act": "tab", "arg": "tip"})));
    assert!(
        !tip.contains("odds-heatmap") && !tip.contains("across 3 seeds") && !tip.contains("odds-progress"),
        "{tip}"
    );
}

#[test]
fn a_refused_run_leaves_the_running_batch_going_to_its_end() {
    let mut coordinator = Worker::default();
    act(&mut coordinator, &json!({"act": "run", "doc": short_storm(), "form": {"tab": "seeds", "seeds": "6"}}));
    coordinator.take_stop_jobs();
    let out = coordinator.odds.next_job().expect("the batch hands out a job");
    let reply = act(&mut coordinator, &json!({"act": "run", "form": {"tab": "seeds", "seeds": "ten"}}));
    assert!(drawn(&reply).contains("Seeds: give a whole number"), "{reply}");
    assert!(!coordinator.take_stop_jobs(), "the running batch's jobs are not stopped");
    coordinator.odds.job_done(&Worker::default().handle(&out, &|| 0.0), 1.0);
    let html = run_pool(&mut coordinator, 1, 5);
    assert!(html.contains("6 runs in"), "{html}");
}

#[test]
fn run_again_during_its_own_batch_says_what_it_replaced() {
    let mut coordinator = Worker::default();
    act(&mut coordinator, &json!({"act": "run", "doc": short_storm(), "form": {"tab": "seeds", "seeds": "6"}}));
    let out = coordinator.odds.next_job().expect("the batch hands out a job");
    coordinator.odds.job_done(&Worker::default().handle(&out, &|| 0.0), 1.0);
    let said = drawn(&act(&mut coordinator, &json!({"act": "run"})));
    assert!(
        said.contains(
            "Started again: the last batch of seeds stopped at 1 of 6 runs, and this one&#39;s results replace its."
        ),
        "{said}"
    );
    assert!(coordinator.take_stop_jobs(), "the replaced batch's jobs stop");
    assert!(run_pool(&mut coordinator, 1, 5).contains("6 runs in"));
}
