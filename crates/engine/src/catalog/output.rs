//! The catalogue as `rpsim catalog` prints it: the static tables with every field's default
//! filled in.

use serde::Serialize;
use serde_json::Value;

use super::{
    CLIENT_POOL, ENDPOINT_SECTIONS, FAILURE_KINDS, FAULTS, FaultSpec, FieldSpec, LAYERS, LayerSpec, Named,
    SERVICE_SECTIONS, SectionSpec, WINDOW_FIELDS,
};
use crate::sim::Outcome;

/// The whole catalogue, as `rpsim catalog` prints it.
#[derive(Debug, Serialize)]
pub struct Catalog {
    /// The layer kinds, in palette order.
    pub layers: Vec<LayerOut>,
    /// The shared client worker pool (`client`).
    pub client_pool: LayerOut,
    /// The fault kinds.
    pub faults: Vec<FaultOut>,
    /// The window every fault has.
    pub fault_window: Vec<FieldOut>,
    /// A service's own settings (its latency and capacity), by section.
    pub service_sections: &'static [&'static SectionSpec],
    /// An endpoint's own settings (its arrivals and cache keys), by section.
    pub endpoint_sections: &'static [&'static SectionSpec],
    /// The failure kinds that `retry_on`, `record` and `on` select.
    pub failure_kinds: &'static [Named],
    /// Every outcome, in display order.
    pub outcomes: Vec<Named>,
}

/// A layer kind with its fields' defaults filled in.
#[derive(Debug, Serialize)]
pub struct LayerOut {
    /// The kind.
    #[serde(flatten)]
    pub spec: &'static LayerSpec,
    /// Its fields, each with its default.
    pub fields: Vec<FieldOut>,
}

/// A fault kind with its fields' defaults filled in.
#[derive(Debug, Serialize)]
pub struct FaultOut {
    /// The kind.
    #[serde(flatten)]
    pub spec: &'static FaultSpec,
    /// Its fields, each with its default.
    pub fields: Vec<FieldOut>,
}

/// A field with its default.
#[derive(Debug, Serialize)]
pub struct FieldOut {
    /// The field.
    #[serde(flatten)]
    pub spec: &'static FieldSpec,
    /// Its default, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
}

impl LayerSpec {
    fn out(&'static self) -> LayerOut {
        LayerOut { spec: self, fields: fields_out(self.fields, &self.defaults()) }
    }
}

impl FaultSpec {
    fn out(&'static self) -> FaultOut {
        FaultOut { spec: self, fields: fields_out(self.fields, &self.defaults()) }
    }
}

fn fields_out(fields: &'static [FieldSpec], defaults: &Value) -> Vec<FieldOut> {
    fields.iter().map(|spec| FieldOut { spec, default: defaults.pointer(spec.path).cloned() }).collect()
}

/// The whole catalogue, defaults filled in.
#[must_use]
pub fn catalog() -> Catalog {
    let window_defaults = FAULTS[0].defaults();
    Catalog {
        layers: LAYERS.iter().map(|spec| spec.out()).collect(),
        client_pool: CLIENT_POOL.out(),
        faults: FAULTS.iter().map(FaultSpec::out).collect(),
        fault_window: fields_out(WINDOW_FIELDS, &window_defaults),
        service_sections: &SERVICE_SECTIONS,
        endpoint_sections: &ENDPOINT_SECTIONS,
        failure_kinds: FAILURE_KINDS,
        outcomes: Outcome::ALL.iter().map(|o| Named { name: o.name(), label: o.name() }).collect(),
    }
}

/// The catalogue as pretty JSON.
#[must_use]
pub fn to_json() -> String {
    serde_json::to_string_pretty(&catalog()).unwrap_or_default()
}
