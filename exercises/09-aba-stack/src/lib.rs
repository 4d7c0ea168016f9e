//! Exercise 09: a lock-free stack fooled by a reused node (ABA).
//!
//! A server keeps its three read buffers, A, B and C, in a pool: a request takes a buffer,
//! reads into it, and gives it back. The pool is a lock-free stack of the free buffers (a
//! Treiber stack): `head` names the top buffer, and each buffer's `next` link, kept in a small
//! arena beside the buffers, names the one below it. Taking a buffer swaps `head` from the top
//! buffer to the one below it with a compare-and-swap; giving one back pushes it on top.
//!
//! The buffers are the nodes, and they are reused by design: a buffer given back goes on top
//! again. So a compare-and-swap that compares only *which* buffer is on top can succeed on a
//! stack that changed under it. Every variant implements the pool in its own file; the arena,
//! the ledger of who holds which buffer, and the scenario are shared, here.

use racebook_check::sync::atomic::{Atomic, Packed};
use racebook_check::thread;
use racebook_workbook::{
    Budgets, Concurrency, EngineKind, Exercise, Shape, Variant, invariant_that, work,
};
use std::fmt;
use std::sync::{Arc, Mutex};

pub mod broken;
pub mod exercise;
pub mod fixed_tag;

/// One invariant, checked twice: when the pool lends a buffer, and when main empties the pool
/// at the end (each buffer must come out once).
pub const INVARIANT: &str = "each buffer is lent to one request at a time, and none is lost";

/// How many buffers the pool has.
pub const BUFFERS: usize = 3;

// ANCHOR: link
/// A buffer of the pool, by its place in the arena: A, B or C.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Buf(pub u8);

impl fmt::Debug for Buf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", char::from(b'A' + self.0))
    }
}

/// A link to a buffer, or to none (the bottom of the stack, or an empty pool).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Link(pub Option<Buf>);

impl fmt::Debug for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(b) => write!(f, "{b:?}"),
            None => write!(f, "none"),
        }
    }
}

/// A link packs into 64 bits as the buffer's number plus one, 0 for none.
impl Packed for Link {
    fn pack(self) -> u64 {
        self.0.map_or(0, |b| u64::from(b.0) + 1)
    }
    fn unpack(bits: u64) -> Link {
        Link((bits != 0).then(|| Buf((bits - 1) as u8)))
    }
}
// ANCHOR_END: link

// ANCHOR: arena
/// The links below each buffer. Atomic, because a request reads the link of a buffer that
/// another request may be pushing back at the same moment.
pub struct Arena {
    next: Vec<Atomic<Link>>,
}

impl Arena {
    /// Every buffer in the pool, A on top of B on top of C.
    pub fn full() -> Arena {
        let next = (0..BUFFERS as u8)
            .map(|i| {
                let below = (usize::from(i) + 1 < BUFFERS).then(|| Buf(i + 1));
                Atomic::named(&format!("{:?}.next", Buf(i)), Link(below))
            })
            .collect();
        Arena { next }
    }

    /// The link stored below `buf`.
    pub fn next(&self, buf: Buf) -> &Atomic<Link> {
        &self.next[usize::from(buf.0)]
    }
}
// ANCHOR_END: arena

// ANCHOR: trait
/// The pool, as each variant implements it.
pub trait BufferPool: Send + Sync + 'static {
    /// A pool holding every buffer of `arena`, with A on top.
    fn new(arena: Arena) -> Self;
    /// Take the top buffer, or `None` if the pool is empty.
    fn take(&self) -> Option<Buf>;
    /// Give a buffer back: it goes on top.
    fn give(&self, buf: Buf);
}
// ANCHOR_END: trait

