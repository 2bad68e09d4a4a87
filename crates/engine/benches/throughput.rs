//! Simulator throughput against the tokio + tower peer (shared/bench), in one run.
//!
//! `cargo bench -p resilience-engine --bench throughput` prints, for workloads W1 and W2 at
//! 1,000 rps for one hour of virtual time, and our own W3 (retry with a TpsBudget, timeout,
//! hedging; ten minutes): requests/s, events/s, the ratio to the peer and the outcome shares
//! side by side; the default example's run time; and memory: the peak RSS of metrics-only runs
//! of growing length, and the full trace's bytes per record as RSS shows them (the peak RSS of
//! a fresh process running the workload traced, over one running it metrics-only, per record).
//! Figures only: nothing here asserts a wall-clock time.
#![allow(missing_docs, clippy::disallowed_methods)]

use std::process::Command;
use std::time::Instant as WallClock;

use resilience_engine::sim::{Outcome, Report, TraceMode};
use resilience_engine::{RunOptions, Scenario, examples, run};

/// Peak resident memory of this process (Linux), in MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    kb.unwrap_or(0.0) / 1e3
}

/// Child-process mode: one metrics-only W2 run of `seconds`, then print the peak RSS.
fn memory_probe(seconds: u64) {
    let mut workload = scenario("w2-retry-timeout-bulkhead");
    workload.duration = resilience_engine::time::Span::from_secs(seconds);
    let report = run(&workload, &RunOptions::default()).expect("run");
    println!("{} {:.1}", report.summary.total.requests, peak_rss_mb());
}

/// Child-process mode: one run of workload `name`, traced or not, then print its trace
/// records and the peak RSS.
fn rss_probe(name: &str, traced: bool) {
    let options = if traced { RunOptions::full_trace(100_000_000) } else { RunOptions::default() };
    let report = run(&scenario(name), &options).expect("run");
    let records = report.trace.as_ref().map_or(0, |t| t.events.len());
    println!("{records} {:.1}", peak_rss_mb());
}

/// The full trace's bytes per record of workload `name`, from the peak RSS of two fresh
/// processes (traced, metrics-only).
fn trace_bytes_per_record(name: &str) -> Option<(usize, f64)> {
    let exe = std::env::current_exe().ok()?;
    let probe = |traced: &str| -> Option<(usize, f64)> {
        let out = Command::new(&exe).args(["--rss-probe", name, traced]).output().ok()?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut fields = text.split_whitespace();
        Some((fields.next()?.parse().ok()?, fields.next()?.parse().ok()?))
    };
    let ((records, traced_mb), (_, lean_mb)) = (probe("1")?, probe("0")?);
    Some((records, (traced_mb - lean_mb) * 1e6 / records.max(1) as f64))
}

fn scenario(name: &str) -> Scenario {
    Scenario::from_json(examples::get(name).expect("known workload")).expect("valid")
}

/// Runs once, returning the report and wall seconds.
fn timed(scenario: &Scenario, options: &RunOptions) -> (Report, f64) {
    let start = WallClock::now();
    let report = run(scenario, options).expect("run");
    (report, start.elapsed().as_secs_f64())
}

fn shares(report: &Report) -> Vec<(&'static str, f64)> {
    let total = &report.summary.total;
    let requests = total.requests as f64;
    Outcome::ALL
        .iter()
        .filter(|o| total.outcomes.get(**o) > 0)
        .map(|o| (o.name(), total.outcomes.get(*o) as f64 * 100.0 / requests))
        .collect()
}

