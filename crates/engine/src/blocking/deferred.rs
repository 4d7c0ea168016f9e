//! Waking a thread in the engine, done after the facade's world is no longer borrowed: under
//! loom an unpark or a notify is a scheduling point, and a thread that ran inside it and needed
//! the world would find it borrowed.

use super::parker::Parker;
use super::world::{Tid, World};
use std::cell::RefCell;

/// A wake decided inside the world, for the engine to do afterwards.
enum Deferred {
    Waker(std::task::Waker),
    Thread(Parker, bool),
}

thread_local! {
    static DEFERRED: RefCell<Vec<Deferred>> = const { RefCell::new(Vec::new()) };
}

/// Wake wait `id` of `t` (`None`: its current one) through the engine, once the world's
/// borrow ends: a task through its future's waker, a thread through its parker.
pub(crate) fn engine_wake(w: &mut World, t: Tid, id: Option<u64>) {
    let wake = if let Some(waker) = w.wait(t, id).and_then(|wait| wait.waker.clone()) {
        Deferred::Waker(waker)
    } else if let Some(spurious) = w.threads[t].in_engine.take() {
        Deferred::Thread(w.threads[t].parker.clone(), spurious)
    } else {
        return;
    };
    DEFERRED.with(|d| d.borrow_mut().push(wake));
}

/// Do the wakes decided so far.
pub(super) fn run() {
    let wakes = DEFERRED.with(|d| std::mem::take(&mut *d.borrow_mut()));
    for wake in wakes {
        match wake {
            Deferred::Waker(waker) => waker.wake(),
            Deferred::Thread(parker, spurious) => parker.wake(spurious),
        }
    }
}
