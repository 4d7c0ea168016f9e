//! A named async mutex: tokio's on the real runtime; under shuttle, a fair one-permit
//! semaphore from shuttle's futures support guarding the value.

use crate::deadlock::Mode;
use crate::engine::{self, assert_same};
use crate::record::{self, Event};
use racebook_trace::{Access, EngineKind, ObjectId, ObjectKind, Op};
use shuttle::future::batch_semaphore::{BatchSemaphore, Fairness};
use std::cell::UnsafeCell;
use std::fmt::Debug;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::panic::Location;

/// The shuttle side: one permit, and the value it guards.
struct ShuttleMutex<T> {
    permit: BatchSemaphore,
    value: UnsafeCell<T>,
}

// SAFETY: the value is only reached through a guard, and a guard exists only while its owner
// holds the semaphore's single permit, as in tokio's mutex.
unsafe impl<T: Send> Sync for ShuttleMutex<T> {}

enum Inner<T> {
    Real(tokio::sync::Mutex<T>),
    Shuttle(ShuttleMutex<T>),
}

/// An async mutex with a name the reports use (tokio's on real runs); `lock().await` waits
/// without blocking the executor's thread.
pub struct Mutex<T> {
    name: Box<str>,
    obj: Option<ObjectId>,
    inner: Inner<T>,
}

enum GuardInner<'a, T> {
    Real(tokio::sync::MutexGuard<'a, T>),
    Shuttle(&'a ShuttleMutex<T>),
}

/// Access to the value of a locked async `Mutex`; unlocks when dropped.
pub struct MutexGuard<'a, T: Debug> {
    inner: GuardInner<'a, T>,
    /// The mutex in the deadlock finder's graph.
    key: usize,
    obj: Option<ObjectId>,
    wrote: bool,
    at: &'static Location<'static>,
}

impl<T: Debug> Mutex<T> {
    /// Like std's `new`; reports name it after the binding that holds it (`let counts = …`),
    /// or after where it was built. [`Self::named`] names it explicitly.
    #[track_caller]
    pub fn new(value: T) -> Mutex<T> {
        let at = Location::caller();
        Self::build(crate::naming::derived("mutex", at), value, at)
    }

    /// An async mutex named `name` (as reports show it) guarding `value`.
    #[track_caller]
    pub fn named(name: &str, value: T) -> Mutex<T> {
        Self::build(name.to_string(), value, Location::caller())
    }

    fn build(name: String, value: T, at: &'static Location<'static>) -> Mutex<T> {
        let obj = record::object(&name, ObjectKind::AsyncMutex, || format!("{value:?}"), at);
        let inner = match engine::current() {
            EngineKind::Real => Inner::Real(tokio::sync::Mutex::new(value)),
            EngineKind::Shuttle => Inner::Shuttle(ShuttleMutex {
                permit: BatchSemaphore::new(1, Fairness::StrictlyFair),
                value: UnsafeCell::new(value),
            }),
            EngineKind::Loom => {
                panic!("loom has no async executor: async scenarios run on tokio and shuttle only")
            }
        };
        Mutex {
            name: name.into(),
            obj,
            inner,
        }
    }

    /// Wait for the lock, then take it.
    #[track_caller]
    pub fn lock(&self) -> impl Future<Output = MutexGuard<'_, T>> {
        let at = Location::caller();
        async move {
            let built = match self.inner {
                Inner::Real(_) => EngineKind::Real,
                Inner::Shuttle(_) => EngineKind::Shuttle,
            };
            assert_same(built, || format!("async mutex `{}`", self.name));
            record::waiting_for(self.obj, at);
            let key = self as *const Self as usize;
            crate::deadlock::before_lock(key, Mode::Exclusive, &self.name, self.obj, at);
            let inner = match &self.inner {
                Inner::Real(m) => GuardInner::Real(m.lock().await),
                Inner::Shuttle(m) => {
                    m.permit
                        .acquire(1)
                        .await
                        .expect("the semaphore is never closed");
                    GuardInner::Shuttle(m)
                }
            };
            record::acquired(self.obj);
            crate::deadlock::acquired(key, Mode::Exclusive, &self.name, at, false);
            let guard = MutexGuard {
                inner,
                key,
                obj: self.obj,
                wrote: false,
                at,
            };
            record::step(at, || {
                Event::new(Op::Lock)
                    .on(self.obj)
                    .value(format!("{:?}", &*guard))
                    .access(Access::Read)
            });
            guard
        }
    }
}

impl<T: Debug> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.inner {
            GuardInner::Real(g) => g,
            // SAFETY: this guard holds the only permit.
            GuardInner::Shuttle(m) => unsafe { &*m.value.get() },
        }
    }
}

impl<T: Debug> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.wrote = true;
        match &mut self.inner {
            GuardInner::Real(g) => g,
            // SAFETY: this guard holds the only permit, and `&mut self` makes the borrow unique.
            GuardInner::Shuttle(m) => unsafe { &mut *m.value.get() },
        }
    }
}

impl<T: Debug> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        let wrote = self.wrote;
        record::step(self.at, || {
            let e = Event::new(Op::Unlock)
                .on(self.obj)
                .value(format!("{:?}", &**self));
            if wrote { e.access(Access::Write) } else { e }
        });
        record::released(self.obj);
        crate::deadlock::released(self.key);
        if let GuardInner::Shuttle(m) = self.inner {
            m.permit.release(1);
        }
    }
}
