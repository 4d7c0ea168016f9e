//! An async mutex, like tokio's: tokio's own on the real runtime; under shuttle, the facade's
//! fair semaphore with one permit guarding the value. As in tokio, an unlock hands the lock to
//! the first waiting future at once.

use super::permits::{Kind, Permits};
use crate::engine::{self, assert_same};
use crate::record::{self, Event};
use racebook_trace::{Access, EngineKind, ObjectId, ObjectKind, Op};
use std::cell::UnsafeCell;
use std::fmt::Debug;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::sync::Arc;

/// The shuttle side: one permit, and the value it guards.
struct ShuttleMutex<T> {
    permits: Arc<Permits>,
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
    Shuttle(&'a ShuttleMutex<T>, u64),
}

/// Access to the value of a locked async `Mutex`; unlocks when dropped.
pub struct MutexGuard<'a, T: Debug> {
    inner: GuardInner<'a, T>,
    obj: Option<ObjectId>,
    wrote: bool,
    at: &'static Location<'static>,
}

impl<T: Debug> Mutex<T> {
    /// Like tokio's `new`; reports name it after the binding that holds it (`let counts = …`),
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
                permits: Permits::new(&name, obj, Kind::Lock, 1),
                value: UnsafeCell::new(value),
            }),
            EngineKind::Loom => super::unsupported(),
        };
        Mutex {
            name: name.into(),
            obj,
            inner,
        }
    }

    /// Wait for the lock, then take it. Like tokio's, the lock is handed over in the order the
    /// futures asked for it, and handed to a waiting future when its holder unlocks.
    #[track_caller]
    pub fn lock(&self) -> impl Future<Output = MutexGuard<'_, T>> {
        let at = Location::caller();
        async move {
            let built = match self.inner {
                Inner::Real(_) => EngineKind::Real,
                Inner::Shuttle(_) => EngineKind::Shuttle,
            };
            assert_same(built, || format!("async mutex `{}`", self.name));
            let (inner, handed) = match &self.inner {
                Inner::Real(m) => (GuardInner::Real(m.lock().await), false),
                Inner::Shuttle(m) => {
                    let got = m
                        .permits
                        .acquire_at(1, at)
                        .await
                        .expect("a mutex's semaphore is never closed");
                    (GuardInner::Shuttle(m, got.id), got.handed)
                }
            };
            if !handed {
                record::acquired(self.obj);
            }
            let guard = MutexGuard {
                inner,
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

    /// The name reports use for this mutex.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl<T: Debug> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.inner {
            GuardInner::Real(g) => g,
            // SAFETY: this guard holds the only permit.
            GuardInner::Shuttle(m, _) => unsafe { &*m.value.get() },
        }
    }
}

impl<T: Debug> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.wrote = true;
        match &mut self.inner {
            GuardInner::Real(g) => g,
            // SAFETY: this guard holds the only permit, and `&mut self` makes the borrow unique.
            GuardInner::Shuttle(m, _) => unsafe { &mut *m.value.get() },
        }
    }
}

impl<T: Debug> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        super::unlock::record_unlock(self.at, self.obj, self.wrote, &**self);
        if let GuardInner::Shuttle(m, id) = self.inner {
            m.permits.release(id);
        }
    }
}
