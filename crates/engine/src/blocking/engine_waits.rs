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
pub fn channel_counts(key: usize, queued: isize, senders: isize) {
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
pub fn engine_recv(
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
    let _ = begin_wait(
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
pub fn join_wait(target: Tid, at: &'static Location<'static>) {
    let Some(me) = me() else { return };
    crate::por::joined(super::task_of(target));
    if with(|w| w.threads[target].state) == State::Finished {
        return;
    }
    let spec = WaitSpec {
        on: On::Join(target),
        at,
        object: None,
        since_step: None,
        early: Early::Never,
    };
    if with(|w| w.threads[me].task) {
        // A task: its poll is pending, and `task_poll_end` asks whether the run is stuck.
        super::begin_or_touch(me, spec);
        return;
    }
    let _ = begin_wait(me, spec);
    check_stuck();
}

/// A wait on `on` that is the engine's (a lock, a join, a receive) ended: a thread runs
/// again; a task's wait on it is over.
pub fn running(on: On) {
    if let On::Join(target) = on {
        crate::por::joined(super::task_of(target));
    }
    if let Some(me) = me() {
        with(|w| {
            let e = &mut w.threads[me];
            if e.task {
                e.waits.retain(|x| x.on != on);
            } else {
                e.waits.clear();
            }
        });
    }
}

/// The current thread's body returned: it is about to end. Wakes its joiners, and reports the
/// run stuck when the threads left can never go on.
pub fn finishing() {
    let Some(me) = me() else { return };
    crate::por::finished();
    with(|w| {
        w.threads[me].state = State::Finished;
        w.threads[me].waits.clear();
        for (t, id) in w.waiters(On::Join(me)) {
            if let Some(wait) = w.wait_mut(t, Some(id)) {
                wait.woken = Some(Woken::Joined);
            }
            engine_wake(w, t, Some(id));
        }
    });
    check_stuck();
}

/// The current thread asks for a lock: it waits for it (if it must) from now on, until
/// `running` (the wait itself is the engine's).
pub fn begin_lock_wait(
    me: Tid,
    lock: usize,
    mode: crate::deadlock::Mode,
    at: &'static Location<'static>,
) {
    let _ = begin_wait(
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
pub fn report_cycle(words: String) -> ! {
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
