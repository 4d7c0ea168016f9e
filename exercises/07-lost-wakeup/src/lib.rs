//! Exercise 07: the sender that slept through its wakeup.
//!
//! A broadcast channel keeps each message in a slot until every receiver has read it. A sender
//! that wants the slot for the next message waits, on a condition variable under the channel's
//! `tail` mutex, until the last receiver has let go of the slot; that receiver notifies it. The
//! scenario below is shared by every variant: one receiver is still reading message 1 when the
//! sender comes to write message 2.

use racebook_check::sync::Arc;
use racebook_check::{thread, work};
use racebook_workbook::{Budgets, Concurrency, EngineKind, Exercise, Shape, Variant, invariant};

pub mod broken;
pub mod exercise;
pub mod fixed_count_under_lock;
pub mod fixed_lock_then_notify;

/// The invariants, in words.
pub const INVARIANT: &str = "the sender writes message 2 once the receiver is done with the slot";
pub const NO_READER_LEFT: &str = "the sender overwrites the slot only after every receiver left it";

/// The channel's one slot: the message in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub message: u32,
}

// ANCHOR: overwrite
/// Put `message` in the slot. `readers` is how many receivers are still reading it: a sender
/// must never overwrite a message someone is reading.
pub fn overwrite(slot: &mut Slot, readers: usize, message: u32) {
    invariant(NO_READER_LEFT, 0, readers);
    slot.message = message;
}
// ANCHOR_END: overwrite

/// A receiver copies the message out of the slot, or the sender its next message in: the work
/// that must stay concurrent, and outside the channel's locks.
pub fn copy_message() {
    work("copy");
}

/// The channel: what each variant implements. The scenario opens one (inside the scenario, so
/// that the checkers see its locks) with message 1 in the slot and one receiver reading it.
pub trait Channel: Send + Sync + 'static {
    fn open() -> Self;
    /// The receiver is done with the slot.
    fn release_slot(&self);
    /// Write `message` into the slot, waiting until no receiver reads it any more.
    fn send(&self, message: u32);
    /// The message in the slot now.
    fn slot(&self) -> u32;
}

// ANCHOR: scenario
/// The scenario: the receiver finishes with message 1 while the sender comes to write
/// message 2.
pub fn scenario<C: Channel>() {
    let channel = Arc::new(C::open());
    let receiver = {
        let channel = Arc::clone(&channel);
        thread::spawn_named("receiver", move || {
            copy_message();
            channel.release_slot();
        })
    };
    let sender = {
        let channel = Arc::clone(&channel);
        thread::spawn_named("sender", move || {
            copy_message();
            channel.send(2);
        })
    };
    receiver.join().expect("the receiver panicked");
    sender.join().expect("the sender panicked");
    invariant(INVARIANT, 2, channel.slot());
}
// ANCHOR_END: scenario

/// The exercise as the harness sees it.
pub fn exercise() -> Exercise {
    Exercise {
        slug: "07-lost-wakeup",
        title: "The sender that slept through its wakeup",
        invariant: INVARIANT,
        shape: Shape::Threads,
        // The receiver's copy of the old message and the sender's of the new one overlap.
        concurrency: Some(Concurrency {
            marker: "copy",
            min_threads: 2,
        }),
        variants: vec![
            Variant::broken(
                "broken",
                scenario::<broken::Shared>,
                &[EngineKind::Shuttle, EngineKind::Loom],
            ),
            Variant::fix(
                "fixed_lock_then_notify",
                scenario::<fixed_lock_then_notify::Shared>,
            ),
            Variant::fix(
                "fixed_count_under_lock",
                scenario::<fixed_count_under_lock::Shared>,
            ),
            Variant::learner(scenario::<exercise::Shared>),
            Variant::wrong(
                "sleep_before_notify",
                scenario::<wrong_sleep_before_notify::Shared>,
            ),
            Variant::wrong("notify_all", scenario::<wrong_notify_all::Shared>),
            Variant::wrong("spin_no_yield", scenario::<wrong_spin_no_yield::Shared>),
            Variant::wrong("if_not_while", scenario::<wrong_if_not_while::Shared>),
            Variant::wrong(
                "notify_then_release",
                scenario::<wrong_notify_then_release::Shared>,
            ),
        ],
        budgets: Budgets::default(),
    }
}

// The catalogue of plausible wrong fixes (`wrong/`), each in the shape of the learner's file.
#[path = "../wrong/if_not_while.rs"]
pub mod wrong_if_not_while;
#[path = "../wrong/notify_all.rs"]
pub mod wrong_notify_all;
#[path = "../wrong/notify_then_release.rs"]
pub mod wrong_notify_then_release;
#[path = "../wrong/sleep_before_notify.rs"]
pub mod wrong_sleep_before_notify;
#[path = "../wrong/spin_no_yield.rs"]
pub mod wrong_spin_no_yield;
