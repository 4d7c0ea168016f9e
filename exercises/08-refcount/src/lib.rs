//! Exercise 08: a reference count of your own.
//!
//! A log shipper keeps the current batch of log lines behind a reference-counted handle, the
//! shape of `std::sync::Arc`: cloning a handle adds one to a shared count, dropping one takes
//! one away, and the last handle to go frees the batch. A flusher thread gets a clone, reads
//! the batch and drops its handle; the request handler wants to reuse the batch in place once it
//! holds the only handle, which is what `Arc::get_mut` is for. Every variant implements the
//! handle in its own file; the allocation itself (`Inner`, below) is shared.
//!
//! Two scenarios check a handle: `reuse` (the handler reuses the batch through `get_mut` when
//! the flusher has let go, and leaves it to the flusher when it has not) and `last_owner_frees`
//! (two threads read a batch and let go, and whoever is last frees it). loom reports a data race
//! on a batch whenever the count's orderings do not order one thread's use of it before the
//! other thread's write.

use racebook_check::cell::UnsafeCell;
use racebook_check::sync::atomic::AtomicUsize;
use racebook_check::thread;
use racebook_workbook::{
    Budgets, Concurrency, EngineKind, Exercise, Shape, Variant, invariant, work,
};
use std::fmt;
use std::ptr::NonNull;

pub mod broken;
pub mod broken_drop;
pub mod exercise;
pub mod fixed_acquire;
pub mod fixed_fence;

/// A batch of log lines. The name is only how reports call the batch and its count, so that
/// the two scenarios' batches are told apart.
pub struct Batch {
    pub name: &'static str,
    pub lines: Vec<&'static str>,
}

impl Batch {
    pub fn new(name: &'static str, lines: &[&'static str]) -> Batch {
        Batch {
            name,
            lines: lines.to_vec(),
        }
    }
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.lines)
    }
}

pub const INVARIANT: &str =
    "a handle's batch is never written while another thread can still use it";
pub const WHOLE_BATCH: &str = "the flusher reads the whole batch before it is reused";

// ANCHOR: inner
/// The shared allocation behind every handle: the count of handles, and the batch. The batch
/// is `None` once it has been freed.
pub struct Inner {
    pub count: AtomicUsize,
    batch: UnsafeCell<Option<Batch>>,
}

/// Allocate a batch with a count of one (the handle that asked for it).
pub fn allocate(batch: Batch) -> NonNull<Inner> {
    let name = batch.name;
    let inner = Box::new(Inner {
        count: AtomicUsize::named(&format!("{name}.count"), 1),
        batch: UnsafeCell::named(name, Some(batch)),
    });
    NonNull::from(Box::leak(inner))
}

/// Read the batch.
///
/// # Safety
/// `inner` is allocated, and no thread writes the batch at the same time.
#[track_caller]
pub unsafe fn read<R>(inner: NonNull<Inner>, f: impl FnOnce(&Batch) -> R) -> R {
    // SAFETY: the caller's promise; loom checks the "at the same time" part.
    unsafe {
        inner
            .as_ref()
            .batch
            .with(|b| f(b.as_ref().expect("batch used after free")))
    }
}

/// Change the batch in place.
///
/// # Safety
/// `inner` is allocated, and no other thread reads or writes the batch at the same time.
#[track_caller]
pub unsafe fn write<R>(inner: NonNull<Inner>, f: impl FnOnce(&mut Batch) -> R) -> R {
    // SAFETY: as for `read`.
    unsafe {
        inner
            .as_ref()
            .batch
            .with_mut(|b| f(b.as_mut().expect("batch used after free")))
    }
}

/// Drop the batch (a write, like any destructor) and free the allocation.
///
/// # Safety
/// No other thread uses `inner`, now or later.
#[track_caller]
pub unsafe fn free(inner: NonNull<Inner>) {
    // SAFETY: the caller's promise; loom checks the write against every earlier use.
    unsafe {
        inner.as_ref().batch.with_mut(|b| drop(b.take()));
        drop(Box::from_raw(inner.as_ptr()));
    }
}
// ANCHOR_END: inner

