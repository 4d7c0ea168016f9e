//! Facade state kept in a plain mutex (a oneshot's slot, a semaphore's queue) that shuttle tasks
//! share without a recorded step of their own: each use is named in the reduced search's
//! footprints (`racebook_engine::por`), so that a step that only looks at it is not taken for
//! one that commutes with a step that changes it.

use racebook_trace::ObjectId;
use std::sync::{Mutex, MutexGuard, PoisonError};

pub(crate) struct Tracked<T> {
    inner: Mutex<T>,
    name: Option<ObjectId>,
}

impl<T> Tracked<T> {
    pub fn new(value: T) -> Tracked<T> {
        Tracked {
            inner: Mutex::new(value),
            name: racebook_engine::por::state_object(),
        }
    }

    /// The state, counted as written by the running step.
    pub fn lock(&self) -> MutexGuard<'_, T> {
        racebook_engine::por::state_access(self.name);
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
