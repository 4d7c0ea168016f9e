// Wrong fix: the wrong thing is locked. Each worker guards its update with a lock of its own,
// which no other worker ever takes, so the lock excludes nobody.

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
                let update = Mutex::named(&format!("update-lock-{i}"), ());
                let _held = update.lock();
                let seen = counts.lock().get(item).copied().unwrap_or(0);
                counts.lock().insert(item.to_string(), seen + 1);
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    counts.lock().clone()
}
