//! Exercise 06: the flush that met the janitor.
//!
//! A search index keeps its open word graphs in a pool, and the keys of graphs waiting to be
//! consolidated in a register; each behind its own reader-writer lock. A background janitor
//! lists the graphs due for consolidation: it reads the register, and for each key reads the
//! pool. A client's flush of a collection erases its graphs from both: it takes the pool, then
//! the register. The two paths take the same two locks in opposite orders. The scenario below
//! is shared by every variant: the janitor runs while a client flushes a collection.

use racebook_check::sync::Arc;
use racebook_check::{thread, work};
use racebook_workbook::{Budgets, Concurrency, EngineKind, Exercise, Shape, Variant, invariant};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

pub mod broken;
pub mod exercise;
pub mod fixed_order;
pub mod fixed_snapshot;

/// An open word graph of one bucket of a collection.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Graph {
    pub words: u32,
}

// Short forms: these values appear in the report's table.
impl fmt::Debug for Graph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} words", self.words)
    }
}

/// The open graphs, by `collection/bucket`.
pub type Pool = BTreeMap<&'static str, Graph>;
/// The keys of graphs waiting to be consolidated.
pub type Pending = BTreeSet<&'static str>;

// ANCHOR: state
/// What the index holds when the scenario starts: two graphs of the `docs` collection, one of
/// them due for consolidation.
pub fn open_graphs() -> (Pool, Pending) {
    let pool = Pool::from([
        ("docs/a", Graph { words: 120 }),
        ("docs/b", Graph { words: 80 }),
    ]);
    let pending = Pending::from(["docs/a"]);
    (pool, pending)
}

/// The invariant, in words.
pub const INVARIANT: &str =
    "the janitor and the flush both finish, and the flush leaves nothing of the collection behind";
// ANCHOR_END: state

/// Whether `key` belongs to `collection`.
pub fn in_collection(key: &str, collection: &str) -> bool {
    key.split('/').next() == Some(collection)
}

/// The index's store: what each variant implements. The scenario opens one (inside the
/// scenario, so that the checkers see its locks) and both threads use it.
pub trait Store: Send + Sync + 'static {
    fn open(pool: Pool, pending: Pending) -> Self;
    /// The janitor's first step: the pending graphs still open, with their sizes.
    fn due(&self) -> Vec<(&'static str, u32)>;
    /// The janitor's last step: these graphs are consolidated, no longer pending.
    fn consolidated(&self, keys: &[&'static str]);
    /// A client's flush: forget every graph of `collection`; returns how many there were.
    fn flush(&self, collection: &str) -> usize;
    /// What is left of `collection`: (open graphs, pending keys).
    fn left(&self, collection: &str) -> (usize, usize);
}

/// Write a consolidated graph to disk, or erase a flushed one: the work that must stay
/// concurrent, and must never run under the index's locks.
pub fn disk_io() {
    work("disk");
}

// ANCHOR: scenario
/// The scenario: the janitor consolidates what is due while a client flushes `docs`.
pub fn scenario<S: Store>() {
    let (pool, pending) = open_graphs();
    let store = Arc::new(S::open(pool, pending));
    let janitor = {
        let store = Arc::clone(&store);
        thread::spawn_named("janitor", move || {
            let due = store.due();
            // Build the consolidated graphs on disk.
            disk_io();
            let keys: Vec<&'static str> = due.iter().map(|(k, _)| *k).collect();
            store.consolidated(&keys);
        })
    };
    let flush = {
        let store = Arc::clone(&store);
        thread::spawn_named("flush", move || {
            store.flush("docs");
            // Erase the flushed graphs' files.
            disk_io();
        })
    };
    janitor.join().expect("the janitor panicked");
    flush.join().expect("the flush panicked");
    invariant(INVARIANT, (0, 0), store.left("docs"));
}
// ANCHOR_END: scenario

/// The exercise as the harness sees it.
pub fn exercise() -> Exercise {
    Exercise {
        slug: "06-flush-janitor",
        title: "The flush that met the janitor",
        invariant: INVARIANT,
        shape: Shape::Threads,
        // The janitor's and the flush's disk work run at the same time, never under a lock.
        concurrency: Some(Concurrency {
            marker: "disk",
            min_threads: 2,
        }),
        variants: vec![
            Variant::broken(
                "broken",
                scenario::<broken::FstStore>,
                &[EngineKind::Shuttle, EngineKind::Loom],
            ),
            Variant::fix("fixed_order", scenario::<fixed_order::FstStore>),
            Variant::fix("fixed_snapshot", scenario::<fixed_snapshot::FstStore>),
            Variant::learner(scenario::<exercise::FstStore>),
            Variant::wrong("try_lock_retry", scenario::<wrong_try_lock_retry::FstStore>),
            Variant::wrong("sleep_first", scenario::<wrong_sleep_first::FstStore>),
            Variant::wrong("gate_lock", scenario::<wrong_gate_lock::FstStore>),
            Variant::wrong("read_twice", scenario::<wrong_read_twice::FstStore>),
            Variant::wrong(
                "disk_under_lock",
                scenario::<wrong_disk_under_lock::FstStore>,
            ),
        ],
        budgets: Budgets::default(),
    }
}

// The catalogue of plausible wrong fixes (`wrong/`), each in the shape of the learner's file.
#[path = "../wrong/disk_under_lock.rs"]
pub mod wrong_disk_under_lock;
#[path = "../wrong/gate_lock.rs"]
pub mod wrong_gate_lock;
#[path = "../wrong/read_twice.rs"]
pub mod wrong_read_twice;
#[path = "../wrong/sleep_first.rs"]
pub mod wrong_sleep_first;
#[path = "../wrong/try_lock_retry.rs"]
pub mod wrong_try_lock_retry;
