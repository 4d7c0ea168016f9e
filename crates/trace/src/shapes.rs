//! The failure shapes that need more than a pair of accesses to find: a load that missed a
//! store under the memory model, a thread that asks again for a lock it already holds, a
//! futurelock, and a value received inside a `select!` branch that lost.

use crate::claims::Claim;
use crate::hb::HappensBefore;
use crate::model::{ObjectKind, Op, Step, Trace};

fn writes(s: &Step) -> bool {
    s.access.is_some_and(|a| a.writes())
}

fn atomic(trace: &Trace, o: Option<u32>) -> bool {
    o.and_then(|o| trace.object(o))
        .is_some_and(|o| o.kind == ObjectKind::Atomic)
}

/// The load closest to the failure that returned a value older than the latest store to its
/// atomic, by another thread, with no happens-before from that store to the load. Only a
/// memory model that lets a load read an older store (loom's) produces one.
pub fn stale_load(trace: &Trace, hb: &HappensBefore) -> Option<Claim> {
    stale_load_in(trace, hb, trace.until_failure())
}

/// `stale_load` over `steps`: for a run that waits for ever, the whole trace, since the other
/// threads go on after the step that blocked.
pub fn stale_load_in(trace: &Trace, hb: &HappensBefore, steps: &[Step]) -> Option<Claim> {
    for (k, load) in steps.iter().enumerate().rev() {
        let Some(obj) = load
            .object
            .filter(|_| load.op == Op::Load && atomic(trace, load.object))
        else {
            continue;
        };
        let Some(latest) = steps[..k]
            .iter()
            .rev()
            .find(|s| s.object == Some(obj) && writes(s))
        else {
            continue;
        };
        let older = steps[..latest.index as usize]
            .iter()
            .filter(|s| s.object == Some(obj) && writes(s))
            .map(|s| s.value.as_deref())
            .chain([trace.object(obj).and_then(|o| o.initial.as_deref())])
            .any(|v| v == load.value.as_deref());
        if latest.thread == load.thread
            || latest.value == load.value
            || !older
            || hb.ordered(latest.index, load.index)
        {
            continue;
        }
        return Some(Claim::StaleLoad {
            store: latest.index,
            load: load.index,
        });
    }
    None
}

/// For a deadlock: a thread waiting for a lock it took itself and never released. A mutex is
/// not reentrant, so the thread waits for itself. Its guard may show as released only by the
/// unwinding that ended the run (the unlocks right before its panic), which does not count.
pub fn self_deadlock(trace: &Trace) -> Option<Claim> {
    let f = trace.failure.as_ref()?;
    f.blocked.iter().find_map(|b| {
        let lock = b.waiting_for?;
        if b.held_by.is_some_and(|h| h != b.thread) {
            return None;
        }
        let mine: Vec<&Step> = trace
            .steps
            .iter()
            .filter(|s| s.thread == b.thread)
            .collect();
        let is_take = |s: &Step| s.object == Some(lock) && s.op.is_acquire();
        let is_release =
            |s: &Step| s.object == Some(lock) && matches!(s.op, Op::Unlock | Op::ReadUnlock);
        let taken = mine.iter().rposition(|s| is_take(s))?;
        // The releases made while unwinding: the run of unlocks just before the thread's panic.
        let panic = mine[taken..].iter().position(|s| s.op == Op::Panic);
        let unwinding_from = panic.map_or(mine.len(), |p| {
            let p = taken + p;
            p - mine[taken..p]
                .iter()
                .rev()
                .take_while(|s| matches!(s.op, Op::Unlock | Op::ReadUnlock))
                .count()
        });
        if mine[taken + 1..unwinding_from]
            .iter()
            .any(|s| is_release(s))
        {
            return None;
        }
        Some(Claim::SelfDeadlock {
            take: mine[taken].index,
            thread: b.thread,
            lock,
        })
    })
}

/// A futurelock: a thread blocked asking for a lock it holds itself, which it took while
/// polling one branch of a `select!` that then chose another branch, and never released.
pub fn futurelock(trace: &Trace) -> Option<Claim> {
    let f = trace.failure.as_ref()?;
    f.blocked.iter().find_map(|b| {
        let lock = b.waiting_for?;
        if b.held_by != Some(b.thread) {
            return None;
        }
        let mine = || trace.steps.iter().filter(|s| s.thread == b.thread);
        let take = mine()
            .rev()
            .find(|s| s.object == Some(lock) && s.op.is_acquire())?;
        let branch = take.branch.as_ref()?;
        let released = mine().any(|s| {
            s.index > take.index
                && s.object == Some(lock)
                && matches!(s.op, Op::Unlock | Op::ReadUnlock)
        });
        if released {
            return None;
        }
        let choice = mine().find(|s| {
            s.index > take.index
                && s.op == Op::Select
                && s.branch
                    .as_ref()
                    .is_some_and(|c| c.select == branch.select && c.index != branch.index)
        })?;
        Some(Claim::Futurelock {
            take: take.index,
            choice: choice.index,
            thread: b.thread,
            lock,
        })
    })
}

/// Whether a `select!` branch's future, as written, is one the `select!` owns (and so drops
/// when another branch wins), rather than a borrow of a future that lives on.
fn owned_by_select(future: &str) -> bool {
    let f = future.trim();
    !f.starts_with('&') && !f.ends_with("as_mut()")
}

/// A value lost with a `select!` branch: a receive made inside a branch whose future the
/// `select!` owns, then, before any choice of that `select!`, the choice of another branch;
/// the thread never receives that value from that object again. Only for a run that failed
/// without getting stuck.
pub fn dropped_in_select(trace: &Trace) -> Option<Claim> {
    let f = trace.failure.as_ref()?;
    if f.kind.is_stuck() {
        return None;
    }
    let steps = trace.until_failure();
    steps
        .iter()
        .filter(|c| c.op == Op::Select)
        .find_map(|choice| {
            let won = choice.branch.as_ref()?;
            let mine: Vec<_> = steps[..choice.index as usize]
                .iter()
                .filter(|s| s.thread == choice.thread)
                .collect();
            // This poll of the select! began after its previous choice.
            let since = mine
                .iter()
                .rposition(|s| {
                    s.op == Op::Select && s.branch.as_ref().is_some_and(|b| b.select == won.select)
                })
                .map_or(0, |p| p + 1);
            let recv = mine[since..].iter().find(|s| {
                s.op == Op::Recv
                    && s.branch.as_ref().is_some_and(|b| {
                        b.select == won.select && b.index != won.index && owned_by_select(&b.future)
                    })
            })?;
            let again = steps[choice.index as usize + 1..].iter().any(|s| {
                s.thread == recv.thread
                    && s.op == Op::Recv
                    && s.object == recv.object
                    && s.value == recv.value
            });
            (!again).then_some(Claim::DroppedInSelect {
                recv: recv.index,
                choice: choice.index,
            })
        })
}
