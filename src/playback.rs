//! The play head, apart from the document: its own small reducer and context, so a 30 Hz
//! playback tick re-renders only the views that follow the play head (replay bar, timeline,
//! charts, live badges, stack diagram), never the editors, and never clones the scenario.
//!
//! ```text
//!            Play (at the end: rewinds first; before a run: waits for it)
//!   Paused ───────────────────────────────▶ Playing
//!     ▲  ◀─────────────────────────────────  │  Tick(ms): cursor += ms × speed
//!     │   Pause, or a Tick that reaches the end
//!     └── Seek / SetSpeed / SetEnd / Reset keep the mode (Reset pauses)
//! ```

use std::rc::Rc;

use yew::prelude::*;

/// Where the play head is and whether it moves.
#[derive(Clone, Debug, PartialEq)]
pub struct Playback {
    /// Play head, in microseconds of virtual time.
    pub cursor_us: u64,
    /// Moving?
    pub playing: bool,
    /// Virtual seconds per real second.
    pub speed: f64,
    /// The last instant the play head can reach (the run's end), in microseconds.
    pub end_us: u64,
}

impl Default for Playback {
    fn default() -> Self {
        Self { cursor_us: 0, playing: false, speed: 5.0, end_us: 0 }
    }
}

/// What can happen to the play head.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PlaybackAction {
    /// Start moving (from the start when at the end).
    Play,
    /// Stop moving.
    Pause,
    /// Play when paused, pause when playing.
    Toggle,
    /// Advance by this many real milliseconds at the current speed.
    Tick(f64),
    /// Move the play head to this instant (clamped to the end).
    Seek(u64),
    /// Set the speed (clamped to 0.1×..1000×).
    SetSpeed(f64),
    /// A new run is on screen: its end, in microseconds.
    SetEnd(u64),
    /// A new scenario was opened: pause and put the play head here.
    Reset(u64),
}

/// Slowest and fastest playback speeds, in virtual seconds per real second.
pub const SPEED_RANGE: (f64, f64) = (0.1, 1_000.0);

impl Playback {
    /// The state after `action` (pure).
    #[must_use]
    pub fn next(&self, action: PlaybackAction) -> Self {
        let mut next = self.clone();
        match action {
            PlaybackAction::Play => next.play(),
            PlaybackAction::Pause => next.playing = false,
            PlaybackAction::Toggle if self.playing => next.playing = false,
            PlaybackAction::Toggle => next.play(),
            PlaybackAction::Tick(real_ms) if self.playing && self.end_us > 0 => {
                let advance_us = (real_ms.max(0.0) * 1_000.0 * self.speed) as u64;
                next.cursor_us = self.cursor_us.saturating_add(advance_us).min(self.end_us);
                next.playing = next.cursor_us < self.end_us;
            }
            PlaybackAction::Tick(_) => {}
            PlaybackAction::Seek(t_us) => next.cursor_us = t_us.min(self.end_us),
            PlaybackAction::SetSpeed(speed) if speed.is_finite() => {
                next.speed = speed.clamp(SPEED_RANGE.0, SPEED_RANGE.1);
            }
            PlaybackAction::SetSpeed(_) => {}
            // No run yet (end 0): keep the start the document asked for until one arrives.
            PlaybackAction::SetEnd(0) => next.end_us = 0,
            PlaybackAction::SetEnd(end_us) => {
                next.end_us = end_us;
                next.cursor_us = self.cursor_us.min(end_us);
            }
            PlaybackAction::Reset(cursor_us) => {
                next.playing = false;
                next.cursor_us = cursor_us;
            }
        }
        next
    }

    /// Starts moving; with no run yet (end 0) it waits, playing, for the first one.
    fn play(&mut self) {
        if self.end_us > 0 && self.cursor_us >= self.end_us {
            self.cursor_us = 0;
        }
        self.playing = true;
    }
}

impl Reducible for Playback {
    type Action = PlaybackAction;

    fn reduce(self: Rc<Self>, action: PlaybackAction) -> Rc<Self> {
        let next = self.next(action);
        if next == *self { self } else { Rc::new(next) }
    }
}

