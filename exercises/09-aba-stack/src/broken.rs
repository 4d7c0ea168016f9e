//! The buffer pool: a lock-free stack of the free buffers.
//!
//! Taking a buffer reads the top one and the one below it, then swaps `head` from the first to
//! the second, if `head` still names the first. Giving one back links it above the top and
//! swaps it in. Each step is atomic, and the orderings hand the links over properly. And yet,
//! between `take`'s read of the link below and its compare-and-swap, other requests may take
//! that buffer, take the one below it, and give the first back. Fix it here.

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
            // If `head` still names `buf`, `below` is the buffer under it. Or is it?
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
