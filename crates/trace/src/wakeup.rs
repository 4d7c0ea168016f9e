//! Waits in words, and the lost wakeup: a stuck thread whose wait began after the wake it
//! needed. The facade's report says so from its own bookkeeping; this finds the pair of steps
//! on the trace alone and checks every fact the sentence states before it is written, so the
//! table and the visualizer can mark the wake and the wait that began after it.

use crate::model::{Blocked, Conflict, ConflictKind, ObjectKind, Op, Step, StepId, Trace};

/// What a blocked thread waits on, after its name: "waits on ready since step 6".
pub fn blocked_words(trace: &Trace, b: &Blocked) -> String {
    let since = b
        .since
        .map(|s| format!(" since step {}", s + 1))
        .unwrap_or_default();
    if let Some(t) = b.for_thread {
        return format!("waits for {} to finish{since}", trace.thread_name(t));
    }
    let Some(o) = b.waiting_for else {
        return format!("is parked{since}");
    };
    let name = trace.object_name(o);
    let kind = trace.object(o).map(|x| x.kind);
    let began = b.since.and_then(|s| trace.steps.get(s as usize));
    match kind {
        Some(ObjectKind::Condvar | ObjectKind::Notify) => format!("waits on {name}{since}"),
        Some(ObjectKind::Barrier) => format!("waits at {name}{since}"),
        Some(ObjectKind::Channel) if began.is_some_and(|s| s.value.as_deref() == Some("send")) => {
            format!("waits for room on {name}{since}")
        }
        Some(ObjectKind::Channel) => format!("waits for a message on {name}{since}"),
        _ => {
            let holder = b
                .held_by
                .map(|h| format!(", held by {}", trace.thread_name(h)))
                .unwrap_or_default();
            format!("waits for {name}{holder}{since}")
        }
    }
}

fn is_notify(s: &Step, o: Option<u32>) -> bool {
    matches!(s.op, Op::Notify | Op::NotifyAll) && s.object == o
}

/// The lost wakeup of a stuck run, if one of its blocked threads began to wait after the wake
/// it needed and nothing woke it afterwards.
pub fn lost_wakeup(trace: &Trace) -> Option<Conflict> {
    let f = trace.failure.as_ref()?;
    if !f.kind.is_stuck() {
        return None;
    }
    f.blocked
        .iter()
        .find_map(|b| missed_notify(trace, b).or_else(|| eaten_unpark(trace, b)))
        .or_else(|| f.blocked.iter().find_map(|b| change_not_notified(trace, b)))
}

/// A condvar wait after which another thread changed the waiter's mutex, and nothing notified.
fn change_not_notified(trace: &Trace, b: &Blocked) -> Option<Conflict> {
    let since = b.since?;
    let o = b.waiting_for?;
    if trace.object(o)?.kind != ObjectKind::Condvar {
        return None;
    }
    let wait = trace.steps.get(since as usize)?;
    let after = &trace.steps[since as usize + 1..];
    // The facade releases the waiter's mutex right after the wait begins.
    let release = after.iter().find(|s| s.thread == b.thread)?;
    if wait.op != Op::Block
        || release.op != Op::Unlock
        || after.iter().any(|s| is_notify(s, Some(o)))
    {
        return None;
    }
    let m = release.object?;
    let change = after.iter().rev().find(|s| {
        s.thread != b.thread
            && s.op == Op::Unlock
            && s.object == Some(m)
            && s.access.is_some_and(|a| a.writes())
    })?;
    let (t, c, name, mutex) = (
        trace.thread_name(b.thread),
        trace.thread_name(change.thread),
        trace.object_name(o),
        trace.object_name(m),
    );
    // A condvar its waiter made itself, which no other thread ever touched, can never be
    // notified: say that instead of advice no other thread could follow.
    let private = trace.object(o)?.created_by == Some(b.thread)
        && !trace
            .steps
            .iter()
            .any(|s| s.object == Some(o) && s.thread != b.thread);
    let advice = if private {
        format!(
            " `{name}` was made by {t} itself and no other thread ever used it, so nothing could \
             notify it: the waiter and the threads that change {mutex} must share one condvar."
        )
    } else {
        format!(" A wait ends only when something notifies `{name}` after the wait began.")
    };
    let why = format!(
        "{c} changed {mutex} at step {}, after {t} began to wait on `{name}` at step {}; \
         nothing notified `{name}` afterwards, so {t} still waits.{advice}",
        change.index + 1,
        since + 1
    );
    Some(Conflict {
        kind: ConflictKind::NoNotify,
        first: since,
        second: change.index,
        completes: None,
        ordered: true,
        why,
        claims: Vec::new(),
    })
}

