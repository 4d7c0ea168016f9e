//! `OnceLock` and `LazyLock`, as std's. On real threads they are std's own. Under shuttle and
//! loom they are built from the checker's own atomic flag and the facade's mutex, the way a
//! careful hand-written version would be (a Release store of the flag after the value is
//! written, an Acquire load before it is read, one initializer at a time under the lock), so
//! that the checkers explore every order in which threads race to initialize and read.
//!
//! A report shows the cell as one object whose value is `empty` or `set`, and its
//! initialization lock as `<name>.init`.

use crate::engine::{self, assert_same};
use crate::record::{self, Event};
use crate::sync::Mutex;
use racebook_trace::{Access, EngineKind, MemOrder, ObjectId, ObjectKind, Op};
use std::cell::{Cell, UnsafeCell};
use std::fmt;
use std::ops::Deref;
use std::panic::{Location, RefUnwindSafe, UnwindSafe};
use std::sync::atomic::Ordering;

enum Flag {
    Shuttle(shuttle::sync::atomic::AtomicBool),
    Loom(loom::sync::atomic::AtomicBool),
}

impl Flag {
    fn load(&self) -> bool {
        match self {
            Flag::Shuttle(f) => f.load(Ordering::Acquire),
            Flag::Loom(f) => f.load(Ordering::Acquire),
        }
    }

    fn store(&self) {
        match self {
            Flag::Shuttle(f) => f.store(true, Ordering::Release),
            Flag::Loom(f) => f.store(true, Ordering::Release),
        }
    }
}

/// The cell under a checker.
struct Model<T> {
    engine: EngineKind,
    ready: Flag,
    init: Mutex<()>,
    /// Written once, under `init`, before `ready` is stored; never changed after.
    value: UnsafeCell<Option<T>>,
}

enum Inner<T> {
    Real(std::sync::OnceLock<T>),
    /// Boxed: real runs, where the size matters, keep std's small cell.
    Model(Box<Model<T>>),
}

/// A cell written at most once, like `std::sync::OnceLock`: the first thread to initialize it
/// wins, the others wait for it and then see its value.
pub struct OnceLock<T> {
    name: Box<str>,
    obj: Option<ObjectId>,
    inner: Inner<T>,
}

// SAFETY: as std's `OnceLock`. The value is written once, by the thread holding `init`, before
// the Release store of `ready`; every read comes after an Acquire load that saw it.
unsafe impl<T: Send + Sync> Sync for OnceLock<T> {}
// SAFETY: the value moves with the cell.
unsafe impl<T: Send> Send for OnceLock<T> {}

// As std's: a panic while initializing leaves the cell empty, never half-written.
impl<T: RefUnwindSafe + UnwindSafe> RefUnwindSafe for OnceLock<T> {}
impl<T: UnwindSafe> UnwindSafe for OnceLock<T> {}

impl<T> OnceLock<T> {
    /// An empty cell, like std's `new`; reports name it after the binding that holds it, or
    /// after where it was built. [`Self::named`] names it explicitly.
    #[track_caller]
    pub fn new() -> OnceLock<T> {
        let at = Location::caller();
        OnceLock::build(crate::naming::derived("once", at), at)
    }

    /// An empty cell named `name` (as reports show it).
    #[track_caller]
    pub fn named(name: &str) -> OnceLock<T> {
        OnceLock::build(name.to_string(), Location::caller())
    }

    fn build(name: String, at: &'static Location<'static>) -> OnceLock<T> {
        let obj = record::object(&name, ObjectKind::Atomic, || "empty".into(), at);
        let model = |engine, ready| {
            Inner::Model(Box::new(Model {
                engine,
                ready,
                init: Mutex::build(format!("{name}.init"), (), at),
                value: UnsafeCell::new(None),
            }))
        };
        let inner = match engine::current() {
            EngineKind::Real => Inner::Real(std::sync::OnceLock::new()),
            EngineKind::Shuttle => model(
                EngineKind::Shuttle,
                Flag::Shuttle(shuttle::sync::atomic::AtomicBool::new(false)),
            ),
            EngineKind::Loom => model(
                EngineKind::Loom,
                Flag::Loom(loom::sync::atomic::AtomicBool::new(false)),
            ),
        };
        OnceLock {
            name: name.into(),
            obj,
            inner,
        }
    }

    fn check_engine(&self) {
        let built = match &self.inner {
            Inner::Real(_) => EngineKind::Real,
            Inner::Model(m) => m.engine,
        };
        assert_same(built, || format!("cell `{}`", self.name));
    }

    fn record(&self, at: &'static Location<'static>, op: Op, set: bool) {
        record::step(at, || {
            let (access, order) = match op {
                Op::Store => (Access::Write, MemOrder::Release),
                _ => (Access::Read, MemOrder::Acquire),
            };
            let value = if set { "set" } else { "empty" };
            Event::new(op)
                .on(self.obj)
                .value(value.into())
                .access(access)
                .ordering(order)
        });
    }

