//! `rpsim`: the headless runner. Runs a scenario file natively and prints its summary, or
//! writes its trace or metrics as JSON or CSV.
//!
//! ```text
//! rpsim run FILE [--seed N] [--format summary|json|trace-json|trace-csv|metrics-csv] [--out PATH]
//! rpsim validate FILE
//! rpsim check FILE...
//! rpsim insights FILE
//! rpsim explain FILE [--request N]
//! rpsim import CONFIG
//! rpsim report FILE [--format markdown|svg]
//! rpsim examples
//! rpsim catalog
//! rpsim code --target resilience4j|polly|cockatiel|failsafe-go|tower FILE [--endpoint N]
//! rpsim seeds FILE [--seeds N] [--first-seed S] [--jobs J] [--format summary|csv|json]
//! rpsim sweep FILE [--jobs J] [--format csv|json] [--svg PATH]
//! rpsim tip FILE --knob POINTER --from A --to B --assert N [--seeds K] [--first-seed S] [--jobs J]
//! ```
//! `seeds`, `sweep` and `tip` (native only, on every core; progress on stderr) give the odds
//! across seeds, run the document's `sweep` section, and bisect a knob for the value where
//! assertion N flips (see `resilience_engine::odds`).
//! `check` runs each file and measures its `expect` assertions: one line per assertion, exit
//! code 1 when any fails (so a docs site's CI keeps a post's claims true). `report` writes the
//! run's figures and verdicts as Markdown or an SVG card. `insights` lists configuration
//! warnings with their fixes; `import` reads a resilience4j `application.yml`, a Polly
//! `appsettings.json` or an Envoy cluster/route into stacks, listing every unsupported key.
//! `code` prints the stack of endpoint N (default 0) as code for the target library.
//! `catalog` prints every layer and fault kind with its fields (type, unit, range, default) as
//! JSON, for docs tools and editors.
//! `FILE` may be `example:NAME` for a built-in example. Exit code 0 on success, 2 on bad
//! input, 1 when the run itself fails; the reason is one line on stderr.

use std::io::Write;
use std::process::ExitCode;

#[cfg(not(target_arch = "wasm32"))]
#[path = "rpsim/odds.rs"]
mod odds;
#[path = "rpsim/render.rs"]
mod render;

use render::{FORMATS, render};

use resilience_engine::sim::{Report, TraceMode};
use resilience_engine::{RunError, RunOptions, Scenario, examples, expect, run};

/// Trace records kept by `--format trace-*` (about 1.2 GB at most).
const TRACE_EVENTS_MAX: usize = 50_000_000;

const USAGE: &str = "usage: rpsim run FILE [--seed N] [--format summary|json|trace-json|trace-csv|metrics-csv] [--out PATH]\n       rpsim validate FILE\n       rpsim check FILE...\n       rpsim insights FILE\n       rpsim explain FILE [--request N]\n       rpsim import CONFIG\n       rpsim report FILE [--format markdown|svg]\n       rpsim code --target resilience4j|polly|cockatiel|failsafe-go|tower FILE [--endpoint N]\n       rpsim examples\n       rpsim catalog\n       rpsim seeds FILE [--seeds N] [--first-seed S] [--jobs J] [--format summary|csv|json]\n       rpsim sweep FILE [--jobs J] [--format csv|json] [--svg PATH]\n       rpsim tip FILE --knob POINTER --from A --to B --assert N [--seeds K] [--first-seed S] [--jobs J]";

/// A failure with its exit code.
struct Failure(u8, String);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(code, message)) => {
            eprintln!("rpsim: {message}");
            ExitCode::from(code)
        }
    }
}

fn dispatch(args: &[String]) -> Result<(), Failure> {
    match args.first().map(String::as_str) {
        Some("run") => run_command(&args[1..]),
        Some("validate") => {
            let [file] = &args[1..] else { return Err(usage()) };
            let scenario = load(file)?;
            println!(
                "{file}: valid ({} endpoint(s), {} service(s), {})",
                scenario.endpoints.len(),
                scenario.services.len(),
                scenario.duration
            );
            Ok(())
        }
        Some("check") if args.len() > 1 => check_command(&args[1..]),
        Some("report") => report_command(&args[1..]),
        Some("import") => import_command(&args[1..]),
        Some("explain") => explain_command(&args[1..]),
        #[cfg(not(target_arch = "wasm32"))]
        Some("seeds") => odds::seeds_command(&args[1..]),
        #[cfg(not(target_arch = "wasm32"))]
        Some("sweep") => odds::sweep_command(&args[1..]),
        #[cfg(not(target_arch = "wasm32"))]
        Some("tip") => odds::tip_command(&args[1..]),
        Some("insights") => {
            let [file] = &args[1..] else { return Err(usage()) };
            let (scenario, report, _) = checked(file)?;
            for insight in resilience_engine::insights::insights(&scenario, &report) {
                let layer = insight.layer.map_or_else(String::new, |l| format!(" layer {}", l + 1));
                let fix = insight.fix.map_or_else(String::new, |f| format!(" [fix: {}]", f.label));
                println!("{file}: endpoint {}{layer}: {}{fix}", insight.endpoint, insight.message);
            }
            Ok(())
        }
        Some("examples") => {
            for (name, json) in examples::ALL {
                let title = Scenario::parse(json).map(|s| s.name).unwrap_or_default();
                println!("example:{name:<22} {title}");
            }
            Ok(())
        }
        Some("code") => code_command(&args[1..]),
        Some("catalog") if args.len() == 1 => {
            // A closed pipe (`rpsim catalog | head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout().lock(), "{}", resilience_engine::catalog::to_json());
            Ok(())
        }
        _ => Err(usage()),
    }
}

