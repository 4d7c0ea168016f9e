//! Count each item on its own worker thread, in one map shared by all the workers.
//!
//! This compiles and never touches the map without its lock, yet it is wrong: look at how
//! often each worker takes the lock. Fix it here; `cargo test` checks every interleaving.

use crate::Counts;
use racebook_check::sync::{Arc, Mutex};
use racebook_check::{thread, work};

pub fn count(items: &[&'static str]) -> Counts {
    let counts = Arc::new(Mutex::new(Counts::new()));
    let workers: Vec<_> = items
        .iter()
        .enumerate()
        .map(|(i, &item)| {
            let counts = Arc::clone(&counts);
            thread::spawn_named(&format!("worker-{i}"), move || {
                work("tally");
                // ANCHOR: update
                let seen = counts.lock().get(item).copied().unwrap_or(0);
                counts.lock().insert(item.to_string(), seen + 1);
                // ANCHOR_END: update
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    counts.lock().clone()
}
