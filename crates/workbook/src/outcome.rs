//! The machine-readable result of a check, written next to the trace so that the `racebook`
//! command can show progress and build class reports without parsing terminal text.

use crate::exercise::{Exercise, Variant};
use racebook_check::run::CapturedFailure;
use racebook_check::search::Search;
use racebook_trace::{EngineKind, FailureKind};
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Proved within the stated bounds.
    Green,
    /// A failing schedule was found.
    Red,
    /// Nothing failed, but a search stopped at its budget, or an engine's model cannot decide
    /// this code (loom and SeqCst accesses) and no other engine does: not a proof.
    NotProved,
    /// Nothing failed because the fix removed the concurrency.
    Serialized,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngineSummary {
    pub engine: EngineKind,
    pub strategy: String,
    pub schedules: u64,
    pub failing: u64,
    pub exhaustive: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<String>,
    pub elapsed_ms: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub exercise: String,
    pub variant: String,
    pub status: Status,
    pub engines: Vec<EngineSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_kind: Option<FailureKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invariant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<String>,
}

fn engines(search: &Search) -> Vec<EngineSummary> {
    search
        .explorations
        .iter()
        .map(|e| EngineSummary {
            engine: e.engine,
            strategy: e.strategy.clone(),
            schedules: e.schedules,
            failing: e.failing,
            exhaustive: e.exhaustive,
            bound: e.bound.clone(),
            elapsed_ms: e.elapsed.as_secs_f64() * 1000.0,
        })
        .collect()
}

impl Outcome {
    pub fn red(
        ex: &Exercise,
        v: &Variant,
        search: &Search,
        f: &CapturedFailure,
        trace: Option<String>,
    ) -> Outcome {
        Outcome {
            exercise: ex.slug.into(),
            variant: v.name.into(),
            status: Status::Red,
            engines: engines(search),
            failure_kind: Some(f.kind),
            invariant: Some(f.invariant.clone()),
            trace,
        }
    }

    pub fn finished(ex: &Exercise, v: &Variant, search: &Search, status: Status) -> Outcome {
        Outcome {
            exercise: ex.slug.into(),
            variant: v.name.into(),
            status,
            engines: engines(search),
            failure_kind: None,
            invariant: None,
            trace: None,
        }
    }

    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        racebook_check::write_atomic(
            path,
            &(serde_json::to_string_pretty(self).expect("serializes") + "\n"),
        )
    }
}
