// Wrong fix: a tag beside the top buffer, compared and swapped with it, but copied from the
// old top instead of counted up. A tag that never changes tells no two states apart.

use crate::{Arena, Buf, BufferPool, Link};
use racebook_check::sync::atomic::{Atomic, Ordering, Packed};
use std::fmt;

/// The top of the stack: which buffer, and how many times `head` has changed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Top {
    link: Link,
    tag: u32,
}

impl Top {
    /// `link` on top, with the tag carried along.
    fn then(self, link: Link) -> Top {
        Top {
            link,
            tag: self.tag,
        }
    }
}

/// The link in the low 32 bits, the tag in the high 32: one value, compared and swapped whole.
impl Packed for Top {
    fn pack(self) -> u64 {
        self.link.pack() | (u64::from(self.tag) << 32)
    }
    fn unpack(bits: u64) -> Top {
        Top {
            link: Link::unpack(bits & 0xffff_ffff),
            tag: (bits >> 32) as u32,
        }
    }
}

impl fmt::Debug for Top {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} (tag {})", self.link, self.tag)
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
                tag: 0,
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
                top.then(below),
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
                top.then(Link(Some(buf))),
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
