//! The odds dialog as HTML: the form of the chosen tab, the batch's progress, and its results
//! (strip plots of every figure across seeds, a heatmap or line chart of a sweep, a search's
//! probes). Every text that comes from the document is escaped ([`esc`]); the page inserts the
//! HTML as it is and handles clicks on elements with `data-act` (and `data-arg`).

use core::fmt::Write as _;

use resilience_engine::odds::{self, Distribution, Odds, SeedOutcome};
use serde_json::Value;

use super::batch::{Batch, Phase, Work};
use super::form::{self, Fields};

/// What the dialog shows.
pub struct Parts<'a> {
    /// The form's values.
    pub fields: &'a Fields,
    /// The page's document (its knobs and claims fill the lists).
    pub doc: &'a Value,
    /// The last batch of the tab shown, if any.
    pub batch: Option<&'a Batch>,
    /// The batch that runs, if one does (it may be another tab's).
    pub running: Option<&'a Batch>,
    /// What starting the last batch stopped, in words.
    pub stopped: Option<&'a str>,
    /// Workers in its pool.
    pub workers: usize,
    /// Why the last run was refused, if it was.
    pub refused: Option<&'a str>,
    /// Each claim in words, when known (else the claims are shown as written).
    pub claim_words: &'a [String],
    /// The page is narrow (a phone): a sweep's chart is laid out for it.
    pub narrow: bool,
    /// The page is an embed's sweep panel: the sweep runs on the reader's click; no download.
    pub embedded: bool,
    /// The worker's clock, for the time left.
    pub now_ms: f64,
    /// Draw the results (else only the form and the status).
    pub with_results: bool,
}

