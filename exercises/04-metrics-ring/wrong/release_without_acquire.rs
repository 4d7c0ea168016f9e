// Wrong fix: a `Relaxed` kept. `tick` zeroes the bucket first and publishes the index with
// `Release`, but the readers still load the index `Relaxed`: a release is half of a handshake,
// and nothing is ordered until the other side acquires.

use crate::{MINUTES, RequestsPerMinute, Snapshot, atomic_ring};
use racebook_check::sync::atomic::{
    AtomicU64, AtomicUsize,
    Ordering::{Relaxed, Release},
};

pub struct Ring {
    /// The bucket of the current minute.
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

    // ANCHOR: mistake
    fn tick(&self) {
        let next = (self.index.load(Relaxed) + 1) % MINUTES;
        self.buckets[next].store(0, Relaxed);
        self.index.store(next, Release);
    }

    fn snapshot(&self) -> Snapshot {
        let current = self.index.load(Relaxed);
        // ANCHOR_END: mistake
        let oldest_first =
            std::array::from_fn(|k| self.buckets[(current + 1 + k) % MINUTES].load(Relaxed));
        Snapshot {
            current,
            oldest_first,
        }
    }
}
