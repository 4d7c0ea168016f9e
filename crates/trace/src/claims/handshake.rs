//! `Claim::MissingHalf` in words: the write and the read that carried news between the two
//! threads, with their steps, values and orderings, and the half of the handshake that is not
//! there, with the change that would supply it.

use super::Claim;
use crate::model::{MemOrder, Op, Step, StepId, Trace};

/// The sentences of a `MissingHalf` claim (empty for any other claim).
pub fn sentence(trace: &Trace, claim: &Claim) -> String {
    let Claim::MissingHalf {
        before,
        write,
        read,
        after,
        release_fence,
        acquire_fence,
        early_fence,
    } = *claim
    else {
        return String::new();
    };
    let step = |i: StepId| -> &Step { &trace.steps[i as usize] };
    let (w, r) = (step(write), step(read));
    let (n1, n2) = (trace.thread_name(w.thread), trace.thread_name(r.thread));
    let flag = w.object.map_or("?", |o| trace.object_name(o));
    let label = |s: &Step| s.ordering.map_or("?", MemOrder::label);
    let guess = if r.reads_from_guess {
        " (the harness's best guess: that value was written more than once)"
    } else {
        ""
    };
    let heard = match r.op {
        Op::Rmw => format!(
            "{n2}'s update of {flag} (step {}) read {}, the value {n1} wrote at step {}{guess}",
            read + 1,
            r.previous.as_deref().unwrap_or("?"),
            write + 1,
        ),
        _ => format!(
            "{n2} loaded {flag} = {} (step {}), the value {n1} wrote at step {}{guess}",
            r.value.as_deref().unwrap_or("?"),
            read + 1,
            write + 1,
        ),
    };
    let early = early_fence
        .map(|f| {
            format!(
                " {n2}'s acquire fence at step {} comes before that read, and a fence acquires \
                 only what the thread read before it.",
                f + 1
            )
        })
        .unwrap_or_default();
    let released = w.ordering.is_some_and(MemOrder::releases) || release_fence.is_some();
    let acquired = r.ordering.is_some_and(MemOrder::acquires) || acquire_fence.is_some();
    let rmw_note = if r.op == Op::Rmw && !acquired {
        " A read-modify-write reads the latest value, but reading the latest value is not \
         acquiring it."
    } else {
        ""
    };
    let rverb = match r.op {
        Op::Load => "loaded",
        Op::Rmw => "updated",
        _ => "read",
    };
    let (wverb, wnoun) = if w.op == Op::Store {
        ("stored", "store")
    } else {
        ("updated", "update")
    };
    // The half that is there: the access's own ordering, or else the fence that gives it one.
    let release_half = match release_fence {
        Some(f) if !w.ordering.is_some_and(MemOrder::releases) => format!(
            "{n1} put fence({}) at step {} before that {wnoun}",
            label(step(f)),
            f + 1
        ),
        _ => format!("{n1} {wverb} it with {}", label(w)),
    };
    let half = match (released, acquired) {
        (true, false) => format!(
            "{release_half}, but {n2} {rverb} it {}: a Release orders nothing until the other \
             side acquires.{rmw_note}{early} Make step {} an Acquire, or put fence(Acquire) \
             after it, before step {}.",
            label(r),
            read + 1,
            after + 1
        ),
        (false, true) => match acquire_fence {
            Some(f) if !r.ordering.is_some_and(MemOrder::acquires) => format!(
                "{n2} put fence({}) at step {} after that read, but {n1} {wverb} it {}: an \
                 acquire fence synchronizes only with a Release write (or a release fence \
                 before it). Make step {} a Release, or put fence(Release) before it.",
                label(step(f)),
                f + 1,
                label(w),
                write + 1
            ),
            _ => format!(
                "{n2} {rverb} it with {}, but {n1} {wverb} it {}: an Acquire load synchronizes \
                 only with a Release store. Make step {} a Release, or put fence(Release) \
                 before it.",
                label(r),
                label(w),
                write + 1
            ),
        },
        _ => format!(
            "{n1} {wverb} it {} and {n2} {rverb} it {}: neither half of the handshake is there. \
             Write {flag} with Release and read it with Acquire, so that reading it carries \
             {n1}'s step {} with it.{rmw_note}{early}",
            label(w),
            label(r),
            before + 1
        ),
    };
    format!(
        "{n2} had heard from {n1} before step {}: {heard}. {half}",
        after + 1
    )
}
