//! A lock-order inversion on one recorded run: two threads that each took one lock while
//! holding the other, in opposite orders. The harness reports such a run even when it did not
//! deadlock (see the harness's `lockorder`); this finds the two inner acquisitions on the trace
//! alone, so the words name steps the table shows.

use crate::model::{Conflict, ConflictKind, FailureKind, ObjectId, Op, Step, Trace};

fn takes(s: &Step) -> bool {
    matches!(s.op, Op::Lock | Op::ReadLock)
}

/// Where `thread` last took `lock` before step `before`.
fn taken_at(trace: &Trace, thread: u32, lock: ObjectId, before: u32) -> Option<&Step> {
    trace.steps[..before as usize]
        .iter()
        .rev()
        .find(|s| s.thread == thread && s.object == Some(lock) && takes(s))
}

/// The pair of inner acquisitions of an inversion the trace shows, for a lock-order failure.
pub fn inversion(trace: &Trace) -> Option<Conflict> {
    if trace.failure.as_ref()?.kind != FailureKind::LockOrder {
        return None;
    }
    for second in trace.steps.iter().filter(|s| takes(s)) {
        let b = second.object?;
        for &a in second.locks_held.iter().filter(|&&a| a != b) {
            let first = trace.steps.iter().find(|s| {
                takes(s)
                    && s.thread != second.thread
                    && s.object == Some(a)
                    && s.locks_held.contains(&b)
            });
            let Some(first) = first else { continue };
            let (x, y) = if first.index < second.index {
                (first, second)
            } else {
                (second, first)
            };
            let (Some(xo), Some(yo)) = (x.object, y.object) else {
                continue;
            };
            let (Some(x_outer), Some(y_outer)) = (
                taken_at(trace, x.thread, yo, x.index),
                taken_at(trace, y.thread, xo, y.index),
            ) else {
                continue;
            };
            let why = format!(
                "{} took {} ({}) and, holding it, took {} at step {} ({}); {} took them the other \
                 way round: {} ({}), then {} at step {} ({}). This run did not deadlock, but had \
                 each held its first lock when the other asked for its second, both would wait \
                 forever. Take these locks in one order everywhere.",
                trace.thread_name(x.thread),
                trace.object_name(yo),
                x_outer.at.short(),
                trace.object_name(xo),
                x.index + 1,
                x.at.short(),
                trace.thread_name(y.thread),
                trace.object_name(xo),
                y_outer.at.short(),
                trace.object_name(yo),
                y.index + 1,
                y.at.short(),
            );
            return Some(Conflict {
                kind: ConflictKind::LockOrder,
                first: x.index,
                second: y.index,
                completes: None,
                ordered: true,
                why,
            });
        }
    }
    None
}
