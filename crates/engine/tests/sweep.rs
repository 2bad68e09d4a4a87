//! The `sweep` section: every wrong entry named by its path, cells in a fixed order, invalid
//! cells reported per cell, the section ignored by the run model, and the chart as SVG.
#![cfg(not(target_arch = "wasm32"))]

use resilience_engine::Scenario;
use resilience_engine::odds::{self, Plan, svg};
use serde_json::{Value, json};

fn storm() -> Value {
    serde_json::from_str(include_str!("fixtures/odds/retry-storm-sweep.json")).expect("fixture is JSON")
}

/// The fixture with `sweep` replaced.
fn with_sweep(sweep: Value) -> Value {
    let mut doc = storm();
    doc["sweep"] = sweep;
    doc
}

fn attempts() -> Value {
    json!({ "path": "/endpoints/0/stack/0/retry/max_attempts", "from": 1, "to": 4, "steps": 4 })
}

#[test]
fn every_wrong_sweep_entry_is_an_error_naming_its_path() {
    let knob = |path: &str| json!({ "path": path, "values": [1, 2] });
    let cases = [
        (json!({ "knobs": [] }), "sweep.knobs: must list one or two knobs, got 0"),
        (json!({ "knobs": [attempts(), attempts(), attempts()] }), "sweep.knobs: must list one or two knobs, got 3"),
        (
            json!({ "knobs": [attempts(), knob("/endpoints/0/stack/9")] }),
            "sweep.knobs[1].path: /endpoints/0/stack/9 does not exist",
        ),
        (
            json!({ "knobs": [knob("/endpoints/0/stack")] }),
            "sweep.knobs[0].path: /endpoints/0/stack holds a list, not a number or a duration",
        ),
        (
            json!({ "knobs": [knob("/name")] }),
            "sweep.knobs[0].path: /name holds the text \"Retry storm, swept: retry attempts × spi\", not a number or a duration",
        ),
        (
            json!({ "knobs": [knob("endpoints/0")] }),
            "sweep.knobs[0].path: \"endpoints/0\" is not a JSON pointer (it starts with /, as in /services/0/capacity/concurrency)",
        ),
        (
            json!({ "knobs": [knob("/expect/0/success_rate/at_least")] }),
            "sweep.knobs[0].path: /expect/0/success_rate/at_least is an assertion, not a setting; a knob sets a field of the scenario",
        ),
        (
            json!({ "knobs": [knob("/sweep/seeds")] }),
            "sweep.knobs[0].path: /sweep/seeds is the sweep itself; a knob sets a field of the scenario",
        ),
    ];
    for (sweep, expected) in cases {
        let error = Plan::new(&with_sweep(sweep.clone())).map(|_| ()).unwrap_err().to_string();
        assert_eq!(error, expected, "{sweep}");
    }
}

