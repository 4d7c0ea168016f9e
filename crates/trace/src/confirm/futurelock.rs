//! The independent check of a futurelock claim, written from what its sentence says: the
//! thread took the lock inside one branch of a `select!`; that `select!` then chose another
//! branch; nothing of the thread happened in the taking branch afterwards; the thread never let
//! the lock go; and at the end it is blocked asking for the lock, held by itself.

use super::need;
use crate::model::{FailureKind, ObjectId, Op, StepId, ThreadId, Trace};

/// `Ok` when the trace shows the futurelock the claim names.
pub(super) fn confirm(
    trace: &Trace,
    take: StepId,
    choice: StepId,
    thread: ThreadId,
    lock: ObjectId,
) -> Result<(), String> {
    let f = trace.failure.as_ref().ok_or("the trace has no failure")?;
    need(f.kind == FailureKind::Deadlock, "the run did not end stuck")?;
    let (t, c) = (&trace.steps[take as usize], &trace.steps[choice as usize]);
    need(
        t.thread == thread && t.object == Some(lock) && matches!(t.op, Op::Lock | Op::ReadLock),
        "the first step is not the thread taking the lock",
    )?;
    let polled = t
        .branch
        .as_ref()
        .ok_or("the lock was not taken inside a select! branch")?;
    need(
        c.thread == thread && c.op == Op::Select && take < choice,
        "the second step is not a later choice of the same thread",
    )?;
    let won = c.branch.as_ref().ok_or("the choice names no branch")?;
    need(
        won.select == polled.select && won.index != polled.index,
        "the choice is not another branch of the select! that polled the taking future",
    )?;
    let after = &trace.steps[choice as usize + 1..];
    need(
        !after
            .iter()
            .any(|s| s.thread == thread && s.branch.as_ref() == Some(polled)),
        "the thread made a step in the taking branch after the choice",
    )?;
    need(
        !trace.steps[take as usize + 1..].iter().any(|s| {
            s.thread == thread
                && s.object == Some(lock)
                && matches!(s.op, Op::Unlock | Op::ReadUnlock)
        }),
        "the thread let the lock go",
    )?;
    need(
        f.blocked.iter().any(|b| {
            b.thread == thread && b.waiting_for == Some(lock) && b.held_by == Some(thread)
        }),
        "the thread is not blocked asking for the lock it holds",
    )
}
