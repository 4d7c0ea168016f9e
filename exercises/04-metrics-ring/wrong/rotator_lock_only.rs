// Wrong fix: the wrong thing is locked. `tick` now runs under a lock, but requests and the
// dashboard never take that lock, so it keeps nobody out of the half-rotated ring.

use crate::{MINUTES, RequestsPerMinute, Snapshot, atomic_ring};
use racebook_check::sync::Mutex;
use racebook_check::sync::atomic::{AtomicU64, AtomicUsize, Ordering::SeqCst};

pub struct Ring {
    /// The bucket of the current minute.
    index: AtomicUsize,
    buckets: [AtomicU64; MINUTES],
    /// Taken while the ring rotates.
    rotating: Mutex<()>,
}

impl RequestsPerMinute for Ring {
    fn new(buckets: [u64; MINUTES], current: usize) -> Ring {
        let (index, buckets) = atomic_ring(buckets, current);
        Ring {
            index,
            buckets,
            rotating: Mutex::new(()),
        }
    }

    fn count_request(&self) {
        let current = self.index.load(SeqCst);
        self.buckets[current].fetch_add(1, SeqCst);
    }

    fn tick(&self) {
        let _rotating = self.rotating.lock();
        let next = (self.index.load(SeqCst) + 1) % MINUTES;
        self.index.store(next, SeqCst);
        self.buckets[next].store(0, SeqCst);
    }

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
