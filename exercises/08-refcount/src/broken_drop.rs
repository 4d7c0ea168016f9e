//! The count's other half: `get_mut` acquires now, but `drop` takes its handle away with a
//! `Relaxed` decrement and frees the batch with no fence, as the hand-written `Arc` of the
//! stabby crate did (ZettaScaleLabs/stabby pull request 139). The thread that frees has not
//! heard of the other thread's reads of the batch.

use crate::{Batch, Handle, Inner, allocate, free, read, write};
use racebook_check::sync::atomic::Ordering;
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
        // The only handle: every other handle's drop released its uses of the batch, and this
        // load acquires them.
        let count = unsafe { self.inner.as_ref() }.count.load(Ordering::Acquire);
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
            .fetch_sub(1, Ordering::Relaxed);
        if before == 1 {
            // SAFETY: that was the last handle.
            unsafe { free(self.inner) };
        }
    }
    // ANCHOR_END: drop
}
