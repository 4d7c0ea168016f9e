//! `Atomic<T>`: an atomic of a small `Copy` type of your own, packed into 64 bits. It is the
//! pointer-like atomic for lock-free structures built on a node arena: a link such as "node 3,
//! generation 2" is one value, compared and swapped whole, and the reports show it with its
//! `Debug` form instead of a raw number. Reusing a node of the arena is real reuse (the same
//! slot, the same index), so an ABA can happen under every engine, and a generation tag can
//! prevent it.

use super::methods::atomic_methods;
use super::{Inner, Steps, on_engine, straight_to_std};
use crate::engine;
use crate::memory_model::{self as mm, failure_order, load_order, rmw_order, store_order};
use crate::record;
use racebook_trace::{EngineKind, ObjectKind};
use std::fmt::Debug;
use std::marker::PhantomData;
use std::panic::Location;
use std::sync::atomic::Ordering;

/// A value [`Atomic`] can hold: it packs into 64 bits and unpacks back to itself.
/// `unpack(pack(v)) == v` must hold for every value, and two values are equal exactly when
/// their packed bits are (compare-exchange compares the bits).
pub trait Packed: Copy + Eq + Debug {
    /// The value as 64 bits.
    fn pack(self) -> u64;
    /// The value the bits stand for.
    fn unpack(bits: u64) -> Self;
}

/// An atomic holding a [`Packed`] value: `load`, `store`, `swap`, `compare_exchange`,
/// `compare_exchange_weak` and `fetch_update`, as std's atomics have them.
pub struct Atomic<T: Packed> {
    name: Box<str>,
    steps: Steps,
    inner: Engines,
    _value: PhantomData<T>,
}

type Engines = Inner<
    std::sync::atomic::AtomicU64,
    shuttle::sync::atomic::AtomicU64,
    loom::sync::atomic::AtomicU64,
>;

impl<T: Packed> Atomic<T> {
    fn assemble(name: Box<str>, steps: Steps, inner: Engines) -> Self {
        Atomic {
            name,
            steps,
            inner,
            _value: PhantomData,
        }
    }
}

atomic_methods!(
    [T: Packed] Atomic<T>,
    T,
    std::sync::atomic::AtomicU64,
    shuttle::sync::atomic::AtomicU64,
    loom::sync::atomic::AtomicU64,
    T::pack,
    T::unpack
);

macro_rules! packed_as_u64 {
    ($($t:ty),*) => {$(
        impl Packed for $t {
            fn pack(self) -> u64 {
                self as u64
            }
            fn unpack(bits: u64) -> Self {
                bits as $t
            }
        }
    )*};
}
packed_as_u64!(u8, u16, u32, u64, usize);

impl Packed for bool {
    fn pack(self) -> u64 {
        u64::from(self)
    }
    fn unpack(bits: u64) -> Self {
        bits != 0
    }
}
