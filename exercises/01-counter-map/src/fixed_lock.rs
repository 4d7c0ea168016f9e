//! Fix 1: hold the lock across the whole read-modify-write. The workers still tally on their
//! own threads; only the update of the shared map is one critical section.

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
                let mut map = counts.lock();
                *map.entry(item.to_string()).or_insert(0) += 1;
                // ANCHOR_END: update
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    counts.lock().clone()
}