/// `n` and its noun, plural unless one ("1 seed", "4 seeds").
pub fn count_of(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// Text safe inside HTML and attribute values.
pub fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The dialog body in three parts: the form, the batch's status, and its results (when
/// `with_results`). The page keeps them apart, so that the drawings pushed while a batch runs
/// leave the form (and what a reader is typing in it) alone, and the status moves more often
/// than the results are drawn.
pub fn render(parts: &Parts<'_>) -> (String, String, Option<String>) {
    let tab = form::get(parts.fields, "tab");
    let mut out = String::from("<div class=\"odds-tabs\" role=\"group\" aria-label=\"What to run\">");
    for (name, label) in [("seeds", "Across seeds"), ("sweep", "Sweep"), ("tip", "Tipping point")] {
        let _ = write!(
            out,
            "<button type=\"button\" id=\"odds-tab-{name}\" data-act=\"tab\" data-arg=\"{name}\" aria-pressed=\"{}\">{label}</button>",
            tab == name
        );
    }
    out.push_str("</div><div class=\"odds-form\">");
    match tab {
        "sweep" => sweep_form(&mut out, parts),
        "tip" => tip_form(&mut out, parts),
        _ => seeds_form(&mut out, parts),
    }
    out.push_str("</div>");
    // The field a refusal is about is marked, and described by it.
    if let Some(field) = parts.refused.and_then(form::field_of) {
        let name = format!(" name=\"{field}\"");
        out = out.replacen(&name, &format!("{name} aria-invalid=\"true\" aria-describedby=\"odds-refused\""), 1);
    }
    let mut now = String::new();
    status(&mut now, parts);
    let mut results = parts.batch.filter(|_| parts.with_results).map(|batch| {
        let mut drawn = String::new();
        results(&mut drawn, batch, parts);
        drawn
    });
    // An embed's sweep not run yet: what it would run, and its button.
    if parts.embedded && parts.batch.is_none() && parts.refused.is_none() {
        let mut intro = String::new();
        embed_intro(&mut intro, parts);
        results = Some(intro);
    }
    (out, now, results)
}

/// A labelled text field; a `whole` number's brings up a phone's number pad. (Not
/// `type="number"`: a number field has no caret or selection a script can read, so a form
/// redrawn while a reader replaces its value would put the typing in front of the old value.)
fn input(out: &mut String, fields: &Fields, name: &str, label: &str, whole: bool) {
    let mode = if whole { " inputmode=\"numeric\"" } else { "" };
    let _ = write!(
        out,
        "<label>{label} <input id=\"odds-{name}\" name=\"{name}\" type=\"text\"{mode} value=\"{}\" spellcheck=\"false\"></label>",
        esc(form::get(fields, name))
    );
}

/// A labelled select; `label` is HTML (escape what comes from the document), options are text.
fn select(out: &mut String, name: &str, label: &str, chosen: &str, options: &[(String, String)]) {
    let _ = write!(out, "<label>{label} <select id=\"odds-{name}\" name=\"{name}\">");
    for (value, text) in options {
        let selected = if value == chosen { " selected" } else { "" };
        let _ = write!(out, "<option value=\"{}\"{selected}>{}</option>", esc(value), esc(text));
    }
    out.push_str("</select></label>");
}

fn run_button(out: &mut String, label: &str) {
    let _ = write!(out, "<button type=\"button\" id=\"odds-run\" class=\"primary\" data-act=\"run\">{label}</button>");
}

fn seeds_form(out: &mut String, parts: &Parts<'_>) {
    out.push_str("<p class=\"muted\">Run this scenario on many seeds: how often does each claim hold, and how much do the figures vary?</p>");
    input(out, parts.fields, "seeds", "Seeds", true);
    input(out, parts.fields, "first_seed", "First seed", true);
    run_button(out, "Run the seeds");
}

/// Every knob the document offers, as select options, labelled in words.
fn knob_options(doc: &Value, none: bool) -> Vec<(String, String)> {
    let mut options = Vec::new();
    if none {
        options.push((String::new(), "none".to_owned()));
    }
    for (path, _) in odds::candidates(doc) {
        let now = doc.pointer(&path).map(plain).unwrap_or_default();
        options.push((path.clone(), format!("{} (now {now})", knob_name(doc, &path))));
    }
    options
}

pub use super::names::knob_name;

fn sweep_form(out: &mut String, parts: &Parts<'_>) {
    let f = parts.fields;
    out.push_str("<p class=\"muted\">Vary one or two settings over a range and chart a figure, or how often a claim holds, for every combination. The sweep is saved with the scenario, so it travels in links.</p>");
    for (i, label) in [(0, "Knob 1"), (1, "Knob 2")] {
        out.push_str("<fieldset class=\"odds-knob\">");
        let name = format!("k{i}");
        select(out, &name, label, form::get(f, &name), &knob_options(parts.doc, i == 1));
        if !form::get(f, &name).is_empty() {
            input(out, f, &format!("k{i}_from"), "from", false);
            input(out, f, &format!("k{i}_to"), "to", false);
            input(out, f, &format!("k{i}_steps"), "steps", true);
        }
        out.push_str("</fieldset>");
    }
    input(out, f, "cell_seeds", "Seeds per cell", true);
    select(out, "chart", "Chart", form::get(f, "chart"), &chart_options(parts.doc, parts.claim_words));
    run_button(out, "Run the sweep");
}

/// What a sweep can chart: each figure, each fault's recovery, each claim.
fn chart_options(doc: &Value, words: &[String]) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> =
        odds::FIGURE_NAMES.iter().map(|n| ((*n).to_owned(), figure_label(n).to_owned())).collect();
    let faults = fault_count(doc);
    options.extend((0..faults).map(|k| (format!("recovery_ms[{k}]"), format!("recovery time after fault {k}"))));
    for (n, claim) in claims(doc, words).iter().enumerate() {
        options.push((format!("expect[{n}]"), format!("share of seeds where claim {} holds: {claim}", n + 1)));
    }
    options
}

fn fault_count(doc: &Value) -> usize {
    let services = doc.get("services").and_then(Value::as_array);
    services.into_iter().flatten().map(|s| s.get("faults").and_then(Value::as_array).map_or(0, Vec::len)).sum()
}

/// The document's claims in words when `words` has one each, else as written (cut short).
fn claims(doc: &Value, words: &[String]) -> Vec<String> {
    let list = doc.get("expect").and_then(Value::as_array);
    if list.is_some_and(|l| l.len() == words.len()) {
        return words.to_vec();
    }
    list.into_iter()
        .flatten()
        .map(|c| {
            let text = c.to_string();
            if text.chars().count() > 80 { format!("{}…", text.chars().take(80).collect::<String>()) } else { text }
        })
        .collect()
}

