//! The unlock step an async lock guard records when it is dropped, shared by the mutex's guard
//! and the reader-writer lock's write guard.

use crate::record::{self, Event};
use racebook_trace::{Access, ObjectId, Op};
use std::fmt::Debug;
use std::panic::Location;

/// Record the unlock of `obj` (with the value left behind, a write if the guard wrote) and
/// that the lock is free in the deadlock graph.
pub(super) fn record_unlock(
    at: &'static Location<'static>,
    obj: Option<ObjectId>,
    wrote: bool,
    value: &dyn Debug,
) {
    record::step(at, || {
        let e = Event::new(Op::Unlock).on(obj).value(format!("{value:?}"));
        if wrote { e.access(Access::Write) } else { e }
    });
    record::released(obj);
}
