//! Replaying a stored schedule once, on whatever code is there now: the same failure comes
//! back, another failure (named in plain words), no failure, or the schedule does not fit the
//! code ("belongs to an older version of the code"). A replay never outlives the wall budget,
//! and an engine's own complaint about a schedule that does not fit never reaches the learner.

use crate::engines::{self, Replayed, SchedulePayload};
use crate::record::{self, Recording};
use crate::run::CapturedFailure;
use crate::scenario::Body;
use crate::search::with_wall_clock;
use racebook_trace::FailureKind;
use std::time::Duration;

/// Replay `payload` on `body` once, within `budgets.wall`.
/// With `spurious`, the n-th weak compare-exchange of the run fails spuriously, as it did when
/// the schedule was found.
pub fn replay(
    body: &Body,
    payload: &SchedulePayload,
    spurious: Option<u32>,
    budgets: &crate::Budgets,
) -> Replayed {
    let (body, p, b) = (body.clone(), payload.clone(), *budgets);
    with_wall_clock(b.wall, move || replay_here(&body, &p, spurious, &b))
        .unwrap_or_else(|| timed_out(b.wall))
}

/// Replay `payload` once to reproduce a failure of `kind`: a lock-order inversion is a failure
/// only of a run that checks its own lock orders.
pub fn replay_for(
    body: &Body,
    payload: &SchedulePayload,
    spurious: Option<u32>,
    budgets: &crate::Budgets,
    kind: FailureKind,
) -> Replayed {
    let (body, p, b) = (body.clone(), payload.clone(), *budgets);
    with_wall_clock(b.wall, move || {
        checking(kind, || replay_here(&body, &p, spurious, &b))
    })
    .unwrap_or_else(|| timed_out(b.wall))
}

/// The steps a trace keeps of a run that did not terminate.
pub const NON_TERMINATION_STEPS: usize = 2_000;

/// `replay_for`, recorded; a run that never ends is kept to its first steps (the loop shows in
/// them).
pub fn replay_recorded(
    body: &Body,
    payload: &SchedulePayload,
    spurious: Option<u32>,
    budgets: &crate::Budgets,
    kind: FailureKind,
) -> (Replayed, Recording) {
    let (body, p, b) = (body.clone(), payload.clone(), *budgets);
    let cap = (kind == FailureKind::NonTermination).then_some(NON_TERMINATION_STEPS);
    with_wall_clock(b.wall, move || {
        record::record_capped(cap, || {
            checking(kind, || replay_here(&body, &p, spurious, &b))
        })
    })
    .unwrap_or_else(|| (timed_out(b.wall), Recording::default()))
}

/// Run `f` checking its own lock orders when the failure to reproduce is an inversion (the
/// flag is per OS thread, so this runs on the replay's own thread).
fn checking<R>(kind: FailureKind, f: impl FnOnce() -> R) -> R {
    if kind == FailureKind::LockOrder {
        crate::lockorder::check_each_run(f)
    } else {
        f()
    }
}

/// One replay on the calling thread.
fn replay_here(
    body: &Body,
    payload: &SchedulePayload,
    spurious: Option<u32>,
    budgets: &crate::Budgets,
) -> Replayed {
    let mut r = crate::memory_model::with_spurious_failure(spurious, || match payload {
        SchedulePayload::Shuttle(d) => engines::shuttle::replay(body, d, budgets.max_steps),
        SchedulePayload::Loom(p) => engines::loom::replay(body, p, budgets.max_branches),
    });
    if r.failure.as_ref().is_some_and(CapturedFailure::from_engine) {
        r.failure = None;
        r.stale = true;
    }
    r
}

fn timed_out(wall: Duration) -> Replayed {
    Replayed {
        failure: Some(CapturedFailure {
            kind: FailureKind::NonTermination,
            invariant: "the scenario terminates".into(),
            expected: None,
            observed: None,
            message: format!(
                "the replay ran for {} s without finishing (an endless loop that touches no \
                 shared object the checker can see?)",
                wall.as_secs()
            ),
            location: None,
        }),
        stale: false,
        overran: false,
    }
}

/// Why a replay did not give the failure it was recorded with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplayProblem {
    /// The schedule does not fit the code (a decision named a thread that cannot run).
    Stale,
    /// The run went differently: another failure, or none.
    Different(Option<Box<CapturedFailure>>),
}

impl ReplayProblem {
    /// What the replay did, for a failure that a search found and its replay did not repeat.
    pub fn what_happened(&self) -> String {
        match self {
            ReplayProblem::Stale => "the replay did not follow the same schedule".to_string(),
            ReplayProblem::Different(None) => "the replay ran without a failure".to_string(),
            ReplayProblem::Different(Some(f)) => {
                format!(
                    "the replay failed differently ({}: {})",
                    f.kind.label(),
                    f.message
                )
            }
        }
    }

    /// What a stored schedule that did not repeat its failure means to the learner.
    pub fn explain(&self) -> String {
        match self {
            ReplayProblem::Stale => {
                "this schedule belongs to an older version of the code; re-run the check"
                    .to_string()
            }
            ReplayProblem::Different(None) => "this schedule belongs to an older version of the \
                                               code (on this code it runs without a failure); \
                                               re-run the check"
                .to_string(),
            ReplayProblem::Different(Some(f)) => format!(
                "this schedule belongs to an older version of the code (on this code it fails \
                 differently: {}: {}); re-run the check",
                f.kind.label(),
                match (&f.expected, &f.observed) {
                    (Some(e), Some(o)) => format!("{}, expected {e}, observed {o}", f.invariant),
                    _ => f.message.clone(),
                }
            ),
        }
    }
}

/// Check a replay against the failure it should reproduce.
pub fn same_failure(replayed: &Replayed, expected: &CapturedFailure) -> Result<(), ReplayProblem> {
    if replayed.stale {
        return Err(ReplayProblem::Stale);
    }
    match &replayed.failure {
        Some(f) if f.same_failure_as(expected) => Ok(()),
        other => Err(ReplayProblem::Different(other.clone().map(Box::new))),
    }
}
