//! The waits of async tasks: a task polls each of its futures' waits, may wait on several at
//! once, and is asked whether the run is stuck only when its whole poll is pending.

use super::world::{Tid, Woken};
use super::{WaitSpec, active, begin_wait, check_stuck, engine_wake, me, take_wake, with};

/// A task's wait on `spec.on` polled again in this poll, or begun if it has none (for waits
/// a future asks about on every poll: a join, a lock). Returns the wait's id.
pub(crate) fn begin_or_touch(me: Tid, spec: WaitSpec) -> u64 {
    let found = with(|w| {
        let e = &mut w.threads[me];
        let polled = e.polled;
        let wait = e.waits.iter_mut().find(|x| x.on == spec.on)?;
        wait.polled = polled;
        wait.branch = crate::task::branch::key();
        Some(wait.id)
    });
    found.unwrap_or_else(|| begin_wait(me, spec))
}

/// The id of `me`'s latest wait.
pub(crate) fn last_wait(me: Tid) -> Option<u64> {
    with(|w| w.threads[me].waits.last().map(|x| x.id))
}

/// End wait `id` of `t` with `how`, and wake its task.
pub(crate) fn wake_wait(t: Tid, id: u64, how: Woken) {
    with(|w| {
        if let Some(wait) = w.wait_mut(t, Some(id))
            && wait.woken.is_none()
        {
            wait.woken = Some(how);
        }
        engine_wake(w, t, Some(id));
    });
}

/// A scheduling point under shuttle: another thread may run before what follows.
pub(crate) fn switch() {
    if crate::engine::current() == racebook_trace::EngineKind::Shuttle {
        super::parker::switch_shuttle();
    }
}

/// The wait `id` of `me` is over without a wake (its future was dropped, or what it waited
/// for came without one).
pub(crate) fn end_wait(me: Tid, id: u64) {
    with(|w| w.threads[me].waits.retain(|x| x.id != id));
}

/// An async task polls its wait `id`: ready once a wake ended it (the wait is then over);
/// otherwise pending, to be woken through `waker`. Whether the run is stuck is asked when the
/// task's whole poll is pending (see `task_poll_end`), since another branch may be ready.
pub(crate) fn poll_wait(me: Tid, id: u64, waker: &std::task::Waker) -> std::task::Poll<Woken> {
    if let Some(woken) = with(|w| take_wake(w, me, Some(id))) {
        end_wait(me, id);
        return std::task::Poll::Ready(woken);
    }
    with(|w| {
        let polled = w.threads[me].polled;
        if let Some(wait) = w.wait_mut(me, Some(id)) {
            wait.waker = Some(waker.clone());
            wait.polled = polled;
            wait.branch = crate::task::branch::key();
        }
    });
    std::task::Poll::Pending
}

/// The current thread begins a poll of its task's future (a spawned task, or `block_on`'s).
pub(crate) fn task_poll_begin() -> Option<Tid> {
    let me = me()?;
    with(|w| {
        let e = &mut w.threads[me];
        e.task = true;
        e.polled += 1;
        e.polling = true;
    });
    Some(me)
}

/// The task's poll returned pending. Unless something woke it during the poll, it sleeps on
/// the waits this poll touched; if then no thread could run, the run is reported stuck.
pub(crate) fn task_poll_end(me: Tid, woken: bool) {
    with(|w| w.threads[me].polling = false);
    if !woken && !with(|w| w.stop) {
        check_stuck();
    }
}

/// `delta` more async timers are armed (see `task::time`): while one is, its clock can run.
pub(crate) fn timers_armed(delta: isize) {
    if active() {
        with(|w| w.armed = w.armed.saturating_add_signed(delta));
    }
}

/// Whether `t` is an async task (its waits are per future and per poll).
pub(crate) fn is_task(t: Tid) -> bool {
    with(|w| w.threads.get(t).is_some_and(|e| e.task))
}

/// `me`'s `select!` at `select` chose branch `index`: the waits of its other branches' futures
/// no longer count for whether `me` can run (a future it polled by reference lives on, but this
/// select polls it no more).
pub(crate) fn left_behind(me: Tid, select: usize, index: usize) {
    with(|w| {
        for wait in &mut w.threads[me].waits {
            if wait
                .branch
                .is_some_and(|(at, i)| at == select && i != index)
            {
                wait.polled = 0;
            }
        }
    });
}
