//! Synchronization primitives that run on every engine. `Arc` is the standard one: loom's own
//! `Arc` turns a deadlock into a double panic that aborts the test binary (loom issue 291), and
//! the standard one also makes loom's search about three times smaller.

pub mod atomic;
mod barrier;
pub(crate) mod condvar;
mod model_lock;
pub mod mpsc;
mod mutex;
mod once;
mod rwlock;
mod tracked;

pub use barrier::{Barrier, BarrierWaitResult};
pub use condvar::{Condvar, WaitTimeoutResult};
pub(crate) use model_lock::ModelLock;
pub use mutex::{Mutex, MutexGuard};
pub use once::{LazyLock, OnceLock};
pub use rwlock::{RwLock, RwLockReadGuard, RwLockWriteGuard};
pub use std::sync::Arc;
pub(crate) use tracked::Tracked;
