//! Charts on the timeline's time axis, from the run's per-bucket metrics: requests by final
//! outcome (stacked), client requests vs downstream attempts, goodput vs throughput, latency
//! percentiles, breaker state strips, bulkhead occupancy and cache hit ratio. Each has a
//! legend, axis labels with units, a hover read-out and the play head.

use std::rc::Rc;

use resilience_engine::catalog::{self, CLIENT_POOL, Chart, LayerSpec, Reading};
use resilience_engine::sim::{Bucket, LayerSample, LayerSeries, Metrics, Outcome};
use yew::prelude::*;

use crate::axis;
use crate::number::{compact, fixed};
use crate::playback::{PlaybackAction, PlaybackContext, use_playback};
use crate::state::{RunView, State};
use crate::view_model::{Derived, LayerTimeline};

/// SVG width units.
const W: f64 = 1000.0;
/// Chart height units.
const H: f64 = 90.0;

/// A line of a chart: label, colour, dashed, values per bucket.
struct Line {
    label: String,
    colour: &'static str,
    dashed: bool,
    values: Vec<f64>,
}

impl Line {
    /// A solid line.
    fn solid(label: &str, colour: &'static str, values: Vec<f64>) -> Self {
        Self { label: label.to_owned(), colour, dashed: false, values }
    }
}

/// The charts of the run on screen (nothing before the first run). They are drawn by
/// [`Charts`] from its props, so an edit does not draw them again until its run is in.
pub fn charts(state: &State) -> Html {
    let Some(run) = state.result.clone() else { return html! {} };
    html! { <Charts {run} window={state.window} endpoint={state.endpoint} /> }
}

/// Props of [`Charts`]: what the charts show.
#[derive(Properties, PartialEq, Debug)]
pub struct ChartsProps {
    /// The run on screen.
    pub run: Rc<RunView>,
    /// The time window shown, in µs.
    pub window: (u64, u64),
    /// The endpoint whose layers are charted.
    pub endpoint: usize,
}

/// The charts of one run, window and endpoint, with the play head and the hover read-out.
#[function_component(Charts)]
pub fn charts_of(props: &ChartsProps) -> Html {
    let playback = use_playback();
    let hover = use_state(|| None::<usize>);
    let result = &props.run;
    let metrics = &result.report.metrics;
    let (from, to) = props.window;
    let range = bucket_range(metrics, from, to);
    let buckets = &metrics.buckets[range.clone()];
    let ctx = ChartCtx {
        first: range.start,
        count: buckets.len(),
        width_s: metrics.bucket_us as f64 / 1e6,
        cursor_us: playback.cursor_us,
        from,
        to,
        hover,
        playback: playback.clone(),
    };
    let baseline =
        result.baseline.as_deref().map(|(_, baseline)| baseline.buckets.get(range.clone()).unwrap_or_default());
    let mut charts = vec![
        outcome_chart(&ctx, buckets),
        amplification_chart(&ctx, buckets, baseline),
        goodput_chart(&ctx, buckets),
        latency_chart(&ctx, buckets),
    ];
    charts.extend(layer_charts(&ctx, metrics, &range, props.endpoint as u16, &result.derived));
    html! { <section class="panel charts" aria-label="Charts">{ for charts }</section> }
}

/// The buckets inside the window `from..to` (µs). The window may reach past the last bucket
/// (a long drain): clamped, never out of range.
fn bucket_range(metrics: &Metrics, from: u64, to: u64) -> std::ops::Range<usize> {
    let count = metrics.buckets.len();
    let first = ((from / metrics.bucket_us) as usize).min(count.saturating_sub(1));
    let last = (to.div_ceil(metrics.bucket_us) as usize).clamp(first + 1, count.max(first + 1));
    first..last.min(count)
}

/// Client requests against the attempts that reach the service (and the comparison's).
fn amplification_chart(ctx: &ChartCtx, buckets: &[Bucket], baseline: Option<&[Bucket]>) -> Html {
    let per_s = |n: u32| f64::from(n) / ctx.width_s;
    let mut lines = vec![
        Line::solid("client requests/s", "#2f6fd6", buckets.iter().map(|b| per_s(b.arrivals)).collect()),
        Line::solid("downstream attempts/s", "#d63a3a", buckets.iter().map(|b| per_s(b.attempts)).collect()),
    ];
    if let Some(baseline) = baseline {
        let values = baseline.iter().map(|b| per_s(b.attempts)).collect();
        lines.push(Line { dashed: true, ..Line::solid("attempts/s, comparison", "#8a93a6", values) });
    }
    line_chart(ctx, "Requests vs downstream attempts (amplification)", "per second", lines)
}

