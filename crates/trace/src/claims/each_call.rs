//! The sentence for locks that each call makes for itself.

use crate::model::Trace;

/// A lock made on every call, in words: who takes each one, and what to do instead.
pub(super) fn each_call(trace: &Trace, locks: &[u32]) -> String {
    let taker = |l: u32| {
        trace
            .steps
            .iter()
            .find(|s| s.object == Some(l) && s.op.is_acquire())
            .map(|s| s.thread)
    };
    let takers: Vec<String> = locks
        .iter()
        .enumerate()
        .map(|(i, &l)| {
            let by = taker(l).map_or("?", |t| trace.thread_name(t));
            let only = if i == 0 {
                "is taken only by"
            } else {
                "only by"
            };
            format!("{} {only} {by}", trace.object_name(l))
        })
        .collect();
    let first = locks.first().and_then(|&l| trace.object(l));
    let what = match first.and_then(|o| o.given_name.as_deref()) {
        Some(given) => format!("its own {given}"),
        None => {
            let at = first
                .and_then(|o| o.created_at.as_ref())
                .map(|a| format!(" (made at {})", a.short()))
                .unwrap_or_default();
            format!("its own lock{at}")
        }
    };
    let unit = locks
        .first()
        .and_then(|&l| taker(l))
        .map_or("thread", |t| trace.unit_word(t));
    format!(
        "Each call makes {what}: {}, so they never exclude each other. A lock protects data \
         only if every {unit} that touches the data takes that same lock: make it once and \
         share it.",
        takers.join(", ")
    )
}
