// Wrong fix: a `Relaxed` kept on the writer's side. `tick` zeroes first and the readers load the
// index with `Acquire`, but the index is still stored `Relaxed`: an acquire only synchronizes
// with a release, so the zero is not guaranteed to be seen.

use crate::{MINUTES, RequestsPerMinute, Snapshot, atomic_ring};
use racebook_check::sync::atomic::{
    AtomicU64, AtomicUsize,
    Ordering::{Acquire, Relaxed},
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
        let current = self.index.load(Acquire);
        self.buckets[current].fetch_add(1, Relaxed);
    }

    fn tick(&self) {
        let next = (self.index.load(Relaxed) + 1) % MINUTES;
        self.buckets[next].store(0, Relaxed);
        self.index.store(next, Relaxed);
    }

    fn snapshot(&self) -> Snapshot {
        let current = self.index.load(Acquire);
        let oldest_first =
            std::array::from_fn(|k| self.buckets[(current + 1 + k) % MINUTES].load(Relaxed));
        Snapshot {
            current,
            oldest_first,
        }
    }
}
