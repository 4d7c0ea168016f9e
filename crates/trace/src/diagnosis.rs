//! Targeted explanations for known wrong-fix patterns, added to the conflict's one-sentence
//! "why": a lock no other thread takes, an atomic update split into a load and a store, a
//! write retried after it was found replaced, a check repeated before the act, a value published before what it points to was
//! ready, a publication whose Release or Acquire side is missing, and (for a deadlock, which has
//! no data conflict) a thread that asks again for a lock it already holds.

use crate::model::{Conflict, ConflictKind, ObjectKind, Op, Step, Trace};
use std::collections::BTreeSet;

/// `conflict` with a sentence added for every known pattern it shows.
pub fn diagnose(trace: &Trace, mut conflict: Conflict) -> Conflict {
    for note in [
        private_lock(trace, &conflict),
        split_atomic(trace, &conflict),
        retried_write(trace, &conflict),
        repeated_check(trace, &conflict),
        published_too_early(trace, &conflict),
        crate::handshake::missing_edge(trace, &conflict),
    ]
    .into_iter()
    .flatten()
    {
        conflict.why.push(' ');
        conflict.why.push_str(&note);
    }
    conflict
}

fn steps_of<'t>(trace: &'t Trace, c: &Conflict) -> impl Iterator<Item = &'t crate::model::Step> {
    [Some(c.first), Some(c.second), c.completes]
        .into_iter()
        .flatten()
        .filter_map(|i| trace.steps.get(i as usize))
}

/// A lock held around the conflicting steps that only one thread ever takes.
fn private_lock(trace: &Trace, c: &Conflict) -> Option<String> {
    let held: BTreeSet<u32> = steps_of(trace, c)
        .flat_map(|s| s.locks_held.iter().copied())
        .collect();
    for lock in held {
        let takers: BTreeSet<u32> = trace
            .steps
            .iter()
            .filter(|s| s.object == Some(lock) && s.op == Op::Lock)
            .map(|s| s.thread)
            .collect();
        if takers.len() == 1 {
            let name = trace.object_name(lock);
            let who = trace.thread_name(*takers.iter().next()?);
            return Some(format!(
                "The lock {name} is only ever taken by {who}, so it keeps no other thread out: a lock \
                 protects data only if every thread that touches the data takes that same lock."
            ));
        }
    }
    None
}

/// A read-modify-write done as an atomic load and a separate atomic store.
fn split_atomic(trace: &Trace, c: &Conflict) -> Option<String> {
    if c.kind != ConflictKind::StaleRead {
        return None;
    }
    let read = trace.steps.get(c.first as usize)?;
    let write = trace.steps.get(c.completes? as usize)?;
    let atomic = read
        .object
        .and_then(|o| trace.object(o))
        .is_some_and(|o| o.kind == ObjectKind::Atomic);
    (atomic && read.op == Op::Load && write.op == Op::Store).then(|| {
        "A load followed by a store is two atomic operations, not one: make the update a single \
         fetch_add (or a compare_exchange loop)."
            .to_string()
    })
}

/// A thread that wrote a value, found it replaced, and wrote the same value again before
/// reading it back: a retry, which narrows the window and leaves it open.
fn retried_write(trace: &Trace, c: &Conflict) -> Option<String> {
    c.completes?;
    let own = trace.steps.get(c.first as usize)?;
    if !own.access.is_some_and(|a| a.writes()) {
        return None;
    }
    let earlier = trace.steps[..own.index as usize].iter().rev().find(|s| {
        s.thread == own.thread
            && s.object == own.object
            && s.access.is_some_and(|a| a.writes())
            && s.value == own.value
    })?;
    let replaced = trace.steps[earlier.index as usize + 1..own.index as usize]
        .iter()
        .any(|s| {
            s.thread != own.thread && s.object == own.object && s.access.is_some_and(|a| a.writes())
        });
    if !replaced {
        return None;
    }
    Some(format!(
        "{t} had already written this once (step {}) and wrote it again when it found it \
         replaced: trying again only narrows the window, because the write and the read that \
         depends on it are still two separate steps another thread can get between.",
        earlier.index + 1,
        t = trace.thread_name(own.thread),
    ))
}

