//! What the checkers choose about atomics besides the interleaving, and what a search learns
//! about the atomics a scenario uses.
//!
//! - **Spurious failures.** A `compare_exchange_weak` may fail although the value matched (on
//!   LL/SC hardware such as ARM it does). Neither shuttle nor loom ever makes it fail that way
//!   (both forward it to the strong compare-exchange), so the harness makes the choice itself:
//!   a search runs once as it is, then once for each n with the n-th weak compare-exchange of
//!   every execution failing spuriously, until no execution made n of them. Together those runs
//!   cover every execution with at most one spurious failure, the bound the report states.
//! - **SeqCst, weakened.** loom does not model the single order C11 gives `SeqCst` accesses
//!   (tokio-rs/loom issue 180). To tell whether a loom result depends on its approximation, a
//!   search can run again with every `SeqCst` access checked as `Acquire`/`Release`/`AcqRel`,
//!   and every `SeqCst` fence as `AcqRel` (see `search`).
//! - **Usage.** Which orderings, fences, cells and weak compare-exchanges the explored code
//!   used, so that a report can say which model limits apply to it.
//!
//! Model engines run every model thread on the OS thread that runs the search, so all of this
//! is thread-local there.

use std::cell::Cell;
use std::sync::atomic::Ordering;

/// What the code explored by one search used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// An atomic load, store or read-modify-write with `SeqCst`.
    pub seqcst_access: bool,
    /// An atomic access with any other ordering.
    pub weaker_access: bool,
    /// A `fence(SeqCst)`.
    pub seqcst_fence: bool,
    /// A checked cell (`cell::UnsafeCell`) was read or written.
    pub cell: bool,
    /// The most weak compare-exchanges one execution made.
    pub weak_cas: u32,
}

impl Usage {
    /// Both searches' usage together.
    pub fn join(self, other: Usage) -> Usage {
        Usage {
            seqcst_access: self.seqcst_access || other.seqcst_access,
            weaker_access: self.weaker_access || other.weaker_access,
            seqcst_fence: self.seqcst_fence || other.seqcst_fence,
            cell: self.cell || other.cell,
            weak_cas: self.weak_cas.max(other.weak_cas),
        }
    }

    /// Whether any `SeqCst` access or fence ran.
    pub fn seqcst(&self) -> bool {
        self.seqcst_access || self.seqcst_fence
    }
}

thread_local! {
    static USAGE: Cell<Usage> = Cell::new(Usage::default());
    static WEAKEN: Cell<bool> = const { Cell::new(false) };
    static SPURIOUS_AT: Cell<Option<u32>> = const { Cell::new(None) };
    static WEAK_CALLS: Cell<u32> = const { Cell::new(0) };
}

fn update(f: impl FnOnce(&mut Usage)) {
    USAGE.with(|u| {
        let mut v = u.get();
        f(&mut v);
        u.set(v);
    });
}

/// An atomic access with `order` ran.
pub(crate) fn note_access(order: Ordering) {
    update(|u| {
        if order == Ordering::SeqCst {
            u.seqcst_access = true;
        } else {
            u.weaker_access = true;
        }
    });
}

/// A fence with `order` ran.
pub(crate) fn note_fence(order: Ordering) {
    if order == Ordering::SeqCst {
        update(|u| u.seqcst_fence = true);
    }
}

/// A checked cell was accessed.
pub(crate) fn note_cell() {
    update(|u| u.cell = true);
}

/// Run `f` as one search, and return what its code used.
pub fn measured<R>(f: impl FnOnce() -> R) -> (R, Usage) {
    USAGE.with(|u| u.set(Usage::default()));
    let out = f();
    (out, USAGE.with(Cell::get))
}

/// Run `f` with every `SeqCst` access and fence weakened as the module explains.
pub fn with_seqcst_weakened<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            WEAKEN.with(|w| w.set(self.0));
        }
    }
    let _restore = Restore(WEAKEN.with(|w| w.replace(true)));
    f()
}

