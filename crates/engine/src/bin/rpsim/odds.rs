//! `rpsim seeds`, `rpsim sweep` and `rpsim tip`: odds across seeds, parameter sweeps and the
//! tipping-point finder, on every core (native only: the pool is rayon's).

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use resilience_engine::odds::{self, Odds, Plan, SeedOutcome, TipRequest, parallel::Pool};
use resilience_engine::{Scenario, expect};
use serde_json::Value;

use super::{Failure, read_bytes};

/// Options of one command: the file, then `--flag value` pairs among `flags`.
fn options(args: &[String], flags: &[&str]) -> Result<(String, BTreeMap<String, String>), Failure> {
    let (mut file, mut found) = (None, BTreeMap::new());
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if flags.contains(&arg.as_str()) {
            let value = rest.next().ok_or_else(|| Failure(2, format!("{arg} needs a value")))?;
            found.insert(arg.clone(), value.clone());
        } else if arg.starts_with("--") || file.is_some() {
            return Err(Failure(2, format!("unexpected argument {arg:?} (run rpsim alone for usage)")));
        } else {
            file = Some(arg.clone());
        }
    }
    Ok((file.ok_or_else(|| Failure(2, "a scenario FILE is needed".into()))?, found))
}

/// A whole-number option, or its default.
fn number(found: &BTreeMap<String, String>, flag: &str, default: u64) -> Result<u64, Failure> {
    found
        .get(flag)
        .map_or(Ok(default), |v| v.parse().map_err(|_| Failure(2, format!("{flag} takes a whole number, got {v:?}"))))
}

/// The document of `file` and its validated scenario.
fn document(file: &str) -> Result<(Value, Scenario), Failure> {
    let bytes = read_bytes(file)?;
    let scenario = Scenario::from_bytes(&bytes).map_err(|e| Failure(2, format!("{file}: {e}")))?;
    let doc = serde_json::from_slice(&bytes).map_err(|e| Failure(2, format!("{file}: {e}")))?;
    Ok((doc, scenario))
}

/// The thread pool of `--jobs` (default: every core).
fn pool(found: &BTreeMap<String, String>) -> Result<Pool, Failure> {
    let jobs = usize::try_from(number(found, "--jobs", 0)?).unwrap_or(0);
    Pool::new(jobs).map_err(|e| Failure(1, format!("cannot start {jobs} threads: {e}")))
}

/// Progress on stderr, at most twice a second: `sweep: 120/400 runs, 3.2 s left`. The only
/// wall clock here: it times the batch for the user, never a run (runs keep virtual time).
struct Progress {
    what: &'static str,
    total: usize,
    started: Instant,
    last: Mutex<Instant>,
}

impl Progress {
    #[allow(clippy::disallowed_methods)]
    fn new(what: &'static str, total: usize) -> Self {
        let now = Instant::now();
        Self { what, total, started: now, last: Mutex::new(now) }
    }

    #[allow(clippy::disallowed_methods)]
    fn tick(&self, done: usize) {
        let Ok(mut last) = self.last.lock() else { return };
        if done < self.total && last.elapsed() < Duration::from_millis(500) {
            return;
        }
        *last = Instant::now();
        let elapsed = self.started.elapsed().as_secs_f64();
        let left = elapsed / done.max(1) as f64 * (self.total - done.min(self.total)) as f64;
        eprintln!("{}: {done}/{} runs, {left:.1} s left", self.what, self.total);
    }
}

