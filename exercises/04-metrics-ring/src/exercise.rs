//! The requests-per-minute ring, with every shared integer an atomic.
//!
//! It compiles without `unsafe` and has no data race, yet its numbers are wrong: look at the
//! order in which `tick` publishes the new minute and zeroes its bucket, and at what each
//! `Ordering` promises the thread on the other side. Fix it here; `cargo test` tries the
//! interleavings (shuttle) and the values each ordering lets a read see (loom).

use crate::{MINUTES, RequestsPerMinute, Snapshot, atomic_ring};
use racebook_check::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

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
        // ANCHOR: count
        let current = self.index.load(Relaxed);
        self.buckets[current].fetch_add(1, Relaxed);
        // ANCHOR_END: count
    }

    fn tick(&self) {
        // ANCHOR: tick
        let next = (self.index.load(Relaxed) + 1) % MINUTES;
        self.index.store(next, Relaxed);
        self.buckets[self.index.load(Relaxed)].store(0, Relaxed);
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
