//! Claims in words: a sentence says what its claim asserts, no more. Where a conclusion needs
//! more than the trace shows (what a thread decided, what it is for), it says "if" or stays out.

use super::Claim;
use super::each_call::each_call;
use crate::model::{MemOrder, Op, Step, StepId, Trace};
use crate::text::shorten;

/// The widest a value gets inside a sentence.
const VALUE: usize = 40;

struct Say<'t> {
    trace: &'t Trace,
}

impl<'t> Say<'t> {
    fn step(&self, i: StepId) -> &'t Step {
        &self.trace.steps[i as usize]
    }
    fn who(&self, i: StepId) -> &'t str {
        self.trace.thread_name(self.step(i).thread)
    }
    fn what(&self, i: StepId) -> &'t str {
        self.step(i)
            .object
            .map_or("?", |o| self.trace.object_name(o))
    }
    fn value(&self, i: StepId) -> String {
        shorten(self.step(i).value.as_deref().unwrap_or("?"), VALUE)
    }
    fn unit(&self, i: StepId) -> &'static str {
        self.trace.unit_word(self.step(i).thread)
    }
    fn order(&self, i: StepId) -> &'static str {
        self.step(i).ordering.map_or("?", MemOrder::label)
    }
    /// The verb of an access: read, wrote or updated.
    fn verb(&self, i: StepId) -> &'static str {
        let s = self.step(i);
        match s.access {
            Some(a) if a.reads() && a.writes() => "updated",
            Some(a) if a.writes() => "wrote",
            _ => "read",
        }
    }
}

/// Steps are shown 1-based, as in the report's table.
fn n(i: StepId) -> StepId {
    i + 1
}

