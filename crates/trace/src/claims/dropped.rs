//! `Claim::DroppedInSelect` in words: the value received inside a branch of a `select!`, the
//! other branch the `select!` chose before that one finished, and what a `select!` does with the
//! future of a branch that loses.

use super::Claim;
use crate::model::Trace;
use crate::text::shorten;

/// The sentences of a `DroppedInSelect` claim (empty for any other claim).
pub fn sentence(trace: &Trace, claim: &Claim) -> String {
    let Claim::DroppedInSelect { recv, choice } = *claim else {
        return String::new();
    };
    let (r, c) = (&trace.steps[recv as usize], &trace.steps[choice as usize]);
    let t = trace.thread_name(r.thread);
    let o = r.object.map_or("?", |o| trace.object_name(o));
    let v = shorten(r.value.as_deref().unwrap_or("?"), 40);
    let (Some(lost), Some(won)) = (r.branch.as_ref(), c.branch.as_ref()) else {
        return String::new();
    };
    format!(
        "{t} received {v} from {o} at step {} ({}) inside `{}`, a branch of the select! at {}; \
         that branch had not finished when, at step {}, the select! chose `{}` instead. A \
         select! drops the future of every branch that loses, and with it whatever that future \
         held: a value it had received and not yet handed on is gone, and no later step of {t} \
         receives {v} from {o} again. Keep what is received outside the future (in a variable \
         the loop owns), or keep the future itself across the loop (pin it once and select over \
         `&mut` it).",
        recv + 1,
        r.at.short(),
        lost.future,
        lost.select.short(),
        choice + 1,
        won.future,
    )
}