/// Everything answered against the real answers.
fn goodput_chart(ctx: &ChartCtx, buckets: &[Bucket]) -> Html {
    let per_s = |n: u32| f64::from(n) / ctx.width_s;
    let lines = vec![
        Line::solid("throughput (answered)", "#5b6475", buckets.iter().map(|b| per_s(b.completed())).collect()),
        Line::solid("goodput (real answers)", "#2e9d4f", buckets.iter().map(|b| per_s(b.good())).collect()),
    ];
    line_chart(ctx, "Goodput vs throughput", "per second", lines)
}

/// Latency percentiles.
fn latency_chart(ctx: &ChartCtx, buckets: &[Bucket]) -> Html {
    let lines = vec![
        Line::solid("p50", "#2f7ed8", buckets.iter().map(|b| b.latency_p50_ms).collect()),
        Line::solid("p95", "#e0702f", buckets.iter().map(|b| b.latency_p95_ms).collect()),
        Line::solid("p99", "#d63a3a", buckets.iter().map(|b| b.latency_p99_ms).collect()),
    ];
    line_chart(ctx, "Latency", "ms", lines)
}

struct ChartCtx {
    first: usize,
    count: usize,
    width_s: f64,
    cursor_us: u64,
    from: u64,
    to: u64,
    hover: UseStateHandle<Option<usize>>,
    playback: PlaybackContext,
}

impl ChartCtx {
    fn x(&self, i: usize) -> f64 {
        let t = (self.first + i) as f64 * self.width_s * 1e6;
        (t - self.from as f64) / (self.to - self.from).max(1) as f64 * W
    }

    fn bar_width(&self) -> f64 {
        (self.width_s * 1e6 / (self.to - self.from).max(1) as f64 * W).max(0.5)
    }

    fn cursor_x(&self) -> f64 {
        (self.cursor_us.saturating_sub(self.from)) as f64 / (self.to - self.from).max(1) as f64 * W
    }

    /// Mouse handlers: hover read-out, click moves the play head.
    fn handlers(&self) -> (Callback<MouseEvent>, Callback<MouseEvent>, Callback<MouseEvent>) {
        let index_at = {
            let (first, count, from, to, width_s) = (self.first, self.count, self.from, self.to, self.width_s);
            move |event: &MouseEvent| {
                let target: web_sys::Element = event.target_unchecked_into();
                let svg = target.closest("svg").ok().flatten().unwrap_or(target);
                let rect = svg.get_bounding_client_rect();
                let fraction = (f64::from(event.client_x()) - rect.left()) / rect.width().max(1.0);
                let t = from as f64 + fraction * (to - from) as f64;
                let index = (t / (width_s * 1e6)) as usize;
                (index.saturating_sub(first).min(count.saturating_sub(1)), t.max(0.0) as u64)
            }
        };
        let hover = self.hover.clone();
        let index_at_move = index_at;
        let on_move = Callback::from(move |event: MouseEvent| hover.set(Some(index_at_move(&event).0)));
        let hover = self.hover.clone();
        let on_leave = Callback::from(move |_| hover.set(None));
        let playback = self.playback.clone();
        let on_click =
            Callback::from(move |event: MouseEvent| playback.dispatch(PlaybackAction::Seek(index_at(&event).1)));
        (on_move, on_leave, on_click)
    }

    fn readout(&self, describe: impl Fn(usize) -> String) -> Html {
        let text = match *self.hover {
            Some(i) if i < self.count => {
                format!("at {} s: {}", fixed((self.first + i) as f64 * self.width_s, 1), describe(i))
            }
            _ => "hover for values · click to move the play head".to_owned(),
        };
        html! { <div class="readout" aria-live="polite">{ text }</div> }
    }

    fn frame(&self, title: &str, unit: &str, max: f64, legend: Html, body: Html, readout: Html) -> Html {
        let (on_move, on_leave, on_click) = self.handlers();
        let (from_s, to_s) = (self.from as f64 / 1e6, self.to as f64 / 1e6);
        let span_s = (to_s - from_s).max(1e-6);
        let ticks: Vec<(f64, String)> =
            axis::ticks(from_s, to_s, 6).into_iter().map(|t| ((t - from_s) / span_s, axis::seconds_label(t))).collect();
        // The chart's size and play head, as SVG writes them (once per chart, not per line).
        let (width, height, cursor) = (compact(W, 2), compact(H, 2), compact(self.cursor_x(), 2));
        let grid = ticks.iter().map(|(f, _)| {
            let x = compact(f * W, 2);
            html! { <line class="grid" x1={x.clone()} x2={x} y1="0" y2={height.clone()} /> }
        });
        let labels = ticks.iter().map(|(f, label)| {
            let edge = if *f < 0.04 { "start" } else if *f > 0.96 { "end" } else { "" };
            html! { <span class={classes!("tick", edge)} style={format!("left:{}%", fixed(f * 100.0, 2))}>{ label.clone() }</span> }
        });
        html! {
            <figure class="chart">
                <figcaption><strong>{ title.to_owned() }</strong>{ legend }</figcaption>
                if !unit.is_empty() { <div class="y-label">{ format!("{} {unit}", fmt(max)) }</div> }
                <div class="chart-body">
                    <svg viewBox={format!("0 0 {width} {height}")} preserveAspectRatio="none" role="img" aria-label={title.to_owned()}
                        onmousemove={on_move} onmouseleave={on_leave} onclick={on_click}>
                        { for grid }
                        if !unit.is_empty() { <line class="grid top" x1="0" y1="0.5" x2={width.clone()} y2="0.5" /> }
                        <line class="axis" x1="0" y1={height.clone()} x2={width.clone()} y2={height.clone()} />
                        { body }
                        <line class="playhead" x1={cursor.clone()} x2={cursor} y1="0" y2={height} />
                    </svg>
                </div>
                <div class="x-ticks" aria-hidden="true">{ for labels }</div>
                { readout }
            </figure>
        }
    }
}