/// A condvar (or notify) wait that began after the last notify of its object.
fn missed_notify(trace: &Trace, b: &Blocked) -> Option<Conflict> {
    let since = b.since?;
    let wait = trace.steps.get(since as usize)?;
    let o = b.waiting_for?;
    let kind = trace.object(o)?.kind;
    let checked = wait.op == Op::Block
        && wait.thread == b.thread
        && wait.object == Some(o)
        && matches!(kind, ObjectKind::Condvar | ObjectKind::Notify);
    if !checked {
        return None;
    }
    let notify = trace.steps[..since as usize]
        .iter()
        .rev()
        .find(|s| is_notify(s, Some(o)))?;
    if trace.steps[since as usize..]
        .iter()
        .any(|s| is_notify(s, Some(o)))
    {
        return None;
    }
    let woke_nobody = !trace.steps.iter().any(|s| s.woken_by == Some(notify.index));
    let (n, t, name) = (
        trace.thread_name(notify.thread),
        trace.thread_name(b.thread),
        trace.object_name(o),
    );
    let all = if notify.op == Op::NotifyAll {
        " notify_all does not change that: it too wakes only the threads waiting at that moment."
    } else {
        ""
    };
    let nobody = if woke_nobody {
        " It woke nobody: a notify wakes only a thread that is already waiting, and the condvar \
         keeps no memory of it."
    } else {
        " A notify wakes only threads that are already waiting; the condvar keeps no memory of it."
    };
    let why = format!(
        "{n} notified `{name}` at step {}, before {t} began to wait at step {}; nothing notified \
         it afterwards.{nobody}{all} Change what the waiter checks while holding the mutex it waits \
         with, and notify after that change, so that no notify can fall between the check and \
         the wait.",
        notify.index + 1,
        since + 1
    );
    Some(pair(notify.index, since, why))
}

/// A park that waits for an unpark an earlier park of the same thread used up.
fn eaten_unpark(trace: &Trace, b: &Blocked) -> Option<Conflict> {
    let since = b.since?;
    let wait = trace.steps.get(since as usize)?;
    if b.waiting_for.is_some()
        || b.for_thread.is_some()
        || wait.op != Op::Block
        || wait.thread != b.thread
        || wait.object.is_some()
        || wait.other_thread.is_some()
    {
        return None;
    }
    let unparks_me = |s: &Step| s.op == Op::Unpark && s.other_thread == Some(b.thread);
    let before = &trace.steps[..since as usize];
    let unpark = before.iter().rev().find(|s| unparks_me(s))?;
    if trace.steps[since as usize..].iter().any(unparks_me) {
        return None;
    }
    let used = before[unpark.index as usize..]
        .iter()
        .find(|s| s.thread == b.thread && s.op == Op::Wait && s.woken_by == Some(unpark.index))?;
    let t = trace.thread_name(b.thread);
    let why = format!(
        "{} unparked {t} at step {}, but {t}'s park at step {} ({}) used that unpark up, before \
         {t} parked again at step {}; nothing unparked it afterwards. A park may use up an unpark \
         meant for a later one (a park in code it calls, say), so park only in a loop that checks \
         a flag of its own, set before the unpark.",
        trace.thread_name(unpark.thread),
        unpark.index + 1,
        used.index + 1,
        used.at.short(),
        since + 1
    );
    Some(pair(unpark.index, since, why))
}

fn pair(wake: StepId, wait: StepId, why: String) -> Conflict {
    Conflict {
        kind: ConflictKind::LostWakeup,
        first: wake,
        second: wait,
        completes: None,
        ordered: true,
        why,
        claims: Vec::new(),
    }
}

/// A failure right after a wait that ended with no wake (a spurious wakeup), when the thread
/// did not wait again in between: the code went on as if it had been woken.
pub fn spurious_then_failed(trace: &Trace) -> Option<Conflict> {
    let f = trace.failure.as_ref()?;
    // A check that failed in a spawned thread stopped it with a panic step; else the end.
    let at = match trace.steps.iter().find(|s| s.op == Op::Panic) {
        Some(p) => p,
        None => trace.steps.get(f.step? as usize)?,
    };
    let t = at.thread;
    let mine = trace.steps[..=at.index as usize]
        .iter()
        .filter(|s| s.thread == t);
    let woke = mine
        .clone()
        .rev()
        .find(|s| s.op == Op::Wait && s.value.as_deref() == Some("spurious"))?;
    if mine
        .clone()
        .any(|s| s.index > woke.index && s.op == Op::Block)
    {
        return None;
    }
    let on = woke
        .object
        .map(|o| format!(" on {}", trace.object_name(o)))
        .unwrap_or_default();
    let name = trace.thread_name(t);
    let why = format!(
        "{name}'s wait{on} ended at step {} with no notify (a spurious wakeup, which std allows \
         and the checkers explore), and {name} went on to step {} without waiting again. Wait in \
         a `while` loop that checks its condition after every wakeup.",
        woke.index + 1,
        at.index + 1
    );
    Some(Conflict {
        kind: ConflictKind::Order,
        first: woke.index,
        second: at.index,
        completes: None,
        ordered: true,
        why,
        claims: Vec::new(),
    })
}
