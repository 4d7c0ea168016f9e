//! Class grading. One learner's results (`racebook report --format json|junit`) are built from
//! the progress file; a folder of learners' JSON reports merges into a class summary
//! (`racebook report --merge DIR`), and the readers' exported answers to the book's questions into
//! the questions the room missed most (`answers`).

pub mod answers;
pub mod class;
pub mod junit;

use crate::catalog::Catalog;
use crate::clock;
use crate::state::{Progress, State};
use crate::summary;
use racebook_trace::FailureKind;
use racebook_workbook::outcome::EngineSummary;
use serde::{Deserialize, Serialize};

/// The output formats of `racebook report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Junit,
    Text,
}

pub const REPORT_FORMAT: &str = "racebook-report";
pub const REPORT_VERSION: u32 = 1;

/// One learner's results: what graders and `--merge` read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnerReport {
    pub format: String,
    pub version: u32,
    pub learner: String,
    pub generated_at: String,
    pub exercises: Vec<ExerciseResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExerciseResult {
    pub exercise: String,
    pub title: String,
    pub status: Progress,
    /// The engines of the last check that ran to the end, with what each explored.
    pub engines: Vec<EngineSummary>,
    pub schedules_explored: u64,
    pub hints_used: u32,
    pub checks: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_kind: Option<FailureKind>,
    /// For a red exercise: the invariant the last check saw broken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_invariant: Option<String>,
    /// Wall-clock minutes from the first check to the first green one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes_to_green: Option<f64>,
}

impl LearnerReport {
    pub fn build(catalog: &Catalog, state: &State, learner: &str, now: u64) -> LearnerReport {
        let exercises = catalog
            .exercises
            .iter()
            .map(|ex| {
                let s = state.exercise(ex.slug());
                let last = s.last.as_ref();
                let red = s.status == Progress::Red;
                ExerciseResult {
                    exercise: ex.slug().to_string(),
                    title: ex.title().to_string(),
                    status: s.status,
                    engines: last.map(|o| o.engines.clone()).unwrap_or_default(),
                    schedules_explored: last.map(summary::schedules).unwrap_or(0),
                    hints_used: s.hints_shown,
                    checks: s.checks,
                    failure_kind: last.and_then(|o| o.failure_kind).filter(|_| red),
                    failing_invariant: last.and_then(|o| o.invariant.clone()).filter(|_| red),
                    minutes_to_green: match (s.first_check, s.first_green) {
                        (Some(a), Some(b)) => {
                            Some(((b.saturating_sub(a)) as f64 / 60.0 * 10.0).round() / 10.0)
                        }
                        _ => None,
                    },
                }
            })
            .collect();
        LearnerReport {
            format: REPORT_FORMAT.into(),
            version: REPORT_VERSION,
            learner: learner.to_string(),
            generated_at: clock::rfc3339(now),
            exercises,
        }
    }

    pub fn parse(text: &str) -> Result<LearnerReport, String> {
        let r: LearnerReport = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if r.format != REPORT_FORMAT || r.version != REPORT_VERSION {
            return Err(format!(
                "it is a {} file of version {}; this racebook reads {REPORT_FORMAT} version {REPORT_VERSION}",
                r.format, r.version
            ));
        }
        Ok(r)
    }
}
