//! The missing edge: two steps of different threads that nothing orders (a data race, or a load
//! that missed a store), where the second thread *had* heard from the first through an atomic
//! and the handshake lacked its Release or its Acquire half.
//!
//! Thread T1 did `a`, then wrote atomic F (step `s`); T2 read F and got that write's value
//! (step `r`, directly or through read-modify-writes that continue it), then did `b`. With a
//! Release on T1's side (the write, or a release fence between `a` and it) and an Acquire on
//! T2's (the read, or an acquire fence between it and `b`), `a` would happen-before `b`. This
//! finds that case as a `Claim::MissingHalf`; `confirm` checks it and `claims` words it.

use crate::claims::Claim;
use crate::hb::HappensBefore;
use crate::model::{MemOrder, ObjectKind, Op, Step, StepId, Trace};

/// The incomplete handshake between the pair of `main`, when one was tried.
pub fn missing_half(trace: &Trace, main: &Claim) -> Option<Claim> {
    let (a, b) = match *main {
        Claim::Unordered { first, second } => (first, second),
        Claim::StaleLoad { store, load } => (store, load),
        _ => return None,
    };
    let (a, b) = (trace.steps.get(a as usize)?, trace.steps.get(b as usize)?);
    let hb = HappensBefore::of(trace);
    if a.thread == b.thread || hb.ordered(a.index, b.index) {
        return None;
    }
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
    let fence = |t: u32, from: StepId, to: StepId, want: fn(MemOrder) -> bool| {
        trace.steps[from as usize + 1..to as usize]
            .iter()
            .find(|f| f.thread == t && f.op == Op::Fence && f.ordering.is_some_and(want))
            .map(|f| f.index)
    };
    let release_fence = fence(t1, a.index, write.index, MemOrder::releases);
    let acquire_fence = fence(t2, read.index, b.index, MemOrder::acquires);
    let released = write.ordering.is_some_and(MemOrder::releases) || release_fence.is_some();
    let acquired = read.ordering.is_some_and(MemOrder::acquires) || acquire_fence.is_some();
    if released && acquired {
        return None;
    }
    let early_fence = trace.steps[..read.index as usize]
        .iter()
        .rev()
        .find(|f| f.thread == t2 && f.op == Op::Fence && f.ordering.is_some_and(MemOrder::acquires))
        .map(|f| f.index);
    Some(Claim::MissingHalf {
        before: a.index,
        write: write.index,
        read: read.index,
        after: b.index,
        release_fence,
        acquire_fence,
        early_fence,
    })
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
