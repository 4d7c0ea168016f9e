//! The independent check of a lost-wakeup conflict, written from what its sentence says (a
//! wake came before a wait began, the waiter is still blocked there, and no wake of that kind
//! came after), not from `wakeup.rs`, which finds it. A conflict that fails is not printed.

use super::need;
use crate::model::{Conflict, ConflictKind, Op, Step, Trace};

/// `Ok` when the trace shows the lost wakeup `c` names.
pub fn confirm_lost_wakeup(trace: &Trace, c: &Conflict) -> Result<(), String> {
    need(c.kind == ConflictKind::LostWakeup, "not a lost wakeup")?;
    let f = trace.failure.as_ref().ok_or("the trace has no failure")?;
    need(f.kind.is_stuck(), "the run did not end stuck")?;
    let (wake, wait) = (
        trace.steps.get(c.first as usize).ok_or("no wake step")?,
        trace.steps.get(c.second as usize).ok_or("no wait step")?,
    );
    need(
        wake.index < wait.index,
        "the wake does not come before the wait",
    )?;
    need(
        wait.op == Op::Block,
        "the second step does not begin a wait",
    )?;
    need(
        wake.thread != wait.thread,
        "the wake and the wait are one thread's",
    )?;
    let still = f
        .blocked
        .iter()
        .any(|b| b.thread == wait.thread && b.since == Some(wait.index));
    need(
        still,
        "the waiter is not blocked at that wait when the run ends",
    )?;
    // The same kind of wake, aimed at the same wait: a notify of its object, or an unpark of
    // its thread.
    let wakes = |s: &Step| match wake.op {
        Op::Notify | Op::NotifyAll => {
            matches!(s.op, Op::Notify | Op::NotifyAll)
                && s.object.is_some()
                && s.object == wait.object
        }
        Op::Unpark => s.op == Op::Unpark && s.other_thread == Some(wait.thread),
        _ => false,
    };
    need(wakes(wake), "the first step is not a wake for that wait")?;
    need(
        !trace.steps[wait.index as usize..].iter().any(wakes),
        "a wake of the same kind came after the wait began",
    )
}
