//! Exercise 11: the batch that a timer dropped.
//!
//! A batcher receives items from a channel and writes them to a sink two at a time, so that the
//! sink sees fewer, larger writes. The sink must also be flushed on a timer, so the batcher
//! waits for a batch and for the flush timer at once, with `select!`, in a loop. The scenario
//! below is shared by every variant: a producer sends items 1 and 2 through a channel with room
//! for one, and hangs up, while the flush timer runs; when the timer fires is the model's
//! choice.

use racebook_check::task::{self, mpsc};
use racebook_workbook::{Budgets, EngineKind, Exercise, Shape, Variant, invariant};
use std::future::Future;
use std::time::Duration;

pub mod broken;
pub mod exercise;
pub mod fixed_pending_in_batcher;
pub mod fixed_pinned;

/// The invariant, in words.
pub const INVARIANT: &str = "every item received is written, in order";

/// Items per write.
pub const BATCH: usize = 2;

/// How often the sink must be flushed. The scenario is shorter than one period, so the flush
/// timer fires at most once (a real batcher would arm it again).
pub const FLUSH_EVERY: Duration = Duration::from_millis(50);

/// Where the batches go.
#[derive(Debug, Default)]
pub struct Sink {
    /// Every write, in order.
    pub writes: Vec<Vec<u32>>,
    /// Flushes done.
    pub flushes: u32,
}

impl Sink {
    /// Write one batch (an empty one writes nothing).
    pub fn write(&mut self, batch: Vec<u32>) {
        if !batch.is_empty() {
            self.writes.push(batch);
        }
    }

    /// Flush what was written.
    pub fn flush(&mut self) {
        self.flushes += 1;
    }

    /// Every item written, in order.
    pub fn items(&self) -> Vec<u32> {
        self.writes.concat()
    }
}

/// The batcher: what each variant implements.
pub trait Batcher {
    /// Receive every item from `items` until the channel closes, write them to a sink in
    /// batches of [`BATCH`] (the last one may be shorter), flush the sink when the flush timer
    /// fires, and return the sink.
    fn run(items: mpsc::Receiver<u32>) -> impl Future<Output = Sink> + Send + 'static;
}

// ANCHOR: scenario
/// The scenario: a producer sends items 1 and 2 and hangs up; the batcher writes them. The
/// channel has room for one item, so the producer waits for the batcher to take each one.
pub fn scenario<B: Batcher>() {
    task::block_on(async {
        let (tx, items) = mpsc::channel_named::<u32>("items", 1);
        let producer = task::spawn_named("producer", async move {
            for item in [1, 2] {
                tx.send(item).await.expect("the batcher hung up early");
            }
        });
        let batcher = task::spawn_named("batcher", B::run(items));
        let sink = batcher.await.expect("the batcher panicked");
        producer.await.expect("the producer panicked");
        invariant(INVARIANT, vec![1, 2], sink.items());
    });
}
// ANCHOR_END: scenario

/// The exercise as the harness sees it.
pub fn exercise() -> Exercise {
    Exercise {
        slug: "11-cancel-batch",
        title: "The batch that a timer dropped",
        invariant: INVARIANT,
        shape: Shape::Async,
        concurrency: None,
        variants: vec![
            Variant::broken("broken", scenario::<broken::Loop>, &[EngineKind::Shuttle]),
            Variant::fix(
                "fixed_pending_in_batcher",
                scenario::<fixed_pending_in_batcher::Loop>,
            ),
            Variant::fix("fixed_pinned", scenario::<fixed_pinned::Loop>),
            Variant::learner(scenario::<exercise::Loop>),
            Variant::wrong("biased_select", scenario::<wrong_biased_select::Loop>),
            Variant::wrong("longer_flush", scenario::<wrong_longer_flush::Loop>),
            Variant::wrong("timeout_read", scenario::<wrong_timeout_read::Loop>),
            Variant::wrong("pin_in_loop", scenario::<wrong_pin_in_loop::Loop>),
            Variant::wrong("take_pending", scenario::<wrong_take_pending::Loop>),
        ],
        // The flush timer is a task of the model's own and the producer waits for room after
        // every item, so schedules multiply; the reduced search still proves each fix with no
        // preemption bound (about 400-900 schedules).
        budgets: Budgets::default(),
    }
}

// The catalogue of plausible wrong fixes (`wrong/`), each in the shape of the learner's file.
#[path = "../wrong/biased_select.rs"]
pub mod wrong_biased_select;
#[path = "../wrong/longer_flush.rs"]
pub mod wrong_longer_flush;
#[path = "../wrong/pin_in_loop.rs"]
pub mod wrong_pin_in_loop;
#[path = "../wrong/take_pending.rs"]
pub mod wrong_take_pending;
#[path = "../wrong/timeout_read.rs"]
pub mod wrong_timeout_read;