/// `rpsim code --target T FILE [--endpoint N]`: the stack as code (see `resilience_engine::codegen`).
fn code_command(args: &[String]) -> Result<(), Failure> {
    use resilience_engine::codegen::{Target, generate};
    let (mut target, mut file, mut endpoint) = (None, None, 0_usize);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = || rest.next().cloned().ok_or_else(|| Failure(2, format!("{arg} needs a value")));
        match arg.as_str() {
            "--target" => {
                let word = value()?;
                let words = Target::ALL.map(Target::word).join(", ");
                target = Some(
                    Target::from_word(&word)
                        .ok_or_else(|| Failure(2, format!("unknown target {word:?}: use {words}")))?,
                );
            }
            "--endpoint" => endpoint = value()?.parse().map_err(|_| Failure(2, "--endpoint takes an index".into()))?,
            path if file.is_none() && !path.starts_with("--") => file = Some(path.to_owned()),
            other => return Err(Failure(2, format!("unexpected argument {other:?} (run rpsim alone for usage)"))),
        }
    }
    let (Some(target), Some(file)) = (target, file) else { return Err(usage()) };
    let scenario = load(&file)?;
    if endpoint >= scenario.endpoints.len() {
        return Err(Failure(2, format!("{file}: no endpoint {endpoint} (it has {})", scenario.endpoints.len())));
    }
    let _ = write!(std::io::stdout().lock(), "{}", generate(&scenario, endpoint, target));
    Ok(())
}

fn usage() -> Failure {
    Failure(2, USAGE.to_owned())
}

fn run_command(args: &[String]) -> Result<(), Failure> {
    let (mut file, mut seed, mut format, mut out) = (None, None, "summary".to_owned(), None);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = || {
            rest.next().cloned().ok_or_else(|| Failure(2, format!("{arg} needs a value (run rpsim alone for usage)")))
        };
        match arg.as_str() {
            "--seed" => {
                seed = Some(value()?.parse::<u64>().map_err(|_| Failure(2, "--seed takes a whole number".into()))?)
            }
            "--format" => format = value()?,
            "--out" => out = Some(value()?),
            flag if flag.starts_with("--") => {
                return Err(Failure(2, format!("unknown option {flag} (run rpsim alone for usage)")));
            }
            path if file.is_none() => file = Some(path.to_owned()),
            extra => return Err(Failure(2, format!("unexpected argument {extra:?} (run rpsim alone for usage)"))),
        }
    }
    let file = file.ok_or_else(usage)?;
    if !FORMATS.contains(&format.as_str()) {
        return Err(Failure(
            2,
            format!("unknown format {format:?}: use summary, json, trace-json, trace-csv or metrics-csv"),
        ));
    }
    let mut scenario = load(&file)?;
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    let trace = if format.starts_with("trace") {
        TraceMode::Full { max_events: TRACE_EVENTS_MAX }
    } else {
        TraceMode::MetricsOnly
    };
    let options = RunOptions { trace, ..RunOptions::default() };
    let report = run(&scenario, &options).map_err(|e| match e {
        RunError::Invalid(error) => Failure(2, format!("{file}: {error}")),
        other => Failure(1, other.to_string()),
    })?;
    match out {
        Some(path) => {
            let file = std::fs::File::create(&path).map_err(|e| Failure(1, format!("cannot write {path}: {e}")))?;
            let mut writer = std::io::BufWriter::new(file);
            render(&report, &format, &mut writer)
                .and_then(|()| writer.flush())
                .map_err(|e| Failure(1, format!("cannot write {path}: {e}")))
        }
        // A closed pipe (`rpsim … | head`) is not an error worth a panic.
        None => {
            let mut writer = std::io::BufWriter::new(std::io::stdout().lock());
            let _ = render(&report, &format, &mut writer).and_then(|()| writer.flush());
            Ok(())
        }
    }
}

