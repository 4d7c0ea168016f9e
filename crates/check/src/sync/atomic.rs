//! Named atomics with explicit memory orderings. Under loom the orderings are modelled (a
//! `Relaxed` load may see an old value); shuttle and real x86 hardware give every ordering
//! sequentially consistent behaviour, which is why only loom finds ordering bugs.

use crate::engine::{self, assert_same};
use crate::record::{self, Event};
use racebook_trace::{Access, EngineKind, MemOrder, ObjectId, ObjectKind, Op};
use std::panic::Location;
pub use std::sync::atomic::Ordering;

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
}

/// Production's path: a real atomic with no checker running goes straight to std (see
/// `engine::outside_checkers`), skipping the engine check and the recording.
macro_rules! straight_to_std {
    ($self:ident, $a:ident => $call:expr) => {
        if let Inner::Real($a) = &$self.inner
            && engine::outside_checkers()
        {
            return $call;
        }
    };
}

/// The checked path, kept out of line so that the straight one inlines into the caller.
#[inline(never)]
fn checked<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// Dispatch one method call to whichever engine the atomic was built for.
macro_rules! on_engine {
    ($self:ident, $a:ident => $call:expr) => {{
        assert_same($self.inner.engine(), || format!("atomic `{}`", $self.name));
        match &$self.inner {
            Inner::Real($a) => $call,
            Inner::Shuttle($a) => $call,
            Inner::Loom($a) => $call,
        }
    }};
}

macro_rules! atomic_common {
    ($name:ident, $prim:ty, $std:ty, $shuttle:ty, $loom:ty) => {
        /// An atomic with a name the reports use, mirroring the standard library's type.
        pub struct $name {
            name: Box<str>,
            obj: Option<ObjectId>,
            inner: Inner<$std, $shuttle, $loom>,
        }

        impl $name {
            /// Like std's `new`; reports name it after the binding that holds it, or after
            /// where it was built. `named` names it explicitly.
            #[track_caller]
            pub fn new(value: $prim) -> $name {
                let at = Location::caller();
                Self::build(crate::naming::derived("atomic", at), value, at)
            }

            /// An atomic named `name` (as reports show it) holding `value`.
            #[track_caller]
            pub fn named(name: &str, value: $prim) -> $name {
                Self::build(name.to_string(), value, Location::caller())
            }

            fn build(name: String, value: $prim, at: &'static Location<'static>) -> $name {
                let obj = record::object(&name, ObjectKind::Atomic, || format!("{value:?}"), at);
                let inner = match engine::current() {
                    EngineKind::Real => Inner::Real(<$std>::new(value)),
                    EngineKind::Shuttle => Inner::Shuttle(<$shuttle>::new(value)),
                    EngineKind::Loom => Inner::Loom(<$loom>::new(value)),
                };
                $name { name: name.into(), obj, inner }
            }

            /// Load the value with `order`.
            #[inline]
            #[track_caller]
            pub fn load(&self, order: Ordering) -> $prim {
                straight_to_std!(self, a => a.load(order));
                let at = Location::caller();
                checked(|| {
                    let v = on_engine!(self, a => a.load(order));
                    record::step(at, || {
                        Event::new(Op::Load).on(self.obj).value(format!("{v:?}")).access(Access::Read).ordering(mem_order(order))
                    });
                    v
                })
            }

            /// Store `value` with `order`.
            #[inline]
            #[track_caller]
            pub fn store(&self, value: $prim, order: Ordering) {
                straight_to_std!(self, a => a.store(value, order));
                let at = Location::caller();
                checked(|| {
                    on_engine!(self, a => a.store(value, order));
                    record::step(at, || {
                        Event::new(Op::Store).on(self.obj).value(format!("{value:?}")).access(Access::Write).ordering(mem_order(order))
                    });
                })
            }

            /// Store `value` and return the previous value, as one atomic step.
            #[inline]
            #[track_caller]
            pub fn swap(&self, value: $prim, order: Ordering) -> $prim {
                straight_to_std!(self, a => a.swap(value, order));
                let at = Location::caller();
                checked(|| {
                    let old = on_engine!(self, a => a.swap(value, order));
                    self.record_rmw(at, old, value, order);
                    old
                })
            }

            /// Store `new` if the value is `current`; returns the value seen either way.
            #[inline]
            #[track_caller]
            pub fn compare_exchange(&self, current: $prim, new: $prim, success: Ordering, failure: Ordering) -> Result<$prim, $prim> {
                straight_to_std!(self, a => a.compare_exchange(current, new, success, failure));
                let at = Location::caller();
                checked(|| {
                    let r = on_engine!(self, a => a.compare_exchange(current, new, success, failure));
                    match r {
                        Ok(old) => self.record_rmw(at, old, new, success),
                        Err(seen) => {
                            record::step(at, || {
                                Event::new(Op::CasFailed).on(self.obj).value(format!("{seen:?}")).access(Access::Read).ordering(mem_order(failure))
                            });
                        }
                    }
                    r
                })
            }

            fn record_rmw(&self, at: &'static Location<'static>, old: $prim, new: $prim, order: Ordering) {
                record::step(at, || {
                    Event::new(Op::Rmw)
                        .on(self.obj)
                        .previous(format!("{old:?}"))
                        .value(format!("{new:?}"))
                        .access(Access::ReadWrite)
                        .ordering(mem_order(order))
                });
            }
        }
    };
}

