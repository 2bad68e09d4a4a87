//! The live stack diagram: the shown endpoint's layers as stations between client and service,
//! calls as dots moving through them, each layer's state at the play head. Drawn on a canvas
//! from the finished run's trace (see `diagram_model`); while playing, one requestAnimationFrame
//! loop owned by this component tweens between the play head's ticks, and stops when paused,
//! out of view or unmounted. With reduced motion it draws only when the play head moves.

mod draw;
mod geometry;
mod legend;
mod widgets;

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

use crate::diagram_model::{Calls, DiagramModel, Dot, Readout, StationKind};
use crate::dom_events::VisibilityWatch;
use crate::number::compact;
use crate::playback::use_playback;
use crate::state::{RunView, use_app};
use draw::{Frame, Palette, paint};
use geometry::Geometry;

/// Wall-clock time of one hop between stations, whatever the playback speed, in microseconds.
const HOP_REAL_US: f64 = 70_000.0;
/// The playback timer's period (the app's tick), in milliseconds.
const TICK_MS: f64 = 33.0;
/// Least time between two changes of the text alternative, in milliseconds.
const LABEL_EVERY_MS: f64 = 500.0;
/// How often the theme's colours are read again while animating, in milliseconds.
const PALETTE_EVERY_MS: f64 = 1_000.0;
/// Trace records read in one of the tasks that work out a large run's calls (about 10 ms on a
/// slow machine; see [`crate::runner::is_large`]).
const RECORDS_PER_TASK: usize = 200_000;

