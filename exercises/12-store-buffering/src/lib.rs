//! Exercise 12: the one-shot that nobody woke.
//!
//! A one-shot channel carries one message from a sender thread to a receiver thread. The
//! receiver that finds no message asks to be woken, under a small lock of one atomic flag, and
//! then looks once more before it parks. The sender puts the message in and wakes the receiver
//! if it asked; when it finds the lock taken, it leaves the wakeup to the receiver's second
//! look. Each side writes one flag and then reads the other's: the store-buffering pattern.
//! The scenario below is shared by every variant.

use racebook_check::thread::{self, Thread};
use racebook_check::{sync::Arc, work};
use racebook_workbook::{Budgets, Concurrency, EngineKind, Exercise, Shape, Variant, invariant};

pub mod broken;
pub mod exercise;
pub mod fixed_fences;
pub mod fixed_seqcst;
pub mod fixed_swaps;

/// The invariant, in words.
pub const INVARIANT: &str = "the receiver gets the message the sender sent";

/// The message the scenario sends. The channel keeps 0 for "nothing yet".
pub const MESSAGE: u32 = 7;

// ANCHOR: trait
/// A one-shot channel: what each variant implements.
pub trait OneShot: Send + Sync + 'static {
    fn open() -> Self;
    /// Put `message` (never 0) in, and wake `receiver` if it asked to be woken.
    fn send(&self, message: u32, receiver: &Thread);
    /// The message if it is there. If not: ask to be woken, then look once more.
    fn try_recv(&self) -> Option<u32>;
}
// ANCHOR_END: trait

/// Each side's own work before it uses the channel: what must stay concurrent.
pub fn compute() {
    work("compute");
}

// ANCHOR: scenario
/// The scenario: the main thread receives, a spawned sender sends one message.
pub fn scenario<C: OneShot>() {
    let channel = Arc::new(C::open());
    let me = thread::current();
    let sender = {
        let channel = Arc::clone(&channel);
        thread::spawn_named("sender", move || {
            compute();
            channel.send(MESSAGE, &me);
        })
    };
    compute();
    let got = loop {
        if let Some(message) = channel.try_recv() {
            break message;
        }
        // Asked to be woken and still nothing: sleep until the sender wakes us.
        thread::park();
    };
    sender.join().expect("the sender panicked");
    invariant(INVARIANT, MESSAGE, got);
}
// ANCHOR_END: scenario

/// The exercise as the harness sees it.
pub fn exercise() -> Exercise {
    Exercise {
        slug: "12-store-buffering",
        title: "The one-shot that nobody woke",
        invariant: INVARIANT,
        shape: Shape::Threads,
        // Both sides compute at the same time; a fix must keep them so.
        concurrency: Some(Concurrency {
            marker: "compute",
            min_threads: 2,
        }),
        variants: vec![
            // Only loom sees it: shuttle runs every atomic access in one order.
            Variant::broken("broken", scenario::<broken::Shared>, &[EngineKind::Loom]),
            Variant::fix("fixed_seqcst", scenario::<fixed_seqcst::Shared>),
            Variant::fix("fixed_fences", scenario::<fixed_fences::Shared>),
            Variant::fix("fixed_swaps", scenario::<fixed_swaps::Shared>),
            Variant::learner(scenario::<exercise::Shared>),
            Variant::wrong("seqcst_stores", scenario::<wrong_seqcst_stores::Shared>),
            Variant::wrong("seqcst_loads", scenario::<wrong_seqcst_loads::Shared>),
            Variant::wrong(
                "receiver_fence_only",
                scenario::<wrong_receiver_fence_only::Shared>,
            ),
            Variant::wrong("acqrel_fences", scenario::<wrong_acqrel_fences::Shared>),
            Variant::wrong("look_twice", scenario::<wrong_look_twice::Shared>),
        ],
        budgets: Budgets::default(),
    }
}

// The catalogue of plausible wrong fixes (`wrong/`), each in the shape of the learner's file.
#[path = "../wrong/acqrel_fences.rs"]
pub mod wrong_acqrel_fences;
#[path = "../wrong/look_twice.rs"]
pub mod wrong_look_twice;
#[path = "../wrong/receiver_fence_only.rs"]
pub mod wrong_receiver_fence_only;
#[path = "../wrong/seqcst_loads.rs"]
pub mod wrong_seqcst_loads;
#[path = "../wrong/seqcst_stores.rs"]
pub mod wrong_seqcst_stores;
