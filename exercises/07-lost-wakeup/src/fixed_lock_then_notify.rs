//! Fix 1, tokio's (pull request 2134, merged with 2135): take the `tail` mutex before notifying.
//! The sender holds `tail` from its check of `readers` until its wait has begun (the wait lets
//! the mutex go only once the sender is registered), so a receiver that takes `tail` first can
//! only get it before the sender's check or after the sender is waiting: either the sender sees
//! `readers` at zero, or the notify finds it waiting. The mutex is let go at once; holding it
//! while notifying would work too, and gains nothing.

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
            // Wait until a sender that saw us reading has reached the condvar.
            drop(self.tail.lock());
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