/// The minimum visual time of one hop at playback `speed`, in steps of 2 (so dragging the
/// speed slider rebuilds the model rarely).
fn hop_for(speed: f64) -> u64 {
    let mut scale = 1.0;
    while scale * 1.41 < speed && scale < 1e4 {
        scale *= 2.0;
    }
    while scale > speed * 1.41 && scale > 1e-3 {
        scale /= 2.0;
    }
    (HOP_REAL_US * scale) as u64
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// What the animation loop reads and keeps between frames.
#[derive(Debug, Default)]
struct Anim {
    model: Rc<DiagramModel>,
    run: Option<Rc<RunView>>,
    canvas: NodeRef,
    cursor_us: u64,
    end_us: u64,
    speed: f64,
    playing: bool,
    /// When `cursor_us` last changed (performance.now, milliseconds).
    anchor_ms: f64,
    drawn_us: u64,
    hidden: bool,
    reduced: bool,
    raf: Option<i32>,
    frames: u32,
    label_ms: f64,
    label: String,
    breaker: String,
    /// The canvas's laid-out width in CSS pixels, kept by the size observer (0 until known):
    /// reading it while drawing would force a layout of the page.
    width_px: f64,
    height_px: f64,
    /// The theme's colours, when they were read (ms) and whether the theme was dark then.
    palette: Option<(f64, bool, Palette)>,
    dots: Vec<Dot>,
}

impl Anim {
    fn animating(&self) -> bool {
        self.playing && !self.hidden && !self.reduced
    }

    /// The play head between two ticks: extrapolated at the playback speed, at most one tick
    /// ahead, never backwards (unless the play head jumped).
    fn time_at(&mut self, now_ms: f64) -> u64 {
        let tick_us = TICK_MS * 1e3 * self.speed;
        let ahead = ((now_ms - self.anchor_ms).max(0.0) * 1e3 * self.speed).min(tick_us * 1.5);
        let t = ((self.cursor_us as f64 + ahead) as u64).min(self.end_us.max(self.cursor_us));
        let jumped = self.drawn_us.abs_diff(self.cursor_us) as f64 > tick_us * 3.0;
        self.drawn_us = if jumped { t } else { t.max(self.drawn_us) };
        self.drawn_us
    }

    fn draw(&mut self, t_us: u64, now_ms: f64, settle: bool) {
        let Some(canvas) = self.canvas.cast::<HtmlCanvasElement>() else { return };
        let Some(run) = self.run.clone() else { return };
        let css_width = self.width_px;
        if css_width <= 0.0 {
            return;
        }
        let cells = self.model.stations.iter().any(|s| s.capacity.is_some());
        let geometry = Geometry::new(css_width, self.model.stations.len(), cells);
        let Some(ctx) = self.prepare(&canvas, &geometry) else { return };
        self.read_palette(&canvas, now_ms);
        let states = self.model.states_at(&run.derived, t_us);
        let readouts = self.model.readouts(&states, t_us);
        let mut dots = std::mem::take(&mut self.dots);
        dots.clear();
        self.model.dots_at(t_us, &mut dots);
        if let Some((_, _, palette)) = &self.palette {
            let frame = Frame {
                model: &self.model,
                states: &states,
                readouts: &readouts,
                dots: &dots,
                t_us,
                palette,
                geometry,
            };
            paint(&ctx, &frame);
        }
        self.dots = dots;
        self.describe(&canvas, &readouts, t_us, now_ms, settle);
        self.frames = self.frames.wrapping_add(1);
        if let Some(window) = web_sys::window() {
            let _ = js_sys::Reflect::set(&window, &"rpDiagramFrames".into(), &self.frames.into());
        }
    }

    /// Reads the theme's colours again when the theme changed, else at most every
    /// [`PALETTE_EVERY_MS`]: reading them costs a style recalculation of the page, right after
    /// a run's results changed it, so edits in quick succession read them once.
    fn read_palette(&mut self, canvas: &HtmlCanvasElement, now_ms: f64) {
        let dark = super::timeline::dark(canvas);
        let stale =
            self.palette.as_ref().is_none_or(|(at, was_dark, _)| *was_dark != dark || now_ms - at > PALETTE_EVERY_MS);
        if stale {
            self.palette = Some((now_ms, dark, Palette::read(canvas)));
        }
    }

    /// Sizes the backing store by `devicePixelRatio` and returns the context, scaled to CSS px.
    fn prepare(&mut self, canvas: &HtmlCanvasElement, geometry: &Geometry) -> Option<CanvasRenderingContext2d> {
        let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).clamp(1.0, 4.0);
        if (self.height_px - geometry.height_px).abs() > 0.5 {
            self.height_px = geometry.height_px;
            let _ = canvas.style().set_property("height", &format!("{}px", compact(geometry.height_px, 2)));
        }
        let (width, height) = ((geometry.width_px * ratio).round() as u32, (geometry.height_px * ratio).round() as u32);
        if canvas.width() != width || canvas.height() != height {
            canvas.set_width(width);
            canvas.set_height(height);
        }
        let ctx = canvas.get_context("2d").ok().flatten()?.dyn_into::<CanvasRenderingContext2d>().ok()?;
        let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
        Some(ctx)
    }

    /// `data-breaker` at once; the text alternative at most every [`LABEL_EVERY_MS`].
    fn describe(&mut self, canvas: &HtmlCanvasElement, readouts: &[Readout], t_us: u64, now_ms: f64, settle: bool) {
        let breaker = self.model.find(StationKind::Breaker);
        let name = breaker.and_then(|i| readouts.get(i)).map_or("none", |r| r.headline.as_str());
        if self.breaker != name {
            self.breaker = name.to_owned();
            let _ = canvas.set_attribute("data-breaker", name);
        }
        if settle || now_ms - self.label_ms >= LABEL_EVERY_MS {
            self.label_ms = now_ms;
            let label = self.model.describe(readouts, t_us);
            if label != self.label {
                let _ = canvas.set_attribute("aria-label", &label);
                self.label = label;
            }
        }
    }
}

type FrameFn = Rc<RefCell<Option<Closure<dyn Fn()>>>>;

