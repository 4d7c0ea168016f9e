//! The missing edge: two steps of different threads that nothing orders (a data race, or a load
//! that missed a store), where the second thread *had* heard from the first through an atomic
//! and the handshake lacked its Release or its Acquire half.
//!
//! Thread T1 did `a`, then wrote atomic F (step `s`); T2 read F and got that write's value
//! (step `r`, directly or through read-modify-writes that continue it), then did `b`. With a
//! Release on T1's side (the write, or a release fence between `a` and it) and an Acquire on
//! T2's (the read, or an acquire fence between it and `b`), `a` would happen-before `b`. The
//! explanation names the write and the read, with their steps, values and orderings, and the
//! half that is missing. It is given only when the trace shows that read-from: exactly, or as a
//! best guess, which the words then say.

use crate::hb::HappensBefore;
use crate::model::{Conflict, MemOrder, ObjectKind, Op, Step, StepId, Trace};

/// The handshake between the pair of `c`, when one was tried and is incomplete.
pub fn missing_edge(trace: &Trace, c: &Conflict) -> Option<String> {
    let a = trace.steps.get(c.first as usize)?;
    let b = trace.steps.get(c.second as usize)?;
    if c.ordered || a.thread == b.thread {
        return None;
    }
    let hb = HappensBefore::of(trace);
    let atomic = |s: &Step| {
        s.object
            .and_then(|o| trace.object(o))
            .is_some_and(|o| o.kind == ObjectKind::Atomic)
    };
    let (t1, t2) = (a.thread, b.thread);
    // T2's reads before `b`, latest first, that heard from T1 after `a`.
    let (read, write) = trace.steps[..b.index as usize]
        .iter()
        .rev()
        .filter(|r| r.thread == t2 && atomic(r) && r.object != b.object)
        .filter(|r| matches!(r.op, Op::Load | Op::Rmw | Op::CasFailed))
        .find_map(|r| {
            let w = heard_from(trace, &hb, r.index, t1)?;
            (w.index > a.index).then_some((r, w))
        })?;
    let between = |t: u32, from: StepId, to: StepId, want: fn(MemOrder) -> bool| {
        trace.steps[from as usize + 1..to as usize]
            .iter()
            .find(|f| f.thread == t && f.op == Op::Fence && f.ordering.is_some_and(want))
    };
    let release_fence = between(t1, a.index, write.index, MemOrder::releases);
    let acquire_fence = between(t2, read.index, b.index, MemOrder::acquires);
    let released = write.ordering.is_some_and(MemOrder::releases) || release_fence.is_some();
    let acquired = read.ordering.is_some_and(MemOrder::acquires) || acquire_fence.is_some();
    if released && acquired {
        return None;
    }
    let (n1, n2) = (trace.thread_name(t1), trace.thread_name(t2));
    let flag = trace.object_name(write.object?);
    let label = |s: &Step| s.ordering.map_or("?", MemOrder::label);
    let guess = if read.reads_from_guess {
        " (the harness's best guess: that value was written more than once)"
    } else {
        ""
    };
    let heard = match read.op {
        Op::Rmw => format!(
            "{n2}'s update of {flag} (step {}) read {}, the value {n1} wrote at step {}{guess}",
            read.index + 1,
            read.previous.as_deref().unwrap_or("?"),
            write.index + 1,
        ),
        _ => format!(
            "{n2} loaded {flag} = {} (step {}), the value {n1} wrote at step {}{guess}",
            read.value.as_deref().unwrap_or("?"),
            read.index + 1,
            write.index + 1,
        ),
    };
    let early_fence = trace.steps[..read.index as usize]
        .iter()
        .rev()
        .find(|f| f.thread == t2 && f.op == Op::Fence && f.ordering.is_some_and(MemOrder::acquires))
        .map(|f| {
            format!(
                " {n2}'s acquire fence at step {} comes before that read, and a fence acquires \
                 only what the thread read before it.",
                f.index + 1
            )
        })
        .unwrap_or_default();
    let rmw_note = if read.op == Op::Rmw && !acquired {
        " A read-modify-write reads the latest value, but reading the latest value is not \
         acquiring it."
    } else {
        ""
    };
    let rverb = match read.op {
        Op::Load => "loaded",
        Op::Rmw => "updated",
        _ => "read",
    };
    let wverb = if write.op == Op::Store {
        "stored"
    } else {
        "updated"
    };
    // The half that is there: the access's own ordering, or else the fence that gives it one.
    let release_half = match release_fence {
        Some(f) if !write.ordering.is_some_and(MemOrder::releases) => format!(
            "{n1} put fence({}) at step {} before that {}",
            label(f),
            f.index + 1,
            if write.op == Op::Store {
                "store"
            } else {
                "update"
            }
        ),
        _ => format!("{n1} {wverb} it with {}", label(write)),
    };
    let half = match (released, acquired) {
        (true, false) => format!(
            "{release_half}, but {n2} {rverb} it {}: a Release orders nothing until the \
             other side acquires.{rmw_note}{early_fence} Make step {} an Acquire, or put \
             fence(Acquire) after it, before step {}.",
            label(read),
            read.index + 1,
            b.index + 1
        ),
        (false, true) => match acquire_fence {
            Some(f) if !read.ordering.is_some_and(MemOrder::acquires) => format!(
                "{n2} put fence({}) at step {} after that read, but {n1} {wverb} it {}: an \
                 acquire fence synchronizes only with a Release write (or a release fence \
                 before it). Make step {} a Release, or put fence(Release) before it.",
                label(f),
                f.index + 1,
                label(write),
                write.index + 1
            ),
            _ => format!(
                "{n2} {rverb} it with {}, but {n1} {wverb} it {}: an Acquire load synchronizes \
                 only with a Release store. Make step {} a Release, or put fence(Release) \
                 before it.",
                label(read),
                label(write),
                write.index + 1
            ),
        },
        _ => format!(
            "{n1} {wverb} it {} and {n2} {rverb} it {}: neither half of the handshake is there. \
             Write {flag} with Release and read it with Acquire, so that reading it carries \
             {n1}'s step {} with it.{rmw_note}{early_fence}",
            label(write),
            label(read),
            a.index + 1
        ),
    };
    Some(format!(
        "{n2} had heard from {n1} before step {}: {heard}. {half}",
        b.index + 1
    ))
}

/// The write by `thread` that the read at `r` heard from: the write it read, or the write at the
/// head of the chain of read-modify-writes it read through.
fn heard_from<'t>(
    trace: &'t Trace,
    hb: &HappensBefore,
    r: StepId,
    thread: u32,
) -> Option<&'t Step> {
    let mut w = trace.steps.get(hb.reads_from(r)? as usize)?;
    loop {
        if w.thread == thread {
            return Some(w);
        }
        if w.op != Op::Rmw {
            return None;
        }
        w = trace.steps.get(hb.reads_from(w.index)? as usize)?;
    }
}
