//! Document edits: each is one undo step (consecutive moves of one drag are one step) and one
//! revalidation.

use std::rc::Rc;

use serde_json::Value;

use super::{Edit, State};
use crate::doc;

impl State {
    pub(super) fn edit(&mut self, edit: Edit) {
        let drag = match &edit {
            Edit::Drag(values) => Some(values.iter().map(|(pointer, _)| pointer.clone()).collect::<Vec<_>>()),
            _ => None,
        };
        if drag.is_none() || drag != self.last_drag {
            self.remember();
        }
        self.last_drag = drag;
        self.edited = true;
        // A sweep written into the document (the odds dialog's) runs nothing new.
        let sweep_only = match &edit {
            Edit::Set(pointer, _) => pointer == "/sweep",
            Edit::SetMany(values) => values.iter().all(|(pointer, _)| pointer == "/sweep"),
            _ => false,
        };
        self.run_edited |= !sweep_only;
        let doc = Rc::make_mut(&mut self.doc);
        let stack = format!("/endpoints/{}/stack", self.endpoint);
        match edit {
            Edit::Set(pointer, value) => {
                doc::set(doc, &pointer, value);
            }
            Edit::SetMany(values) | Edit::Drag(values) => {
                for (pointer, value) in values {
                    doc::set(doc, &pointer, value);
                }
            }
            Edit::Remove(pointer) => doc::remove(doc, &pointer),
            Edit::AddLayer(kind) => {
                let Some(layer) = doc::new_layer(&kind) else { return };
                if let Some(Value::Array(layers)) = doc.pointer_mut(&stack) {
                    layers.push(layer);
                } else {
                    doc::set(doc, &stack, Value::Array(vec![layer]));
                }
            }
            Edit::MoveLayer { from, to } => {
                self.compare_with = doc::CompareWith::NoPatterns;
                if let Some(Value::Array(layers)) = doc.pointer_mut(&stack) {
                    if from < layers.len() && to < layers.len() {
                        let layer = layers.remove(from);
                        layers.insert(to, layer);
                    }
                }
            }
            Edit::RemoveLayer(index) => {
                self.compare_with = doc::CompareWith::NoPatterns;
                doc::remove(doc, &format!("{stack}/{index}"));
            }
            Edit::AddFault(kind) => {
                let duration_s = self.scenario.as_ref().map_or(60, |s| s.duration.as_micros() / 1_000_000).max(2);
                let Some(fault) = doc::new_fault(&kind, duration_s / 3, duration_s * 2 / 3) else { return };
                let faults = format!("/services/{}/faults", self.service);
                if let Some(Value::Array(list)) = doc.pointer_mut(&faults) {
                    list.push(fault);
                } else {
                    doc::set(doc, &faults, Value::Array(vec![fault]));
                }
            }
            Edit::RerollSeed => {
                doc["seed"] = rerolled_seed(doc, self.revision).into();
            }
        }
        self.revalidate();
    }
}

/// The seed that "re-roll" gives `doc` at `revision` (the last valid one): random-looking, but
/// known in advance, so the runner can prepare that run's comparison while the page is idle.
pub fn rerolled_seed(doc: &Value, revision: u64) -> u64 {
    let seed = doc["seed"].as_u64().unwrap_or(0);
    resilience_engine::splitmix64(seed ^ revision) % 1_000_000
}
