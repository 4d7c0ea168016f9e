//! The port that opts out of Rust's checks to keep the original's shape: the buckets are
//! atomics, but the index is a plain integer in an unsafe cell, read and written by every
//! thread with no synchronization, and the ring is declared `Sync` by hand.

use crate::{MINUTES, RequestsPerMinute, Snapshot};
use racebook_check::cell::UnsafeCell;
use racebook_check::sync::atomic::{AtomicU64, Ordering::SeqCst};

// ANCHOR: promise
pub struct Ring {
    index: UnsafeCell<usize>,
    buckets: [AtomicU64; MINUTES],
}

// SAFETY: this promise is false, and that is the lesson: the rotator writes `index` while the
// request and the dashboard read it. loom checks the promise and reports the data race.
unsafe impl Sync for Ring {}
// ANCHOR_END: promise

impl RequestsPerMinute for Ring {
    fn new(buckets: [u64; MINUTES], current: usize) -> Ring {
        Ring {
            index: UnsafeCell::new(current),
            buckets: std::array::from_fn(|i| AtomicU64::named(&format!("bucket[{i}]"), buckets[i])),
        }
    }

    fn count_request(&self) {
        // SAFETY: not upheld; see `Ring`.
        let current = unsafe { self.index.with(|i| *i) };
        self.buckets[current].fetch_add(1, SeqCst);
    }

    fn tick(&self) {
        // ANCHOR: tick
        // SAFETY: not upheld; see `Ring`.
        unsafe { self.index.with_mut(|i| *i = (*i + 1) % MINUTES) };
        let current = unsafe { self.index.with(|i| *i) };
        self.buckets[current].store(0, SeqCst);
        // ANCHOR_END: tick
    }

    fn snapshot(&self) -> Snapshot {
        // SAFETY: not upheld; see `Ring`.
        let current = unsafe { self.index.with(|i| *i) };
        let oldest_first =
            std::array::from_fn(|k| self.buckets[(current + 1 + k) % MINUTES].load(SeqCst));
        Snapshot {
            current,
            oldest_first,
        }
    }
}