// ANCHOR: trait
/// A reference-counted handle to a batch. Each variant implements it, with `Clone` and `Drop`.
pub trait Handle: Clone + Send + 'static {
    /// A new batch, with this as its only handle.
    fn new(batch: Batch) -> Self;
    /// Read the batch.
    fn with<R>(&self, f: impl FnOnce(&Batch) -> R) -> R;
    /// Change the batch in place, if this is the only handle (else `None`, and nothing ran).
    fn get_mut<R>(&mut self, f: impl FnOnce(&mut Batch) -> R) -> Option<R>;
}
// ANCHOR_END: trait

// ANCHOR: reuse
/// The handler gives the flusher a clone, then clears the batch in place to fill it again, if
/// its handle is the only one left (the flusher is done with it). If not, it lets go of the
/// batch and leaves the flusher to free it.
pub fn reuse<H: Handle>() {
    let mut mine = H::new(Batch::new("batch", &["GET /a", "GET /b"]));
    let theirs = mine.clone();
    let flusher = thread::spawn_named("flusher", move || {
        work("batch");
        let shipped = theirs.with(|batch| batch.lines.len());
        drop(theirs);
        shipped
    });
    work("batch");
    mine.get_mut(|batch| batch.lines.clear());
    drop(mine);
    let shipped = flusher.join().expect("the flusher panicked");
    invariant(WHOLE_BATCH, 2, shipped);
}
// ANCHOR_END: reuse

// ANCHOR: last_owner
/// The handler and an archiver both read the batch of errors and let go; whichever lets go
/// last frees it.
pub fn last_owner_frees<H: Handle>() {
    let mine = H::new(Batch::new("errors", &["GET /c 500"]));
    let theirs = mine.clone();
    let archiver = thread::spawn_named("archiver", move || {
        work("batch");
        theirs.with(|batch| batch.lines.len());
        drop(theirs);
    });
    work("batch");
    mine.with(|batch| batch.lines.len());
    drop(mine);
    archiver.join().expect("the archiver panicked");
}
// ANCHOR_END: last_owner

/// A handle's whole check: both scenarios, one after the other.
pub fn scenario<H: Handle>() {
    reuse::<H>();
    last_owner_frees::<H>();
}

/// The exercise as the harness sees it.
pub fn exercise() -> Exercise {
    Exercise {
        slug: "08-refcount",
        title: "A reference count of your own",
        invariant: INVARIANT,
        shape: Shape::Threads,
        // The handler and the flusher run at the same time; a fix must keep them so.
        concurrency: Some(Concurrency {
            marker: "batch",
            min_threads: 2,
        }),
        variants: vec![
            // Only loom sees a data race: shuttle runs every access in one order, and checks
            // no cell.
            Variant::broken("broken", scenario::<broken::Shared>, &[EngineKind::Loom]),
            Variant::broken(
                "broken_drop",
                scenario::<broken_drop::Shared>,
                &[EngineKind::Loom],
            ),
            Variant::fix("fixed_acquire", scenario::<fixed_acquire::Shared>),
            Variant::fix("fixed_fence", scenario::<fixed_fence::Shared>),
            Variant::learner(scenario::<exercise::Shared>),
            Variant::wrong(
                "latest_value_relaxed",
                scenario::<wrong_latest_value_relaxed::Shared>,
            ),
            Variant::wrong("seqcst_writes", scenario::<wrong_seqcst_writes::Shared>),
            Variant::wrong(
                "relaxed_decrement",
                scenario::<wrong_relaxed_decrement::Shared>,
            ),
            Variant::wrong(
                "free_without_fence",
                scenario::<wrong_free_without_fence::Shared>,
            ),
            Variant::wrong(
                "fence_before_decrement",
                scenario::<wrong_fence_before_decrement::Shared>,
            ),
        ],
        budgets: Budgets::default(),
    }
}

// The catalogue of plausible wrong fixes (`wrong/`), each in the shape of the learner's file.
#[path = "../wrong/fence_before_decrement.rs"]
pub mod wrong_fence_before_decrement;
#[path = "../wrong/free_without_fence.rs"]
pub mod wrong_free_without_fence;
#[path = "../wrong/latest_value_relaxed.rs"]
pub mod wrong_latest_value_relaxed;
#[path = "../wrong/relaxed_decrement.rs"]
pub mod wrong_relaxed_decrement;
#[path = "../wrong/seqcst_writes.rs"]
pub mod wrong_seqcst_writes;