/// The play head's context.
pub type PlaybackContext = UseReducerHandle<Playback>;

/// The play head's position for views that read it only when the user acts (copy a link,
/// export a file), and a way to move it: a shared cell and a callback that never change, so
/// their readers are not re-rendered by every playback tick.
#[derive(Clone, Debug, Default)]
pub struct CursorCell(pub Rc<std::cell::Cell<u64>>, pub Callback<u64>);

impl PartialEq for CursorCell {
    /// The same cell: the context never changes, so its readers never re-render for it.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The play head's position now (see [`CursorCell`]); 0 outside a provider.
#[hook]
pub fn use_cursor_cell() -> CursorCell {
    use_context::<CursorCell>().unwrap_or_default()
}

/// The play head, from the context the app and the player provide.
///
/// # Panics
/// Outside the playback context provider (a programming error, never user input).
#[hook]
pub fn use_playback() -> PlaybackContext {
    use_context::<PlaybackContext>().expect("components live inside the playback context provider")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(cursor_us: u64, end_us: u64) -> Playback {
        Playback { cursor_us, end_us, ..Playback::default() }
    }

    #[test]
    fn play_and_pause_are_explicit_and_idempotent() {
        let paused = at(1_000, 10_000);
        let playing = paused.next(PlaybackAction::Play);
        assert!(playing.playing);
        assert_eq!(playing.next(PlaybackAction::Play), playing, "Play twice is still playing");
        assert!(!playing.next(PlaybackAction::Pause).playing);
        assert_eq!(paused.next(PlaybackAction::Pause), paused, "Pause while paused changes nothing");
        assert!(paused.next(PlaybackAction::Toggle).playing);
    }

    #[test]
    fn ticks_advance_by_speed_and_stop_at_the_end() {
        let playing = at(0, 1_000_000).next(PlaybackAction::Play);
        let moved = playing.next(PlaybackAction::Tick(100.0));
        assert_eq!(moved.cursor_us, 500_000, "100 ms at 5× is 0.5 s");
        let ended = moved.next(PlaybackAction::Tick(1_000.0));
        assert_eq!((ended.cursor_us, ended.playing), (1_000_000, false));
        assert_eq!(at(3, 10).next(PlaybackAction::Tick(50.0)).cursor_us, 3, "paused: ticks do nothing");
    }

    #[test]
    fn play_at_the_end_rewinds_and_play_before_a_run_waits_for_it() {
        let replay = at(10, 10).next(PlaybackAction::Play);
        assert_eq!((replay.cursor_us, replay.playing), (0, true));
        let early = Playback { cursor_us: 7, ..Playback::default() }.next(PlaybackAction::Play);
        assert_eq!((early.cursor_us, early.playing), (7, true), "autoplay before the run ends");
        let waiting = early.next(PlaybackAction::Tick(100.0));
        assert_eq!((waiting.cursor_us, waiting.playing), (7, true), "no run yet: ticks wait");
        let running = waiting.next(PlaybackAction::SetEnd(1_000_000)).next(PlaybackAction::Tick(100.0));
        assert_eq!(running.cursor_us, 500_007);
    }

    #[test]
    fn seeks_and_speeds_are_clamped() {
        let head = at(5, 100);
        assert_eq!(head.next(PlaybackAction::Seek(500)).cursor_us, 100);
        assert_eq!(head.next(PlaybackAction::Seek(7)).cursor_us, 7);
        assert_eq!(head.next(PlaybackAction::SetSpeed(1e9)).speed, SPEED_RANGE.1);
        assert_eq!(head.next(PlaybackAction::SetSpeed(f64::NAN)).speed, head.speed);
        assert_eq!(head.next(PlaybackAction::SetEnd(0)).cursor_us, 5, "no run yet: the start is kept");
        let shorter = head.next(PlaybackAction::SetEnd(3));
        assert_eq!((shorter.cursor_us, shorter.end_us), (3, 3));
        let reset = head.next(PlaybackAction::Play).next(PlaybackAction::Reset(42));
        assert_eq!((reset.cursor_us, reset.playing), (42, false));
    }
}
