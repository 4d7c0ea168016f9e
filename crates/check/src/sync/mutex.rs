//! A named mutex that runs on real threads, shuttle or loom, chosen when it is built.
//! Locking records the value it guards; unlocking records the value left behind and whether
//! the critical section wrote to it (took a mutable reference).

use crate::deadlock::Mode;
use crate::engine::{self, assert_same};
use crate::record::{self, Event};
use racebook_trace::{Access, EngineKind, ObjectId, ObjectKind, Op};
use std::fmt::Debug;
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::sync::PoisonError;

enum Inner<T> {
    Real(std::sync::Mutex<T>),
    Shuttle(shuttle::sync::Mutex<T>),
    Loom(loom::sync::Mutex<T>),
}

/// A mutual-exclusion lock with a name the reports use. A panic while holding it does not
/// poison it for the other threads: the harness reports the panic itself.
pub struct Mutex<T> {
    name: Box<str>,
    obj: Option<ObjectId>,
    inner: Inner<T>,
}

pub(crate) enum GuardInner<'a, T> {
    Real(std::sync::MutexGuard<'a, T>),
    Shuttle(shuttle::sync::MutexGuard<'a, T>),
    Loom(loom::sync::MutexGuard<'a, T>),
}

/// Access to the value of a locked `Mutex`; unlocks when dropped.
pub struct MutexGuard<'a, T: Debug> {
    pub(crate) inner: Option<GuardInner<'a, T>>,
    pub(crate) mutex: &'a Mutex<T>,
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

    /// A mutex named `name` (as reports show it) guarding `value`.
    #[track_caller]
    pub fn named(name: &str, value: T) -> Mutex<T> {
        Self::build(name.to_string(), value, Location::caller())
    }

    /// A mutex named `name`, built where the user's code called `at` (also for the facade's
    /// own objects).
    pub(crate) fn build(name: String, value: T, at: &'static Location<'static>) -> Mutex<T> {
        let obj = record::object(&name, ObjectKind::Mutex, || format!("{value:?}"), at);
        let inner = match engine::current() {
            EngineKind::Real => Inner::Real(std::sync::Mutex::new(value)),
            EngineKind::Shuttle => Inner::Shuttle(shuttle::sync::Mutex::new(value)),
            EngineKind::Loom => Inner::Loom(loom::sync::Mutex::new(value)),
        };
        Mutex {
            name: name.into(),
            obj,
            inner,
        }
    }

    /// The name reports use for this mutex.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn engine(&self) -> EngineKind {
        match self.inner {
            Inner::Real(_) => EngineKind::Real,
            Inner::Shuttle(_) => EngineKind::Shuttle,
            Inner::Loom(_) => EngineKind::Loom,
        }
    }

    /// This mutex in the deadlock detector's graph: its address, stable while it is shared.
    fn key(&self) -> usize {
        self as *const Self as usize
    }

    /// Block until the lock is free, then take it.
    #[inline]
    #[track_caller]
    pub fn lock(&self) -> MutexGuard<'_, T> {
        // Production's path: std's lock and nothing else (see `engine::outside_checkers`).
        if let Inner::Real(m) = &self.inner
            && engine::outside_checkers()
        {
            return MutexGuard {
                inner: Some(GuardInner::Real(
                    m.lock().unwrap_or_else(PoisonError::into_inner),
                )),
                mutex: self,
                wrote: false,
                at: Location::caller(),
            };
        }
        self.lock_at(Location::caller())
    }

    /// Take the lock for a call the user's code made at `at` (for the facade's own objects, and
    /// a condvar wait, which takes its mutex again where it was called).
    /// Out of line, so that `lock`'s straight path inlines into the caller.
    #[inline(never)]
    pub(crate) fn lock_at(&self, at: &'static Location<'static>) -> MutexGuard<'_, T> {
        assert_same(self.engine(), || format!("mutex `{}`", self.name));
        record::waiting_for(self.obj, at);
        crate::deadlock::before_lock(self.key(), Mode::Exclusive, &self.name, self.obj, at);
        let inner = match &self.inner {
            Inner::Real(m) => GuardInner::Real(m.lock().unwrap_or_else(PoisonError::into_inner)),
            Inner::Shuttle(m) => {
                GuardInner::Shuttle(m.lock().unwrap_or_else(PoisonError::into_inner))
            }
            Inner::Loom(m) => GuardInner::Loom(m.lock().unwrap_or_else(PoisonError::into_inner)),
        };
        self.acquired(inner, at)
    }

    /// Take the lock if it is free, without waiting; `None` if another thread holds it. (No
    /// poisoning, as `lock`: a panic is the harness's failure.)
    #[track_caller]
    pub fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
        use std::sync::TryLockError;
        let at = Location::caller();
        assert_same(self.engine(), || format!("mutex `{}`", self.name));
        let inner = match &self.inner {
            Inner::Real(m) => match m.try_lock() {
                Ok(g) => Some(GuardInner::Real(g)),
                Err(TryLockError::Poisoned(p)) => Some(GuardInner::Real(p.into_inner())),
                Err(TryLockError::WouldBlock) => None,
            },
            Inner::Shuttle(m) => match m.try_lock() {
                Ok(g) => Some(GuardInner::Shuttle(g)),
                Err(TryLockError::Poisoned(p)) => Some(GuardInner::Shuttle(p.into_inner())),
                Err(TryLockError::WouldBlock) => None,
            },
            Inner::Loom(m) => match m.try_lock() {
                Ok(g) => Some(GuardInner::Loom(g)),
                Err(TryLockError::Poisoned(p)) => Some(GuardInner::Loom(p.into_inner())),
                Err(TryLockError::WouldBlock) => None,
            },
        };
        match inner {
            Some(inner) => Some(self.acquired_as(inner, at, true)),
            None => {
                record::step(at, || Event::new(Op::TryLockFailed).on(self.obj));
                None
            }
        }
    }

    /// Record taking the lock and wrap the engine's guard.
    pub(crate) fn acquired<'a>(
        &'a self,
        inner: GuardInner<'a, T>,
        at: &'static Location<'static>,
    ) -> MutexGuard<'a, T> {
        self.acquired_as(inner, at, false)
    }

    fn acquired_as<'a>(
        &'a self,
        inner: GuardInner<'a, T>,
        at: &'static Location<'static>,
        tried: bool,
    ) -> MutexGuard<'a, T> {
        record::acquired(self.obj);
        crate::deadlock::acquired(self.key(), Mode::Exclusive, &self.name, at, tried);
        let guard = MutexGuard {
            inner: Some(inner),
            mutex: self,
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

    /// The value, once no thread can reach the mutex any more.
    pub fn into_inner(self) -> T {
        match self.inner {
            Inner::Real(m) => m.into_inner().unwrap_or_else(PoisonError::into_inner),
            Inner::Shuttle(m) => m.into_inner().unwrap_or_else(PoisonError::into_inner),
            Inner::Loom(m) => m.into_inner().unwrap_or_else(PoisonError::into_inner),
        }
    }
}