fn request(frame: &FrameFn) -> Option<i32> {
    let holder = frame.borrow();
    let callback = holder.as_ref()?;
    web_sys::window()?.request_animation_frame(callback.as_ref().unchecked_ref()).ok()
}

/// Starts the loop if it should run and is not running.
fn kick(anim: &Rc<RefCell<Anim>>, frame: &FrameFn) {
    let mut a = anim.borrow_mut();
    if a.raf.is_none() && a.animating() {
        a.raf = request(frame);
    }
}

fn on_frame(anim: &Rc<RefCell<Anim>>, frame: &FrameFn) {
    let now_ms = now_ms();
    let mut a = anim.borrow_mut();
    a.raf = None;
    if !a.animating() {
        return;
    }
    let t = a.time_at(now_ms);
    a.draw(t, now_ms, false);
    a.raf = request(frame);
}

/// The frame callback, visibility (pauses the loop out of view) and size observers.
#[hook]
fn use_loop(anim: Rc<RefCell<Anim>>, frame: FrameFn) {
    use_effect_with((), move |_| {
        let element = anim.borrow().canvas.cast::<web_sys::Element>();
        let visibility = element.as_ref().and_then(|element| {
            let (anim, frame) = (anim.clone(), frame.clone());
            VisibilityWatch::new(element, move |visible| {
                anim.borrow_mut().hidden = !visible;
                kick(&anim, &frame);
            })
        });
        let on_resize = {
            let anim = anim.clone();
            Closure::<dyn Fn()>::new(move || {
                let mut a = anim.borrow_mut();
                // The observer reports after layout: reading the width here costs nothing.
                a.width_px = a.canvas.cast::<web_sys::Element>().map_or(0.0, |e| f64::from(e.client_width()));
                if !a.animating() {
                    let t = a.drawn_us;
                    a.draw(t, now_ms(), true);
                }
            })
        };
        let size = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
        if let (Some(size), Some(element)) = (&size, &element) {
            size.observe(element);
        }
        let looping = {
            let (anim, frame) = (anim.clone(), frame.clone());
            Closure::<dyn Fn()>::new(move || on_frame(&anim, &frame))
        };
        *frame.borrow_mut() = Some(looping);
        move || {
            drop(visibility);
            size.iter().for_each(web_sys::ResizeObserver::disconnect);
            if let (Some(id), Some(window)) = (anim.borrow_mut().raf.take(), web_sys::window()) {
                let _ = window.cancel_animation_frame(id);
            }
            frame.borrow_mut().take();
            drop(on_resize);
        }
    });
}

/// What the diagram's model was built for: the run (revision, digest), the endpoint and the hop.
type ModelKey = (Option<(u64, u64)>, usize, u64);
/// The model built last, and what for.
type ModelCache = Rc<RefCell<(Option<ModelKey>, Rc<DiagramModel>)>>;
/// The pending step of a large run's model.
type Later = Rc<RefCell<Option<Timeout>>>;

/// Works out a large run's calls after the rest of its result is on screen, in tasks of their
/// own: [`RECORDS_PER_TASK`] trace records at a time, then the pacing (the diagram shows its
/// stations meanwhile). Each task leaves the next in `later`: a newer run replaces it, which
/// drops the work.
struct BuildLater {
    run: Rc<RunView>,
    key: ModelKey,
    cached: ModelCache,
    /// Where each task leaves the next; gone once the diagram is (the work then stops).
    later: std::rc::Weak<RefCell<Option<Timeout>>>,
    update: UseForceUpdateHandle,
}

impl BuildLater {
    fn start(self) -> Option<Timeout> {
        let calls = Calls::new(&self.run.scenario, &self.run.report, self.key.1)?;
        Some(self.next(calls))
    }

    fn next(self, mut calls: Calls) -> Timeout {
        Timeout::new(0, move || {
            let Some(later) = self.later.upgrade() else { return };
            let next = if calls.read_some(&self.run.report, RECORDS_PER_TASK) {
                Timeout::new(0, move || self.finish(calls))
            } else {
                self.next(calls)
            };
            *later.borrow_mut() = Some(next);
        })
    }

