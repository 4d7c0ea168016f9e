//! An async reader-writer lock, like tokio's: tokio's own on the real runtime; under shuttle,
//! the facade's fair semaphore, where a read takes one permit and a write all of them. As in
//! tokio it is fair: a reader that comes after a waiting writer waits behind it.

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

/// Readers at once under the checkers; a write takes them all.
const READERS: usize = 1 << 20;

struct ShuttleRwLock<T> {
    permits: Arc<Permits>,
    value: UnsafeCell<T>,
}

// SAFETY: the value is reached only through guards: many readers share one permit each, and a
// writer holds every permit, so a writer is alone, as in tokio's lock.
unsafe impl<T: Send + Sync> Sync for ShuttleRwLock<T> {}

enum Inner<T> {
    Real(tokio::sync::RwLock<T>),
    Shuttle(ShuttleRwLock<T>),
}

/// An async reader-writer lock with a name the reports use.
pub struct RwLock<T> {
    name: Box<str>,
    obj: Option<ObjectId>,
    inner: Inner<T>,
}

enum ReadInner<'a, T> {
    Real(tokio::sync::RwLockReadGuard<'a, T>),
    Shuttle(&'a ShuttleRwLock<T>, u64),
}

enum WriteInner<'a, T> {
    Real(tokio::sync::RwLockWriteGuard<'a, T>),
    Shuttle(&'a ShuttleRwLock<T>, u64),
}

/// Shared access to the value; the read lock is released when dropped.
pub struct RwLockReadGuard<'a, T: Debug> {
    inner: ReadInner<'a, T>,
    obj: Option<ObjectId>,
    at: &'static Location<'static>,
}

/// Exclusive access to the value; the write lock is released when dropped.
pub struct RwLockWriteGuard<'a, T: Debug> {
    inner: WriteInner<'a, T>,
    obj: Option<ObjectId>,
    wrote: bool,
    at: &'static Location<'static>,
}

impl<T: Debug> RwLock<T> {
    /// Like tokio's `new`; reports name it after the binding that holds it.
    #[track_caller]
    pub fn new(value: T) -> RwLock<T> {
        let at = Location::caller();
        Self::build(crate::naming::derived("rwlock", at), value, at)
    }

    /// A lock named `name` (as reports show it) guarding `value`.
    #[track_caller]
    pub fn named(name: &str, value: T) -> RwLock<T> {
        Self::build(name.to_string(), value, Location::caller())
    }

    fn build(name: String, value: T, at: &'static Location<'static>) -> RwLock<T> {
        let obj = record::object(&name, ObjectKind::RwLock, || format!("{value:?}"), at);
        let inner = match engine::current() {
            EngineKind::Real => Inner::Real(tokio::sync::RwLock::new(value)),
            EngineKind::Shuttle => Inner::Shuttle(ShuttleRwLock {
                permits: Permits::new(&name, obj, Kind::Lock, READERS),
                value: UnsafeCell::new(value),
            }),
            EngineKind::Loom => super::unsupported(),
        };
        RwLock {
            name: name.into(),
            obj,
            inner,
        }
    }

    fn check(&self) {
        let built = match self.inner {
            Inner::Real(_) => EngineKind::Real,
            Inner::Shuttle(_) => EngineKind::Shuttle,
        };
        assert_same(built, || format!("async rwlock `{}`", self.name));
    }

    /// Wait for shared access.
    #[track_caller]
    pub fn read(&self) -> impl Future<Output = RwLockReadGuard<'_, T>> {
        let at = Location::caller();
        async move {
            self.check();
            let (inner, handed) = match &self.inner {
                Inner::Real(l) => (ReadInner::Real(l.read().await), false),
                Inner::Shuttle(l) => {
                    let got = l.permits.acquire_at(1, at).await.expect("never closed");
                    (ReadInner::Shuttle(l, got.id), got.handed)
                }
            };
            if !handed {
                record::acquired(self.obj);
            }
            let guard = RwLockReadGuard {
                inner,
                obj: self.obj,
                at,
            };
            record::step(at, || {
                Event::new(Op::ReadLock)
                    .on(self.obj)
                    .value(format!("{:?}", &*guard))
                    .access(Access::Read)
            });
            guard
        }
    }

    /// Wait for exclusive access.
    #[track_caller]
    pub fn write(&self) -> impl Future<Output = RwLockWriteGuard<'_, T>> {
        let at = Location::caller();
        async move {
            self.check();
            let (inner, handed) = match &self.inner {
                Inner::Real(l) => (WriteInner::Real(l.write().await), false),
                Inner::Shuttle(l) => {
                    let got = l
                        .permits
                        .acquire_at(READERS, at)
                        .await
                        .expect("never closed");
                    (WriteInner::Shuttle(l, got.id), got.handed)
                }
            };
            if !handed {
                record::acquired(self.obj);
            }
            let guard = RwLockWriteGuard {
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
}

impl<T: Debug> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.inner {
            ReadInner::Real(g) => g,
            // SAFETY: a read permit is held, so no writer exists.
            ReadInner::Shuttle(l, _) => unsafe { &*l.value.get() },
        }
    }
}

impl<T: Debug> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        record::step(self.at, || Event::new(Op::ReadUnlock).on(self.obj));
        record::released(self.obj);
        if let ReadInner::Shuttle(l, id) = self.inner {
            l.permits.release(id);
        }
    }
}

impl<T: Debug> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.inner {
            WriteInner::Real(g) => g,
            // SAFETY: every permit is held: this guard is alone.
            WriteInner::Shuttle(l, _) => unsafe { &*l.value.get() },
        }
    }
}

impl<T: Debug> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.wrote = true;
        match &mut self.inner {
            WriteInner::Real(g) => g,
            // SAFETY: every permit is held, and `&mut self` makes the borrow unique.
            WriteInner::Shuttle(l, _) => unsafe { &mut *l.value.get() },
        }
    }
}

impl<T: Debug> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        super::unlock::record_unlock(self.at, self.obj, self.wrote, &**self);
        if let WriteInner::Shuttle(l, id) = self.inner {
            l.permits.release(id);
        }
    }
}
