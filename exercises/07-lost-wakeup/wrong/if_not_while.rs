// Wrong fix: tokio's fix (take the mutex before notifying), with the sender's wait in an `if`
// instead of a `while`. A wait may end with no notify (a spurious wakeup), and then the sender
// overwrites a slot a receiver is still reading.

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
            drop(self.tail.lock());
            self.slot_free.notify_one();
        }
    }

    fn send(&self, message: u32) {
        let mut tail = self.tail.lock();
        if self.readers.load(Ordering::SeqCst) > 0 {
            tail = self.slot_free.wait(tail);
        }
        overwrite(&mut tail, self.readers.load(Ordering::SeqCst), message);
    }
    // ANCHOR_END: channel

    fn slot(&self) -> u32 {
        self.tail.lock().message
    }
}