/// Builds and runs the peer; returns its JSON line, if it could be run.
fn peer() -> Option<serde_json::Value> {
    let manifest =
        std::env::var("PEER_MANIFEST").unwrap_or_else(|_| "../../../shared/bench/tower-peer/Cargo.toml".into());
    let target = std::env::var("PEER_TARGET_DIR").unwrap_or_else(|_| "../../target/peer".into());
    let output = Command::new("cargo")
        .args([
            "run",
            "-q",
            "--release",
            "--manifest-path",
            &manifest,
            "--",
            "--duration",
            "3600",
            "--rps",
            "1000",
            "--seed",
            "1",
        ])
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!("peer failed: {}", String::from_utf8_lossy(&output.stderr));
        return None;
    }
    serde_json::from_slice(&output.stdout).ok()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        return;
    }
    if let Some(seconds) = args.iter().position(|a| a == "--memory-probe").and_then(|i| args.get(i + 1)) {
        memory_probe(seconds.parse().expect("seconds"));
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--rss-probe") {
        rss_probe(args.get(i + 1).map_or("", String::as_str), args.get(i + 2).is_some_and(|t| t == "1"));
        return;
    }
    println!("machine: {} cores; native, one thread", std::thread::available_parallelism().map_or(1, |n| n.get()));
    let lean = RunOptions { trace: TraceMode::MetricsOnly, ..RunOptions::default() };

    let default = scenario(examples::DEFAULT);
    let mut runs: Vec<f64> = (0..21).map(|_| timed(&default, &lean).1 * 1e3).collect();
    runs.sort_by(f64::total_cmp);
    println!(
        "default example ({}, 60 s at 200 rps): median {:.2} ms, p95 {:.2} ms over 21 runs",
        default.name, runs[10], runs[19]
    );

    let peer = peer();
    let peer_rps = peer.as_ref().and_then(|p| p["requests_per_second"].as_f64());
    for name in ["w2-retry-timeout-bulkhead", "w1-stacked", "w3-hedge-budget"] {
        let workload = scenario(name);
        let (report, wall) = timed(&workload, &lean);
        let requests = report.summary.total.requests as f64;
        print!(
            "{name}: {:.0} requests in {wall:.3} s = {:.0} requests/s, {:.0} events/s",
            requests,
            requests / wall,
            report.events as f64 / wall
        );
        if let (Some(peer_rps), true) = (peer_rps, name.starts_with("w2")) {
            print!(", {:.2}x the peer ({peer_rps:.0} requests/s)", requests / wall / peer_rps);
        }
        println!();
        println!(
            "  outcome shares %: {:?}",
            shares(&report).iter().map(|(n, s)| format!("{n} {s:.2}")).collect::<Vec<_>>()
        );
        let full = RunOptions::full_trace(100_000_000);
        let (_, traced_wall) = timed(&workload, &full);
        match trace_bytes_per_record(name) {
            Some((records, bytes)) => println!(
                "  full trace: {records} records, {bytes:.1} bytes/record by peak RSS (traced over metrics-only), {:.0} requests/s with tracing",
                requests / traced_wall
            ),
            None => println!("  full trace: {:.0} requests/s with tracing (RSS probe failed)", requests / traced_wall),
        }
    }
    if let Some(peer) = &peer {
        let o = &peer["outcomes"];
        let n = peer["requests"].as_f64().unwrap_or(1.0);
        let pct = |k: &str| o[k].as_f64().unwrap_or(0.0) * 100.0 / n;
        println!(
            "  peer W2 shares %: success {:.2}, success-after-retry {:.2}, shed {:.2}, timed-out {:.2}, failed {:.2}",
            pct("success"),
            pct("success_after_retry"),
            pct("shed"),
            pct("timed_out"),
            pct("failed")
        );
    } else {
        println!("peer: not run (set PEER_MANIFEST to shared/bench/tower-peer/Cargo.toml)");
    }

    println!("metrics-only memory by run length (W2 workload, peak RSS of a fresh process each):");
    let exe = std::env::current_exe().expect("own path");
    for seconds in ["600", "1800", "3600"] {
        let out = Command::new(&exe).args(["--memory-probe", seconds]).output().expect("probe runs");
        let text = String::from_utf8_lossy(&out.stdout);
        let mut fields = text.split_whitespace();
        let (requests, mb) = (fields.next().unwrap_or("?"), fields.next().unwrap_or("?"));
        println!("  {seconds:>5} s virtual, {requests:>8} requests: peak RSS {mb} MB");
    }
}