fn fmt(value: f64) -> String {
    fixed(value, if value >= 100.0 { 0 } else { 1 })
}

fn outcome_chart(ctx: &ChartCtx, buckets: &[Bucket]) -> Html {
    let per_s = |n: u32| f64::from(n) / ctx.width_s;
    let max = buckets.iter().map(|b| per_s(b.completed())).fold(1.0, f64::max);
    let bar = ctx.bar_width();
    let mut rects = Vec::new();
    for (i, b) in buckets.iter().enumerate() {
        let mut y = H;
        for outcome in Outcome::ALL {
            let h = per_s(b.outcomes[outcome as usize]) / max * H;
            if h > 0.0 {
                y -= h;
                rects.push(html! { <rect x={compact(ctx.x(i), 2)} y={compact(y, 2)} width={compact(bar, 2)} height={compact(h, 2)} fill={outcome.colour()} /> });
            }
        }
    }
    let present: Vec<Outcome> =
        Outcome::ALL.into_iter().filter(|o| buckets.iter().any(|b| b.outcomes[*o as usize] > 0)).collect();
    let legend = html! {
        <span class="legend">{ for present.iter().map(|o| html! {
            <span class="key"><span class="swatch" style={format!("background:{}", o.colour())}></span>{ format!("{} {}", o.glyph(), o.name()) }</span>
        }) }</span>
    };
    let readout = ctx.readout(|i| {
        present
            .iter()
            .map(|o| format!("{} {}", o.name(), buckets[i].outcomes[*o as usize]))
            .collect::<Vec<_>>()
            .join(", ")
    });
    ctx.frame("Requests by final outcome", "req/s", max, legend, html! { <>{ for rects }</> }, readout)
}

fn line_chart(ctx: &ChartCtx, title: &str, unit: &str, lines: Vec<Line>) -> Html {
    let max = lines.iter().flat_map(|l| l.values.iter().copied()).filter(|v| v.is_finite()).fold(1.0, f64::max);
    let half = ctx.bar_width() / 2.0;
    let paths = lines.iter().map(|line| {
        let points: Vec<String> = line
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{},{}", fixed(ctx.x(i) + half, 1), fixed(H - v / max * H, 1)))
            .collect();
        html! { <polyline points={points.join(" ")} fill="none" stroke={line.colour} stroke-width="2"
        stroke-dasharray={if line.dashed { "6 4" } else { "none" }} vector-effect="non-scaling-stroke" /> }
    });
    let legend = html! {
        <span class="legend">{ for lines.iter().map(|l| html! {
            <span class="key"><span class={classes!("swatch", l.dashed.then_some("dashed"))} style={format!("background:{}", l.colour)}></span>{ l.label.clone() }</span>
        }) }</span>
    };
    let readout = ctx.readout(|i| {
        lines
            .iter()
            .map(|l| format!("{} {}", l.label, l.values.get(i).map_or("–".into(), |v| fmt(*v))))
            .collect::<Vec<_>>()
            .join(", ")
    });
    ctx.frame(title, unit, max, legend, html! { <>{ for paths }</> }, readout)
}

