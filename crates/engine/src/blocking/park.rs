//! `thread::park` and `Thread::unpark` under the model engines, with std's token: an unpark
//! while the thread is not parked makes the token available, and its next park uses it up and
//! returns at once. A park may also end spuriously (once per thread and run, as the model's
//! choice), so a park that is not in a loop over its own flag is caught. Every park that uses
//! an unpark up is remembered, so that a park left waiting can be told which park took the
//! unpark it needed.

use super::world::{Early, On, WakeEvent, WakeRef, Woken};
use super::{Tid, WaitSpec, begin_wait, finish_wait, set_since_step, with};
use crate::record::{self, Event};
use racebook_trace::{Op, ThreadId};
use std::panic::Location;
use std::time::Duration;

/// Park the current thread `me`; says how the park ended.
pub fn park(me: Tid, at: &'static Location<'static>, timeout: Option<Duration>) -> Woken {
    super::park_point(me);
    crate::por::parking(super::task_of(me));
    // A token left by an earlier unpark is used up at once, with no wait.
    if let Some(by) = with(|w| w.threads[me].token.take()) {
        let unparker = super::recorded(by.by);
        let step = record::step(at, || {
            Event::new(Op::Wait)
                .value("token".into())
                .thread(unparker)
                .woken_by(by.step)
        });
        used(me, by, step, at);
        return Woken::By(by);
    }
    let _ = begin_wait(
        me,
        WaitSpec {
            on: On::Park,
            at,
            object: None,
            since_step: None,
            early: if timeout.is_some() {
                Early::Timeout
            } else {
                Early::Spurious
            },
        },
    );
    let began = record::step(at, || Event::new(Op::Block));
    set_since_step(me, began);
    let woken = finish_wait(me);
    crate::por::parking(super::task_of(me));
    let (value, by) = match woken {
        Woken::By(by) => ("unparked", Some(by)),
        Woken::TimedOut => ("timed out", None),
        _ => ("spurious", None),
    };
    let unparker = by.and_then(|b| super::recorded(b.by));
    let step = record::step(at, || {
        Event::new(Op::Wait)
            .value(value.into())
            .thread(unparker)
            .woken_by(by.and_then(|b| b.step))
    });
    if let Some(by) = by {
        used(me, by, step, at);
    }
    woken
}

/// A park of `me` at `at` (returning at `step`) used the unpark `by` up.
fn used(
    me: Tid,
    by: WakeRef,
    step: Option<racebook_trace::StepId>,
    at: &'static Location<'static>,
) {
    with(|w| w.park_used.entry(me).or_default().push((by.seq, step, at)));
}

/// `target.unpark()` by the current thread `me`.
pub fn unpark(me: Tid, target: Tid, at: &'static Location<'static>) {
    super::park_point(target);
    crate::por::parking(super::task_of(target));
    let parked = with(
        |w| matches!(w.waiting(target), Some(wait) if wait.on == On::Park && wait.woken.is_none()),
    );
    let recorded: Option<ThreadId> = super::recorded(target);
    let value = if parked {
        "wakes it"
    } else {
        "it is not parked: the token waits for its next park"
    };
    let step = record::step(at, || {
        Event::new(Op::Unpark).thread(recorded).value(value.into())
    });
    let by = with(|w| {
        let seq = w.tick();
        let by = WakeRef { by: me, step, seq };
        w.unparks.entry(target).or_default().push(WakeEvent {
            seq,
            by,
            woke: if parked { vec![target] } else { Vec::new() },
        });
        if !parked {
            // A second unpark before the park keeps one token, as std's does.
            w.threads[target].token.get_or_insert(by);
        }
        by
    });
    if parked {
        super::wake(target, Woken::By(by));
    }
}