/// Runs each file and prints its assertions' verdicts; fails (exit 1) if any assertion fails.
fn check_command(files: &[String]) -> Result<(), Failure> {
    let mut failed = 0;
    for file in files {
        let (_, _, verdicts) = checked(file)?;
        if verdicts.is_empty() {
            println!("{file}: no assertions (add an `expect` list)");
        }
        for v in &verdicts {
            println!("{file}: {} {} (measured {})", if v.pass { "PASS" } else { "FAIL" }, v.claim, v.measured);
        }
        failed += verdicts.iter().filter(|v| !v.pass).count();
    }
    if failed > 0 {
        return Err(Failure(1, format!("{failed} assertion(s) failed")));
    }
    Ok(())
}

/// Prints the stacks a resilience4j, Polly or Envoy configuration file becomes.
fn import_command(args: &[String]) -> Result<(), Failure> {
    let [file] = args else { return Err(usage()) };
    let text = std::fs::read_to_string(file).map_err(|e| Failure(2, format!("cannot read {file}: {e}")))?;
    let imported = resilience_engine::import::import(&text).map_err(|e| Failure(2, format!("{file}: {e}")))?;
    let _ = writeln!(std::io::stdout().lock(), "{}", serde_json::to_string_pretty(&imported).unwrap_or_default());
    Ok(())
}

/// Prints why each breaker changed state, or why one request's refusals, timeouts and
/// give-ups happened.
fn explain_command(args: &[String]) -> Result<(), Failure> {
    let (file, request) = match args {
        [file] => (file, None),
        [file, flag, n] | [flag, n, file] if flag == "--request" => (
            file,
            Some(n.parse::<u32>().map_err(|_| Failure(2, format!("--request takes a request number, got {n:?}")))?),
        ),
        _ => return Err(usage()),
    };
    let scenario = load(file)?;
    let report =
        run(&scenario, &RunOptions::full_trace(TRACE_EVENTS_MAX)).map_err(|e| Failure(1, format!("{file}: {e}")))?;
    let Some(trace) = report.trace.as_ref() else { return Ok(()) };
    let mut out = std::io::stdout().lock();
    match request {
        Some(id) => {
            for x in resilience_engine::explain::request(&scenario, trace, id) {
                let _ = writeln!(
                    out,
                    "{:>10.3} s  {}: {} ({:.3} s)",
                    x.at_us as f64 / 1e6,
                    x.what,
                    x.cause.text,
                    x.cause.at_us as f64 / 1e6
                );
            }
        }
        None => {
            for t in resilience_engine::explain::transitions(&scenario, trace) {
                let _ = writeln!(
                    out,
                    "{:>10.3} s  endpoint {} layer {}: {} {}",
                    t.at_us as f64 / 1e6,
                    t.endpoint,
                    t.layer + 1,
                    t.to,
                    t.why
                );
            }
        }
    }
    Ok(())
}

/// Writes one file's figures and verdicts as Markdown (default) or SVG.
fn report_command(args: &[String]) -> Result<(), Failure> {
    let (file, format) = match args {
        [file] => (file, "markdown"),
        [file, flag, format] | [flag, format, file] if flag == "--format" => (file, format.as_str()),
        _ => return Err(usage()),
    };
    let (scenario, report, verdicts) = checked(file)?;
    let text = match format {
        "markdown" => expect::report::markdown(&scenario, &report, &verdicts),
        "svg" => expect::report::svg(&scenario, &report, &verdicts),
        other => return Err(Failure(2, format!("unknown report format {other:?}; use markdown or svg"))),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// A file's scenario, its run (summary and metrics) and its assertions' verdicts.
fn checked(file: &str) -> Result<(Scenario, Report, Vec<expect::Verdict>), Failure> {
    let bytes = read_bytes(file)?;
    let scenario = Scenario::from_bytes(&bytes).map_err(|e| Failure(2, format!("{file}: {e}")))?;
    let doc: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| Failure(2, format!("{file}: {e}")))?;
    let expectations = expect::read(&doc).map_err(|e| Failure(2, format!("{file}: {e}")))?;
    let report = run(&scenario, &RunOptions::default()).map_err(|e| Failure(1, format!("{file}: {e}")))?;
    let verdicts = expect::check(&expectations, &scenario, &report);
    Ok((scenario, report, verdicts))
}

fn load(file: &str) -> Result<Scenario, Failure> {
    // Read as bytes so that bad UTF-8 is reported with its offset.
    Scenario::from_bytes(&read_bytes(file)?).map_err(|e| Failure(2, format!("{file}: {e}")))
}

/// The bytes of a file, or of a built-in example (`example:NAME`).
fn read_bytes(file: &str) -> Result<Vec<u8>, Failure> {
    Ok(match file.strip_prefix("example:") {
        Some(name) => examples::get(name)
            .map(|json| json.as_bytes().to_vec())
            .ok_or_else(|| Failure(2, format!("no example called {name:?} (see `rpsim examples`)")))?,
        None => std::fs::read(file).map_err(|e| Failure(2, format!("cannot read {file}: {e}")))?,
    })
}
