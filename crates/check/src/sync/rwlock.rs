//! A named reader-writer lock on real threads, shuttle or loom.

use crate::deadlock::{self, Mode};
use crate::engine::{self, assert_same};
use crate::record::{self, Event};
use racebook_trace::{Access, EngineKind, ObjectId, ObjectKind, Op};
use std::fmt::Debug;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::sync::PoisonError;

enum Inner<T> {
    Real(std::sync::RwLock<T>),
    Shuttle(shuttle::sync::RwLock<T>),
    Loom(loom::sync::RwLock<T>),
}

/// A reader-writer lock with a name the reports use: many readers or one writer.
pub struct RwLock<T> {
    name: Box<str>,
    obj: Option<ObjectId>,
    inner: Inner<T>,
}

enum ReadInner<'a, T> {
    Real(std::sync::RwLockReadGuard<'a, T>),
    Shuttle(shuttle::sync::RwLockReadGuard<'a, T>),
    Loom(loom::sync::RwLockReadGuard<'a, T>),
}

enum WriteInner<'a, T> {
    Real(std::sync::RwLockWriteGuard<'a, T>),
    Shuttle(shuttle::sync::RwLockWriteGuard<'a, T>),
    Loom(loom::sync::RwLockWriteGuard<'a, T>),
}

/// Shared access to a locked `RwLock`'s value; unlocks when dropped.
pub struct RwLockReadGuard<'a, T: Debug> {
    inner: ManuallyDrop<ReadInner<'a, T>>,
    obj: Option<ObjectId>,
    key: usize,
    at: &'static Location<'static>,
}

/// Exclusive access to a locked `RwLock`'s value; unlocks when dropped.
pub struct RwLockWriteGuard<'a, T: Debug> {
    inner: ManuallyDrop<WriteInner<'a, T>>,
    obj: Option<ObjectId>,
    key: usize,
    wrote: bool,
    at: &'static Location<'static>,
}

impl<T: Debug> RwLock<T> {
    /// Like std's `new`; reports name it after the binding that holds it (`let counts = …`),
    /// or after where it was built. [`Self::named`] names it explicitly.
    #[track_caller]
    pub fn new(value: T) -> RwLock<T> {
        let at = Location::caller();
        Self::build(crate::naming::derived("rwlock", at), value, at)
    }

    /// A reader-writer lock named `name` (as reports show it) guarding `value`.
    #[track_caller]
    pub fn named(name: &str, value: T) -> RwLock<T> {
        Self::build(name.to_string(), value, Location::caller())
    }

    fn build(name: String, value: T, at: &'static Location<'static>) -> RwLock<T> {
        let obj = record::object(&name, ObjectKind::RwLock, || format!("{value:?}"), at);
        let inner = match engine::current() {
            EngineKind::Real => Inner::Real(std::sync::RwLock::new(value)),
            EngineKind::Shuttle => Inner::Shuttle(shuttle::sync::RwLock::new(value)),
            EngineKind::Loom => Inner::Loom(loom::sync::RwLock::new(value)),
        };
        RwLock {
            name: name.into(),
            obj,
            inner,
        }
    }

    fn check_engine(&self) {
        let built = match self.inner {
            Inner::Real(_) => EngineKind::Real,
            Inner::Shuttle(_) => EngineKind::Shuttle,
            Inner::Loom(_) => EngineKind::Loom,
        };
        assert_same(built, || format!("rwlock `{}`", self.name));
    }

    /// This lock in the deadlock finder's graph: its address, stable while it is shared.
    fn key(&self) -> usize {
        self as *const Self as usize
    }

    /// Shared access; several readers may hold it at once.
    #[track_caller]
    pub fn read(&self) -> RwLockReadGuard<'_, T> {
        let at = Location::caller();
        self.check_engine();
        record::waiting_for(self.obj, at);
        deadlock::before_lock(self.key(), Mode::Shared, &self.name, self.obj, at);
        let inner = match &self.inner {
            Inner::Real(l) => ReadInner::Real(l.read().unwrap_or_else(PoisonError::into_inner)),
            Inner::Shuttle(l) => {
                ReadInner::Shuttle(l.read().unwrap_or_else(PoisonError::into_inner))
            }
            Inner::Loom(l) => ReadInner::Loom(l.read().unwrap_or_else(PoisonError::into_inner)),
        };
        self.read_acquired(inner, at, false)
    }

    /// Shared access if no writer holds the lock, without waiting.
    #[track_caller]
    pub fn try_read(&self) -> Option<RwLockReadGuard<'_, T>> {
        let at = Location::caller();
        self.check_engine();
        let inner = match &self.inner {
            Inner::Real(l) => tried(l.try_read()).map(ReadInner::Real),
            Inner::Shuttle(l) => tried(l.try_read()).map(ReadInner::Shuttle),
            Inner::Loom(l) => tried(l.try_read()).map(ReadInner::Loom),
        };
        match inner {
            Some(inner) => Some(self.read_acquired(inner, at, true)),
            None => {
                record::step(at, || Event::new(Op::TryLockFailed).on(self.obj));
                None
            }
        }
    }

    /// Exclusive access if nobody holds the lock, without waiting.
    #[track_caller]
    pub fn try_write(&self) -> Option<RwLockWriteGuard<'_, T>> {
        let at = Location::caller();
        self.check_engine();
        let inner = match &self.inner {
            Inner::Real(l) => tried(l.try_write()).map(WriteInner::Real),
            Inner::Shuttle(l) => tried(l.try_write()).map(WriteInner::Shuttle),
            Inner::Loom(l) => tried(l.try_write()).map(WriteInner::Loom),
        };
        match inner {
            Some(inner) => Some(self.write_acquired(inner, at, true)),
            None => {
                record::step(at, || Event::new(Op::TryLockFailed).on(self.obj));
                None
            }
        }
    }

    fn read_acquired<'a>(
        &'a self,
        inner: ReadInner<'a, T>,
        at: &'static Location<'static>,
        tried: bool,
    ) -> RwLockReadGuard<'a, T> {
        record::acquired(self.obj);
        deadlock::acquired(self.key(), Mode::Shared, &self.name, at, tried);
        let guard = RwLockReadGuard {
            inner: ManuallyDrop::new(inner),
            obj: self.obj,
            key: self.key(),
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

    /// Exclusive access.
    #[track_caller]
    pub fn write(&self) -> RwLockWriteGuard<'_, T> {
        let at = Location::caller();
        self.check_engine();
        record::waiting_for(self.obj, at);
        deadlock::before_lock(self.key(), Mode::Exclusive, &self.name, self.obj, at);
        let inner = match &self.inner {
            Inner::Real(l) => WriteInner::Real(l.write().unwrap_or_else(PoisonError::into_inner)),
            Inner::Shuttle(l) => {
                WriteInner::Shuttle(l.write().unwrap_or_else(PoisonError::into_inner))
            }
            Inner::Loom(l) => WriteInner::Loom(l.write().unwrap_or_else(PoisonError::into_inner)),
        };
        self.write_acquired(inner, at, false)
    }

    fn write_acquired<'a>(
        &'a self,
        inner: WriteInner<'a, T>,
        at: &'static Location<'static>,
        tried: bool,
    ) -> RwLockWriteGuard<'a, T> {
        record::acquired(self.obj);
        deadlock::acquired(self.key(), Mode::Exclusive, &self.name, at, tried);
        let guard = RwLockWriteGuard {
            inner: ManuallyDrop::new(inner),
            obj: self.obj,
            key: self.key(),
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

/// A `try_` lock's outcome: the guard, also from a poisoned lock (no poisoning in the facade),
/// or `None` when it would have to wait.
fn tried<G>(r: std::sync::TryLockResult<G>) -> Option<G> {
    match r {
        Ok(g) => Some(g),
        Err(std::sync::TryLockError::Poisoned(p)) => Some(p.into_inner()),
        Err(std::sync::TryLockError::WouldBlock) => None,
    }
}

impl<T: Debug> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match &*self.inner {
            ReadInner::Real(g) => g,
            ReadInner::Shuttle(g) => g,
            ReadInner::Loom(g) => g,
        }
    }
}

