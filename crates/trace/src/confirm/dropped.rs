//! The independent check of a claim that a `select!` dropped a branch that had received a
//! value, written from what its sentence says: the thread received the value inside one branch
//! of a `select!`, a branch whose future the `select!` owns; the same `select!` then chose
//! another branch, with no choice of it in between (so the receiving branch had not finished);
//! and no later step of the thread receives that value from that object again.

use super::need;
use crate::model::{FailureKind, Op, StepId, Trace};

/// `Ok` when the trace shows the dropped receive the claim names.
pub(super) fn confirm(trace: &Trace, recv: StepId, choice: StepId) -> Result<(), String> {
    let f = trace.failure.as_ref().ok_or("the trace has no failure")?;
    need(
        matches!(f.kind, FailureKind::Invariant | FailureKind::Panic),
        "the run did not fail on a check",
    )?;
    let (r, c) = (&trace.steps[recv as usize], &trace.steps[choice as usize]);
    need(
        r.op == Op::Recv && r.value.is_some(),
        "the first step is not a receive",
    )?;
    let polled = r
        .branch
        .as_ref()
        .ok_or("the value was not received inside a select! branch")?;
    let future = polled.future.trim();
    need(
        !future.starts_with('&') && !future.ends_with("as_mut()"),
        "the receiving branch borrows its future, so the select! does not drop it",
    )?;
    need(
        c.thread == r.thread && c.op == Op::Select && recv < choice,
        "the second step is not a later choice of the same thread",
    )?;
    let won = c.branch.as_ref().ok_or("the choice names no branch")?;
    need(
        won.select == polled.select && won.index != polled.index,
        "the choice is not another branch of the select! that received",
    )?;
    need(
        !trace.steps[recv as usize + 1..choice as usize]
            .iter()
            .any(|s| {
                s.thread == r.thread
                    && s.op == Op::Select
                    && s.branch.as_ref().is_some_and(|b| b.select == polled.select)
            }),
        "the select! made a choice between the receive and this one",
    )?;
    need(
        !trace.steps[choice as usize + 1..].iter().any(|s| {
            s.thread == r.thread && s.op == Op::Recv && s.object == r.object && s.value == r.value
        }),
        "the thread receives the value again later",
    )
}