fn layer_charts(
    ctx: &ChartCtx,
    metrics: &Metrics,
    range: &std::ops::Range<usize>,
    endpoint: u16,
    derived: &Derived,
) -> Vec<Html> {
    let mine = |l: &&LayerSeries| l.endpoint == endpoint || l.kind == CLIENT_POOL.name;
    let slice = |l: &LayerSeries| l.samples.get(range.clone()).map(<[_]>::to_vec).unwrap_or_default();
    let mut charts = Vec::new();
    for series in metrics.layers.iter().filter(mine) {
        let samples = slice(series);
        let Some(spec) = catalog::layer(series.kind) else { continue };
        let name = if series.kind == CLIENT_POOL.name {
            CLIENT_POOL.label.to_ascii_lowercase()
        } else {
            format!("{} (layer {})", spec.label, series.layer + 1)
        };
        let reading = |which: Reading| spec.readings.iter().find(|r| r.reading == which).map_or("", |r| r.label);
        match spec.chart {
            Some(Chart::StateStrip) => charts.push(state_strip(ctx, spec, &name, &samples)),
            Some(Chart::Occupancy) => charts.push(line_chart(
                ctx,
                &format!("Occupancy: {name}"),
                "calls",
                vec![
                    Line {
                        label: format!("{} (max)", reading(Reading::InUse)),
                        colour: "#d9a400",
                        dashed: false,
                        values: samples.iter().map(|s| f64::from(s.in_use_max)).collect(),
                    },
                    second_occupancy_line(spec, &samples, derived.layers.get(&(series.endpoint, series.layer)), {
                        let (bucket_us, first) = (metrics.bucket_us, range.start as u64);
                        move |i: usize| (first + i as u64 + 1) * bucket_us - 1
                    }),
                ],
            )),
            Some(Chart::HitRatio) => charts.push(line_chart(
                ctx,
                &format!("Hit ratio: {name}"),
                "%",
                vec![Line {
                    label: "fresh hits".into(),
                    colour: "#2f7ed8",
                    dashed: false,
                    values: samples
                        .iter()
                        .map(|s| {
                            if s.hits + s.misses == 0 {
                                0.0
                            } else {
                                f64::from(s.hits) * 100.0 / f64::from(s.hits + s.misses)
                            }
                        })
                        .collect(),
                }],
            )),
            _ => {}
        }
    }
    charts
}

/// The occupancy chart's second line: an adaptive limit's value at the end of each bucket
/// (`bucket_end(i)`, in µs) when the layer has one, else the calls waiting.
fn second_occupancy_line(
    spec: &LayerSpec,
    samples: &[LayerSample],
    timeline: Option<&LayerTimeline>,
    bucket_end: impl Fn(usize) -> u64,
) -> Line {
    match timeline.filter(|t| !t.limits.is_empty()) {
        Some(timeline) => Line::solid(
            &spec.label.to_ascii_lowercase(),
            "#2f7ed8",
            (0..samples.len()).map(|i| timeline.limit_at(bucket_end(i)).map_or(0.0, f64::from)).collect(),
        ),
        None => {
            let label = spec.readings.iter().find(|r| r.reading == Reading::Waiting).map_or("", |r| r.label);
            Line::solid(
                &format!("{label} (max)"),
                "#8a93a6",
                samples.iter().map(|s| f64::from(s.waiting_max)).collect(),
            )
        }
    }
}

/// How a state strip draws state codes 0, 1, 2, … (closed, open, half-open): colour and glyph.
const STATE_LOOKS: [(&str, &str); 3] = [("#2e9d4f", "●"), ("#f28c28", "⊘"), ("#f2d028", "◐")];

/// The look of a state code: forced open looks open; disabled and metrics-only let calls
/// through, as closed does.
fn state_look(code: u8) -> (&'static str, &'static str) {
    match code {
        1 | 4 => STATE_LOOKS[1],
        2 => STATE_LOOKS[2],
        _ => STATE_LOOKS[0],
    }
}

fn state_strip(ctx: &ChartCtx, spec: &LayerSpec, name: &str, samples: &[resilience_engine::sim::LayerSample]) -> Html {
    let bar = ctx.bar_width();
    let word = |code: u8| spec.states.iter().find(|s| s.code == code).or(spec.states.first()).map_or("", |s| s.label);
    let colour = |code: u8| state_look(code).0;
    let rects = samples.iter().enumerate().map(|(i, s)| {
        let (colour, pattern) = (colour(s.worst_state), word(s.worst_state));
        html! { <rect class={pattern} x={compact(ctx.x(i), 2)} y="20" width={compact(bar, 2)} height="50" fill={colour} /> }
    });
    // The usual three (a mode's state looks like one of them: forced open as open, disabled and
    // metrics-only as closed).
    let keys = spec.states.iter().take(STATE_LOOKS.len()).map(|state| {
        let (colour, glyph) = state_look(state.code);
        html! { <span class="key"><span class="swatch" style={format!("background:{colour}")}></span>{ format!("{glyph} {}", state.label) }</span> }
    });
    let legend = html! { <span class="legend">{ for keys }</span> };
    let readout = ctx.readout(|i| {
        let s = samples[i];
        format!("worst {} · at end {} · rejected {}", word(s.worst_state), word(s.state), s.rejected)
    });
    ctx.frame(&format!("Breaker state: {name}"), "", 0.0, legend, html! { <>{ for rects }</> }, readout)
}
