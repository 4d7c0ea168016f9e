//! Wrong fix: the loads of the message made `SeqCst`, the stores left `Release`.
//!
//! The single order only constrains a load against `SeqCst` writes; a `Release` store is not
//! one, so the receiver's second look can still miss it.

use crate::OneShot;
use racebook_check::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use racebook_check::thread::Thread;

pub struct Shared {
    /// The message; 0 until it is sent.
    message: AtomicU32,
    /// The little lock around `wake_me`.
    busy: AtomicBool,
    /// The receiver asked to be woken.
    wake_me: AtomicBool,
}

// ANCHOR: channel
impl OneShot for Shared {
    fn open() -> Shared {
        Shared {
            message: AtomicU32::new(0),
            busy: AtomicBool::new(false),
            wake_me: AtomicBool::new(false),
        }
    }

    fn send(&self, message: u32, receiver: &Thread) {
        self.message.store(message, Ordering::Release);
        if !self.busy.swap(true, Ordering::Acquire) {
            if self.wake_me.load(Ordering::Relaxed) {
                receiver.unpark();
            }
            self.busy.store(false, Ordering::Release);
        }
        // Else the receiver holds the lock: it looks again once it lets go.
    }

    fn try_recv(&self) -> Option<u32> {
        let seen = self.message.load(Ordering::SeqCst);
        if seen != 0 {
            return Some(seen);
        }
        if !self.busy.swap(true, Ordering::Acquire) {
            self.wake_me.store(true, Ordering::Relaxed);
            self.busy.store(false, Ordering::Release);
        }
        // The sender may have sent meanwhile, and left the wakeup to this second look.
        let seen = self.message.load(Ordering::SeqCst);
        (seen != 0).then_some(seen)
    }
}
// ANCHOR_END: channel