impl<'a, T: Debug> MutexGuard<'a, T> {
    /// Record the release and hand the engine's guard back, e.g. to a condvar.
    pub(crate) fn release(&mut self) -> Option<GuardInner<'a, T>> {
        let inner = self.inner.as_ref()?;
        // A real lock was taken on a real thread: nothing records it or graphs it.
        if let GuardInner::Real(_) = inner {
            self.wrote = false;
            return self.inner.take();
        }
        let value = || format!("{:?}", guarded(inner));
        let access = if self.wrote {
            Some(Access::Write)
        } else {
            None
        };
        record::step(self.at, || {
            let e = Event::new(Op::Unlock).on(self.mutex.obj).value(value());
            match access {
                Some(a) => e.access(a),
                None => e,
            }
        });
        record::released(self.mutex.obj);
        crate::deadlock::released(self.mutex.key());
        self.wrote = false;
        self.inner.take()
    }
}

fn guarded<'g, T>(inner: &'g GuardInner<'_, T>) -> &'g T {
    match inner {
        GuardInner::Real(g) => g,
        GuardInner::Shuttle(g) => g,
        GuardInner::Loom(g) => g,
    }
}

impl<T: Debug> Deref for MutexGuard<'_, T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        // The real lock first, so that production code takes one predictable branch.
        if let Some(GuardInner::Real(g)) = &self.inner {
            return g;
        }
        guarded(
            self.inner
                .as_ref()
                .expect("a guard holds its lock until dropped"),
        )
    }
}

impl<T: Debug> DerefMut for MutexGuard<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        self.wrote = true;
        match &mut self.inner {
            Some(GuardInner::Real(g)) => g,
            Some(GuardInner::Shuttle(g)) => g,
            Some(GuardInner::Loom(g)) => g,
            None => panic!("a guard holds its lock until dropped"),
        }
    }
}

impl<T: Debug> Drop for MutexGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // A real lock: std's guard unlocks it, and nothing records it or graphs it.
        if let Some(GuardInner::Real(_)) = &self.inner {
            self.inner = None;
            return;
        }
        let released = self.release();
        // A loom model that deadlocked is torn down by unwinding every model thread; releasing
        // a loom lock then would call into a model that is gone and abort the whole test
        // binary (loom issue 291). The execution is over, so the lock is left as it is.
        if matches!(released, Some(GuardInner::Loom(_))) && std::thread::panicking() {
            std::mem::forget(released);
        }
    }
}

impl<T: Debug> Debug for Mutex<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mutex")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}
