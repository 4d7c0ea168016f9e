// Wrong fix: load `head` a second time just before the compare-and-swap, and start over if it
// changed. The second look sees the same buffer on top when the ABA has already happened (the
// buffer left and came back), and nothing stops it from happening after the look either.

use crate::{Arena, Buf, BufferPool, Link};
use racebook_check::sync::atomic::{Atomic, Ordering};

pub struct Pool {
    arena: Arena,
    head: Atomic<Link>,
}

impl BufferPool for Pool {
    fn new(arena: Arena) -> Pool {
        Pool {
            arena,
            head: Atomic::new(Link(Some(Buf(0)))),
        }
    }

    // ANCHOR: take
    fn take(&self) -> Option<Buf> {
        let mut top = self.head.load(Ordering::Acquire);
        loop {
            let buf = top.0?;
            let below = self.arena.next(buf).load(Ordering::Relaxed);
            // Look again: if `head` moved while we read `below`, start over.
            let again = self.head.load(Ordering::Acquire);
            if again != top {
                top = again;
                continue;
            }
            match self
                .head
                .compare_exchange(top, below, Ordering::Acquire, Ordering::Acquire)
            {
                Ok(_) => return Some(buf),
                Err(now) => top = now,
            }
        }
    }
    // ANCHOR_END: take

    // ANCHOR: give
    fn give(&self, buf: Buf) {
        let mut top = self.head.load(Ordering::Relaxed);
        loop {
            self.arena.next(buf).store(top, Ordering::Relaxed);
            match self.head.compare_exchange(
                top,
                Link(Some(buf)),
                Ordering::Release,
                Ordering::Relaxed,
            ) {
                Ok(_) => return,
                Err(now) => top = now,
            }
        }
    }
    // ANCHOR_END: give
}