fn weakened(order: Ordering, to: Ordering) -> Ordering {
    if order == Ordering::SeqCst && WEAKEN.with(Cell::get) {
        to
    } else {
        order
    }
}

/// The ordering an engine is asked for, for a load. Orderings std refuses panic with std's
/// words, on every engine, as they would on real threads.
#[track_caller]
pub(crate) fn load_order(order: Ordering) -> Ordering {
    match order {
        Ordering::Release => panic!("there is no such thing as a release load"),
        Ordering::AcqRel => panic!("there is no such thing as an acquire-release load"),
        _ => weakened(order, Ordering::Acquire),
    }
}

/// ... for the failure of a compare-exchange.
#[track_caller]
pub(crate) fn failure_order(order: Ordering) -> Ordering {
    match order {
        Ordering::Release => panic!("there is no such thing as a release failure ordering"),
        Ordering::AcqRel => {
            panic!("there is no such thing as an acquire-release failure ordering")
        }
        _ => weakened(order, Ordering::Acquire),
    }
}

/// ... for a store.
#[track_caller]
pub(crate) fn store_order(order: Ordering) -> Ordering {
    match order {
        Ordering::Acquire => panic!("there is no such thing as an acquire store"),
        Ordering::AcqRel => panic!("there is no such thing as an acquire-release store"),
        _ => weakened(order, Ordering::Release),
    }
}

/// ... for a read-modify-write.
pub(crate) fn rmw_order(order: Ordering) -> Ordering {
    weakened(order, Ordering::AcqRel)
}

/// ... for a fence.
pub(crate) fn fence_order(order: Ordering) -> Ordering {
    weakened(order, Ordering::AcqRel)
}

/// Run `f` with the `n`-th weak compare-exchange of every execution failing spuriously
/// (`None`: none does).
pub fn with_spurious_failure<R>(n: Option<u32>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<u32>);
    impl Drop for Restore {
        fn drop(&mut self) {
            SPURIOUS_AT.with(|s| s.set(self.0));
        }
    }
    let _restore = Restore(SPURIOUS_AT.with(|s| s.replace(n)));
    f()
}

/// A new execution of the scenario starts: count its weak compare-exchanges from zero.
pub(crate) fn new_execution() {
    WEAK_CALLS.with(|c| c.set(0));
}

/// A weak compare-exchange is about to run: whether the checker makes it fail spuriously.
pub(crate) fn weak_cas_fails_spuriously() -> bool {
    let n = WEAK_CALLS.with(|c| {
        let n = c.get() + 1;
        c.set(n);
        n
    });
    update(|u| u.weak_cas = u.weak_cas.max(n));
    SPURIOUS_AT.with(Cell::get) == Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_chosen_call_fails_and_calls_are_counted_per_execution() {
        let ((), usage) = measured(|| {
            with_spurious_failure(Some(2), || {
                new_execution();
                let first: Vec<bool> = (0..3).map(|_| weak_cas_fails_spuriously()).collect();
                assert_eq!(first, [false, true, false]);
                new_execution();
                assert!(!weak_cas_fails_spuriously());
                assert!(weak_cas_fails_spuriously());
            })
        });
        assert_eq!(usage.weak_cas, 3);
        assert!(!with_spurious_failure(None, weak_cas_fails_spuriously));
    }

    #[test]
    fn weakening_maps_only_seqcst_and_ends_with_its_scope() {
        with_seqcst_weakened(|| {
            assert_eq!(load_order(Ordering::SeqCst), Ordering::Acquire);
            assert_eq!(store_order(Ordering::SeqCst), Ordering::Release);
            assert_eq!(rmw_order(Ordering::SeqCst), Ordering::AcqRel);
            assert_eq!(fence_order(Ordering::SeqCst), Ordering::AcqRel);
            assert_eq!(load_order(Ordering::Relaxed), Ordering::Relaxed);
        });
        assert_eq!(load_order(Ordering::SeqCst), Ordering::SeqCst);
    }
}
