//! A checked cell for deliberately unsynchronized shared data, for code that opts out of Rust's
//! guarantees with `unsafe`. Under loom every access is checked against the others, and two
//! accesses with no happens-before between them (at least one a write) are reported as a data
//! race. On real threads and under shuttle it is a plain `std::cell::UnsafeCell`.

use crate::engine::{self, assert_same};
use crate::record::{self, Event};
use racebook_trace::{Access, EngineKind, ObjectId, ObjectKind, Op};
use std::fmt::Debug;
use std::panic::Location;

enum Inner<T> {
    Plain(EngineKind, std::cell::UnsafeCell<T>),
    /// Under loom the value sits in a plain cell and loom's own cell only tracks the accesses:
    /// a thread unwinding from a failure (a destructor freeing data, say) then still reaches
    /// the value, while loom, whose model is being torn down, is left alone. Touching loom's
    /// cell there would panic inside a destructor and abort the whole test binary.
    Loom(loom::cell::UnsafeCell<()>, std::cell::UnsafeCell<T>),
}

/// Whether an access must skip loom's tracking: the thread unwinds under loom.
fn untracked() -> bool {
    std::thread::panicking()
}

/// Like `std::cell::UnsafeCell`: not `Sync`. Sharing it needs an `unsafe impl Sync` on a
/// wrapper, which is the promise the harness then checks.
pub struct UnsafeCell<T> {
    name: Box<str>,
    obj: Option<ObjectId>,
    inner: Inner<T>,
}

impl<T: Debug> UnsafeCell<T> {
    /// Like std's `new`; reports name it after the binding that holds it (`let counts = …`),
    /// or after where it was built. [`Self::named`] names it explicitly.
    #[track_caller]
    pub fn new(value: T) -> UnsafeCell<T> {
        let at = Location::caller();
        Self::build(crate::naming::derived("cell", at), value, at)
    }

    /// A cell named `name` (as reports show it) guarding `value`.
    #[track_caller]
    pub fn named(name: &str, value: T) -> UnsafeCell<T> {
        Self::build(name.to_string(), value, Location::caller())
    }

    fn build(name: String, value: T, at: &'static Location<'static>) -> UnsafeCell<T> {
        let obj = record::object(&name, ObjectKind::Cell, || format!("{value:?}"), at);
        let inner = match engine::current() {
            EngineKind::Loom => Inner::Loom(
                loom::cell::UnsafeCell::new(()),
                std::cell::UnsafeCell::new(value),
            ),
            e => Inner::Plain(e, std::cell::UnsafeCell::new(value)),
        };
        UnsafeCell {
            name: name.into(),
            obj,
            inner,
        }
    }

    fn check_engine(&self) {
        crate::memory_model::note_cell();
        let built = match self.inner {
            Inner::Plain(e, _) => e,
            Inner::Loom(..) => EngineKind::Loom,
        };
        assert_same(built, || format!("cell `{}`", self.name));
    }

    /// Read the value.
    ///
    /// # Safety
    /// No other thread may write the cell at the same time.
    #[track_caller]
    pub unsafe fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.check_engine();
        // Recorded before the access: loom reports a race from inside it.
        let step = record::step(Location::caller(), || {
            Event::new(Op::Read).on(self.obj).access(Access::Read)
        });
        let read = |v: &T| {
            record::set_value(step, || format!("{v:?}"));
            f(v)
        };
        match &self.inner {
            // SAFETY: the caller promises no concurrent write.
            Inner::Plain(_, c) => read(unsafe { &*c.get() }),
            // SAFETY: as above; loom checks the promise.
            Inner::Loom(_, c) if untracked() => read(unsafe { &*c.get() }),
            // SAFETY: as above; loom checks the promise.
            Inner::Loom(track, c) => track.with(|_| read(unsafe { &*c.get() })),
        }
    }

    /// Change the value.
    ///
    /// # Safety
    /// No other thread may read or write the cell at the same time.
    #[track_caller]
    pub unsafe fn with_mut<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        self.check_engine();
        let step = record::step(Location::caller(), || {
            Event::new(Op::Write).on(self.obj).access(Access::ReadWrite)
        });
        let write = |v: &mut T| {
            let before = record::on().then(|| format!("{v:?}"));
            let out = f(v);
            record::set_value(step, || format!("{v:?}"));
            record::set_previous(step, before);
            out
        };
        match &self.inner {
            // SAFETY: the caller promises exclusive access.
            Inner::Plain(_, c) => write(unsafe { &mut *c.get() }),
            // SAFETY: as above; loom checks the promise.
            Inner::Loom(_, c) if untracked() => write(unsafe { &mut *c.get() }),
            // SAFETY: as above; loom checks the promise.
            Inner::Loom(track, c) => track.with_mut(|_| write(unsafe { &mut *c.get() })),
        }
    }
}
