// Wrong fix: half of the story's own first attempt corrected. `tick` zeroes `next` instead of
// re-reading the index, and every access is `SeqCst` now, but it still publishes the new minute
// before it zeroes its bucket, so a reader can get in between.

use crate::{MINUTES, RequestsPerMinute, Snapshot, atomic_ring};
use racebook_check::sync::atomic::{AtomicU64, AtomicUsize, Ordering::SeqCst};

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
        let current = self.index.load(SeqCst);
        self.buckets[current].fetch_add(1, SeqCst);
    }

    // ANCHOR: mistake
    fn tick(&self) {
        let next = (self.index.load(SeqCst) + 1) % MINUTES;
        self.index.store(next, SeqCst);
        self.buckets[next].store(0, SeqCst);
    }
    // ANCHOR_END: mistake

    fn snapshot(&self) -> Snapshot {
        let current = self.index.load(SeqCst);
        let oldest_first =
            std::array::from_fn(|k| self.buckets[(current + 1 + k) % MINUTES].load(SeqCst));
        Snapshot {
            current,
            oldest_first,
        }
    }
}
