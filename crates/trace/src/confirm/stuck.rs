//! The independent checks of the conflicts of a stuck run, written from what their sentences
//! say, not from `wakeup.rs` and `lock_order.rs`, which find them: a lost wakeup (a wake came
//! before a wait began, the waiter is still blocked there, and no wake of that kind came after)
//! and a lock cycle (each of two threads took one lock and, at the end, waits for the other's,
//! which its holder never let go). A conflict that fails is not printed.

use super::need;
use crate::model::{Conflict, ConflictKind, FailureKind, Op, Step, Trace};

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

/// `Ok` when the trace shows the two-lock deadlock `c` names: steps `first` and `second` are
/// two threads' acquisitions of two different locks, each thread still holds its own at the
/// end and is blocked waiting for the other's, held by the other.
pub fn confirm_lock_cycle(trace: &Trace, c: &Conflict) -> Result<(), String> {
    need(c.kind == ConflictKind::LockOrder, "not a lock cycle")?;
    let f = trace.failure.as_ref().ok_or("the trace has no failure")?;
    need(
        f.kind == FailureKind::Deadlock,
        "the run did not end in a deadlock",
    )?;
    let (a, b) = (
        trace.steps.get(c.first as usize).ok_or("no first step")?,
        trace.steps.get(c.second as usize).ok_or("no second step")?,
    );
    let takes = |s: &Step| matches!(s.op, Op::Lock | Op::ReadLock);
    need(takes(a) && takes(b), "the steps are not lock acquisitions")?;
    need(a.thread != b.thread, "one thread took both")?;
    let (la, lb) = (a.object.ok_or("no lock")?, b.object.ok_or("no lock")?);
    need(la != lb, "both took the same lock")?;
    let end = f
        .step
        .map_or(trace.steps.len(), |s| s as usize + 1)
        .min(trace.steps.len());
    let kept = |s: &Step| {
        !trace.steps[s.index as usize + 1..end].iter().any(|x| {
            x.thread == s.thread
                && x.object == s.object
                && matches!(x.op, Op::Unlock | Op::ReadUnlock)
        })
    };
    need(kept(a) && kept(b), "a lock was let go after it was taken")?;
    let waits = |t: u32, lock: u32, holder: u32| {
        f.blocked
            .iter()
            .any(|x| x.thread == t && x.waiting_for == Some(lock) && x.held_by == Some(holder))
    };
    need(
        waits(a.thread, lb, b.thread) && waits(b.thread, la, a.thread),
        "the two threads do not each wait for the other's lock",
    )
}