/// A check made twice, in two separate steps, before the act: the second check narrows the
/// window between check and act, and leaves it open.
fn repeated_check(trace: &Trace, c: &Conflict) -> Option<String> {
    if c.kind != ConflictKind::CheckThenAct {
        return None;
    }
    let check = trace.steps.get(c.first as usize)?;
    let earlier = trace.steps[..check.index as usize].iter().rev().find(|s| {
        s.thread == check.thread
            && s.object == check.object
            && s.op == check.op
            && s.value == check.value
    })?;
    Some(format!(
        "{t} had already checked {o} at step {} and checked it again before acting: a second \
         check narrows the window, but the last check and the act are still two steps another \
         thread can get between. Make the check and the act one step (one lock acquisition, one \
         query).",
        earlier.index + 1,
        t = trace.thread_name(check.thread),
        o = trace.object_name(check.object?),
    ))
}

/// Thread W writes P (publishes it), then writes B; thread R reads P, sees W's value, and uses B
/// before W's write to B: W published P before the data it leads to was ready.
fn published_too_early(trace: &Trace, c: &Conflict) -> Option<String> {
    if !matches!(c.kind, ConflictKind::Order | ConflictKind::LostWrite) {
        return None;
    }
    let used = trace.steps.get(c.first as usize)?;
    let ready = trace.steps.get(c.second as usize)?;
    let writes = |s: &Step| s.access.is_some_and(|a| a.writes());
    if used.thread == ready.thread || used.object != ready.object || !writes(ready) {
        return None;
    }
    let before = |i: u32| trace.steps[..i as usize].iter();
    // The reader's last read of another object that the writer had written, value for value.
    let (seen, published) = before(used.index).rev().find_map(|q| {
        if q.thread != used.thread || q.object == used.object || q.object.is_none() {
            return None;
        }
        if !q.access.is_some_and(|a| a.reads()) {
            return None;
        }
        let p = before(q.index)
            .rev()
            .find(|p| p.object == q.object && writes(p))?;
        (p.thread == ready.thread && p.value == q.value).then_some((q, p))
    })?;
    let w = trace.thread_name(ready.thread);
    let p = trace.object_name(published.object?);
    let b = trace.object_name(ready.object?);
    let atomic = trace
        .object(published.object?)
        .is_some_and(|o| o.kind == ObjectKind::Atomic);
    let handshake = if atomic {
        format!(" (store {p} with Release, load it with Acquire)")
    } else {
        String::new()
    };
    Some(format!(
        "{w} published {p} = {} (step {}) before it wrote {b} (step {}), and {r} read {p} \
         (step {}) in between, so {r} used {b} before it was ready: write {b} first, then \
         publish {p}{handshake}.",
        published.value.as_deref().unwrap_or("?"),
        published.index + 1,
        ready.index + 1,
        seen.index + 1,
        r = trace.thread_name(used.thread),
    ))
}

/// For a deadlock: a thread waiting for a lock it took itself and never released. A mutex is
/// not reentrant, so the thread waits for itself. Its guard may show as released only by the
/// unwinding that ended the run (the unlocks right before its panic), which does not count.
pub fn self_deadlock(trace: &Trace) -> Option<Conflict> {
    let f = trace.failure.as_ref()?;
    f.blocked.iter().find_map(|b| {
        let lock = b.waiting_for?;
        if b.held_by.is_some_and(|h| h != b.thread) {
            return None;
        }
        let mine: Vec<&Step> = trace.steps.iter().filter(|s| s.thread == b.thread).collect();
        let is_take = |s: &Step| s.object == Some(lock) && matches!(s.op, Op::Lock | Op::ReadLock);
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
        if mine[taken + 1..unwinding_from].iter().any(|s| is_release(s)) {
            return None;
        }
        let step = mine[taken];
        let t = trace.thread_name(b.thread);
        let o = trace.object_name(lock);
        let again = b
            .at
            .as_ref()
            .map(|a| format!(" at {}", a.short()))
            .unwrap_or_default();
        let why = format!(
            "{t} took {o} at {} and asked for it again{again} while still holding it: a lock is not \
             reentrant, so {t} waits for itself, and every thread that needs {o} waits with it. \
             Hand the code that locks again the value the guard already gives you; dropping the \
             guard before that call instead lets another thread change {o} in between.",
            step.at.short()
        );
        Some(Conflict {
            kind: ConflictKind::Order,
            first: step.index,
            second: step.index,
            completes: None,
            ordered: true,
            why,
        })
    })
}
