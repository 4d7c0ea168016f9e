// Wrong fix: a sleep "to be safe". Waiting a millisecond between the read and the write makes
// the bad interleaving rarer on real threads, and changes nothing about whether it can happen.

use crate::Counts;
use racebook_check::sync::{Arc, Mutex};
use racebook_check::{thread, work};
use std::time::Duration;

pub fn count(items: &[&'static str]) -> Counts {
    let counts = Arc::new(Mutex::new(Counts::new()));
    let workers: Vec<_> = items
        .iter()
        .enumerate()
        .map(|(i, &item)| {
            let counts = Arc::clone(&counts);
            thread::spawn_named(&format!("worker-{i}"), move || {
                work("tally");
                thread::sleep(Duration::from_millis(i as u64));
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
