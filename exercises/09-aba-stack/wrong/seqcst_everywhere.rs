// Wrong fix: make every access SeqCst, "the strongest ordering there is". The orderings were
// never the problem: every interleaving runs the same way under SeqCst, ABA included, because
// the compare-and-swap still compares only which buffer is on top.

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
        let mut top = self.head.load(Ordering::SeqCst);
        loop {
            let buf = top.0?;
            let below = self.arena.next(buf).load(Ordering::SeqCst);
            match self
                .head
                .compare_exchange(top, below, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return Some(buf),
                Err(now) => top = now,
            }
        }
    }
    // ANCHOR_END: take

    // ANCHOR: give
    fn give(&self, buf: Buf) {
        let mut top = self.head.load(Ordering::SeqCst);
        loop {
            self.arena.next(buf).store(top, Ordering::SeqCst);
            match self.head.compare_exchange(
                top,
                Link(Some(buf)),
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => return,
                Err(now) => top = now,
            }
        }
    }
    // ANCHOR_END: give
}
