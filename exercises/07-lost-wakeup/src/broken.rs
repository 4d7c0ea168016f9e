//! The channel's shared state, as the receiver and the sender see it. `readers` counts the
//! receivers still reading the slot; it is an atomic, so that a receiver lets go of the slot
//! without taking any lock. A sender holds `tail` and waits on `slot_free` until `readers`
//! reaches zero; the last receiver to let go notifies it.
//!
//! Every wait is in a loop and every change is atomic, and yet the sender can wait forever:
//! look at when the receiver's notify can happen. Fix it here; `cargo test` checks every
//! interleaving.

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
        let mut tail = self.tail.lock();
        while self.readers.load(Ordering::SeqCst) > 0 {
            tail = self.slot_free.wait(tail);
        }
        overwrite(&mut tail, self.readers.load(Ordering::SeqCst), message);
    }
    // ANCHOR_END: channel

    fn slot(&self) -> u32 {
        self.tail.lock().message
    }
}
