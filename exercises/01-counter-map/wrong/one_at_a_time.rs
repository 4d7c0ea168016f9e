// Wrong fix: the concurrency is removed. Each worker is joined before the next one starts, so
// there is only ever one worker running and nothing left to race.

use crate::Counts;
use racebook_check::sync::{Arc, Mutex};
use racebook_check::{thread, work};

pub fn count(items: &[&'static str]) -> Counts {
    let counts = Arc::new(Mutex::new(Counts::new()));
    for (i, &item) in items.iter().enumerate() {
        let counts = Arc::clone(&counts);
        let worker = thread::spawn_named(&format!("worker-{i}"), move || {
            work("tally");
            let seen = counts.lock().get(item).copied().unwrap_or(0);
            counts.lock().insert(item.to_string(), seen + 1);
        });
        worker.join().expect("a worker panicked");
    }
    counts.lock().clone()
}
