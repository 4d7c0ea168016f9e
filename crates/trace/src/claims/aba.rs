//! `Claim::Aba` in words: the value the thread read, the changes away from it and back, the
//! compare-and-swap that took the old value for an unchanged object, and the read it relied on
//! that was no longer true.

use super::Claim;
use crate::model::{Step, StepId, Trace};
use crate::text::shorten;

/// The sentences of an `Aba` claim (empty for any other claim).
pub fn sentence(trace: &Trace, claim: &Claim) -> String {
    let Claim::Aba {
        read,
        away,
        back,
        cas,
        stale,
    } = *claim
    else {
        return String::new();
    };
    let step = |i: StepId| -> &Step { &trace.steps[i as usize] };
    let who = |i: StepId| trace.thread_name(step(i).thread);
    let what = |i: StepId| step(i).object.map_or("?", |o| trace.object_name(o));
    let value = |i: StepId| shorten(step(i).value.as_deref().unwrap_or("?"), 40);
    let (t, o, v) = (who(read), what(read), value(read));
    let again = if who(back) == who(away) {
        "later".to_string()
    } else {
        who(back).to_string()
    };
    let mut out = format!(
        "{t} read {o} = {v} at step {}; then {} changed it to {} (step {}) and {again} set it \
         back to {v} (step {}). At step {} {t} updated {o} from {v}, the value it had read: \
         judged by its value alone, {o} had not changed.",
        read + 1,
        who(away),
        value(away),
        away + 1,
        back + 1,
        cas + 1,
    );
    // A look again between the change back and the swap saw the old value too.
    let relook = trace.steps[read as usize + 1..cas as usize]
        .iter()
        .rfind(|s| s.thread == step(read).thread && s.object == step(read).object);
    if let Some(l) = relook.filter(|l| l.index > back) {
        out.push_str(&format!(
            " {t} had looked at {o} again at step {} and seen {v}: after the change back, a \
             second look sees nothing either.",
            l.index + 1
        ));
    }
    if let Some((link, write)) = stale {
        out.push_str(&format!(
            " {t} had read {} = {} at step {}, but by step {} {} had made it {} (step {}): if \
             {t}'s update was built from that read, it was out of date.",
            what(link),
            value(link),
            link + 1,
            cas + 1,
            who(write),
            value(write),
            write + 1,
        ));
    }
    out.push_str(&format!(
        " A compare-exchange compares values, not histories: make {o}'s value change every \
         time {o} changes (a counter beside it, swapped with it), or reuse nothing while a \
         thread may still hold an old read of it."
    ));
    out
}