fn tip_form(out: &mut String, parts: &Parts<'_>) {
    let f = parts.fields;
    out.push_str("<p class=\"muted\">Search one setting for the value where a claim stops holding (on at least half of the seeds), by halving the range.</p>");
    select(out, "t_knob", "Knob", form::get(f, "t_knob"), &knob_options(parts.doc, false));
    input(out, f, "t_from", "from (holds)", false);
    input(out, f, "t_to", "to (fails)", false);
    let options: Vec<(String, String)> = claims(parts.doc, parts.claim_words)
        .into_iter()
        .enumerate()
        .map(|(n, c)| (n.to_string(), format!("{}: {c}", n + 1)))
        .collect();
    select(out, "t_claim", "Claim", form::get(f, "t_claim"), &options);
    input(out, f, "t_seeds", "Seeds per probe", true);
    run_button(out, "Find the tipping point");
}

fn status(out: &mut String, parts: &Parts<'_>) {
    // Busy while running: a screen reader reads the outcome, not every step of the count.
    let busy = parts.running.is_some();
    let _ = write!(out, "<div class=\"odds-status\" role=\"status\" aria-live=\"polite\" aria-busy=\"{busy}\">");
    if let Some(why) = parts.refused {
        // Read out by the status region it is in (an alert of its own would be read twice).
        let _ = write!(out, "<p class=\"odds-error\" id=\"odds-refused\">Not run: {}</p>", esc(why));
    }
    if let Some(stopped) = parts.stopped {
        let _ = write!(out, "<p class=\"muted\" id=\"odds-stopped\">{}</p>", esc(stopped));
    }
    // The batch that runs, whichever tab it belongs to (named when it is not this one's), else
    // this tab's last.
    if let Some(batch) = parts.running.or(parts.batch) {
        // A search may end early, and a sweep's invalid cells never run: a batch done fills
        // its bar.
        let done = if batch.phase == Phase::Done { batch.runs } else { batch.done };
        let _ = write!(out, "<progress id=\"odds-progress\" max=\"{}\" value=\"{done}\"></progress>", batch.runs);
        let mut text = status_text(batch, parts.workers, parts.now_ms);
        if parts.batch.is_none_or(|shown| !std::ptr::eq(shown, batch)) {
            text = format!("The {} (on its tab): {text}", batch.work.noun());
        } else if parts.refused.is_some() {
            // The results below are the last batch's, not of the values refused above.
            text = format!("Shown below, the last {}: {text}", batch.work.noun());
        }
        let _ = write!(out, "<span id=\"odds-progress-text\">{}</span>", esc(&text));
        if batch.phase == Phase::Running {
            out.push_str("<button type=\"button\" id=\"odds-cancel\" data-act=\"cancel\">Cancel</button>");
        }
    }
    out.push_str("</div>");
}

/// Where the batch stands, in words.
fn status_text(batch: &Batch, workers: usize, now_ms: f64) -> String {
    let (done, runs) = (batch.done, batch.runs);
    let elapsed_s = (batch.ended_ms.unwrap_or(now_ms) - batch.started_ms) / 1000.0;
    if let Work::Tip { request, tip, .. } = &batch.work {
        let probes = tip.probes.len();
        return match &batch.phase {
            Phase::Running => format!(
                "Searching: probe {} of at most {}, {} each on {}…",
                probes + 1,
                batch.runs / request.seeds.max(1),
                count_of(request.seeds, "seed"),
                count_of(workers, "worker")
            ),
            Phase::Done => format!(
                "{} ({}) in {elapsed_s:.1} s on {}",
                count_of(tip.runs, "run"),
                count_of(probes, "probe"),
                count_of(workers, "worker")
            ),
            Phase::Failed(why) => format!("Stopped after {}: {why}", count_of(probes, "probe")),
            Phase::Cancelled => format!("Cancelled after {}: the search below is partial", count_of(probes, "probe")),
        };
    }
    match &batch.phase {
        Phase::Running => match batch.remaining_ms(now_ms) {
            Some(left) => format!("{done} of {runs} runs · about {:.0} s left", (left / 1000.0).ceil()),
            None => format!("{done} of {runs} runs · starting {}…", count_of(workers, "worker")),
        },
        Phase::Done => format!(
            "{} in {elapsed_s:.1} s on {}{}",
            count_of(runs, "run"),
            count_of(workers, "worker"),
            invalid_note(&batch.work)
        ),
        Phase::Cancelled => format!("Cancelled after {done} of {runs} runs: the results below are partial"),
        Phase::Failed(why) => format!("Stopped after {done} of {runs} runs: {why}"),
    }
}

