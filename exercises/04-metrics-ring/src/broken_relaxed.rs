//! Half of the fix: `tick` now zeroes the new minute's bucket before it publishes the index,
//! but every access is still `Relaxed`. Under sequential consistency (shuttle, and in practice
//! x86 hardware) this is correct; the memory model still lets a reader see the new index and
//! the old bucket. Only loom, which models the orderings, finds it.

use crate::{MINUTES, RequestsPerMinute, Snapshot, atomic_ring};
use racebook_check::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

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
        let current = self.index.load(Relaxed);
        self.buckets[current].fetch_add(1, Relaxed);
    }

    fn tick(&self) {
        // ANCHOR: tick
        let next = (self.index.load(Relaxed) + 1) % MINUTES;
        self.buckets[next].store(0, Relaxed);
        self.index.store(next, Relaxed);
        // ANCHOR_END: tick
    }

    fn snapshot(&self) -> Snapshot {
        // ANCHOR: snapshot
        let current = self.index.load(Relaxed);
        let oldest_first =
            std::array::from_fn(|k| self.buckets[(current + 1 + k) % MINUTES].load(Relaxed));
        // ANCHOR_END: snapshot
        Snapshot {
            current,
            oldest_first,
        }
    }
}
