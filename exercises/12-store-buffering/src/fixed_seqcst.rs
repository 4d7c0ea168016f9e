//! Fix: every access of the handshake `SeqCst` (the repair futures-rs made in PR 219).
//!
//! `SeqCst` puts all of these accesses in one order that both threads agree on. Whichever of
//! the two sides' writes comes first in it, the other side's read after it sees it: either the
//! sender finds the lock free and sees `wake_me`, or the receiver's second look sees the
//! message. The lock's own data (`wake_me`) is `SeqCst` too, so that every atomic access here
//! is: that is what lets a sequentially consistent search decide this code.

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
        self.message.store(message, Ordering::SeqCst);
        if !self.busy.swap(true, Ordering::SeqCst) {
            if self.wake_me.load(Ordering::SeqCst) {
                receiver.unpark();
            }
            self.busy.store(false, Ordering::SeqCst);
        }
        // Else the receiver holds the lock: it looks again once it lets go.
    }

    fn try_recv(&self) -> Option<u32> {
        let seen = self.message.load(Ordering::SeqCst);
        if seen != 0 {
            return Some(seen);
        }
        if !self.busy.swap(true, Ordering::SeqCst) {
            self.wake_me.store(true, Ordering::SeqCst);
            self.busy.store(false, Ordering::SeqCst);
        }
        // The sender may have sent meanwhile, and left the wakeup to this second look.
        let seen = self.message.load(Ordering::SeqCst);
        (seen != 0).then_some(seen)
    }
}
// ANCHOR_END: channel