/// For a sweep some of whose cells could not run: how many ("; 3 of 6 cells could not run").
fn invalid_note(work: &Work) -> String {
    let Work::Sweep { plan, outcomes, .. } = work else { return String::new() };
    let mut cells: Vec<usize> = outcomes.iter().flatten().filter(|o| o.invalid.is_some()).map(|o| o.cell).collect();
    cells.dedup();
    if cells.is_empty() {
        return String::new();
    }
    format!("; {} of {} could not run (see below)", count_of(cells.len(), "cell"), plan.cells().len())
}

fn results(out: &mut String, batch: &Batch, parts: &Parts<'_>) {
    let (doc, fields) = (parts.doc, parts.fields);
    out.push_str("<div class=\"odds-results\">");
    let summary = match &batch.work {
        Work::Seeds { first_seed, assertions, faults, outcomes, .. } => {
            let done: Vec<SeedOutcome> = outcomes.iter().flatten().cloned().collect();
            let odds = odds::aggregate(&done, *assertions, faults.len());
            // The seed picked in the list, if it is one of this batch's, else the first.
            let typed = form::get(fields, "open_seed").parse::<u64>().ok();
            let picked = done.iter().map(|o| o.seed).find(|&s| Some(s) == typed).or(done.first().map(|o| o.seed));
            seeds_results(
                out,
                &odds,
                &Dots { values: &[], runs: &done, picked, radius: if parts.narrow { 7.0 } else { 4.0 } },
                faults,
                *first_seed,
            );
            serde_json::to_string(&odds).unwrap_or_default()
        }
        Work::Sweep { plan, outcomes, .. } => {
            let done: Vec<odds::CellOutcome> = outcomes.iter().flatten().cloned().collect();
            let result = plan.summarize(&done);
            sweep_results(out, &result, parts);
            serde_json::to_string(&result).unwrap_or_default()
        }
        Work::Tip { request, tip, .. } => {
            if !tip.probes.is_empty() {
                super::tip_view::tip_results(out, tip, &knob_name(doc, &request.knob), parts.narrow);
            }
            serde_json::to_string(tip).unwrap_or_default()
        }
    };
    if batch.phase == Phase::Done {
        let _ = write!(
            out,
            "<p class=\"muted\">Results digest <code id=\"odds-digest\">{:016x}</code> (the same for any number of workers).</p>",
            super::digest(&summary)
        );
    }
    out.push_str("</div>");
}

/// [`chart_words`], and a claim's own words after it when they are known ("share of seeds where
/// claim 2 holds: p99 ≤ 250ms").
fn chart_words_in_full(chart: &str, claim_words: &[String]) -> String {
    match claim_charted(chart).and_then(|n| claim_words.get(n)) {
        Some(words) => format!("{}: {words}", chart_words(chart)),
        None => chart_words(chart),
    }
}

/// The claim a sweep charts (`expect[N]`), if it charts one.
fn claim_charted(chart: &str) -> Option<usize> {
    chart.strip_prefix("expect[")?.strip_suffix(']')?.parse().ok()
}

/// A document's value as a form shows it: a text as it is, anything else as JSON (`30s`, `4`).
pub fn plain(value: &Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_owned)
}

/// What a sweep charts, in words with its unit ("p99 latency (ms)", "share of seeds where
/// claim 2 holds").
fn chart_words(chart: &str) -> String {
    let claim = claim_charted(chart);
    let unit = match chart {
        "success_rate" => "%",
        "goodput_rps" => "req/s",
        "p99_ms" => "ms",
        "amplification" => "attempts per request",
        _ => "",
    };
    match claim {
        Some(n) => format!("share of seeds where claim {} holds", n + 1),
        None if unit.is_empty() => figure_label(chart).to_owned(),
        None => format!("{} ({unit})", figure_label(chart)),
    }
}

fn figure_label(name: &str) -> &str {
    match name {
        "success_rate" => "success rate",
        "goodput_rps" => "goodput",
        "p99_ms" => "p99 latency",
        "amplification" => "amplification",
        other => other,
    }
}

/// A figure's value in its unit.
fn shown(name: &str, v: f64) -> String {
    match name {
        "success_rate" => format!("{:.1} %", v * 100.0),
        "goodput_rps" => format!("{v:.1} req/s"),
        "amplification" => format!("{v:.2}×"),
        "p99_ms" => format!("{v:.0} ms"),
        _ => format!("{:.1} s", v / 1000.0),
    }
}

