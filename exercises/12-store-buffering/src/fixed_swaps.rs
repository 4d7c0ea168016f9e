//! Fix: no `SeqCst` at all. The lock is taken with `AcqRel` swaps, and the receiver lets go of
//! it with an `AcqRel` swap too.
//!
//! Read-modify-writes of one atomic always read its newest value, so they form a chain. When
//! the sender's swap finds the lock taken, the receiver's swap that lets go comes after it in
//! that chain and reads what it wrote; with `AcqRel` on both, the sender's earlier store of the
//! message happens before the receiver's second look. When the receiver's swap finds the lock
//! taken by the sender, the same holds the other way round.

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
        if !self.busy.swap(true, Ordering::AcqRel) {
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
        if !self.busy.swap(true, Ordering::AcqRel) {
            self.wake_me.store(true, Ordering::Relaxed);
            self.busy.swap(false, Ordering::AcqRel);
        }
        // The sender may have sent meanwhile, and left the wakeup to this second look.
        let seen = self.message.load(Ordering::Acquire);
        (seen != 0).then_some(seen)
    }
}
// ANCHOR_END: channel