impl<T: Debug> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        record::step(self.at, || Event::new(Op::ReadUnlock).on(self.obj));
        record::released(self.obj);
        deadlock::released(self.key);
        let loom_teardown = std::thread::panicking() && matches!(*self.inner, ReadInner::Loom(_));
        if !loom_teardown {
            // SAFETY: dropped once, here; a loom guard is leaked during a torn-down model (see
            // the facade `MutexGuard`'s drop).
            unsafe { ManuallyDrop::drop(&mut self.inner) }
        }
    }
}

impl<T: Debug> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match &*self.inner {
            WriteInner::Real(g) => g,
            WriteInner::Shuttle(g) => g,
            WriteInner::Loom(g) => g,
        }
    }
}

impl<T: Debug> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.wrote = true;
        match &mut *self.inner {
            WriteInner::Real(g) => g,
            WriteInner::Shuttle(g) => g,
            WriteInner::Loom(g) => g,
        }
    }
}

impl<T: Debug> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        let wrote = self.wrote;
        record::step(self.at, || {
            let e = Event::new(Op::Unlock)
                .on(self.obj)
                .value(format!("{:?}", &**self));
            if wrote { e.access(Access::Write) } else { e }
        });
        record::released(self.obj);
        deadlock::released(self.key);
        let loom_teardown = std::thread::panicking() && matches!(*self.inner, WriteInner::Loom(_));
        if !loom_teardown {
            // SAFETY: dropped once, here; see the read guard.
            unsafe { ManuallyDrop::drop(&mut self.inner) }
        }
    }
}
