// Wrong fix: a sleep "to be safe". The dashboard waits a millisecond after it reads the index,
// so that a rotation in progress has usually zeroed the new bucket by the time it reads it.
// Usually is not always, and requests get no such wait.

use crate::{MINUTES, RequestsPerMinute, Snapshot, atomic_ring};
use racebook_check::sync::atomic::{AtomicU64, AtomicUsize, Ordering::SeqCst};
use racebook_check::thread;
use std::time::Duration;

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

    fn tick(&self) {
        let next = (self.index.load(SeqCst) + 1) % MINUTES;
        self.index.store(next, SeqCst);
        self.buckets[next].store(0, SeqCst);
    }

    fn snapshot(&self) -> Snapshot {
        let current = self.index.load(SeqCst);
        thread::sleep(Duration::from_millis(1));
        let oldest_first =
            std::array::from_fn(|k| self.buckets[(current + 1 + k) % MINUTES].load(SeqCst));
        Snapshot {
            current,
            oldest_first,
        }
    }
}
