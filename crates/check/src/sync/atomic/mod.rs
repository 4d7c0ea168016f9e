//! Named atomics with explicit memory orderings, and fences. Under loom the orderings are
//! modelled (a `Relaxed` load may see an old value); shuttle and real x86 hardware give every
//! ordering sequentially consistent behaviour, which is why only loom finds ordering bugs.
//!
//! The types mirror `std::sync::atomic` (`new`, `load`, `store`, `swap`, `compare_exchange`,
//! `compare_exchange_weak`, `fetch_update`, `fetch_add`, ...), plus [`Atomic`], an atomic of
//! a small `Copy` type of your own (an index into a node arena with a generation tag, say),
//! which reports show with its `Debug` form. Every operation is recorded with its value and
//! ordering. A weak compare-exchange may fail spuriously under the checkers, as a choice they
//! explore (see the report's bound).

mod ints;
mod methods;
mod packed;

pub use ints::{AtomicBool, AtomicI64, AtomicU32, AtomicU64, AtomicUsize};
pub use packed::{Atomic, Packed};
pub use std::sync::atomic::{Ordering, compiler_fence};

use crate::engine;
use crate::memory_model;
use crate::record::{self, Event};
use racebook_trace::{Access, EngineKind, MemOrder, ObjectId, Op};
use std::panic::Location;

/// An atomic fence, like `std::sync::atomic::fence`: with `Release`, the thread's later stores
/// carry what it did before the fence; with `Acquire`, what the thread's earlier loads read
/// carries over to what it does after. `SeqCst` fences also take part in one total order.
/// Panics on `Relaxed`, as std does.
#[track_caller]
pub fn fence(order: Ordering) {
    if order == Ordering::Relaxed {
        panic!("there is no such thing as a relaxed fence");
    }
    record::step(Location::caller(), || {
        Event::new(Op::Fence).ordering(mem_order(order))
    });
    memory_model::note_fence(order);
    match engine::current() {
        EngineKind::Real => std::sync::atomic::fence(order),
        // Shuttle runs every interleaving sequentially consistent: a fence changes nothing.
        EngineKind::Shuttle => {}
        EngineKind::Loom => loom::sync::atomic::fence(memory_model::fence_order(order)),
    }
}

fn mem_order(o: Ordering) -> MemOrder {
    match o {
        Ordering::Relaxed => MemOrder::Relaxed,
        Ordering::Acquire => MemOrder::Acquire,
        Ordering::Release => MemOrder::Release,
        Ordering::AcqRel => MemOrder::AcqRel,
        _ => MemOrder::SeqCst,
    }
}

enum Inner<R, S, L> {
    Real(R),
    Shuttle(S),
    Loom(L),
}

impl<R, S, L> Inner<R, S, L> {
    fn engine(&self) -> EngineKind {
        match self {
            Inner::Real(_) => EngineKind::Real,
            Inner::Shuttle(_) => EngineKind::Shuttle,
            Inner::Loom(_) => EngineKind::Loom,
        }
    }

    fn on_model(&self) -> bool {
        !matches!(self, Inner::Real(_))
    }
}

/// Dispatch one method call to whichever engine the atomic was built for.
macro_rules! on_engine {
    ($self:ident, $a:ident => $call:expr) => {{
        crate::engine::assert_same($self.inner.engine(), || format!("atomic `{}`", $self.name));
        match &$self.inner {
            Inner::Real($a) => $call,
            Inner::Shuttle($a) => $call,
            Inner::Loom($a) => $call,
        }
    }};
}
use on_engine;

/// Production's path: a real atomic with no checker running goes straight to std (see
/// `engine::outside_checkers`), skipping the engine check, the ordering model and the
/// recording.
macro_rules! straight_to_std {
    ($self:ident, $a:ident => $call:expr) => {
        if let Inner::Real($a) = &$self.inner
            && crate::engine::outside_checkers()
        {
            return $call;
        }
    };
}
use straight_to_std;

/// The recorded steps of every atomic type, values already in words.
struct Steps {
    obj: Option<ObjectId>,
}

impl Steps {
    fn load(&self, at: &'static Location<'static>, v: impl FnOnce() -> String, order: Ordering) {
        record::step(at, || {
            Event::new(Op::Load)
                .on(self.obj)
                .value(v())
                .access(Access::Read)
                .ordering(mem_order(order))
        });
    }

    fn store(&self, at: &'static Location<'static>, v: impl FnOnce() -> String, order: Ordering) {
        record::step(at, || {
            Event::new(Op::Store)
                .on(self.obj)
                .value(v())
                .access(Access::Write)
                .ordering(mem_order(order))
        });
    }

    fn rmw(
        &self,
        at: &'static Location<'static>,
        old: impl FnOnce() -> String,
        new: impl FnOnce() -> String,
        order: Ordering,
    ) {
        record::step(at, || {
            Event::new(Op::Rmw)
                .on(self.obj)
                .previous(old())
                .value(new())
                .access(Access::ReadWrite)
                .ordering(mem_order(order))
        });
    }

    /// A failed compare-exchange: `seen` is what it read, `expected` what it compared with
    /// (equal for a spurious failure).
    fn cas_failed(
        &self,
        at: &'static Location<'static>,
        expected: impl FnOnce() -> String,
        seen: impl FnOnce() -> String,
        order: Ordering,
    ) {
        record::step(at, || {
            Event::new(Op::CasFailed)
                .on(self.obj)
                .value(seen())
                .previous(expected())
                .access(Access::Read)
                .ordering(mem_order(order))
        });
    }
}
