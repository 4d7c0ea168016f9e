//! Fix 2, the textbook one: the count of readers lives under the same mutex the sender waits
//! with. The receiver changes it and notifies while holding `tail`, so the change and the
//! notify cannot fall between the sender's check and its wait. It costs every receiver a lock,
//! which is what tokio's atomic avoided.

use crate::{Channel, Slot, overwrite};
use racebook_check::sync::{Condvar, Mutex};

/// The slot and the receivers still reading it, under one mutex.
#[derive(Debug)]
pub struct Tail {
    slot: Slot,
    readers: usize,
}

pub struct Shared {
    tail: Mutex<Tail>,
    slot_free: Condvar,
}

// ANCHOR: channel
impl Channel for Shared {
    fn open() -> Shared {
        Shared {
            tail: Mutex::new(Tail {
                slot: Slot { message: 1 },
                readers: 1,
            }),
            slot_free: Condvar::new(),
        }
    }

    fn release_slot(&self) {
        let mut tail = self.tail.lock();
        tail.readers -= 1;
        if tail.readers == 0 {
            self.slot_free.notify_one();
        }
    }

    fn send(&self, message: u32) {
        let mut tail = self.tail.lock();
        while tail.readers > 0 {
            tail = self.slot_free.wait(tail);
        }
        let readers = tail.readers;
        overwrite(&mut tail.slot, readers, message);
    }
    // ANCHOR_END: channel

    fn slot(&self) -> u32 {
        self.tail.lock().slot.message
    }
}
