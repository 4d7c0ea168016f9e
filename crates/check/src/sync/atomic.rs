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

/// The engine an atomic was built for. A real atomic's value lives in the struct's `real`
/// field, so that production's path reaches it without looking here first.
enum Inner<S, L> {
    Real,
    Shuttle(S),
    Loom(L),
}

impl<S, L> Inner<S, L> {
    fn engine(&self) -> EngineKind {
        match self {
            Inner::Real => EngineKind::Real,
            Inner::Shuttle(_) => EngineKind::Shuttle,
            Inner::Loom(_) => EngineKind::Loom,
        }
    }
}

/// Production's path: with no checker ever run in this process the atomic is a real one (see
/// `engine::never_checked`), so the call is std's, with nothing else to decide. Everything
/// else is `checked`, out of line.
macro_rules! straight_to_std {
    ($self:ident, $a:ident => $call:expr) => {
        if engine::never_checked() {
            let $a = &$self.real;
            return $call;
        }
    };
}

/// The checked path, kept out of line and cold so that the straight one inlines into the
/// caller and keeps this path's arguments out of its registers.
#[cold]
#[inline(never)]
fn checked<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// Dispatch one method call to whichever engine the atomic was built for. A real atomic
/// while no checker runs anywhere (`engine::outside_checkers`) skips the engine check and the
/// recording: its `return` leaves the `checked` closure with std's result.
macro_rules! on_engine {
    ($self:ident, $a:ident => $call:expr) => {{
        if let Inner::Real = &$self.inner
            && engine::outside_checkers()
        {
            let $a = &$self.real;
            return $call;
        }
        assert_same($self.inner.engine(), || format!("atomic `{}`", $self.name));
        match &$self.inner {
            Inner::Real => {
                let $a = &$self.real;
                $call
            }
            Inner::Shuttle($a) => $call,
            Inner::Loom($a) => $call,
        }
    }};
}

macro_rules! atomic_common {
    ($name:ident, $prim:ty, $std:ty, $shuttle:ty, $loom:ty) => {
        /// An atomic with a name the reports use, mirroring the standard library's type.
        pub struct $name {
            /// The value of a real atomic (unused by a model one).
            real: $std,
            name: Box<str>,
            obj: Option<ObjectId>,
            inner: Inner<$shuttle, $loom>,
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
                    EngineKind::Real => Inner::Real,
                    EngineKind::Shuttle => Inner::Shuttle(<$shuttle>::new(value)),
                    EngineKind::Loom => Inner::Loom(<$loom>::new(value)),
                };
                $name { real: <$std>::new(value), name: name.into(), obj, inner }
            }

            /// Load the value with `order`.
            #[inline]
            #[track_caller]
            pub fn load(&self, order: Ordering) -> $prim {
                straight_to_std!(self, a => a.load(order));
                let at = Location::caller();
                checked(move || {
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
                checked(move || {
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
                checked(move || {
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
                checked(move || {
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
                checked(move || {
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
                checked(move || {
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
                checked(move || {
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