/// The claim as one or more sentences.
pub fn sentence(trace: &Trace, claim: &Claim) -> String {
    let s = Say { trace };
    match claim {
        Claim::Unordered { first, second } => format!(
            "{} and {} touched {} with no happens-before edge between them (no lock both \
             took, no join, no Release store read by an Acquire load), so the two accesses \
             race and the result depends on timing.",
            s.who(*first),
            s.who(*second),
            s.what(*first)
        ),
        Claim::StaleLoad { store, load } => format!(
            "{} loaded {} = {} (step {}) after {} had stored {} (step {}): nothing made that \
             store happen-before the load (no Release store read by an Acquire load between \
             them), so the memory model let the load return an older value.",
            s.who(*load),
            s.what(*load),
            s.value(*load),
            n(*load),
            s.who(*store),
            s.value(*store),
            n(*store)
        ),
        Claim::OverwrittenAndLost {
            read,
            foreign_write,
            write_back,
        } => format!(
            "{t} read {o} ({}) and later wrote it ({}) without reading it again; {u}'s write in \
             between ({}) was overwritten before {t} or anyone else read it, so {u}'s update is \
             lost.",
            s.value(*read),
            s.value(*write_back),
            s.value(*foreign_write),
            t = s.who(*read),
            u = s.who(*foreign_write),
            o = s.what(*read),
        ),
        Claim::TwoUpdatesCountOnce {
            read,
            foreign_write,
            write_back,
        } => {
            let how = if released_between(trace, *read, *write_back) {
                "under one lock acquisition and wrote it under another"
            } else {
                "and later wrote it"
            };
            format!(
                "{t} read {o} ({}) {how}. In between, {u} changed it to {}, and {t}'s write \
                 ({}) left that same value: two updates changed {o} only once, so one of them \
                 was lost.",
                s.value(*read),
                s.value(*foreign_write),
                s.value(*write_back),
                t = s.who(*read),
                u = s.who(*foreign_write),
                o = s.what(*read),
            )
        }
        Claim::SplitByForeignWrite {
            own_write,
            foreign_write,
            read_back,
        } => {
            let how = if s.step(*read_back).op.is_acquire() {
                "under a second lock acquisition"
            } else {
                "later"
            };
            let (t, u, o) = (s.who(*own_write), s.who(*foreign_write), s.what(*own_write));
            let head = format!(
                "{t} wrote {o} ({}) and came back to it {how}",
                s.value(*own_write)
            );
            if appended(trace, *own_write, *foreign_write) {
                format!(
                    "{head}, but {u} added to it in between ({}), so {u}'s write sits between \
                     {t}'s two steps on {o}.",
                    s.value(*foreign_write)
                )
            } else {
                format!(
                    "{head}, but {u} wrote it in between ({}), so {t} read back {}, not the \
                     value it wrote.",
                    s.value(*foreign_write),
                    s.value(*read_back)
                )
            }
        }
        Claim::CheckThenAct { check, change, act } => format!(
            "{t} checked {o} ({}) at step {}; before its next step on {o} (step {}), {} changed \
             it ({}). Anything {t} decided from that check was out of date when it acted.",
            s.value(*check),
            n(*check),
            n(*act),
            s.who(*change),
            s.value(*change),
            t = s.who(*check),
            o = s.what(*check),
        ),
        Claim::OverwrittenUnread { replaced, write } => format!(
            "{}'s write to {} ({}) replaced {}'s write ({}) before anything read it, so nothing \
             ever saw {}'s value.",
            s.who(*write),
            s.what(*write),
            s.value(*write),
            s.who(*replaced),
            s.value(*replaced),
            s.who(*replaced),
        ),
        Claim::PublishedBefore {
            publish,
            flag_read,
            read,
            write,
        } => {
            let (w, r, p, b) = (
                s.who(*publish),
                s.who(*read),
                s.what(*publish),
                s.what(*read),
            );
            let paired = s.step(*publish).ordering.is_some_and(MemOrder::releases)
                && s.step(*flag_read).ordering.is_some_and(MemOrder::acquires);
            let atomic = s.step(*publish).ordering.is_some();
            let handshake = if atomic && !paired {
                format!(" (store {p} with Release, load it with Acquire)")
            } else {
                String::new()
            };
            format!(
                "{w} published {p} = {} (step {}) before it wrote {b} (step {}). {r} read that \
                 new {p} (step {}) and then read {b} (step {}) before {w}'s write to it. If {p} \
                 is what tells {r} that {b} is ready, it was published too early: write {b} \
                 first, then publish {p}{handshake}.",
                s.value(*publish),
                n(*publish),
                n(*write),
                n(*flag_read),
                n(*read),
            )
        }
        Claim::ReadBeforeFlag {
            read,
            write,
            publish,
            flag_read,
        } => {
            let (r, w, b, p) = (s.who(*read), s.who(*write), s.what(*read), s.what(*publish));
            format!(
                "{r} read {b} ({}, step {}) before it read {p} (step {}), and {w} wrote {b} (step \
                 {}) and then {p} (step {}) in between: {r} saw {w}'s new {p} with the {b} from \
                 before. If {p} is what makes {b} safe to read, read {p} first.",
                s.value(*read),
                n(*read),
                n(*flag_read),
                n(*write),
                n(*publish),
            )
        }
        Claim::UnsyncedFlag {
            flag_store,
            flag_load,
            ..
        } => {
            let (w, r, f) = (s.who(*flag_store), s.who(*flag_load), s.what(*flag_store));
            let released = s.step(*flag_store).ordering.is_some_and(MemOrder::releases);
            let acquired = s.step(*flag_load).ordering.is_some_and(MemOrder::acquires);
            let (st, ld) = (s.order(*flag_store), s.order(*flag_load));
            match (released, acquired) {
                (true, false) => format!(
                    "{w} stored {f} with {st}, but {r} loaded it {ld}: a Release orders \
                     nothing until the other side loads with Acquire."
                ),
                (false, true) => format!(
                    "{r} loaded {f} with {ld}, but {w} stored it {st}: an Acquire load \
                     synchronizes only with a Release store."
                ),
                _ => format!(
                    "{r} read {w}'s new {f}, but {w} stored it {st} and {r} loaded it {ld}: \
                     store {f} with Release and load it with Acquire, so that reading it \
                     carries the earlier writes."
                ),
            }
        }
        Claim::MissingHalf { .. } => super::handshake::sentence(trace, claim),
        Claim::Aba { .. } => super::aba::sentence(trace, claim),
        Claim::DroppedInSelect { .. } => super::dropped::sentence(trace, claim),
        Claim::OnlyTakenBy {
            lock,
            thread,
            outsider,
        } => format!(
            "The lock {l} is only ever taken by {t}, and {} used {} without it (step {}), so \
             {l} keeps no other {unit} out: a lock protects data only if every {unit} that \
             touches the data takes that same lock.",
            s.who(*outsider),
            s.what(*outsider),
            n(*outsider),
            l = trace.object_name(*lock),
            t = trace.thread_name(*thread),
            unit = s.unit(*outsider),
        ),
        Claim::EachCallMakesItsOwn { locks } => each_call(trace, locks),
        Claim::SplitAtomic { .. } => "A load followed by a store is two atomic operations, not \
                                      one: make the update a single fetch_add (or a \
                                      compare_exchange loop)."
            .to_string(),
        Claim::RetriedWrite {
            first_try, retry, ..
        } => format!(
            "{t} had already written this once (step {}) and wrote it again when it found it \
             replaced: trying again only narrows the window, because the write and the read \
             that depends on it are still two separate steps another {} can get between.",
            n(*first_try),
            s.unit(*retry),
            t = s.who(*retry),
        ),
        Claim::RepeatedCheck { first_check, check } => format!(
            "{t} had already checked {o} at step {} and checked it again before acting: a \
             second check narrows the window, but the last check and the act are still two \
             steps another {} can get between. Make the check and the act one step (one lock \
             acquisition, one query).",
            n(*first_check),
            s.unit(*check),
            t = s.who(*check),
            o = s.what(*check),
        ),
        Claim::Futurelock {
            take,
            choice,
            thread,
            lock,
        } => {
            let t = trace.thread_name(*thread);
            let o = trace.object_name(*lock);
            let (taken, chose) = (s.step(*take), s.step(*choice));
            let future = taken.branch.as_ref().map_or("?", |b| b.future.as_str());
            let won = chose.branch.as_ref().map_or("?", |b| b.future.as_str());
            let again = trace
                .failure
                .iter()
                .flat_map(|f| &f.blocked)
                .find(|b| b.thread == *thread && b.waiting_for == Some(*lock))
                .and_then(|b| b.at.as_ref())
                .map(|a| format!(" at {}", a.short()))
                .unwrap_or_default();
            format!(
                "{t} took {o} at step {} ({}) inside `{future}`, a branch of the select! at {}; at \
                 step {} that select! chose `{won}` instead, and no later step of {t} was made \
                 in `{future}`. Then {t} asked for {o} itself{again}, and the future in \
                 `{future}` still holds it: only {t} could poll that future, and {t} is waiting. \
                 This is a futurelock. Do not keep a future that holds a lock alive across a \
                 select! by reference: spawn it as a {} of its own, or take the lock only after \
                 its wait.",
                n(*take),
                taken.at.short(),
                chose.at.short(),
                n(*choice),
                trace.unit_word(*thread),
            )
        }
        Claim::SelfDeadlock { take, thread, lock } => {
            let t = trace.thread_name(*thread);
            let o = trace.object_name(*lock);
            let again = trace
                .failure
                .iter()
                .flat_map(|f| &f.blocked)
                .find(|b| b.thread == *thread)
                .and_then(|b| b.at.as_ref())
                .map(|a| format!(" at {}", a.short()))
                .unwrap_or_default();
            format!(
                "{t} took {o} at {} and asked for it again{again} while still holding it: a \
                 lock is not reentrant, so {t} waits for itself, and every {} that needs {o} \
                 waits with it. Hand the code that locks again the value the guard already \
                 gives you; dropping the guard before that call instead lets another {} change \
                 {o} in between.",
                s.step(*take).at.short(),
                trace.unit_word(*thread),
                trace.unit_word(*thread),
            )
        }
        Claim::General { first, second } => {
            let observed = trace
                .failure
                .as_ref()
                .and_then(|f| f.observed.as_deref())
                .map(|o| format!(" When the check ran, it saw {}.", shorten(o, 60)))
                .unwrap_or_default();
            format!(
                "{} {} {} ({}) at step {}, and {} {} it ({}) at step {}.{observed}",
                s.who(*first),
                s.verb(*first),
                s.what(*first),
                s.value(*first),
                n(*first),
                s.who(*second),
                s.verb(*second),
                s.value(*second),
                n(*second),
            )
        }
    }
}

/// Whether the thread of `from` released `from`'s lock between `from` and `to`: two
/// acquisitions, not one.
fn released_between(trace: &Trace, from: StepId, to: StepId) -> bool {
    let a = &trace.steps[from as usize];
    trace.steps[from as usize + 1..to as usize].iter().any(|s| {
        s.thread == a.thread && s.object == a.object && matches!(s.op, Op::Unlock | Op::ReadUnlock)
    })
}

/// Whether `foreign`'s value keeps `own`'s and adds to it (text appended to a buffer).
pub(crate) fn appended(trace: &Trace, own: StepId, foreign: StepId) -> bool {
    let v = |i: StepId| trace.steps[i as usize].value.as_deref().unwrap_or("");
    let (a, b) = (v(own), v(foreign));
    !a.is_empty() && b.len() > a.len() && b.starts_with(a)
}
