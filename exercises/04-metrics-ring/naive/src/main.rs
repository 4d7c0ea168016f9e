//! The ring with a plain `usize` index: the buckets are atomics, so counting into them from
//! many threads is fine, but the rotator changes the index while the other threads read it.
//! The borrow checker refuses it.

use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::thread;

const MINUTES: usize = 3;

fn main() {
    let buckets: [AtomicU64; MINUTES] = [AtomicU64::new(4), AtomicU64::new(9), AtomicU64::new(6)];
    // ANCHOR: port
    let mut index = 0;

    thread::scope(|s| {
        // A request: count it in the current minute.
        s.spawn(|| buckets[index].fetch_add(1, SeqCst));
        // The rotator: move the ring on, then zero the new current minute.
        s.spawn(|| {
            index = (index + 1) % MINUTES;
            buckets[index].store(0, SeqCst);
        });
    });
    // ANCHOR_END: port
    println!("current minute: {}", buckets[index].load(SeqCst));
}
