//! The ring of response times, ported as it was: the slot index is an atomic, but the slots are
//! plain integers that every request writes and the dashboard reads, with nothing ordering the
//! two. On x86-64 an aligned 8-byte store is never torn, so no run shows a wrong number; it is a
//! data race all the same, and loom reports it.

use crate::{ResponseTimes, SLOTS, Stats};
use racebook_check::cell::UnsafeCell;
use racebook_check::sync::atomic::{AtomicUsize, Ordering::Relaxed};

pub struct Durations {
    next: AtomicUsize,
    slots: [UnsafeCell<u64>; SLOTS],
}

// SAFETY: false, as above: a request writes a slot while the dashboard may read it.
unsafe impl Sync for Durations {}

impl ResponseTimes for Durations {
    fn new() -> Durations {
        Durations {
            next: AtomicUsize::new(0),
            slots: std::array::from_fn(|i| UnsafeCell::named(&format!("durations[{i}]"), 0)),
        }
    }

    // ANCHOR: record
    fn record(&self, millis: u64) {
        let slot = self.next.fetch_add(1, Relaxed) % SLOTS;
        // SAFETY: not upheld; see `Durations`.
        unsafe { self.slots[slot].with_mut(|d| *d = millis) };
    }
    // ANCHOR_END: record

    // ANCHOR: stats
    fn stats(&self) -> Stats {
        let samples = self
            .slots
            .iter()
            // SAFETY: not upheld; see `Durations`.
            .map(|slot| unsafe { slot.with(|d| *d) })
            .filter(|&d| d > 0)
            .collect();
        Stats { samples }
    }
    // ANCHOR_END: stats
}
