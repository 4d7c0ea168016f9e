// Wrong fix: wake every waiter instead of one (tokio's fix did this too, but as well as taking
// the lock, not instead). A notify of any kind wakes only threads already waiting: when it
// comes before the sender begins to wait, there is nobody to wake.

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
            // Wake every sender, in case the one we need was missed.
            self.slot_free.notify_all();
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
