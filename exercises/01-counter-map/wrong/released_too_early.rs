// Wrong fix: the lock is released too early. The read and the write each hold the lock, in
// two separate critical sections, so another worker still gets in between.

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
                // ANCHOR: mistake
                let seen = {
                    let map = counts.lock();
                    map.get(item).copied().unwrap_or(0)
                };
                let mut map = counts.lock();
                map.insert(item.to_string(), seen + 1);
                // ANCHOR_END: mistake
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    counts.lock().clone()
}