#[test]
fn every_wrong_value_count_or_chart_is_an_error_naming_its_path() {
    let cases = [
        (
            json!({ "knobs": [{ "path": "/seed", "from": 1, "to": 2, "steps": 0 }] }),
            "sweep.knobs[0].steps: must be between 1 and 40, got 0",
        ),
        (
            json!({ "knobs": [{ "path": "/seed", "from": 1, "to": 2, "steps": 41 }] }),
            "sweep.knobs[0].steps: must be between 1 and 40, got 41",
        ),
        (
            json!({ "knobs": [{ "path": "/seed", "values": [] }] }),
            "sweep.knobs[0].values: must list 1 to 40 values, got 0",
        ),
        (
            json!({ "knobs": [{ "path": "/endpoints/0/load/spike/to", "values": ["21s", 5] }] }),
            "sweep.knobs[0].values[1]: the field is a duration: write one, as in \"250ms\"",
        ),
        (
            json!({ "knobs": [{ "path": "/endpoints/0/load/spike/to", "values": ["21 parsecs"] }] }),
            "sweep.knobs[0].values[0]: unknown duration unit \"parsecs\" in \"21 parsecs\" (use us, ms, s, m or h)",
        ),
        (
            json!({ "knobs": [{ "path": "/seed", "from": "one", "to": 2, "steps": 2 }] }),
            "sweep.knobs[0].from: the field is a number: write one",
        ),
        (
            json!({ "knobs": [{ "path": "/seed", "from": 1, "values": [1] }] }),
            "sweep.knobs[0]: give either values: [...] or from, to and steps",
        ),
        (
            json!({ "knobs": [attempts(), attempts()] }),
            "sweep.knobs[1].path: /endpoints/0/stack/0/retry/max_attempts is knobs[0]'s field too",
        ),
        (json!({ "knobs": [attempts()], "seeds": 0 }), "sweep.seeds: must be between 1 and 1000 seeds, got 0"),
        (json!({ "knobs": [attempts()], "seeds": 1001 }), "sweep.seeds: must be between 1 and 1000 seeds, got 1001"),
        (
            json!({ "knobs": [attempts()], "chart": "nope" }),
            "sweep.chart: unknown chart \"nope\"; one of success_rate, goodput_rps, p99_ms, amplification, recovery_ms[K] or expect[N]",
        ),
        (
            json!({ "knobs": [attempts()], "chart": "expect[3]" }),
            "sweep.chart: expect[3]: the document has 3 assertion(s)",
        ),
        (
            json!({ "knobs": [attempts()], "chart": "recovery_ms[0]" }),
            "sweep.chart: recovery_ms[0]: the scenario has 0 fault(s)",
        ),
        (json!([1]), "sweep: expected an object: { \"knobs\": [...], \"seeds\": N, \"chart\": \"...\" }"),
    ];
    for (sweep, expected) in cases {
        let error = Plan::new(&with_sweep(sweep.clone())).map(|_| ()).unwrap_err().to_string();
        assert_eq!(error, expected, "{sweep}");
    }
    let unknown = Plan::new(&with_sweep(json!({ "knobs": [{ "path": "/seed", "step": 1 }] }))).unwrap_err();
    assert_eq!(unknown.path, "sweep.knobs[0]");
    assert!(unknown.message.starts_with("unknown field `step`"), "{unknown}");
    let none = Plan::new(
        &storm()
            .as_object()
            .map(|o| {
                let mut o = o.clone();
                o.remove("sweep");
                Value::Object(o)
            })
            .unwrap(),
    );
    assert_eq!(none.unwrap_err().to_string(), "sweep: the document has no sweep section");
}

#[test]
fn cells_run_row_major_and_values_are_interpolated_in_the_field_s_unit() {
    let doc = with_sweep(json!({ "knobs": [
        { "path": "/endpoints/0/stack/0/retry/max_attempts", "from": 1, "to": 2, "steps": 3 },
        { "path": "/endpoints/0/stack/1/timeout/timeout", "from": "100ms", "to": "1s", "steps": 4 }
    ] }));
    let cells = odds::cells(&doc).unwrap();
    assert_eq!(cells.len(), 12);
    let values: Vec<(Value, Value)> = cells.iter().map(|c| (c.values[0].clone(), c.values[1].clone())).collect();
    assert_eq!(
        values[..5],
        [
            (json!(1), json!("100ms")),
            (json!(1), json!("400ms")),
            (json!(1), json!("700ms")),
            (json!(1), json!("1s")),
            (json!(2), json!("100ms")),
        ]
    );
    assert_eq!(values[11], (json!(2), json!("1s")), "1.5 rounds to 2 for a whole-number field");
    assert_eq!(cells[6].coords, [1, 2]);
    let plan = Plan::new(&doc).unwrap();
    assert_eq!(plan.sweep().first_seed, 13, "default: the document's seed");
    assert_eq!(plan.sweep().chart, odds::Chart::Assertion(0), "default: the first assertion");
}