/// A strip plot's dots: a value per seed run, and the seed the reader picked (marked).
struct Dots<'a> {
    /// The figure on each run, in the order of `runs`.
    values: &'a [Option<f64>],
    /// The runs, in seed order.
    runs: &'a [SeedOutcome],
    /// The seed picked in the list that opens a seed's run.
    picked: Option<u64>,
    /// Each dot's radius, in the plot's units (larger on a phone, whose plot is scaled down).
    radius: f64,
}

fn seeds_results(out: &mut String, odds: &Odds, seeds: &Dots<'_>, faults: &[String], first_seed: u64) {
    let done = seeds.runs;
    let _ = write!(out, "<h3>Claims across {} seeds (from seed {first_seed})</h3>", odds.runs);
    if odds.assertions.is_empty() {
        out.push_str("<p class=\"muted\">This scenario makes no claims (its expect list is empty).</p>");
    }
    out.push_str("<ul class=\"odds-claims\">");
    for (n, a) in odds.assertions.iter().enumerate() {
        let class = if a.holds == a.runs { "pass" } else { "fail" };
        let _ = write!(
            out,
            "<li class=\"{class}\" id=\"odds-claim-{n}\"><b>holds on {:.0} % of seeds</b> ({} of {}): {}",
            a.share * 100.0,
            a.holds,
            a.runs,
            esc(&a.claim)
        );
        let failing: Vec<u64> = done.iter().filter(|o| !o.holds(n)).map(|o| o.seed).collect();
        if !failing.is_empty() {
            out.push_str("<br>Fails on seed ");
            for &seed in failing.iter().take(FAILING_SHOWN) {
                let _ = write!(
                    out,
                    "<button type=\"button\" class=\"link\" data-act=\"seed\" data-arg=\"{seed}\" title=\"Open the run on seed {seed}\">{seed}</button> "
                );
            }
            if failing.len() > FAILING_SHOWN {
                let _ = write!(out, "and {} more", failing.len() - FAILING_SHOWN);
            }
        }
        out.push_str("</li>");
    }
    out.push_str("</ul><h3>Figures across seeds</h3><p class=\"muted\">Each dot is a seed (red: it fails a claim); the bar is the middle half, the line the median. Click a dot to open its run, or pick a seed below: its dots are ringed.</p>");
    open_seed(out, seeds);
    for (name, distribution) in &odds.figures {
        let values: Vec<Option<f64>> = done.iter().map(|o| o.figures.as_ref().and_then(|f| f.get(name))).collect();
        strip(out, (figure_label(name), name), distribution.as_ref(), &Dots { values: &values, ..*seeds });
    }
    for (k, label) in faults.iter().enumerate() {
        let values: Vec<Option<f64>> =
            done.iter().map(|o| o.figures.as_ref().and_then(|f| f.recovery_ms.get(k).copied().flatten())).collect();
        let title = format!("recovery after {label}");
        let distribution = odds.recovery_ms.get(k).and_then(Option::as_ref);
        strip(out, (&title, "recovery"), distribution, &Dots { values: &values, ..*seeds });
    }
}

/// The keyboard's way to a seed's run (the dots are for a pointer): a list of the seeds run,
/// each saying whether it fails a claim, and a button that opens the one picked.
fn open_seed(out: &mut String, seeds: &Dots<'_>) {
    if seeds.runs.is_empty() {
        return;
    }
    let options: Vec<(String, String)> = seeds
        .runs
        .iter()
        .map(|run| {
            let fails = if run.verdicts.iter().any(|v| !v.pass) { ": fails a claim" } else { "" };
            (run.seed.to_string(), format!("seed {}{fails}", run.seed))
        })
        .collect();
    let picked = seeds.picked.map(|s| s.to_string()).unwrap_or_default();
    out.push_str("<div class=\"odds-open\">");
    select(out, "open_seed", "Seed", &picked, &options);
    out.push_str(
        "<button type=\"button\" id=\"odds-open-seed\" data-act=\"open-seed\">Open this seed's run</button></div>",
    );
}

/// Most failing seeds a claim lists (as buttons that open their runs).
const FAILING_SHOWN: usize = 12;

/// Most dots a strip plot draws.
const STRIP_DOTS_MAX: usize = 200;

