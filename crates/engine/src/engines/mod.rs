//! The engines a scenario runs on, and what an exploration reports.

pub mod loom;
pub mod loom_reads;
pub mod real;
pub mod shuttle;

use crate::run::{self, CapturedFailure};
use crate::scenario::Body;
use racebook_trace::EngineKind;
use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

/// A schedule as its engine replays it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchedulePayload {
    /// The task chosen at each of shuttle's decisions.
    Shuttle(Vec<u32>),
    /// loom's execution path, as the JSON its checkpoint feature reads.
    Loom(String),
}

impl SchedulePayload {
    pub fn engine(&self) -> EngineKind {
        match self {
            SchedulePayload::Shuttle(_) => EngineKind::Shuttle,
            SchedulePayload::Loom(_) => EngineKind::Loom,
        }
    }
}

/// A failing schedule and its failure.
#[derive(Debug, Clone)]
pub struct FoundFailure {
    pub schedule: SchedulePayload,
    pub preemptions: u32,
    /// 1-based number of the schedule that failed first.
    pub first_failure_at: u64,
    /// Time from the start of the search to the end of that schedule.
    pub first_failure_after: Duration,
    pub failure: CapturedFailure,
    /// The weak compare-exchange (n-th of the run) the checker made fail spuriously.
    pub spurious: Option<u32>,
}

/// What one engine's exploration did.
#[derive(Debug, Clone)]
pub struct Exploration {
    pub engine: EngineKind,
    pub strategy: String,
    pub seed: Option<u64>,
    pub schedules: u64,
    pub failing: u64,
    pub elapsed: Duration,
    /// Every schedule (within `bound`) was explored.
    pub exhaustive: bool,
    pub bound: Option<String>,
    /// Stopped by the schedule or time budget rather than by running out of schedules.
    pub out_of_budget: bool,
    /// For the reduced search: executions stopped early as repeats of a class of reorderings
    /// already run (not counted in `schedules`). `None` for every other search.
    pub repeats: Option<u64>,
    pub found: Option<FoundFailure>,
    /// What the explored code used (orderings, fences, cells, weak compare-exchanges).
    pub usage: crate::memory_model::Usage,
    /// Why this engine's result does not decide the variant, when its model cannot.
    pub undecided: Option<Undecided>,
    /// What else the report should say about this search, one sentence each.
    pub notes: Vec<String>,
    /// The order in which threads took locks, across every schedule it ran.
    pub lock_order: crate::lockorder::LockOrder,
}

/// An engine's result that its model cannot decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecided {
    /// The case and the model limit, in words.
    pub why: String,
    /// When another engine's search decides it after all (its model is exact for this code),
    /// why; the variant is then proved by that search.
    pub decided_by: Option<String>,
}

impl Exploration {
    /// A randomized search: it samples schedules and can never be exhaustive.
    pub fn sampled(&self) -> bool {
        self.strategy.starts_with("PCT") || self.strategy == "random"
    }
}

/// The outcome of replaying one stored schedule.
#[derive(Debug, Clone)]
pub struct Replayed {
    pub failure: Option<CapturedFailure>,
    /// A decision named a thread that could not run: the schedule belongs to other code.
    pub stale: bool,
    /// The code asked for more decisions than the schedule holds.
    pub overran: bool,
}

/// The scenario's main thread under a model engine: a failure is kept in the run's context.
/// Under loom the panic keeps unwinding so that loom stops the model at once.
pub fn main_body(body: &Body) {
    crate::blocking::reset();
    crate::memory_model::new_execution();
    if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| body())) {
        run::fail_with_panic(payload.as_ref());
        if crate::engine::current() == EngineKind::Loom {
            panic::resume_unwind(payload);
        }
    }
    // Main's end may leave threads that can never go on (waiting on what nobody will do).
    crate::blocking::finishing();
    // When asked to, a run whose own lock orders form a cycle fails here.
    if let Some(failure) = crate::lockorder::end_of_run() {
        crate::record::freeze();
        let loom = crate::engine::current() == EngineKind::Loom;
        if let Some(ctx) = run::context() {
            ctx.fail(failure.clone());
        }
        if loom {
            panic::panic_any(crate::lockorder::InversionFound(failure));
        }
    }
}
