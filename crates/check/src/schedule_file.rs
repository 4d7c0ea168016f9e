//! Stored failing schedules: a small JSON file that says which variant of which exercise fails
//! under which schedule, and how. The root test suite replays each one and checks that the same
//! failure comes back, every time.

use crate::engines::SchedulePayload;
use crate::run::CapturedFailure;
use racebook_trace::{EngineKind, FailureKind, schedule};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const SCHEDULE_FORMAT: &str = "racebook-schedule";
pub const SCHEDULE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredFailure {
    pub kind: FailureKind,
    pub invariant: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleFile {
    pub format: String,
    pub version: u32,
    pub exercise: String,
    pub variant: String,
    pub engine: EngineKind,
    /// Shuttle: the harness's schedule string. Loom: loom's execution path, as JSON text.
    pub schedule: String,
    pub preemptions: u32,
    /// The weak compare-exchange (n-th of the run) that failed spuriously, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spurious: Option<u32>,
    pub failure: StoredFailure,
}

impl ScheduleFile {
    pub fn new(
        exercise: &str,
        variant: &str,
        payload: &SchedulePayload,
        preemptions: u32,
        spurious: Option<u32>,
        failure: &CapturedFailure,
    ) -> ScheduleFile {
        let schedule = match payload {
            SchedulePayload::Shuttle(d) => schedule::encode(d).expect("fewer than 36 threads"),
            SchedulePayload::Loom(path) => path.clone(),
        };
        ScheduleFile {
            format: SCHEDULE_FORMAT.into(),
            version: SCHEDULE_VERSION,
            exercise: exercise.into(),
            variant: variant.into(),
            engine: payload.engine(),
            schedule,
            preemptions,
            spurious,
            failure: StoredFailure {
                kind: failure.kind,
                invariant: failure.invariant.clone(),
                expected: failure.expected.clone(),
                observed: failure.observed.clone(),
            },
        }
    }

    pub fn payload(&self) -> Result<SchedulePayload, String> {
        match self.engine {
            EngineKind::Shuttle => schedule::decode(&self.schedule)
                .map(SchedulePayload::Shuttle)
                .map_err(|e| e.to_string()),
            EngineKind::Loom => Ok(SchedulePayload::Loom(self.schedule.clone())),
            EngineKind::Real => Err("real threads have no replayable schedule".into()),
        }
    }

    /// Whether a replay's failure is the one this file stores.
    pub fn matches(&self, failure: &CapturedFailure) -> bool {
        failure.kind == self.failure.kind
            && failure.invariant == self.failure.invariant
            && failure.expected == self.failure.expected
            && failure.observed == self.failure.observed
    }

    pub fn read(path: &Path) -> Result<ScheduleFile, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let file: ScheduleFile = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a schedule file: {e}", path.display()))?;
        if file.format != SCHEDULE_FORMAT || file.version != SCHEDULE_VERSION {
            return Err(format!(
                "{} is a {} file of version {}; this harness reads {SCHEDULE_FORMAT} version {SCHEDULE_VERSION}",
                path.display(),
                file.format,
                file.version
            ));
        }
        Ok(file)
    }

    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        crate::fsutil::write_atomic(
            path,
            &(serde_json::to_string_pretty(self).expect("serializes") + "\n"),
        )
    }
}