#[test]
fn an_invalid_cell_is_reported_for_that_cell_and_the_others_run() {
    let mut doc = with_sweep(json!({ "knobs": [
        { "path": "/endpoints/0/stack/0/retry/max_attempts", "values": [0, -1, 2] }
    ], "chart": "success_rate" }));
    doc["duration"] = json!("5s");
    let plan = Plan::new(&doc).unwrap();
    let outcomes: Vec<_> = (0..plan.runs()).map(|r| plan.run(r).unwrap()).collect();
    let zero = outcomes[0].invalid.as_deref().unwrap();
    assert!(
        zero.starts_with(
            "cell 0 (/endpoints/0/stack/0/retry/max_attempts = 0): endpoints[0].stack[0].retry.max_attempts"
        ),
        "{zero}"
    );
    assert!(
        outcomes[1].invalid.as_deref().unwrap().starts_with("cell 1 (/endpoints/0/stack/0/retry/max_attempts = -1): ")
    );
    assert!(outcomes[2].invalid.is_none() && outcomes[2].run.is_some());
    let result = plan.summarize(&outcomes);
    assert_eq!(
        result.cells.iter().map(|c| (c.runs, c.value.is_some())).collect::<Vec<_>>(),
        [(0, false), (0, false), (1, true)]
    );
    assert_eq!(plan.run(3), None);
    assert_eq!(
        odds::run_cell(&doc, 3, 0).unwrap_err().to_string(),
        "sweep: no run of cell 3 on seed 0: the sweep has 3 cells × 1 seeds"
    );
}

#[test]
fn the_run_model_ignores_the_sweep_section() {
    let with = Scenario::from_json(&storm().to_string()).unwrap();
    let mut bare = storm();
    bare.as_object_mut().unwrap().remove("sweep");
    assert_eq!(with, Scenario::from_json(&bare.to_string()).unwrap());
}

/// A well-formedness check: tags balance, attribute values are quoted, text holds no raw `<`
/// and every `&` starts an entity.
fn well_formed(xml: &str) -> Result<usize, String> {
    let (mut stack, mut elements, mut rest) = (Vec::new(), 0, xml);
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        if text.split('&').skip(1).any(|t| !["amp;", "lt;", "gt;", "quot;"].iter().any(|e| t.starts_with(e))) {
            return Err(format!("bare & in {text:?}"));
        }
        let close = rest[open..].find('>').ok_or("unclosed tag")? + open;
        let tag = &rest[open + 1..close];
        if tag.contains('<') {
            return Err(format!("< inside tag {tag:?}"));
        }
        if tag.matches('"').count() % 2 != 0 {
            return Err(format!("unbalanced quotes in {tag:?}"));
        }
        if let Some(name) = tag.strip_prefix('/') {
            if stack.pop() != Some(name.trim().to_owned()) {
                return Err(format!("</{name}> closes nothing"));
            }
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap_or("").to_owned());
            elements += 1;
        } else {
            elements += 1;
        }
        rest = &rest[close + 1..];
    }
    if stack.is_empty() { Ok(elements) } else { Err(format!("unclosed {stack:?}")) }
}

/// A 2 × 3 sweep of p99 over retry attempts and timeout, three of whose cells are invalid (no
/// attempts): its document, plan and every run's outcome.
fn two_knob_p99_sweep() -> (Value, Plan, Vec<odds::CellOutcome>) {
    let mut doc = with_sweep(json!({ "knobs": [
        { "path": "/endpoints/0/stack/0/retry/max_attempts", "values": [0, 2] },
        { "path": "/endpoints/0/stack/1/timeout/timeout", "values": ["100ms", "300ms", "1s"] }
    ], "chart": "p99_ms" }));
    doc["duration"] = json!("3s");
    let plan = Plan::new(&doc).unwrap();
    let outcomes: Vec<_> = (0..plan.runs()).filter_map(|r| plan.run(r)).collect();
    (doc, plan, outcomes)
}

