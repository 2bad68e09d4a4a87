//! The pool's side: a worker of the pool runs jobs, a range of a batch's runs at a time
//! (`odds_runs`; a tipping-point search sends each probe's seeds this way). The parsed scenario
//! or sweep plan of the last document is kept, so that the jobs of one batch (or probe) parse
//! it once per worker.

use resilience_engine::Scenario;
use resilience_engine::expect::{self, Expectation};
use resilience_engine::odds::{self, Plan};
use serde_json::{Value, json};

/// What a job needs, read once per document.
enum Prepared {
    Seeds(Box<Scenario>, Vec<Expectation>),
    Sweep(Box<Plan>),
}

/// A pool worker's state: the last document it prepared.
#[derive(Default)]
pub struct Jobs {
    last: Option<(String, Prepared)>,
}

impl Jobs {
    /// Runs `[from, to)` of a batch: `kind` `seeds` (seed `first_seed + i`) or `sweep` (run `i`
    /// of the document's sweep). The reply lists each run's outcome, from `from`.
    pub fn runs(&mut self, request: &Value) -> Result<Value, String> {
        let index = |key: &str| {
            request
                .get(key)
                .and_then(Value::as_u64)
                .and_then(|i| usize::try_from(i).ok())
                .ok_or("a job without its range")
        };
        let (from, to) = (index("from")?, index("to")?);
        let prepared = self.prepare(request)?;
        let outcomes: Vec<Value> = match prepared {
            Prepared::Seeds(scenario, expectations) => {
                let first = request.get("first_seed").and_then(Value::as_u64).unwrap_or(0);
                (from..to).map(|i| json!(odds::run_one(scenario, expectations, odds::seed_at(first, i)))).collect()
            }
            Prepared::Sweep(plan) => (from..to.min(plan.runs())).map(|i| json!(plan.run(i))).collect(),
        };
        Ok(json!({ "from": from, "outcomes": outcomes }))
    }

    fn prepare(&mut self, request: &Value) -> Result<&Prepared, String> {
        let doc = request.get("doc").ok_or("the request carries no document")?;
        let kind = request.get("kind").and_then(Value::as_str).unwrap_or_default();
        let key = format!("{kind}:{doc}");
        if self.last.as_ref().is_none_or(|(k, _)| *k != key) {
            self.last = None;
            let prepared = match kind {
                "seeds" => {
                    let scenario = Scenario::from_json(&doc.to_string()).map_err(|e| e.to_string())?;
                    Prepared::Seeds(Box::new(scenario), expect::read(doc).map_err(|e| e.to_string())?)
                }
                "sweep" => Prepared::Sweep(Box::new(Plan::new(doc).map_err(|e| e.to_string())?)),
                other => return Err(format!("no batch of kind {other:?}")),
            };
            self.last = Some((key, prepared));
        }
        self.last.as_ref().map(|(_, p)| p).ok_or_else(|| "nothing prepared".to_owned())
    }
}
