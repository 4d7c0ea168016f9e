// Wrong fix: atomics used as if they were a lock. Each count is an atomic now, but the worker
// loads it and then stores the new value in a second operation, so two workers can load the
// same old value. (`fetch_add` would be one operation.)

use crate::Counts;
use racebook_check::sync::Arc;
use racebook_check::sync::atomic::{AtomicU64, Ordering};
use racebook_check::{thread, work};

pub fn count(items: &[&'static str]) -> Counts {
    // The batch holds one distinct item, so one atomic counts it.
    let apples = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = items
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let apples = Arc::clone(&apples);
            thread::spawn_named(&format!("worker-{i}"), move || {
                work("tally");
                let seen = apples.load(Ordering::SeqCst);
                apples.store(seen + 1, Ordering::SeqCst);
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    let mut counts = Counts::new();
    counts.insert(items[0].to_string(), apples.load(Ordering::SeqCst));
    counts
}
