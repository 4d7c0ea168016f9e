// Wrong fix: read the link below the top a second time before the compare-and-swap, and start
// over if it changed. Another request can still take, take and give back between that second
// read and the swap, and a link that was changed and changed back looks unchanged too.

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
            // Read the link again: if it moved, `below` is stale, so start over.
            if self.arena.next(buf).load(Ordering::Acquire) != below {
                top = self.head.load(Ordering::Acquire);
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
