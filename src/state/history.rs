//! Undo and redo: every change of the document pushes the document before it (documents are
//! shared `Rc`s, so a step costs a pointer, not a copy).

use std::rc::Rc;

use super::{Snapshot, State, UNDO_STEPS_MAX};

impl State {
    pub(super) fn snapshot(&self) -> Rc<Snapshot> {
        Rc::new(Snapshot {
            doc: self.doc.clone(),
            origin: self.example.clone(),
            edited: self.edited,
            run_edited: self.run_edited,
        })
    }

    /// Pushes the current document on the undo stack and forgets what was undone.
    pub(super) fn remember(&mut self) {
        self.undo.push(self.snapshot());
        if self.undo.len() > UNDO_STEPS_MAX {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// Steps back (`Undo`) or forward (`Redo`) through the document's history.
    pub(super) fn travel(&mut self, back: bool) {
        let (from, to) = if back { (&mut self.undo, &mut self.redo) } else { (&mut self.redo, &mut self.undo) };
        let Some(target) = from.pop() else { return };
        to.push(Rc::new(Snapshot {
            doc: self.doc.clone(),
            origin: self.example.clone(),
            edited: self.edited,
            run_edited: self.run_edited,
        }));
        let same_shape =
            self.doc["services"] == target.doc["services"] && self.doc["endpoints"] == target.doc["endpoints"];
        self.doc = target.doc.clone();
        self.example = target.origin.clone();
        self.edited = target.edited;
        self.run_edited = target.run_edited;
        self.last_drag = None;
        if !same_shape {
            self.endpoint = 0;
            self.service = 0;
            self.selected_request = None;
        }
        self.revalidate();
        self.banner = self.banner.take().filter(|b| !b.offer_undo);
    }
}
