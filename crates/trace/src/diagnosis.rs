//! Targeted explanations for known wrong-fix patterns, added to the conflict's one-sentence
//! "why": a lock no other thread takes, and an atomic update split into a load and a store.

use crate::model::{Conflict, ConflictKind, ObjectKind, Op, Trace};
use std::collections::BTreeSet;

/// `conflict` with a sentence added for every known pattern it shows.
pub fn diagnose(trace: &Trace, mut conflict: Conflict) -> Conflict {
    for note in [
        private_lock(trace, &conflict),
        split_atomic(trace, &conflict),
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