/// One figure's strip plot: a dot per seed (up to [`STRIP_DOTS_MAX`]), the middle half and the
/// median.
/// `unit`: the figure's name, which says how its values read (see `shown`).
fn strip(out: &mut String, (title, unit): (&str, &str), d: Option<&Distribution>, dots: &Dots<'_>) {
    let (values, runs) = (dots.values, dots.runs);
    let _ = write!(out, "<div class=\"strip\"><div class=\"strip-label\"><b>{}</b> ", esc(title));
    let Some(d) = d else {
        let _ = write!(out, "no value on any of {} seeds</div></div>", values.len());
        return;
    };
    let _ = write!(
        out,
        "median {} (middle half {} – {}, range {} – {})",
        shown(unit, d.median),
        shown(unit, d.p25),
        shown(unit, d.p75),
        shown(unit, d.min),
        shown(unit, d.max)
    );
    if d.missing > 0 {
        let _ = write!(out, "; none on {}", count_of(d.missing, "seed"));
    }
    if values.len() > STRIP_DOTS_MAX {
        let _ = write!(out, "; a dot for one seed in {}", values.len().div_ceil(STRIP_DOTS_MAX));
    }
    let (width, low, high) = (600.0, d.min, d.max);
    let x = |v: f64| if high > low { 10.0 + (width - 20.0) * (v - low) / (high - low) } else { width / 2.0 };
    let _ = write!(
        out,
        "</div><svg class=\"strip-plot\" viewBox=\"0 0 {width} 40\" role=\"img\" aria-label=\"{} on each seed, from {} to {}\">",
        esc(title),
        shown(unit, low),
        shown(unit, high)
    );
    let _ = write!(
        out,
        "<rect class=\"middle\" x=\"{:.1}\" y=\"4\" width=\"{:.1}\" height=\"32\"/>",
        x(d.p25),
        (x(d.p75) - x(d.p25)).max(1.0)
    );
    // Every seed up to STRIP_DOTS_MAX, else an even sample: thousands of dots would cost the
    // page's thread more than they tell (the middle half and median are of every seed).
    let every = values.len().div_ceil(STRIP_DOTS_MAX).max(1);
    // The picked seed's dot is drawn last, on top of the others.
    let picked = |run: &SeedOutcome| dots.picked == Some(run.seed);
    let sampled = values.iter().zip(runs).enumerate().filter(|(i, (_, run))| i % every == 0 && !picked(run));
    let last = values.iter().zip(runs).enumerate().filter(|(_, (_, run))| picked(run));
    let drawn: Vec<(usize, (&Option<f64>, &SeedOutcome))> = sampled.chain(last).collect();
    let lane = lanes(&drawn.iter().map(|(i, (v, _))| (*i, v.map(x))).collect::<Vec<_>>(), values.len());
    for (i, (v, run)) in drawn {
        let Some(v) = v else { continue };
        let fails = run.verdicts.iter().any(|v| !v.pass);
        let class = match (fails, picked(run)) {
            (false, false) => "dot",
            (true, false) => "dot fail",
            (false, true) => "dot picked",
            (true, true) => "dot fail picked",
        };
        let _ = write!(
            out,
            "<circle class=\"{class}\" data-act=\"seed\" data-arg=\"{}\" cx=\"{:.1}\" cy=\"{}\" r=\"{}\"><title>seed {}: {}</title></circle>",
            run.seed,
            x(*v),
            8 + lane[i] * 5,
            // The picked seed's dot is larger (and ringed by the style sheet).
            if picked(run) { dots.radius + 2.0 } else { dots.radius },
            run.seed,
            shown(unit, *v)
        );
    }
    let _ = write!(out, "<line class=\"median\" x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"2\" y2=\"38\"/></svg>", x(d.median));
    // The strip spans the lowest to the highest value: its ends say how wide that is.
    let _ = write!(
        out,
        "<div class=\"strip-ends\" aria-hidden=\"true\"><span>{}</span><span>{}</span></div></div>",
        shown(unit, low),
        shown(unit, high)
    );
}

/// Lanes a strip plot's dots are drawn in, one apart from the next by less than a dot.
const STRIP_LANES: usize = 6;
/// The order dots take the lanes in: each lane two or three away from the one before, so that
/// dots next to each other overlap as little as the strip allows.
const LANE_ORDER: [usize; STRIP_LANES] = [0, 3, 1, 4, 2, 5];

/// The lane of each dot (by its run's index, among `runs`), from the dots' `(index, x)`: taken
/// in turn ([`LANE_ORDER`]) in the order of `x` (not of the seeds), so that dots of close values
/// go to different lanes and as many as can be stay clear to click.
fn lanes(dots: &[(usize, Option<f64>)], runs: usize) -> Vec<usize> {
    let mut by_x: Vec<(usize, f64)> = dots.iter().filter_map(|(i, x)| Some((*i, (*x)?))).collect();
    by_x.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let mut lane = vec![0; runs];
    for (rank, (i, _)) in by_x.into_iter().enumerate() {
        if let Some(slot) = lane.get_mut(i) {
            *slot = LANE_ORDER[rank % STRIP_LANES];
        }
    }
    lane
}

