//! The port that opts out of Rust's checks: a plain map in an unsafe cell, declared `Sync` by
//! hand so that the workers may share it, the way the original code shared its map.

use crate::Counts;
use racebook_check::cell::UnsafeCell;
use racebook_check::sync::Arc;
use racebook_check::{thread, work};

// ANCHOR: promise
struct SharedCounts(UnsafeCell<Counts>);

// SAFETY: this promise is false, and that is the lesson: nothing stops two workers from
// writing the map at the same time. loom checks the promise and reports the data race.
unsafe impl Sync for SharedCounts {}
// ANCHOR_END: promise

pub fn count(items: &[&'static str]) -> Counts {
    let counts = Arc::new(SharedCounts(UnsafeCell::new(Counts::new())));
    let workers: Vec<_> = items
        .iter()
        .enumerate()
        .map(|(i, &item)| {
            let counts = Arc::clone(&counts);
            thread::spawn_named(&format!("worker-{i}"), move || {
                work("tally");
                // ANCHOR: update
                // SAFETY: not upheld; see `SharedCounts`.
                unsafe {
                    counts
                        .0
                        .with_mut(|map| *map.entry(item.to_string()).or_insert(0) += 1)
                };
                // ANCHOR_END: update
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    // SAFETY: every worker has been joined, so nothing else touches the map now.
    unsafe { counts.0.with(Counts::clone) }
}
