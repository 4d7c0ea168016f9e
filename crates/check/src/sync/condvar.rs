//! A named condition variable over the facade's `Mutex`.

use crate::engine::{self, assert_same};
use crate::record::{self, Event};
use crate::sync::mutex::{GuardInner, MutexGuard};
use racebook_trace::{EngineKind, ObjectId, ObjectKind, Op};
use std::fmt::Debug;
use std::panic::Location;
use std::sync::PoisonError;

enum Inner {
    Real(std::sync::Condvar),
    Shuttle(shuttle::sync::Condvar),
    Loom(loom::sync::Condvar),
}

/// A condition variable with a name the reports use, over the facade's `Mutex`.
pub struct Condvar {
    name: Box<str>,
    obj: Option<ObjectId>,
    inner: Inner,
}

impl Default for Condvar {
    #[track_caller]
    fn default() -> Condvar {
        Condvar::new()
    }
}

impl Condvar {
    /// Like std's `new`; reports name it after the binding that holds it (`let counts = …`),
    /// or after where it was built. [`Self::named`] names it explicitly.
    #[track_caller]
    pub fn new() -> Condvar {
        let at = Location::caller();
        Self::build(crate::naming::derived("condvar", at), at)
    }

    /// A condition variable named `name` (as reports show it).
    #[track_caller]
    pub fn named(name: &str) -> Condvar {
        Self::build(name.to_string(), Location::caller())
    }

    fn build(name: String, at: &'static Location<'static>) -> Condvar {
        let obj = record::object(&name, ObjectKind::Condvar, String::new, at);
        let inner = match engine::current() {
            EngineKind::Real => Inner::Real(std::sync::Condvar::new()),
            EngineKind::Shuttle => Inner::Shuttle(shuttle::sync::Condvar::new()),
            EngineKind::Loom => Inner::Loom(loom::sync::Condvar::new()),
        };
        Condvar {
            name: name.into(),
            obj,
            inner,
        }
    }

    /// Release the guard's lock, sleep until notified, and take the lock again.
    #[track_caller]
    pub fn wait<'a, T: Debug>(&self, mut guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        let at = Location::caller();
        let mutex = guard.mutex;
        let inner = guard
            .release()
            .expect("a guard holds its lock until dropped");
        drop(guard);
        record::waiting_for(self.obj, at);
        let woken = match (&self.inner, inner) {
            (Inner::Real(c), GuardInner::Real(g)) => {
                GuardInner::Real(c.wait(g).unwrap_or_else(PoisonError::into_inner))
            }
            (Inner::Shuttle(c), GuardInner::Shuttle(g)) => {
                GuardInner::Shuttle(c.wait(g).unwrap_or_else(PoisonError::into_inner))
            }
            (Inner::Loom(c), GuardInner::Loom(g)) => {
                GuardInner::Loom(c.wait(g).unwrap_or_else(PoisonError::into_inner))
            }
            _ => {
                assert_same(EngineKind::Real, || format!("condvar `{}`", self.name));
                unreachable!("a condvar and its mutex always share an engine")
            }
        };
        record::done_waiting();
        record::step(at, || Event::new(Op::Wait).on(self.obj));
        mutex.acquired(woken, at)
    }

    /// Wait until `condition` is false for the guarded value.
    #[track_caller]
    pub fn wait_while<'a, T: Debug>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: impl FnMut(&mut T) -> bool,
    ) -> MutexGuard<'a, T> {
        while condition(&mut *guard) {
            guard = self.wait(guard);
        }
        guard
    }

    /// Wake one thread waiting on this condition variable, if any is waiting.
    #[track_caller]
    pub fn notify_one(&self) {
        self.notify(false, Location::caller());
    }

    /// Wake every thread waiting on this condition variable.
    #[track_caller]
    pub fn notify_all(&self) {
        self.notify(true, Location::caller());
    }

    fn notify(&self, all: bool, at: &'static Location<'static>) {
        record::step(at, || Event::new(Op::Notify).on(self.obj));
        match (&self.inner, all) {
            (Inner::Real(c), false) => c.notify_one(),
            (Inner::Real(c), true) => c.notify_all(),
            (Inner::Shuttle(c), false) => c.notify_one(),
            (Inner::Shuttle(c), true) => c.notify_all(),
            (Inner::Loom(c), false) => c.notify_one(),
            (Inner::Loom(c), true) => c.notify_all(),
        }
    }
}