#[test]
fn the_chart_is_well_formed_svg_with_axes_a_legend_and_a_cell_each() {
    let (mut doc, plan, outcomes) = two_knob_p99_sweep();
    let heatmap = svg::chart(&plan.summarize(&outcomes));
    assert!(heatmap.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{heatmap}");
    well_formed(&heatmap).unwrap();
    assert_eq!(heatmap.matches("<rect x=").count(), 11, "the legend's 11 steps");
    assert_eq!(heatmap.matches("<rect data-cell=").count(), 6, "one rect per cell, marked with its index");
    assert!(heatmap.contains("<rect data-cell=\"5\""), "{heatmap}");
    assert_eq!(heatmap.matches("×</text>").count(), 3, "the three invalid cells are marked");
    // The three that ran say their value in words (a reader need not tell colours apart), in a
    // colour that reads on their fill, and let a click through to their cell.
    let values =
        heatmap.matches("pointer-events=\"none\">").count() - heatmap.matches("pointer-events=\"none\">×").count();
    assert_eq!(values, 3, "{heatmap}");
    assert!(heatmap.contains(" ms</text>") || heatmap.contains(" s</text>"), "{heatmap}");
    assert!(heatmap.contains("fill=\"#111111\" pointer-events") || heatmap.contains("fill=\"#ffffff\" pointer-events"));
    assert_eq!(heatmap.matches("<g id=\"sweep-row-").count(), 2, "a group per row, to redraw alone");
    // Part way through: the cells not run yet are blank, not marked as having no value.
    let partial = svg::chart(&plan.summarize(&outcomes[..1]));
    well_formed(&partial).unwrap();
    assert!(partial.contains(": not run yet</title>"), "{partial}");
    assert!(!partial.contains("–</text>"), "{partial}");
    for text in [
        "/endpoints/0/stack/0/retry/max_attempts",
        "/endpoints/0/stack/1/timeout/timeout",
        ">300ms<",
        "class=\"legend\"",
        "p99_ms over",
    ] {
        assert!(heatmap.contains(text), "{text}");
    }
    doc["sweep"]["knobs"] =
        json!([{ "path": "/endpoints/0/stack/1/timeout/timeout", "values": ["100ms", "300ms", "1s"] }]);
    let plan = Plan::new(&doc).unwrap();
    let outcomes: Vec<_> = (0..plan.runs()).filter_map(|r| plan.run(r)).collect();
    let line = svg::chart(&plan.summarize(&outcomes));
    well_formed(&line).unwrap();
    assert_eq!(line.matches("<circle data-cell=").count(), 3);
    assert_eq!(line.matches("<polyline").count(), 1);
    assert_eq!(well_formed("<svg><g></svg>"), Err("</svg> closes nothing".into()), "the check can fail");
    // Named in words for readers: long names break into lines (the legend's column is narrow),
    // and text that would close a tag is escaped.
    let names = svg::Names {
        chart: "share of seeds where claim 12 holds <b>".into(),
        knobs: vec!["storefront › layer 1 › timeout › timeout".into()],
    };
    let named = svg::chart_named(&plan.summarize(&outcomes), &names);
    well_formed(&named).unwrap();
    assert!(named.contains("<tspan x=\"674\" dy=\"0\">share of seeds where</tspan><tspan x=\"674\" dy=\"13\">claim 12 holds &lt;b&gt;</tspan>"), "{named}");
    assert!(named.contains("<title>storefront › layer 1 › timeout › timeout = 300ms: "), "{named}");
    assert!(!named.contains("/endpoints/"), "{named}");
}

#[test]
fn a_line_chart_reads_in_the_figure_s_unit_from_zero_and_marks_what_has_no_point() {
    let mut doc = with_sweep(json!({ "knobs": [
        { "path": "/endpoints/0/stack/0/retry/max_attempts", "values": [0, 2, 3] }
    ], "chart": "p99_ms", "seeds": 2 }));
    doc["duration"] = json!("3s");
    let plan = Plan::new(&doc).unwrap();
    let outcomes: Vec<_> = (0..plan.runs()).filter_map(|r| plan.run(r)).collect();
    let line = svg::chart(&plan.summarize(&outcomes));
    well_formed(&line).unwrap();
    // The invalid cell is a mark on the axis (clickable, with its reason), not a missing point.
    assert!(line.contains("<text data-cell=\"0\""), "{line}");
    assert!(line.contains("×<title>/endpoints/0/stack/0/retry/max_attempts = 0: invalid: "), "{line}");
    assert_eq!(line.matches("<circle data-cell=").count(), 2);
    // The height axis starts at zero and reads in milliseconds; the legend has no colour bar,
    // and names only the marks this chart shows.
    assert!(line.contains(">0 ms</text>"), "{line}");
    assert!(!line.contains("<rect x=\"674\""), "no colour bar: {line}");
    assert!(line.contains(">× invalid setting</text>"), "{line}");
    assert!(!line.contains("not run yet") && !line.contains("no value"), "{line}");
    assert!(line.contains(">a point: median of 2 seeds</text>"), "{line}");
    // A row of points: half as tall as wide (a heatmap's plot is square).
    assert!(line.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"380\""), "{line}");
    // Part way through: the cells not run yet have no point, and the legend says so.
    let partial = svg::chart(&plan.summarize(&outcomes[..3]));
    well_formed(&partial).unwrap();
    assert_eq!(partial.matches("<circle data-cell=").count(), 1, "{partial}");
    assert!(partial.contains(">no point: not run yet</text>"), "{partial}");
    // A success rate reads as a percentage, on an axis up to 100 %.
    doc["sweep"]["chart"] = json!("success_rate");
    let plan = Plan::new(&doc).unwrap();
    let outcomes: Vec<_> = (0..plan.runs()).filter_map(|r| plan.run(r)).collect();
    let rate = svg::chart(&plan.summarize(&outcomes));
    assert!(rate.contains(">100.0 %</text>") && rate.contains(">0.0 %</text>"), "{rate}");
}

