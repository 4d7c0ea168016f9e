//! Exercise 01: the counter map.
//!
//! Workers each take an item and add one to that item's count in a map they all share. In the
//! story this map crashed a production pod; in Rust the same shape either does not compile, or
//! races in `unsafe` code, or loses updates in safe code. The scenario below is shared by every
//! variant: two workers count the same item, and afterwards the map must say two.

use racebook_workbook::{Budgets, Concurrency, EngineKind, Exercise, Shape, Variant, invariant};
use std::collections::BTreeMap;

pub mod broken;
pub mod broken_unsafe;
pub mod exercise;
pub mod fixed_channel;
pub mod fixed_lock;

// The catalogue of plausible wrong fixes (`wrong/`), each in the shape of the learner's file.
#[path = "../wrong/atomic_load_then_store.rs"]
pub mod wrong_atomic_load_then_store;
#[path = "../wrong/one_at_a_time.rs"]
pub mod wrong_one_at_a_time;
#[path = "../wrong/one_big_lock.rs"]
pub mod wrong_one_big_lock;
#[path = "../wrong/released_too_early.rs"]
pub mod wrong_released_too_early;
#[path = "../wrong/sleep_between.rs"]
pub mod wrong_sleep_between;
#[path = "../wrong/wrong_lock.rs"]
pub mod wrong_wrong_lock;

/// How many times each item was seen.
pub type Counts = BTreeMap<String, u64>;

/// The batch the workers count: one worker per item, both items the same, so that their
/// updates land on the same entry.
pub const ITEMS: [&str; 2] = ["apple", "apple"];

/// The invariant, in words.
pub const INVARIANT: &str = "every item is counted exactly once";

/// What the counts must be: the number of times each item appears.
pub fn expected(items: &[&str]) -> Counts {
    let mut counts = Counts::new();
    for item in items {
        *counts.entry(item.to_string()).or_default() += 1;
    }
    counts
}

// ANCHOR: scenario
/// The scenario: count the batch with one variant's `count` and check the result.
pub fn scenario(count: fn(&[&'static str]) -> Counts) {
    let counts = count(&ITEMS);
    invariant(INVARIANT, expected(&ITEMS), counts);
}
// ANCHOR_END: scenario

/// The exercise as the harness sees it.
pub fn exercise() -> Exercise {
    Exercise {
        slug: "01-counter-map",
        title: "The map that killed a pod",
        invariant: INVARIANT,
        shape: Shape::Threads,
        // Each worker does its tallying work on its own thread; a fix must not serialize it.
        concurrency: Some(Concurrency {
            marker: "tally",
            min_threads: 2,
        }),
        variants: vec![
            Variant::broken(
                "broken",
                || scenario(broken::count),
                &[EngineKind::Shuttle, EngineKind::Loom],
            ),
            Variant::broken(
                "broken_unsafe",
                || scenario(broken_unsafe::count),
                &[EngineKind::Loom],
            ),
            Variant::fix("fixed_lock", || scenario(fixed_lock::count)),
            Variant::fix("fixed_channel", || scenario(fixed_channel::count)),
            Variant::learner(|| scenario(exercise::count)),
            Variant::wrong("released_too_early", || {
                scenario(wrong_released_too_early::count)
            }),
            Variant::wrong("wrong_lock", || scenario(wrong_wrong_lock::count)),
            Variant::wrong("one_big_lock", || scenario(wrong_one_big_lock::count)),
            Variant::wrong("sleep_between", || scenario(wrong_sleep_between::count)),
            Variant::wrong("one_at_a_time", || scenario(wrong_one_at_a_time::count)),
            Variant::wrong("atomic_load_then_store", || {
                scenario(wrong_atomic_load_then_store::count)
            }),
        ],
        budgets: Budgets::default(),
    }
}