fn sweep_results(out: &mut String, result: &odds::SweepResult, parts: &Parts<'_>) {
    let (doc, fields, claim_words) = (parts.doc, parts.fields, parts.claim_words);
    let layout = if parts.narrow { &odds::svg::Layout::NARROW } else { &odds::svg::Layout::WIDE };
    let names: Vec<String> = result.knobs.iter().map(|k| knob_name(doc, &k.path)).collect();
    let chart = chart_words(&result.chart);
    let heading = chart_words_in_full(&result.chart, claim_words);
    let _ = write!(out, "<h3>{} over {}</h3>", esc(&heading), esc(&names.join(" × ")));
    invalid_cells(out, result, doc);
    let share = result.chart.starts_with("expect");
    // One knob: a line chart of points; two: a heatmap of cells.
    let each = if result.knobs.len() == 1 { "point" } else { "cell" };
    let (what, run) = if share {
        ("the share of its seeds on which the claim holds: green always, red never", " (its first failing seed)")
    } else {
        ("the median over its seeds", "")
    };
    // The chart's keys (see form::move_pick) are said where a reader of the chart looks.
    let _ = write!(
        out,
        "<p class=\"muted\" id=\"odds-chart-help\">Each {each} is {what}. Click a {each} to open its run{run}, or on the chart pick one with the arrow keys and press Enter.</p>"
    );
    // The engine's chart marks each cell with data-cell; here a click on one opens it.
    let named = odds::svg::Names { chart, knobs: names.clone() };
    let mut svg =
        odds::svg::chart_laid_out(result, &named, layout).replace(" data-cell=\"", " data-act=\"cell\" data-arg=\"");
    // The reasons of invalid cells name the knobs by their paths: here in words too.
    for (knob, name) in result.knobs.iter().zip(&names) {
        svg = svg.replace(&knob.path, &esc(name));
    }
    // The cell that "Open this cell's run" opens is outlined.
    let picked = form::picked_cell(fields, result.knobs.get(1).map_or(1, |k| k.labels.len()));
    let act = format!(" data-act=\"cell\" data-arg=\"{picked}\"");
    let mut svg = svg.replacen(&act, &format!(" class=\"picked\"{act}"), 1);
    // A heatmap's cells that come later are drawn over the picked one's outline: a ring on top
    // of the chart shows it whole, in the text's colour on a halo of the background's.
    if let Some(ring) = ring_of(&svg, &act) {
        let at = svg.rfind("</svg>").unwrap_or(svg.len());
        svg.insert_str(at, &ring);
    }
    // A region that can take the focus: on a narrow screen the chart scrolls sideways, and its
    // keys move the picked cell; its name says which one is picked (it is said again as the
    // focus comes back to the redrawn chart).
    let picked_words = tooltip_of(&svg, &act).unwrap_or_default();
    let _ = write!(
        out,
        "<div class=\"odds-chart\" id=\"odds-heatmap\" role=\"region\" tabindex=\"0\" aria-label=\"{}; picked: {picked_words}\" aria-describedby=\"odds-chart-help\">{svg}</div>",
        esc(&named.chart)
    );
    // The keyboard's way to a cell.
    out.push_str("<div class=\"odds-open\">");
    let axis_options = |k: &odds::Axis| -> Vec<(String, String)> {
        k.labels.iter().enumerate().map(|(i, l)| (i.to_string(), l.clone())).collect()
    };
    if let Some(rows) = result.knobs.first() {
        select(out, "open_row", &esc(&names[0]), form::get(fields, "open_row"), &axis_options(rows));
    }
    if let Some(columns) = result.knobs.get(1) {
        select(out, "open_column", &esc(&names[1]), form::get(fields, "open_column"), &axis_options(columns));
    }
    out.push_str(if result.knobs.len() == 1 {
        "<button type=\"button\" id=\"odds-open-cell\" data-act=\"open-cell\">Open this point's run</button></div>"
    } else {
        "<button type=\"button\" id=\"odds-open-cell\" data-act=\"open-cell\">Open this cell's run</button></div>"
    });
    if !parts.embedded {
        out.push_str(
            "<p><button type=\"button\" id=\"odds-csv\" data-act=\"csv\">Download the cells (CSV)</button></p>",
        );
    }
}

