//! Workers count the items of their batch into one shared map, the way the single-threaded
//! version did: the borrow checker refuses it.

use std::collections::HashMap;
use std::thread;

const BATCHES: [&[&str]; 2] = [&["pod-a", "pod-b"], &["pod-a", "pod-c"]];

fn main() {
    let mut counts: HashMap<&str, u64> = HashMap::new();

    let mut workers = Vec::new();
    for batch in BATCHES {
        workers.push(thread::spawn(|| {
            for item in batch {
                *counts.entry(item).or_insert(0) += 1;
            }
        }));
    }
    for worker in workers {
        worker.join().unwrap();
    }
}