    fn finish(self, calls: Calls) {
        let model = DiagramModel::paced(calls, &self.run.report, self.key.2);
        let mut slot = self.cached.borrow_mut();
        if slot.0 == Some(self.key) {
            slot.1 = Rc::new(model);
            drop(slot);
            self.update.force_update();
        }
    }
}

/// The diagram panel.
#[function_component(StackDiagram)]
pub fn stack_diagram() -> Html {
    let state = use_app();
    let playback = use_playback();
    // The play head, read in this one place.
    let (cursor_us, playing, speed, end_us) = (playback.cursor_us, playback.playing, playback.speed, state.end_us());
    let run = state.result.clone();
    let key = (run.as_ref().map(|r| (r.revision, r.report.digest)), state.endpoint, hop_for(speed));
    let cached: ModelCache = use_mut_ref(|| (None, Rc::new(DiagramModel::default())));
    let later: Later = use_mut_ref(|| None);
    let update = use_force_update();
    let model = {
        let mut slot = cached.borrow_mut();
        if slot.0 != Some(key) {
            // A large run's calls take tens of milliseconds: they come in tasks of their own.
            let large = run.as_ref().filter(|r| crate::runner::is_large(&r.report));
            let pending = large.and_then(|run| {
                let later = Rc::downgrade(&later);
                BuildLater { run: run.clone(), key, cached: cached.clone(), later, update }.start()
            });
            *later.borrow_mut() = pending;
            // Meanwhile, the model shown stays when only the hop changed (the same run and
            // endpoint: the same stations), else the stations alone.
            let same_calls = slot.0.is_some_and(|(was_run, was_endpoint, _)| (was_run, was_endpoint) == (key.0, key.1));
            let model = match (&run, large) {
                (Some(_), Some(_)) if same_calls => slot.1.clone(),
                (Some(run), Some(_)) => Rc::new(DiagramModel::stations_only(&run.scenario, key.1, key.2)),
                (Some(run), None) => Rc::new(DiagramModel::build(&run.scenario, &run.report, key.1, key.2)),
                (None, _) => Rc::new(DiagramModel::default()),
            };
            *slot = (Some(key), model);
        }
        slot.1.clone()
    };
    let canvas = use_node_ref();
    let anim = use_mut_ref(Anim::default);
    let frame: FrameFn = use_mut_ref(|| None);
    {
        let mut a = anim.borrow_mut();
        a.canvas = canvas.clone();
        a.model = model.clone();
        a.run = run.clone();
        (a.speed, a.end_us, a.playing) = (speed, end_us, playing);
        if a.cursor_us != cursor_us {
            (a.cursor_us, a.anchor_ms) = (cursor_us, now_ms());
        }
    }
    use_loop(anim.clone(), frame.clone());
    use_effect_with((cursor_us, playing, Rc::as_ptr(&model) as usize), move |_| {
        let mut a = anim.borrow_mut();
        a.reduced = reduced_motion();
        if a.animating() {
            drop(a);
            kick(&anim, &frame);
        } else {
            a.drawn_us = cursor_us;
            a.draw(cursor_us, now_ms(), true);
        }
    });
    let has_trace = run.as_ref().is_some_and(|r| r.report.trace.is_some());
    html! {
        <section class="panel diagram" aria-labelledby="diagram-title">
            <h2 id="diagram-title">{ "Inside the stack" }</h2>
            <canvas id="stack-diagram" ref={canvas} role="img" aria-label="Live stack diagram" hidden={!has_trace}></canvas>
            if has_trace {
                { legend::legend() }
            } else if run.is_some() {
                <p class="notice">{ "No trace for this run (metrics only): the diagram needs a smaller scenario." }</p>
            }
        </section>
    }
}
