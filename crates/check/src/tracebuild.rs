//! Turning a found schedule into a trace: replay it once with recording on, check that the
//! same failure came back, and add what the analysis says (failure step, blocked threads, the
//! conflicting pair).

use crate::engines::{FoundFailure, SchedulePayload};
use crate::record::Recording;
use crate::scenario::Body;
use racebook_trace::{
    Blocked, Discovery, Failure, ScheduleRef, TRACE_FORMAT, TRACE_VERSION, Trace, find_conflict,
    schedule,
};

pub use crate::replay::{ReplayProblem, replay, same_failure};

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
    let (replayed, rec) = crate::replay::replay_recorded(body, &found.schedule, budgets);
    same_failure(&replayed, &found.failure)?;
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
        SchedulePayload::Loom(p) if found.preemptions == crate::search::UNKNOWN_PREEMPTIONS => {
            (p.clone(), switches(&rec))
        }
        SchedulePayload::Loom(p) => (p.clone(), found.preemptions),
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
    trace.conflict = find_conflict(&trace);
    Ok(trace)
}
