//! `rpsim`: the headless runner. Runs a scenario file natively and prints its summary, or
//! writes its trace or metrics as JSON or CSV.
//!
//! ```text
//! rpsim run FILE [--seed N] [--format summary|json|trace-json|trace-csv|metrics-csv] [--out PATH]
//! rpsim validate FILE
//! rpsim examples
//! ```
//! `FILE` may be `example:NAME` for a built-in example. Exit code 0 on success, 2 on bad
//! input, 1 when the run itself fails; the reason is one line on stderr.

use std::process::ExitCode;

use resilience_engine::sim::{Report, TraceMode};
use resilience_engine::{RunError, RunOptions, Scenario, examples, run};

/// Trace records kept by `--format trace-*` (about 1.2 GB at most).
const TRACE_EVENTS_MAX: usize = 50_000_000;

const USAGE: &str = "usage: rpsim run FILE [--seed N] [--format summary|json|trace-json|trace-csv|metrics-csv] [--out PATH]\n       rpsim validate FILE\n       rpsim examples";

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
        Some("examples") => {
            for (name, json) in examples::ALL {
                let title = Scenario::parse(json).map(|s| s.name).unwrap_or_default();
                println!("example:{name:<22} {title}");
            }
            Ok(())
        }
        _ => Err(usage()),
    }
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
    let text = render(&report, &format)?;
    match out {
        Some(path) => std::fs::write(&path, text).map_err(|e| Failure(1, format!("cannot write {path}: {e}"))),
        // A closed pipe (`rpsim … | head`) is not an error worth a panic.
        None => {
            let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
            Ok(())
        }
    }
}

fn load(file: &str) -> Result<Scenario, Failure> {
    let json = match file.strip_prefix("example:") {
        Some(name) => examples::get(name)
            .map(str::to_owned)
            .ok_or_else(|| Failure(2, format!("no example called {name:?} (see `rpsim examples`)")))?,
        None => std::fs::read_to_string(file).map_err(|e| Failure(2, format!("cannot read {file}: {e}")))?,
    };
    Scenario::from_json(&json).map_err(|e| Failure(2, format!("{file}: {e}")))
}

fn render(report: &Report, format: &str) -> Result<String, Failure> {
    let json = |value: serde_json::Value| serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
    Ok(match format {
        "summary" => format!("{}digest {:016x}, {} events\n", report.summary.to_table(), report.digest, report.events),
        "json" => json(
            serde_json::json!({ "summary": report.summary, "metrics": report.metrics, "digest": format!("{:016x}", report.digest) }),
        ),
        "trace-json" => json(serde_json::json!({ "trace": report.trace, "digest": format!("{:016x}", report.digest) })),
        "trace-csv" => report.trace.as_ref().map(|t| t.to_csv()).unwrap_or_default(),
        "metrics-csv" => report.metrics.to_csv(),
        other => {
            return Err(Failure(
                2,
                format!("unknown format {other:?}: use summary, json, trace-json, trace-csv or metrics-csv"),
            ));
        }
    })
}
