//! The one failure shape only loom can produce: a load that returns an older value than a store
//! the trace shows before it. Under sequential consistency (shuttle, real x86 hardware) a load
//! sees the latest store; under loom's memory model a `Relaxed` (or unpaired `Acquire`) load may
//! see an older one when no happens-before edge carries the newer store to the loading thread.
//! The general conflict analysis reads the trace in execution order and would call this "an
//! order the code does not handle"; this names the real cause.

use racebook_trace::hb::HappensBefore;
use racebook_trace::{Conflict, ConflictKind, ObjectKind, Op, Trace};

/// The stale load closest to the failure, and the store it missed, if the trace has one.
pub fn stale_load(trace: &Trace) -> Option<Conflict> {
    let end = trace
        .failure
        .as_ref()
        .and_then(|f| f.step)
        .map_or(trace.steps.len(), |s| s as usize + 1)
        .min(trace.steps.len());
    let steps = &trace.steps[..end];
    let hb = HappensBefore::of(trace);
    let atomic = |o: u32| {
        trace
            .object(o)
            .is_some_and(|o| o.kind == ObjectKind::Atomic)
    };
    for (k, load) in steps.iter().enumerate().rev() {
        let Some(obj) = load.object.filter(|&o| load.op == Op::Load && atomic(o)) else {
            continue;
        };
        // The latest store to the same atomic before the load, in execution order.
        let Some(latest) = steps[..k]
            .iter()
            .rev()
            .find(|s| s.object == Some(obj) && s.access.is_some_and(|a| a.writes()))
        else {
            continue;
        };
        if latest.thread == load.thread
            || latest.value == load.value
            || hb.ordered(latest.index, load.index)
        {
            continue;
        }
        let why = format!(
            "{} loaded {} = {} after {} had stored {}: nothing made that store happen-before the \
             load (no Release store read by an Acquire load between them), so the memory model \
             let the load return an older value.",
            trace.thread_name(load.thread),
            trace.object_name(obj),
            load.value.as_deref().unwrap_or("?"),
            trace.thread_name(latest.thread),
            latest.value.as_deref().unwrap_or("?"),
        );
        let conflict = Conflict {
            kind: ConflictKind::Order,
            first: latest.index,
            second: load.index,
            completes: None,
            ordered: false,
            why,
        };
        // Known patterns (e.g. a publication missing its Release or its Acquire) add a sentence.
        return Some(racebook_trace::diagnosis::diagnose(trace, conflict));
    }
    None
}