/// `rpsim seeds FILE [--seeds N] [--first-seed S] [--jobs J] [--format summary|csv|json]`.
pub(super) fn seeds_command(args: &[String]) -> Result<(), Failure> {
    let (file, found) = options(args, &["--seeds", "--first-seed", "--jobs", "--format"])?;
    let (doc, scenario) = document(&file)?;
    let expectations = expect::read(&doc).map_err(|e| Failure(2, format!("{file}: {e}")))?;
    let seeds = usize::try_from(number(&found, "--seeds", 100)?).unwrap_or(usize::MAX);
    let first = number(&found, "--first-seed", scenario.seed)?;
    let format = found.get("--format").map_or("summary", String::as_str);
    if !["summary", "csv", "json"].contains(&format) {
        return Err(Failure(2, format!("unknown format {format:?}: use summary, csv or json")));
    }
    odds::check_batch(&scenario, seeds).map_err(|e| Failure(2, format!("{file}: {e}")))?;
    let pool = pool(&found)?;
    let progress = Progress::new("seeds", seeds);
    let outcomes =
        pool.map(seeds, &|i| odds::run_one(&scenario, &expectations, odds::seed_at(first, i)), &|d| progress.tick(d));
    let faults = odds::fault_labels(&scenario);
    let result = odds::aggregate(&outcomes, expectations.len(), faults.len());
    let text = match format {
        "csv" => seeds_csv(&outcomes, faults.len(), expectations.len()),
        "json" => {
            serde_json::to_string_pretty(&serde_json::json!({ "odds": result, "faults": faults, "outcomes": outcomes }))
                .unwrap_or_default()
                + "\n"
        }
        _ => odds_table(&result, &faults),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// One row per seed: its figures, each recovery (empty: never) and each verdict (1 or 0).
fn seeds_csv(outcomes: &[SeedOutcome], faults: usize, assertions: usize) -> String {
    let mut header = vec!["seed".to_owned()];
    header.extend(odds::FIGURE_NAMES.iter().map(|n| (*n).to_owned()));
    header.extend((0..faults).map(|k| format!("recovery_ms[{k}]")));
    header.extend((0..assertions).map(|n| format!("expect[{n}]")));
    header.extend(["digest".into(), "error".into()]);
    let mut out = header.join(",") + "\n";
    for o in outcomes {
        let mut row = vec![o.seed.to_string()];
        let figure =
            |name: &str| o.figures.as_ref().and_then(|f| f.get(name)).map_or_else(String::new, |v| v.to_string());
        row.extend(odds::FIGURE_NAMES.iter().map(|n| figure(n)));
        row.extend((0..faults).map(|k| figure(&format!("recovery_ms[{k}]"))));
        row.extend((0..assertions).map(|n| u8::from(o.holds(n)).to_string()));
        row.push(o.digest.clone());
        row.push(o.error.as_deref().unwrap_or("").replace([',', '\n'], ";"));
        out += &(row.join(",") + "\n");
    }
    out
}

/// The odds as a plain-text table.
fn odds_table(result: &Odds, faults: &[String]) -> String {
    let mut out = format!("{} runs ({} stopped at a bound)\n", result.runs, result.stopped);
    let line = |name: &str, d: Option<&odds::Distribution>| match d {
        Some(d) => format!(
            "{name:<40} min {:.3}  p25 {:.3}  median {:.3}  p75 {:.3}  max {:.3}  mean {:.3}{}\n",
            d.min,
            d.p25,
            d.median,
            d.p75,
            d.max,
            d.mean,
            if d.missing > 0 { format!("  (none on {} runs)", d.missing) } else { String::new() }
        ),
        None => format!("{name:<40} no value on any run\n"),
    };
    for (name, d) in &result.figures {
        out += &line(name, d.as_ref());
    }
    for (label, d) in faults.iter().zip(&result.recovery_ms) {
        out += &line(&format!("recovery_ms after {label}"), d.as_ref());
    }
    for (n, a) in result.assertions.iter().enumerate() {
        out +=
            &format!("expect[{n}] {}: holds on {} of {} seeds ({:.1} %)\n", a.claim, a.holds, a.runs, a.share * 100.0);
    }
    out
}

/// `rpsim sweep FILE [--jobs J] [--format csv|json] [--svg PATH]`.
pub(super) fn sweep_command(args: &[String]) -> Result<(), Failure> {
    let (file, found) = options(args, &["--jobs", "--format", "--svg"])?;
    let (doc, _) = document(&file)?;
    let format = found.get("--format").map_or("csv", String::as_str);
    if !["csv", "json"].contains(&format) {
        return Err(Failure(2, format!("unknown format {format:?}: use csv or json")));
    }
    let plan = Plan::new(&doc).map_err(|e| Failure(2, format!("{file}: {e}")))?;
    let pool = pool(&found)?;
    let progress = Progress::new("sweep", plan.runs());
    let outcomes: Vec<_> =
        pool.map(plan.runs(), &|r| plan.run(r), &|d| progress.tick(d)).into_iter().flatten().collect();
    let result = plan.summarize(&outcomes);
    if let Some(path) = found.get("--svg") {
        std::fs::write(path, odds::svg::chart(&result)).map_err(|e| Failure(1, format!("cannot write {path}: {e}")))?;
    }
    let text = match format {
        "json" => serde_json::to_string_pretty(&result).unwrap_or_default() + "\n",
        _ => result.to_csv(),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// A value from the command line: a number if it reads as one, else text (a duration).
fn value(text: &str) -> Value {
    text.parse::<i64>()
        .map(Value::from)
        .ok()
        .or_else(|| serde_json::from_str::<serde_json::Number>(text).ok().map(Value::Number))
        .unwrap_or_else(|| Value::String(text.to_owned()))
}

/// `rpsim tip FILE --knob POINTER --from A --to B --assert N [--seeds K] [--first-seed S] [--jobs J]`.
pub(super) fn tip_command(args: &[String]) -> Result<(), Failure> {
    let (file, found) = options(args, &["--knob", "--from", "--to", "--assert", "--seeds", "--first-seed", "--jobs"])?;
    let (doc, scenario) = document(&file)?;
    let need = |flag: &str| found.get(flag).cloned().ok_or_else(|| Failure(2, format!("tip needs {flag}")));
    let request = TipRequest {
        knob: need("--knob")?,
        from: value(&need("--from")?),
        to: value(&need("--to")?),
        assertion: usize::try_from(number(&found, "--assert", u64::MAX)?).unwrap_or(usize::MAX),
        seeds: usize::try_from(number(&found, "--seeds", 20)?).unwrap_or(usize::MAX),
        first_seed: number(&found, "--first-seed", scenario.seed)?,
    };
    let pool = pool(&found)?;
    let map = |n: usize, work: &(dyn Fn(usize) -> SeedOutcome + Sync)| pool.map(n, work, &|_| {});
    let tip = odds::tip(&doc, &request, &map).map_err(|e| Failure(2, format!("{file}: {e}")))?;
    let mut out = format!("{}\n", tip.claim);
    for p in &tip.probes {
        let mark = if p.holding() { "holds" } else { "fails" };
        out += &format!("probe {} = {}: {mark} (on {} of {} seeds)\n", request.knob, p.value, p.holds, p.seeds);
    }
    let end = |v: &Option<Value>| v.as_ref().map_or_else(|| "-".to_owned(), Value::to_string);
    // Between these the seeds disagree: where the claim tips depends on the run.
    out += &format!(
        "every seed holds up to {}; every seed fails from {}\n",
        end(&tip.holds_on_every_seed_to),
        end(&tip.fails_on_every_seed_from)
    );
    out += &format!(
        "bracket [{}, {}]: {}; {} runs\n",
        end(&tip.last_holding),
        end(&tip.first_failing),
        tip.note,
        tip.runs
    );
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(())
}
