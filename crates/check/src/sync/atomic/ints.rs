//! The integer and boolean atomics, one macro for all of them.

use super::methods::atomic_methods;
use super::{Inner, Steps, on_engine, straight_to_std};
use crate::engine;
use crate::memory_model::{self as mm, failure_order, load_order, rmw_order, store_order};
use crate::record;
use racebook_trace::{EngineKind, ObjectKind};
use std::convert::identity;
use std::panic::Location;
use std::sync::atomic::Ordering;

macro_rules! atomic_common {
    ($name:ident, $prim:ty, $std:ty, $shuttle:ty, $loom:ty) => {
        /// An atomic with a name the reports use, mirroring the standard library's type.
        pub struct $name {
            name: Box<str>,
            steps: Steps,
            inner: Inner<$std, $shuttle, $loom>,
        }

        impl $name {
            fn assemble(name: Box<str>, steps: Steps, inner: Inner<$std, $shuttle, $loom>) -> Self {
                $name { name, steps, inner }
            }
        }

        atomic_methods!([] $name, $prim, $std, $shuttle, $loom, identity, identity);
    };
}

/// A read-modify-write method: `$op` as std names it, `$new` the value it leaves.
macro_rules! rmw_method {
    ($doc:literal, $method:ident, $prim:ty, |$old:ident, $arg:ident| $new:expr) => {
        #[doc = $doc]
        #[inline]
        #[track_caller]
        pub fn $method(&self, $arg: $prim, order: Ordering) -> $prim {
            straight_to_std!(self, a => a.$method($arg, order));
            mm::note_access(order);
            let $old = on_engine!(self, a => a.$method($arg, rmw_order(order)));
            self.record_rmw(Location::caller(), $old, $new, order);
            $old
        }
    };
}

macro_rules! atomic_int {
    ($name:ident, $prim:ty, $std:ty, $shuttle:ty, $loom:ty) => {
        atomic_common!($name, $prim, $std, $shuttle, $loom);

        impl $name {
            rmw_method!(
                "Add, wrapping on overflow; returns the previous value.",
                fetch_add,
                $prim,
                |old, v| old.wrapping_add(v)
            );
            rmw_method!(
                "Subtract, wrapping on overflow; returns the previous value.",
                fetch_sub,
                $prim,
                |old, v| old.wrapping_sub(v)
            );
            rmw_method!(
                "Keep the larger of the two; returns the previous value.",
                fetch_max,
                $prim,
                |old, v| old.max(v)
            );
            rmw_method!(
                "Keep the smaller of the two; returns the previous value.",
                fetch_min,
                $prim,
                |old, v| old.min(v)
            );
            rmw_method!(
                "Bitwise and; returns the previous value.",
                fetch_and,
                $prim,
                |old, v| old & v
            );
            rmw_method!(
                "Bitwise or; returns the previous value.",
                fetch_or,
                $prim,
                |old, v| old | v
            );
            rmw_method!(
                "Bitwise exclusive or; returns the previous value.",
                fetch_xor,
                $prim,
                |old, v| old ^ v
            );
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

impl AtomicBool {
    rmw_method!(
        "Logical and; returns the previous value.",
        fetch_and,
        bool,
        |old, v| old & v
    );
    rmw_method!(
        "Logical or; returns the previous value.",
        fetch_or,
        bool,
        |old, v| old | v
    );
    rmw_method!(
        "Logical exclusive or; returns the previous value.",
        fetch_xor,
        bool,
        |old, v| old ^ v
    );
}
