//! Fix 2: share memory by communicating. The workers own nothing shared; each sends what it
//! counted to the one thread that owns the map.

use crate::Counts;
use racebook_check::sync::mpsc;
use racebook_check::{thread, work};

pub fn count(items: &[&'static str]) -> Counts {
    let (tally, tallies) = mpsc::channel_named::<&'static str>("tallies");
    let workers: Vec<_> = items
        .iter()
        .enumerate()
        .map(|(i, &item)| {
            let tally = tally.clone();
            thread::spawn_named(&format!("worker-{i}"), move || {
                work("tally");
                // ANCHOR: update
                tally.send(item).expect("the owner outlives the workers");
                // ANCHOR_END: update
            })
        })
        .collect();
    drop(tally);
    // ANCHOR: owner
    let mut counts = Counts::new();
    for _ in 0..items.len() {
        let item = tallies.recv().expect("every worker sends one tally");
        *counts.entry(item.to_string()).or_insert(0) += 1;
    }
    // ANCHOR_END: owner
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    counts
}
