//! The waits that stay the engines' (a lock, a join, a receive on loom's own channel), tracked
//! here so that a stuck run can say who waits on what, and the step that closes a lock cycle.

use super::world::{Early, On, State, Tid, Woken};
use super::{
    Stuck, WaitSpec, active, begin_wait, check_stuck, engine_wake, me, recorded, set_since_step,
    stuck, with,
};
use racebook_trace::{ObjectId, StepId};
use std::panic::Location;

/// A channel whose waits are the engine's: `queued` and `senders` change by these amounts.
pub(crate) fn channel_counts(key: usize, queued: isize, senders: isize) {
    if active() {
        with(|w| {
            let c = w.channels.entry(key).or_insert((0, 1));
            c.0 = c.0.saturating_add_signed(queued);
            c.1 = c.1.saturating_add_signed(senders);
        });
    }
}

/// The current thread is about to receive from a channel whose waits are the engine's: if
/// nothing is queued it waits (recorded from `step`), and the run is reported stuck if nothing
/// could ever send. Call `running` when the receive returns.
pub(crate) fn engine_recv(
    key: usize,
    object: Option<ObjectId>,
    at: &'static Location<'static>,
    began: impl FnOnce() -> Option<StepId>,
) {
    let Some(me) = me() else { return };
    let (queued, senders) = with(|w| w.channels.get(&key).copied().unwrap_or((0, 1)));
    if queued > 0 || senders == 0 {
        return;
    }
    begin_wait(
        me,
        WaitSpec {
            on: On::Recv(key),
            at,
            object,
            since_step: None,
            early: Early::Never,
        },
    );
    set_since_step(me, began());
    check_stuck();
}

/// The current thread is about to wait for thread `target` to end (the wait is the engine's).
pub(crate) fn join_wait(target: Tid, at: &'static Location<'static>) {
    let Some(me) = me() else { return };
    if matches!(with(|w| w.threads[target].state.clone()), State::Finished) {
        return;
    }
    begin_wait(
        me,
        WaitSpec {
            on: On::Join(target),
            at,
            object: None,
            since_step: None,
            early: Early::Never,
        },
    );
    check_stuck();
}

/// A lock or join wait (the engine's) ended: the thread runs again.
pub(crate) fn running() {
    if let Some(me) = me() {
        with(|w| w.threads[me].state = State::Running);
    }
}

/// The current thread's body returned: it is about to end. Wakes its joiners, and reports the
/// run stuck when the threads left can never go on.
pub(crate) fn finishing() {
    let Some(me) = me() else { return };
    with(|w| {
        w.threads[me].state = State::Finished;
        for t in 0..w.threads.len() {
            if w.waiting(t).is_some_and(|wait| wait.on == On::Join(me)) {
                if let Some(wait) = w.waiting_mut(t) {
                    wait.woken = Some(Woken::Joined);
                }
                engine_wake(w, t);
            }
        }
    });
    check_stuck();
}

/// The current thread asks for a lock: it waits for it (if it must) from now on, until
/// `running` (the wait itself is the engine's).
pub(crate) fn begin_lock_wait(
    me: Tid,
    lock: usize,
    mode: crate::deadlock::Mode,
    at: &'static Location<'static>,
) {
    begin_wait(
        me,
        WaitSpec {
            on: On::Lock(lock, mode),
            at,
            object: None,
            since_step: None,
            early: Early::Never,
        },
    );
}

/// Report a lock cycle the deadlock graph found at the request that closes it.
pub(crate) fn report_cycle(words: String) -> ! {
    let blocked = with(|w| stuck::entries(w, &w.blocked()));
    stuck::report(Stuck {
        kind: racebook_trace::FailureKind::Deadlock,
        words,
        blocked,
    })
}

/// The thread whose wait leaves the run stuck records that wait, if it has no step yet (a join
/// or a lock, which are the engine's waits): the trace ends on it.
pub(super) fn mark_last_wait() {
    let Some(me) = me() else { return };
    let Some(wait) = with(|w| w.waiting(me).cloned()) else {
        return;
    };
    if wait.since_step.is_some() {
        return;
    }
    let event = match wait.on {
        On::Join(target) => {
            crate::record::Event::new(racebook_trace::Op::Block).thread(recorded(target))
        }
        On::Lock(k, _) => {
            let obj = with(|w| w.objects.get(&k).and_then(|o| o.recorded));
            crate::record::Event::new(racebook_trace::Op::Block).on(obj)
        }
        _ => return,
    };
    let step = crate::record::step(wait.at, || event);
    set_since_step(me, step);
}
