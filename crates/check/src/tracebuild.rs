//! Turning a found schedule into a trace: replay it once with recording on, check that the
//! same failure came back, and add what the analysis says (failure step, blocked threads, the
//! conflicting pair).

use crate::engines::{self, FoundFailure, Replayed, SchedulePayload};
use crate::record::{self, Recording};
use crate::run::CapturedFailure;
use crate::scenario::Body;
use racebook_trace::{
    Blocked, Discovery, Failure, ScheduleRef, TRACE_FORMAT, TRACE_VERSION, Trace, find_conflict,
    schedule,
};

/// Replay `payload` on `variant` once, with the `spurious`-th weak compare-exchange failing
/// spuriously when the schedule was found that way.
pub fn replay(
    body: &Body,
    payload: &SchedulePayload,
    spurious: Option<u32>,
    budgets: &crate::Budgets,
) -> Replayed {
    crate::memory_model::with_spurious_failure(spurious, || match payload {
        SchedulePayload::Shuttle(d) => engines::shuttle::replay(body, d, budgets.max_steps),
        SchedulePayload::Loom(p) => engines::loom::replay(body, p, budgets.max_branches),
    })
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
    pub fn explain(&self) -> String {
        match self {
            ReplayProblem::Stale => {
                "this schedule belongs to an older version of the code; re-run the check".to_string()
            }
            ReplayProblem::Different(None) => {
                "this schedule belongs to an older version of the code (it no longer fails); re-run the check"
                    .to_string()
            }
            ReplayProblem::Different(Some(f)) => format!(
                "this schedule belongs to an older version of the code (it now fails differently: {}); re-run the check",
                f.message
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

/// Context switches away from a thread that had more to do, counted on a recorded run; used
/// for loom, whose decisions the harness does not see.
fn switches(rec: &Recording) -> u32 {
    let mut n = 0;
    for (i, pair) in rec.steps.windows(2).enumerate() {
        let (a, b) = (&pair[0], &pair[1]);
        if a.thread != b.thread && rec.steps[i + 2..].iter().any(|s| s.thread == a.thread) {
            n += 1;
        }
    }
    n
}

/// Record the trace of `found` on `variant`.
pub fn record_trace(
    exercise: &str,
    variant: &str,
    body: &Body,
    found: &FoundFailure,
    discovery: Option<Discovery>,
    budgets: &crate::Budgets,
) -> Result<Trace, ReplayProblem> {
    let (replayed, mut rec) =
        record::record(|| replay(body, &found.schedule, found.spurious, budgets));
    same_failure(&replayed, &found.failure)?;
    if let SchedulePayload::Loom(path) = &found.schedule {
        engines::loom_reads::apply(&mut rec, path);
    }
    let failure = &found.failure;
    let blocked = rec
        .waiting
        .iter()
        .map(|(thread, object, at)| Blocked {
            thread: *thread,
            waiting_for: Some(*object),
            held_by: rec.owners.get(object).copied(),
            at: Some(at.clone()),
        })
        .collect();
    let (encoded, preemptions) = match &found.schedule {
        SchedulePayload::Shuttle(d) => (schedule::encode(d).unwrap_or_default(), found.preemptions),
        SchedulePayload::Loom(p) => (p.clone(), found.preemptions.min(switches(&rec))),
    };
    // A deadlock the facade found is marked where the thread stopped; anything else where the
    // run ended.
    let stopped = rec
        .steps
        .iter()
        .find(|s| s.op == racebook_trace::Op::Panic)
        .map(|s| s.index);
    let step = match (failure.kind, stopped) {
        (racebook_trace::FailureKind::Deadlock, Some(s)) => Some(s),
        _ => rec.steps.len().checked_sub(1).map(|s| s as u32),
    };
    let mut trace = Trace {
        format: TRACE_FORMAT.into(),
        version: TRACE_VERSION,
        exercise: exercise.into(),
        variant: variant.into(),
        found: discovery,
        schedule: ScheduleRef {
            engine: found.schedule.engine(),
            encoded,
            preemptions,
            spurious_failure: found.spurious,
        },
        threads: rec.threads,
        objects: rec.objects,
        steps: rec.steps,
        failure: Some(Failure {
            kind: failure.kind,
            invariant: failure.invariant.clone(),
            expected: failure.expected.clone(),
            observed: failure.observed.clone(),
            step,
            // A stored schedule keeps no message; the replay has the engine's own words.
            message: match &replayed.failure {
                Some(again) if failure.message.is_empty() => again.message.clone(),
                _ => failure.message.clone(),
            },
            blocked,
        }),
        conflict: None,
    };
    // A load that missed a store can only come from loom's memory model; say so before the
    // general analysis, which reads the trace as if every load saw the latest store.
    trace.conflict = crate::weak_memory::stale_load(&trace).or_else(|| find_conflict(&trace));
    Ok(trace)
}