macro_rules! atomic_int {
    ($name:ident, $prim:ty, $std:ty, $shuttle:ty, $loom:ty) => {
        atomic_common!($name, $prim, $std, $shuttle, $loom);

        impl $name {
            /// Add, wrapping on overflow; returns the previous value.
            #[inline]
            #[track_caller]
            pub fn fetch_add(&self, value: $prim, order: Ordering) -> $prim {
                straight_to_std!(self, a => a.fetch_add(value, order));
                let at = Location::caller();
                checked(|| {
                    let old = on_engine!(self, a => a.fetch_add(value, order));
                    self.record_rmw(at, old, old.wrapping_add(value), order);
                    old
                })
            }

            /// Subtract, wrapping on overflow; returns the previous value.
            #[inline]
            #[track_caller]
            pub fn fetch_sub(&self, value: $prim, order: Ordering) -> $prim {
                straight_to_std!(self, a => a.fetch_sub(value, order));
                let at = Location::caller();
                checked(|| {
                    let old = on_engine!(self, a => a.fetch_sub(value, order));
                    self.record_rmw(at, old, old.wrapping_sub(value), order);
                    old
                })
            }

            /// Keep the larger of the two; returns the previous value.
            #[inline]
            #[track_caller]
            pub fn fetch_max(&self, value: $prim, order: Ordering) -> $prim {
                straight_to_std!(self, a => a.fetch_max(value, order));
                let at = Location::caller();
                checked(|| {
                    let old = on_engine!(self, a => a.fetch_max(value, order));
                    self.record_rmw(at, old, old.max(value), order);
                    old
                })
            }
        }
    };
}

atomic_int!(
    AtomicUsize,
    usize,
    std::sync::atomic::AtomicUsize,
    shuttle::sync::atomic::AtomicUsize,
    loom::sync::atomic::AtomicUsize
);
atomic_int!(
    AtomicU64,
    u64,
    std::sync::atomic::AtomicU64,
    shuttle::sync::atomic::AtomicU64,
    loom::sync::atomic::AtomicU64
);
atomic_int!(
    AtomicU32,
    u32,
    std::sync::atomic::AtomicU32,
    shuttle::sync::atomic::AtomicU32,
    loom::sync::atomic::AtomicU32
);
atomic_int!(
    AtomicI64,
    i64,
    std::sync::atomic::AtomicI64,
    shuttle::sync::atomic::AtomicI64,
    loom::sync::atomic::AtomicI64
);
atomic_common!(
    AtomicBool,
    bool,
    std::sync::atomic::AtomicBool,
    shuttle::sync::atomic::AtomicBool,
    loom::sync::atomic::AtomicBool
);
