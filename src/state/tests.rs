//! The reducer, natively: undo and redo of every edit, drafts that are never lost, and no
//! banners for readers who never edited anything.

use std::rc::Rc;

use serde_json::json;
use yew::Reducible;

use super::*;
use crate::share::Route;

fn reduce(state: State, action: Action) -> State {
    Rc::try_unwrap(Rc::new(state).reduce(action)).unwrap_or_else(|rc| (*rc).clone())
}

fn rate(state: &State) -> Value {
    state.doc["endpoints"][0]["stack"][0]["circuit_breaker"]["failure_rate"].clone()
}

const RATE: &str = "/endpoints/0/stack/0/circuit_breaker/failure_rate";

#[test]
fn a_first_visit_opens_the_simple_example_just_before_its_fault() {
    let state = State::initial(Route::Home, None);
    assert_eq!(state.example, FIRST_EXAMPLE);
    assert_eq!(state.start_us, 18_000_000);
    assert!(state.banner.is_none() && !state.edited);
}

#[test]
fn every_edit_undoes_and_redoes() {
    let state = State::with_example("breaker-outage");
    let before = rate(&state);
    let edited = reduce(state, Action::Edit(Edit::Set(RATE.into(), json!(90))));
    assert_eq!(rate(&edited), json!(90));
    assert!(edited.edited);
    let undone = reduce(edited, Action::Undo);
    assert_eq!(rate(&undone), before);
    assert!(!undone.edited);
    let redone = reduce(undone, Action::Redo);
    assert_eq!(rate(&redone), json!(90));
    let nothing = reduce(State::with_example("breaker-outage"), Action::Undo);
    assert_eq!(rate(&nothing), before, "undo with no history changes nothing");
}

#[test]
fn a_drag_is_one_step_and_a_band_move_is_one_action() {
    let state = State::with_example("breaker-outage");
    let from = "/services/0/faults/0/outage/from";
    let to = "/services/0/faults/0/outage/to";
    let revision = state.revision;
    let moved = [("21s", "41s"), ("22s", "42s"), ("23s", "43s")].iter().fold(state, |s, (a, b)| {
        reduce(s, Action::Edit(Edit::Drag(vec![(from.into(), json!(a)), (to.into(), json!(b))])))
    });
    assert_eq!(moved.revision, revision + 3, "each move is one valid revision, never a half-moved band");
    assert_eq!(moved.undo.len(), 1, "consecutive drag moves are one undo step");
    let undone = reduce(moved, Action::Undo);
    assert_eq!(undone.doc.pointer(from), Some(&json!("20s")));
}

#[test]
fn switching_examples_keeps_edits_one_undo_away() {
    let state = reduce(State::with_example("breaker-outage"), Action::Edit(Edit::Set(RATE.into(), json!(77))));
    let switched = reduce(state, Action::LoadExample("retry-storm".into()));
    assert_eq!(switched.example, "retry-storm");
    assert!(switched.banner.as_ref().is_some_and(|b| b.offer_undo), "says how to get the edits back");
    let back = reduce(switched, Action::Undo);
    assert_eq!(rate(&back), json!(77));
    assert!(back.edited && back.banner.is_none());

    let untouched = reduce(State::with_example("breaker-outage"), Action::LoadExample("retry-storm".into()));
    assert!(untouched.banner.is_none(), "nothing to warn about without edits");
}

#[test]
fn links_over_a_draft_keep_it_and_untouched_readers_see_no_banner() {
    let route = || Route::Example("retry-storm".into());
    assert!(State::initial(route(), None).banner.is_none());
    let draft = json!({ "version": 2, "name": "mine" }).to_string();
    let over_draft = State::initial(route(), Some(draft.clone()));
    assert!(over_draft.banner.as_ref().is_some_and(|b| b.offer_draft));
    assert!(!over_draft.autosave, "the shared scenario never overwrites the draft");
    let restored = reduce(over_draft, Action::RestoreDraft(Some(draft)));
    assert_eq!(restored.doc["name"], json!("mine"));
    assert!(restored.autosave && restored.edited);
}

#[test]
fn reduce_reads_no_storage_and_a_route_keeps_history() {
    let edited = reduce(State::with_example("breaker-outage"), Action::Edit(Edit::Set(RATE.into(), json!(60))));
    let routed = reduce(edited, Action::Route(Route::Example("cache-outage".into()), None));
    assert_eq!(routed.example, "cache-outage");
    let back = reduce(routed, Action::Undo);
    assert_eq!(rate(&back), json!(60), "the edits before a pasted link are one undo away");
}

#[test]
fn a_run_stopped_at_its_budget_continues_only_when_asked() {
    let state = State::with_example("breaker-outage");
    let revision = state.revision;
    let stopped = reduce(state, Action::RunStopped(revision, "stopped after 5.0 s".into()));
    assert_eq!(stopped.run_stopped.as_deref(), Some("stopped after 5.0 s"));
    let stale = reduce(stopped.clone(), Action::RunStopped(revision - 1, "old".into()));
    assert_eq!(stale.run_stopped.as_deref(), Some("stopped after 5.0 s"), "another revision's stop is ignored");
    let resumed = reduce(stopped, Action::ContinueRun);
    assert_eq!((resumed.run_stopped.is_none(), resumed.continue_requests), (true, 1));
    let again = reduce(resumed, Action::ContinueRun);
    assert_eq!(again.continue_requests, 1, "nothing to continue");
}

#[test]
fn a_sweep_written_into_the_document_travels_with_it_without_a_new_run() {
    let state = State::with_example("breaker-outage");
    let revision = state.revision;
    let sweep = json!({ "knobs": [{ "path": RATE, "from": 20, "to": 80, "steps": 4 }], "seeds": 2 });
    let swept = reduce(state, Action::Edit(Edit::Set("/sweep".into(), sweep.clone())));
    assert_eq!(swept.revision, revision, "the run model did not change");
    assert_eq!(swept.scenario_doc["sweep"], sweep, "links and files carry it");
    assert!(swept.problems.is_empty());
    let edited = reduce(swept, Action::Edit(Edit::Set(RATE.into(), json!(90))));
    assert_eq!(edited.revision, revision + 1, "any other edit runs again");
    assert!(edited.run_edited);
    // The odds dialog writes its sweep on closing: kept (as a draft too), but the example's three
    // things to try still apply.
    let closed =
        reduce(State::with_example("breaker-outage"), Action::Edit(Edit::SetMany(vec![("/sweep".into(), sweep)])));
    assert!(closed.edited && !closed.run_edited);
    let undone = reduce(edited, Action::Undo);
    assert!(!undone.run_edited, "back as it was opened");
}

#[test]
fn a_reroll_gives_the_seed_the_runner_prepares_for() {
    let mut state = State::with_example("breaker-outage");
    for _ in 0..3 {
        let (before, predicted) = (state.doc["seed"].clone(), rerolled_seed(&state.doc, state.revision));
        state = reduce(state, Action::Edit(Edit::RerollSeed));
        assert_eq!(state.doc["seed"], json!(predicted));
        assert_ne!(state.doc["seed"], before);
    }
}
