// Wrong fix: give the sender time to reach its wait before notifying. A sleep orders nothing:
// the sender can still be between its check and its wait when the notify comes.

use crate::{Channel, Slot, overwrite};
use racebook_check::sync::atomic::{AtomicUsize, Ordering};
use racebook_check::sync::{Condvar, Mutex};
use racebook_check::thread;
use std::time::Duration;

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
            // Let a sender that is about to wait get there first.
            thread::sleep(Duration::from_millis(1));
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