#[test]
fn a_narrow_chart_fits_a_phone_with_its_legend_under_the_plot() {
    let (_, plan, outcomes) = two_knob_p99_sweep();
    let names = svg::Names { chart: "p99 latency (ms)".into(), knobs: vec!["max attempts".into(), "timeout".into()] };
    let narrow = svg::chart_laid_out(&plan.summarize(&outcomes), &names, &svg::Layout::NARROW);
    well_formed(&narrow).unwrap();
    assert!(narrow.contains("width=\"360\" height=\"508\""), "{narrow}");
    assert_eq!(narrow.matches("<rect data-cell=").count(), 6);
    assert_eq!(narrow.matches("<rect x=").count(), 11, "the legend's 11 steps");
    // Every position lies inside the chart; the legend's colour bar lies under the plot.
    let numbers = |attribute: &str| -> Vec<f64> {
        narrow
            .split(&format!(" {attribute}=\""))
            .skip(1)
            .filter_map(|rest| rest.split('"').next()?.parse().ok())
            .collect()
    };
    assert!(numbers("x").iter().all(|x| (0.0..=360.0).contains(x)), "{:?}", numbers("x"));
    assert!(numbers("y").iter().all(|y| (0.0..=508.0).contains(y)), "{:?}", numbers("y"));
    let bar = narrow.split("<rect x=").nth(1).unwrap();
    let bar_y: f64 = bar.split("y=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    assert!(bar_y > 48.0 + 270.0 + 80.0, "{bar}");
    assert_eq!(svg::chart_named(&plan.summarize(&outcomes), &names), {
        svg::chart_laid_out(&plan.summarize(&outcomes), &names, &svg::Layout::WIDE)
    });
}

#[test]
fn the_sweep_travels_in_share_links() {
    use resilience_engine::scenario::link::{self, SharedView};
    let doc = storm();
    let text = link::encode_doc(&doc, &SharedView::default());
    let (back, _) = link::decode_doc(&text).unwrap();
    assert_eq!(back["sweep"], doc["sweep"]);
    assert_eq!(Plan::new(&back).unwrap().cells().len(), 16);
    let (scenario, _) = link::decode(&text).unwrap();
    assert_eq!(scenario, Scenario::from_json(&doc.to_string()).unwrap());
}
