// Wrong fix: notify first, so that the sender is woken as early as possible, then let go of the
// slot. A sender woken before the count drops sees a reader still there and waits again, and
// the one notify has already been spent.

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
        if self.readers.load(Ordering::SeqCst) == 1 {
            // Wake the sender first, then leave.
            self.slot_free.notify_one();
        }
        self.readers.fetch_sub(1, Ordering::SeqCst);
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