/// An embed's sweep before it runs: what it charts over what, how many runs, and the button
/// that runs it (a reader's device does the work, so only when asked).
fn embed_intro(out: &mut String, parts: &Parts<'_>) {
    let f = parts.fields;
    let knobs: Vec<String> = ["k0", "k1"]
        .iter()
        .map(|k| form::get(f, k))
        .filter(|p| !p.is_empty())
        .map(|p| knob_name(parts.doc, p))
        .collect();
    let steps = |k: &str| form::get(f, k).parse::<usize>().unwrap_or(1);
    // A link's numbers, not yet checked against the limits (Run checks them): saturated.
    let cells = steps("k0_steps").saturating_mul(if form::get(f, "k1").is_empty() { 1 } else { steps("k1_steps") });
    let seeds = form::get(f, "cell_seeds").parse::<usize>().unwrap_or(1);
    let _ = write!(
        out,
        "<p id=\"odds-embed-intro\">This scenario's sweep: {} over {}, {} of {} ({}).</p>",
        esc(&chart_words_in_full(form::get(f, "chart"), parts.claim_words)),
        esc(&knobs.join(" × ")),
        count_of(cells, "cell"),
        count_of(seeds, "seed"),
        count_of(cells.saturating_mul(seeds), "run")
    );
    run_button(out, "Run the sweep");
}

/// The tooltip of the chart's mark with `act` (already escaped, as the chart holds it).
fn tooltip_of<'a>(svg: &'a str, act: &str) -> Option<&'a str> {
    let after = &svg[svg.find(act)?..];
    let from = after.find("<title>")? + "<title>".len();
    after[from..].split("</title>").next()
}

/// The rings drawn over the heatmap cell marked with `act` (a `rect`'s box): a halo and a line.
fn ring_of(svg: &str, act: &str) -> Option<String> {
    let start = svg.find(act)?;
    let tag = &svg[svg[..start].rfind('<')?..];
    if !tag.starts_with("<rect") {
        return None;
    }
    let tag = &tag[..tag.find('>')?];
    let attribute = |name: &str| -> Option<f64> {
        let from = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[from..].split('"').next()?.parse().ok()
    };
    let (x, y, w, h) = (attribute("x")?, attribute("y")?, attribute("width")?, attribute("height")?);
    let rect = |class: &str| {
        format!("<rect class=\"{class}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"none\"/>")
    };
    Some(format!("{}{}", rect("pick-halo"), rect("pick-ring")))
}

/// Why some cells did not run, above the chart (where a reader looks first): how many, and the
/// first one's reason with the knobs named in words.
fn invalid_cells(out: &mut String, result: &odds::SweepResult, doc: &Value) {
    let invalid = result.cells.iter().filter(|c| c.invalid.is_some()).count();
    let Some(why) = result.cells.iter().find_map(|c| c.invalid.as_ref()) else { return };
    let why = result.knobs.iter().fold(why.clone(), |why, knob| why.replace(&knob.path, &knob_name(doc, &knob.path)));
    let _ = write!(
        out,
        "<p class=\"odds-error\" id=\"odds-invalid\">{} of {} could not run: the scenario is invalid with {}. For example {} (marked × in the chart).</p>",
        count_of(invalid, "cell"),
        result.cells.len(),
        if invalid == 1 { "its settings" } else { "their settings" },
        esc(&why)
    );
}

#[cfg(test)]
mod strip_tests {
    use super::{STRIP_LANES, lanes};

    #[test]
    fn dots_of_equal_or_close_values_go_to_different_lanes() {
        // Seven runs, five of them on the same value, one without a value.
        let dots = [
            (0, Some(90.0)),
            (1, Some(10.0)),
            (2, Some(90.0)),
            (3, Some(90.0)),
            (4, None),
            (5, Some(90.0)),
            (6, Some(90.0)),
        ];
        let lane = lanes(&dots, 7);
        let mut at_90: Vec<usize> = [0, 2, 3, 5, 6].iter().map(|&i| lane[i]).collect();
        at_90.sort_unstable();
        at_90.dedup();
        assert_eq!(at_90.len(), 5, "{lane:?}");
        assert!(lane.iter().all(|&l| l < STRIP_LANES));
    }
}
