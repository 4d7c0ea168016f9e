// Wrong fix: read the count with a read-modify-write, "because an RMW always sees the latest
// value". It does, and it is still `Relaxed`: the latest value is not happens-before.

use crate::{Batch, Handle, Inner, allocate, free, read, write};
use racebook_check::sync::atomic::{Ordering, fence};
use std::ptr::NonNull;

pub struct Shared {
    inner: NonNull<Inner>,
}

// SAFETY: the batch is only written by the last handle (`get_mut`, `drop`), and a handle
// may move to another thread, as an `Arc` may.
unsafe impl Send for Shared {}

impl Handle for Shared {
    fn new(batch: Batch) -> Shared {
        Shared {
            inner: allocate(batch),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&Batch) -> R) -> R {
        // SAFETY: this handle keeps the batch allocated; writers need the only handle.
        unsafe { read(self.inner, f) }
    }

    // ANCHOR: get_mut
    fn get_mut<R>(&mut self, f: impl FnOnce(&mut Batch) -> R) -> Option<R> {
        // An RMW reads the newest count, so it cannot be stale.
        let count = unsafe { self.inner.as_ref() }
            .count
            .fetch_add(0, Ordering::Relaxed);
        if count == 1 {
            // SAFETY: we hold the only handle.
            Some(unsafe { write(self.inner, f) })
        } else {
            None
        }
    }
    // ANCHOR_END: get_mut
}

impl Clone for Shared {
    // ANCHOR: clone
    fn clone(&self) -> Shared {
        // SAFETY: this handle keeps the allocation alive.
        unsafe { self.inner.as_ref() }
            .count
            .fetch_add(1, Ordering::Relaxed);
        Shared { inner: self.inner }
    }
    // ANCHOR_END: clone
}

impl Drop for Shared {
    // ANCHOR: drop
    fn drop(&mut self) {
        // SAFETY: this handle keeps the allocation alive until the decrement.
        let before = unsafe { self.inner.as_ref() }
            .count
            .fetch_sub(1, Ordering::Release);
        if before == 1 {
            fence(Ordering::Acquire);
            // SAFETY: that was the last handle.
            unsafe { free(self.inner) };
        }
    }
    // ANCHOR_END: drop
}
