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
            // Locks both held around their inner acquisitions keep the orders apart for now.
            let gates: Vec<&str> = x
                .locks_held
                .iter()
                .filter(|&&g| g != xo && g != yo && y.locks_held.contains(&g))
                .map(|&g| trace.object_name(g))
                .collect();
            let gate = if gates.is_empty() {
                String::new()
            } else {
                format!(
                    " Both held {} then, which keeps the two orders apart for now.",
                    gates.join(" and ")
                )
            };
            let why = format!(
                "{} took {} ({}) and, holding it, took {} at step {} ({}); {} took them the other \
                 way round: {} ({}), then {} at step {} ({}). This run did not deadlock, but had \
                 each held its first lock when the other asked for its second, both would wait \
                 forever.{gate} Take these locks in one order everywhere.",
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
                claims: Vec::new(),
            });
        }
    }
    None
}

/// For a deadlock of two threads over two locks: each took one lock and waits for the other's.
/// Names the two acquisitions that closed it and the orders the two threads took them in.
pub fn lock_cycle(trace: &Trace) -> Option<Conflict> {
    let f = trace.failure.as_ref()?;
    if f.kind != FailureKind::Deadlock {
        return None;
    }
    for b in &f.blocked {
        let (Some(l), Some(h)) = (b.waiting_for, b.held_by) else {
            continue;
        };
        if h == b.thread {
            continue;
        }
        // The holder waits for a lock this thread holds.
        let Some(back) = f
            .blocked
            .iter()
            .find(|x| x.thread == h && x.held_by == Some(b.thread))
        else {
            continue;
        };
        let Some(m) = back.waiting_for else { continue };
        let end = f.step.map_or(trace.steps.len(), |s| s as usize + 1);
        let last_take = |t: u32, lock: ObjectId| {
            trace.steps[..end.min(trace.steps.len())]
                .iter()
                .rev()
                .find(|s| s.thread == t && s.object == Some(lock) && takes(s))
        };
        let (Some(mine), Some(theirs)) = (last_take(b.thread, m), last_take(h, l)) else {
            continue;
        };
        let (first, second) = if mine.index < theirs.index {
            (mine, theirs)
        } else {
            (theirs, mine)
        };
        let ask = |x: &crate::model::Blocked| {
            x.at.as_ref()
                .map(|a| format!(" at {}", a.short()))
                .unwrap_or_default()
        };
        let (t, u) = (trace.thread_name(b.thread), trace.thread_name(h));
        let (lm, ll) = (trace.object_name(m), trace.object_name(l));
        let why = format!(
            "{t} took {lm} (step {}, {}) and asks for {ll}{}; {u} took {ll} (step {}, {}) and asks \
             for {lm}{}: each holds what the other waits for. The two paths take the same two \
             locks in opposite orders. Take them in one order everywhere, or never hold both.",
            mine.index + 1,
            mine.at.short(),
            ask(b),
            theirs.index + 1,
            theirs.at.short(),
            ask(back),
        );
        return Some(Conflict {
            kind: ConflictKind::LockOrder,
            first: first.index,
            second: second.index,
            completes: None,
            ordered: true,
            why,
            claims: Vec::new(),
        });
    }
    None
}
