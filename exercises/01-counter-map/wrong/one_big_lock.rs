// Wrong fix: the concurrency is removed. Each worker holds the map's lock for all of its work,
// so the workers can only take turns; the count is right because nothing runs in parallel.

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
                let mut map = counts.lock();
                work("tally");
                *map.entry(item.to_string()).or_insert(0) += 1;
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    counts.lock().clone()
}
