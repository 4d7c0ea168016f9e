//! Fix 1: zero the new minute's bucket before publishing it, and publish with `Release`; every
//! thread that uses the index reads it with `Acquire`. A thread that sees the new index then
//! also sees the zero written before it.

use crate::{MINUTES, RequestsPerMinute, Snapshot, atomic_ring};
use racebook_check::sync::atomic::{
    AtomicU64, AtomicUsize,
    Ordering::{Acquire, Relaxed, Release},
};

pub struct Ring {
    index: AtomicUsize,
    buckets: [AtomicU64; MINUTES],
}

impl RequestsPerMinute for Ring {
    fn new(buckets: [u64; MINUTES], current: usize) -> Ring {
        let (index, buckets) = atomic_ring(buckets, current);
        Ring { index, buckets }
    }

    fn count_request(&self) {
        // ANCHOR: count
        let current = self.index.load(Acquire);
        self.buckets[current].fetch_add(1, Relaxed);
        // ANCHOR_END: count
    }

    fn tick(&self) {
        // ANCHOR: tick
        // Only the rotator writes the index, so its own last store is what it reads here.
        let next = (self.index.load(Relaxed) + 1) % MINUTES;
        self.buckets[next].store(0, Relaxed);
        self.index.store(next, Release);
        // ANCHOR_END: tick
    }

    fn snapshot(&self) -> Snapshot {
        // ANCHOR: snapshot
        let current = self.index.load(Acquire);
        let oldest_first =
            std::array::from_fn(|k| self.buckets[(current + 1 + k) % MINUTES].load(Relaxed));
        // ANCHOR_END: snapshot
        Snapshot {
            current,
            oldest_first,
        }
    }
}
