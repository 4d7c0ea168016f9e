//! Turning a found schedule into a trace: replay it once with recording on, check that the
//! same failure came back, and add what the analysis says (failure step, blocked threads, the
//! conflicting pair).

use crate::engines::{self, FoundFailure, SchedulePayload};
use crate::record::Recording;
use crate::scenario::Body;
use racebook_trace::{
    Blocked, Discovery, Failure, ScheduleRef, TRACE_FORMAT, TRACE_VERSION, Trace, find_conflict,
    schedule,
};

pub use crate::replay::{NON_TERMINATION_STEPS, ReplayProblem, replay, replay_for, same_failure};

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
    let (replayed, mut rec) = crate::replay::replay_recorded(
        body,
        &found.schedule,
        found.spurious,
        budgets,
        found.failure.kind,
    );
    same_failure(&replayed, &found.failure)?;
    if let SchedulePayload::Loom(path) = &found.schedule {
        engines::loom_reads::apply(&mut rec, path);
    }
    let failure = &found.failure;
    // The facade's own list when it found the run stuck; otherwise the lock waits the
    // recording saw (an engine found the deadlock).
    let blocked = rec.blocked.clone().unwrap_or_else(|| {
        rec.waiting
            .iter()
            .map(|(thread, object, at)| Blocked {
                thread: *thread,
                waiting_for: Some(*object),
                held_by: rec.owners.get(object).copied(),
                at: Some(at.clone()),
                since: None,
                for_thread: None,
            })
            .collect()
    });
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
    // A stuck run without one is marked at the last wait that began: the one that left
    // nothing able to run.
    let last_wait = blocked.iter().filter_map(|b: &Blocked| b.since).max();
    let step = match (failure.kind, stopped, last_wait) {
        (racebook_trace::FailureKind::Deadlock, Some(s), _) => Some(s),
        (k, None, Some(w)) if k.is_stuck() => Some(w),
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
            // A stored schedule keeps no message; the replay has the engine's own words. A
            // stuck run's words, from the replay, name the steps of this very trace.
            message: match &replayed.failure {
                Some(again) if failure.message.is_empty() || failure.kind.is_stuck() => {
                    again.message.clone()
                }
                _ => failure.message.clone(),
            },
            blocked,
        }),
        conflict: None,
    };
    trace.conflict = find_conflict(&trace);
    // A run that never ended: say which loop it was caught in, from the trace.
    let steps = trace.steps.len();
    let words = racebook_trace::spin::endless_loop(&trace);
    if let Some(f) = trace.failure.as_mut()
        && f.kind == racebook_trace::FailureKind::NonTermination
    {
        if let Some(words) = words {
            let kept = if steps >= NON_TERMINATION_STEPS {
                format!(" (the trace keeps the first {steps} steps of the run)")
            } else {
                String::new()
            };
            f.message = format!("it did not finish within the step budget. {words}{kept}");
        }
    }
    // An inversion fails where its second order completes.
    if let (Some(f), Some(c)) = (trace.failure.as_mut(), &trace.conflict)
        && f.kind == racebook_trace::FailureKind::LockOrder
    {
        f.step = Some(c.second);
    }
    Ok(trace)
}