/// Who holds each buffer: the scenario's own bookkeeping, outside the pool and outside the
/// checkers' view (a plain lock that no step of the pool waits on), so it adds no steps.
#[derive(Clone, Default)]
pub struct Ledger(Arc<Mutex<[Option<&'static str>; BUFFERS]>>);

impl Ledger {
    /// `who` got `buf` from the pool: nobody else may hold it.
    #[track_caller]
    pub fn lent(&self, buf: Buf, who: &'static str) {
        let before = self.0.lock().unwrap()[usize::from(buf.0)].replace(who);
        invariant_that(
            INVARIANT,
            before.is_none(),
            || format!("{buf:?} free when the pool lends it to {who}"),
            || {
                format!(
                    "the pool lent {buf:?} to {who} while {} still held it",
                    before.unwrap_or("?")
                )
            },
        );
    }

    /// `buf` goes back to the pool.
    pub fn returned(&self, buf: Buf) {
        self.0.lock().unwrap()[usize::from(buf.0)] = None;
    }
}

// ANCHOR: scenario
/// A request takes a buffer, reads into it, and gives it back.
fn serve<P: BufferPool>(pool: &P, ledger: &Ledger, who: &'static str) -> Option<Buf> {
    let buf = pool.take()?;
    ledger.lent(buf, who);
    Some(buf)
}

fn give_back<P: BufferPool>(pool: &P, ledger: &Ledger, buf: Option<Buf>) {
    if let Some(buf) = buf {
        ledger.returned(buf);
        pool.give(buf);
    }
}

/// main serves one request. At the same time a worker serves two at once: it answers the first
/// and gives that buffer back, and hands the second, still being written, to main, which gives
/// it back when the worker is done. Then main takes every buffer out of the pool: each of A, B
/// and C must come out once.
pub fn scenario<P: BufferPool>() {
    let pool = Arc::new(P::new(Arena::full()));
    let ledger = Ledger::default();
    let (p, l) = (pool.clone(), ledger.clone());
    let worker = thread::spawn_named("worker", move || {
        work("pool");
        let first = serve(&*p, &l, "worker");
        let second = serve(&*p, &l, "worker");
        give_back(&*p, &l, first);
        second
    });
    work("pool");
    let mine = serve(&*pool, &ledger, "main");
    give_back(&*pool, &ledger, mine);
    let handed_over = worker.join().expect("the worker panicked");
    give_back(&*pool, &ledger, handed_over);

    // One more take than there are buffers: a pool that hands a buffer out twice shows it.
    let mut drained = Vec::new();
    for _ in 0..=BUFFERS {
        match serve(&*pool, &ledger, "main") {
            Some(buf) => drained.push(buf),
            None => break,
        }
    }
    drained.sort();
    invariant_that(
        INVARIANT,
        drained == [Buf(0), Buf(1), Buf(2)],
        || "A, B and C, once each".to_string(),
        || tally(&drained),
    );
}

/// What came out of the pool, and which buffer was lost or came out twice.
fn tally(drained: &[Buf]) -> String {
    let mut out = format!("{drained:?}");
    for b in (0..BUFFERS as u8).map(Buf) {
        match drained.iter().filter(|&&d| d == b).count() {
            0 => out.push_str(&format!(", {b:?} lost")),
            1 => {}
            n => out.push_str(&format!(", {b:?} {n} times")),
        }
    }
    out
}
// ANCHOR_END: scenario

/// The exercise as the harness sees it.
pub fn exercise() -> Exercise {
    Exercise {
        slug: "09-aba-stack",
        title: "The pool that lent one buffer twice",
        invariant: INVARIANT,
        shape: Shape::Threads,
        // main and the worker use the pool at the same time; a fix must keep them so.
        concurrency: Some(Concurrency {
            marker: "pool",
            min_threads: 2,
        }),
        variants: vec![
            Variant::broken(
                "broken",
                scenario::<broken::Pool>,
                &[EngineKind::Shuttle, EngineKind::Loom],
            ),
            Variant::fix("fixed_tag", scenario::<fixed_tag::Pool>),
            Variant::learner(scenario::<exercise::Pool>),
            Variant::wrong(
                "seqcst_everywhere",
                scenario::<wrong_seqcst_everywhere::Pool>,
            ),
            Variant::wrong("check_head_twice", scenario::<wrong_check_head_twice::Pool>),
            Variant::wrong("reread_next", scenario::<wrong_reread_next::Pool>),
            Variant::wrong("tag_never_bumped", scenario::<wrong_tag_never_bumped::Pool>),
            Variant::wrong("one_bit_tag", scenario::<wrong_one_bit_tag::Pool>),
        ],
        // Every interleaving of the two threads is over 200,000 schedules for a plain
        // depth-first search; the harness's reduced search and loom's each count orderings of
        // independent steps once, and both prove the fix with no preemption bound.
        budgets: Budgets::default(),
    }
}

// The catalogue of plausible wrong fixes (`wrong/`), each in the shape of the learner's file.
#[path = "../wrong/check_head_twice.rs"]
pub mod wrong_check_head_twice;
#[path = "../wrong/one_bit_tag.rs"]
pub mod wrong_one_bit_tag;
#[path = "../wrong/reread_next.rs"]
pub mod wrong_reread_next;
#[path = "../wrong/seqcst_everywhere.rs"]
pub mod wrong_seqcst_everywhere;
#[path = "../wrong/tag_never_bumped.rs"]
pub mod wrong_tag_never_bumped;
