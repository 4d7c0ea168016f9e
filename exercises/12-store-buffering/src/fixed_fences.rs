//! Fix: the orderings stay as they were, and each side puts a `fence(SeqCst)` between its write
//! and the read that follows it.
//!
//! Two `SeqCst` fences are ordered one before the other. Whatever the sender wrote before its
//! fence is then visible to the receiver's reads after its own fence, if the sender's fence
//! came first; and the other way round if it came second. So one of the two sides sees the
//! other's write, and the wakeup is never skipped by both.

use crate::OneShot;
use racebook_check::sync::atomic::{AtomicBool, AtomicU32, Ordering, fence};
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
        fence(Ordering::SeqCst);
        if !self.busy.swap(true, Ordering::Acquire) {
            if self.wake_me.load(Ordering::Relaxed) {
                receiver.unpark();
            }
            self.busy.store(false, Ordering::Release);
        }
        // Else the receiver holds the lock: it looks again once it lets go.
    }

    fn try_recv(&self) -> Option<u32> {
        let seen = self.message.load(Ordering::Acquire);
        if seen != 0 {
            return Some(seen);
        }
        if !self.busy.swap(true, Ordering::Acquire) {
            self.wake_me.store(true, Ordering::Relaxed);
            self.busy.store(false, Ordering::Release);
        }
        fence(Ordering::SeqCst);
        // The sender may have sent meanwhile, and left the wakeup to this second look.
        let seen = self.message.load(Ordering::Acquire);
        (seen != 0).then_some(seen)
    }
}
// ANCHOR_END: channel
