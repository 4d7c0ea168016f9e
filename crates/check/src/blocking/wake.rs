//! The waking side of the facade's waits: a notify (one or all) of a waitable object, a
//! channel end going away, and the wake a stored permit keeps. Each wake is recorded on the
//! object, so a later stuck run can name the wake a waiter missed.

use super::world::{self, On, Tid, WakeEvent, WakeRef, Woken};
use super::{engine_wake, with};
use racebook_trace::StepId;

/// A wake by `me` recorded at `step`, as a stored permit keeps it.
pub(crate) fn wake_ref(me: Tid, step: Option<StepId>) -> WakeRef {
    with(|w| WakeRef {
        by: me,
        step,
        seq: w.seq,
    })
}

/// `notify_one` on object `key` by `me`: every current waiter may be the one it wakes. Returns
/// the waiters (none: the notify is lost).
pub(crate) fn notify_one(me: Tid, key: usize, on: On, step: Option<StepId>) -> Vec<Tid> {
    with(|w| {
        let seq = w.tick();
        let waiters = w.waiters(on);
        let by = WakeRef { by: me, step, seq };
        let events = w.wakes.entry(key).or_default();
        events.push(WakeEvent {
            seq,
            by,
            woke: Vec::new(),
        });
        let event = events.len() - 1;
        if !waiters.is_empty() {
            w.signals.push(world::Signal {
                object: key,
                by,
                event,
                taken: false,
            });
            let s = w.signals.len() - 1;
            for &(t, id) in &waiters {
                if let Some(wait) = w.wait_mut(t, Some(id)) {
                    wait.candidate.push(s);
                }
                engine_wake(w, t, Some(id));
            }
        }
        waiters.into_iter().map(|(t, _)| t).collect()
    })
}

/// `notify_all` on object `key` by `me`: wakes every current waiter. Returns them.
pub(crate) fn notify_all(me: Tid, key: usize, on: On, step: Option<StepId>) -> Vec<Tid> {
    with(|w| {
        let seq = w.tick();
        let waiters = w.waiters(on);
        let by = WakeRef { by: me, step, seq };
        w.wakes.entry(key).or_default().push(WakeEvent {
            seq,
            by,
            woke: waiters.iter().map(|&(t, _)| t).collect(),
        });
        for &(t, id) in &waiters {
            if let Some(wait) = w.wait_mut(t, Some(id)) {
                wait.woken = Some(Woken::By(by));
            }
            engine_wake(w, t, Some(id));
        }
        waiters.into_iter().map(|(t, _)| t).collect()
    })
}

/// The other side of a channel went away: every thread waiting on `on` wakes to see it.
pub(crate) fn close(_me: Tid, on: On) {
    with(|w| {
        for (t, id) in w.waiters(on) {
            if let Some(wait) = w.wait_mut(t, Some(id)) {
                wait.woken = Some(Woken::Closed);
            }
            engine_wake(w, t, Some(id));
        }
    });
}

/// The names of the threads waiting on `on` that nothing has woken yet.
pub(crate) fn waiter_names(on: On) -> Vec<String> {
    with(|w| {
        let mut names: Vec<String> = w
            .waiters(on)
            .iter()
            .map(|&(t, _)| w.name(t).to_string())
            .collect();
        names.dedup();
        names
    })
}
