// Wrong fix: a one-bit tag that flips on every take. Two takes flip it back: a request that
// read the top, then slept while another took two buffers and gave the first back, finds the
// same buffer and the same bit, and its compare-and-swap succeeds. A tag must not wrap within
// what a sleeping thread can miss (the reference fix's 32 bits wrap after four billion changes).

use crate::{Arena, Buf, BufferPool, Link};
use racebook_check::sync::atomic::{Atomic, Ordering, Packed};
use std::fmt;

/// The top of the stack: which buffer, and a flag that flips on every take.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Top {
    link: Link,
    tag: bool,
}

impl Top {
    /// `link` on top after a take: the flag flips.
    fn taken(self, link: Link) -> Top {
        Top {
            link,
            tag: !self.tag,
        }
    }

    /// `link` on top after a give: the flag stays.
    fn given(self, link: Link) -> Top {
        Top {
            link,
            tag: self.tag,
        }
    }
}

/// The link in the low 32 bits, the flag in bit 32.
impl Packed for Top {
    fn pack(self) -> u64 {
        self.link.pack() | (u64::from(self.tag) << 32)
    }
    fn unpack(bits: u64) -> Top {
        Top {
            link: Link::unpack(bits & 0xffff_ffff),
            tag: bits >> 32 != 0,
        }
    }
}

impl fmt::Debug for Top {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} (bit {})", self.link, u8::from(self.tag))
    }
}

pub struct Pool {
    arena: Arena,
    head: Atomic<Top>,
}

impl BufferPool for Pool {
    fn new(arena: Arena) -> Pool {
        Pool {
            arena,
            head: Atomic::new(Top {
                link: Link(Some(Buf(0))),
                tag: false,
            }),
        }
    }

    // ANCHOR: take
    fn take(&self) -> Option<Buf> {
        let mut top = self.head.load(Ordering::Acquire);
        loop {
            let buf = top.link.0?;
            let below = self.arena.next(buf).load(Ordering::Relaxed);
            match self.head.compare_exchange(
                top,
                top.taken(below),
                Ordering::Acquire,
                Ordering::Acquire,
            ) {
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
            self.arena.next(buf).store(top.link, Ordering::Relaxed);
            match self.head.compare_exchange(
                top,
                top.given(Link(Some(buf))),
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
