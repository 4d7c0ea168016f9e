// Wrong fix: do without the condvar, and have the sender check the count until it drops to
// zero. Nothing is lost, but the loop never blocks or yields: nothing makes the scheduler run
// the receiver it waits for, and the checkers explore the schedules where it never does.

use crate::{Channel, Slot, overwrite};
use racebook_check::sync::atomic::{AtomicUsize, Ordering};
use racebook_check::sync::{Condvar, Mutex};

pub struct Shared {
    tail: Mutex<Slot>,
    slot_free: Condvar,
    readers: AtomicUsize,
}

// ANCHOR: channel
impl Channel for Shared {
    fn open() -> Shared {
        Shared {
            tail: Mutex::new(Slot { message: 1 }),
            slot_free: Condvar::new(),
            readers: AtomicUsize::new(1),
        }
    }

    fn release_slot(&self) {
        if self.readers.fetch_sub(1, Ordering::SeqCst) == 1 {
            // The last reader is gone: wake the sender waiting for the slot.
            self.slot_free.notify_one();
        }
    }

    fn send(&self, message: u32) {
        // No condvar, no missed notify: check until the readers are gone.
        while self.readers.load(Ordering::SeqCst) > 0 {}
        let mut tail = self.tail.lock();
        overwrite(&mut tail, self.readers.load(Ordering::SeqCst), message);
    }
    // ANCHOR_END: channel

    fn slot(&self) -> u32 {
        self.tail.lock().message
    }
}