    /// The value, if the cell has been initialized; never waits.
    #[inline]
    #[track_caller]
    pub fn get(&self) -> Option<&T> {
        // Production's path (see `engine::outside_checkers`).
        if let Inner::Real(cell) = &self.inner
            && engine::outside_checkers()
        {
            return cell.get();
        }
        self.get_at(Location::caller())
    }

    fn get_at(&self, at: &'static Location<'static>) -> Option<&T> {
        self.check_engine();
        match &self.inner {
            Inner::Real(cell) => cell.get(),
            Inner::Model(m) => {
                let (ready, value) = (&m.ready, &m.value);
                let set = ready.load();
                self.record(at, Op::Load, set);
                // SAFETY: `ready` was stored after the value was written, and it never changes.
                set.then(|| unsafe { (*value.get()).as_ref() }).flatten()
            }
        }
    }

    /// The value, initializing it with `f` if the cell is empty. If several threads call this
    /// at once, one runs its `f` and the others wait, then see that value. If `f` panics, the
    /// panic goes on and the cell stays empty.
    #[track_caller]
    pub fn get_or_init(&self, f: impl FnOnce() -> T) -> &T {
        self.get_or_init_at(Location::caller(), f)
    }

    fn get_or_init_at(&self, at: &'static Location<'static>, f: impl FnOnce() -> T) -> &T {
        if let Some(v) = self.get_at(at) {
            return v;
        }
        match &self.inner {
            Inner::Real(cell) => cell.get_or_init(f),
            Inner::Model(m) => {
                let (ready, value) = (&m.ready, &m.value);
                let guard = m.init.lock_at(at);
                if let Some(v) = self.get_at(at) {
                    return v;
                }
                let v = f();
                // SAFETY: only the holder of `init` writes, and nobody reads before `ready`.
                unsafe { *value.get() = Some(v) };
                ready.store();
                self.record(at, Op::Store, true);
                drop(guard);
                // SAFETY: written just above; it never changes again.
                unsafe { (*value.get()).as_ref() }.expect("the value was just written")
            }
        }
    }

    /// Initialize the cell with `value`; `Err(value)` if it already had one.
    #[track_caller]
    pub fn set(&self, value: T) -> Result<(), T> {
        let mut value = Some(value);
        let at = Location::caller();
        self.get_or_init_at(at, || value.take().expect("taken once"));
        match value {
            None => Ok(()),
            Some(v) => Err(v),
        }
    }

    /// The value, once no thread can reach the cell any more.
    pub fn into_inner(self) -> Option<T> {
        match self.inner {
            Inner::Real(cell) => cell.into_inner(),
            Inner::Model(m) => m.value.into_inner(),
        }
    }
}

impl<T> Default for OnceLock<T> {
    #[track_caller]
    fn default() -> Self {
        OnceLock::new()
    }
}

impl<T> fmt::Debug for OnceLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnceLock")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// A value computed on first use, like `std::sync::LazyLock`: the first thread to dereference
/// it runs the function, the others wait for it. If the function panics, every later use
/// panics too, as std's does.
pub struct LazyLock<T, F = fn() -> T> {
    once: OnceLock<T>,
    init: Cell<Option<F>>,
}

// SAFETY: `init` is taken only inside the cell's initialization, which one thread at a time
// runs; the value is shared as `OnceLock`'s is.
unsafe impl<T: Send + Sync, F: Send> Sync for LazyLock<T, F> {}

// As std's: a panic while computing the value poisons the cell for good.
impl<T: RefUnwindSafe + UnwindSafe, F: UnwindSafe> RefUnwindSafe for LazyLock<T, F> {}

impl<T, F: FnOnce() -> T> LazyLock<T, F> {
    /// A value that `f` computes on first use, like std's `new`; reports name it after the
    /// binding that holds it, or after where it was built.
    #[track_caller]
    pub fn new(f: F) -> LazyLock<T, F> {
        let at = Location::caller();
        LazyLock {
            once: OnceLock::build(crate::naming::derived("once", at), at),
            init: Cell::new(Some(f)),
        }
    }

    /// A value named `name` (as reports show it) that `f` computes on first use.
    #[track_caller]
    pub fn named(name: &str, f: F) -> LazyLock<T, F> {
        LazyLock {
            once: OnceLock::build(name.to_string(), Location::caller()),
            init: Cell::new(Some(f)),
        }
    }

    /// The value, computing it first if this is its first use.
    #[track_caller]
    pub fn force(this: &LazyLock<T, F>) -> &T {
        this.once
            .get_or_init_at(Location::caller(), || match this.init.take() {
                Some(f) => f(),
                None => panic!("LazyLock instance has previously been poisoned"),
            })
    }
}

impl<T, F: FnOnce() -> T> Deref for LazyLock<T, F> {
    type Target = T;

    #[track_caller]
    fn deref(&self) -> &T {
        LazyLock::force(self)
    }
}

impl<T, F> fmt::Debug for LazyLock<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LazyLock")
            .field("name", &self.once.name)
            .finish_non_exhaustive()
    }
}
