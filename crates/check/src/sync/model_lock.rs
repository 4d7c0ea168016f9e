//! The state of a facade object the facade keeps itself under a model engine (a condvar's
//! waiters, a channel's queue, a barrier's count), behind a lock that makes every use of it a
//! point the engine orders: a scheduling point under shuttle, and under loom a loom mutex, so
//! that loom sees two uses of one object as dependent, explores both orders, and carries
//! happens-before from one to the next. It is never held while a thread blocks.

use racebook_trace::EngineKind;
use std::sync::PoisonError;

pub(crate) enum ModelLock<T> {
    /// With the state's name for the reduced search's footprints (`por::state_object`).
    Shuttle(std::sync::Mutex<T>, Option<racebook_trace::ObjectId>),
    Loom(loom::sync::Mutex<T>),
}

impl<T> ModelLock<T> {
    /// `None` on real threads, which use std's primitives instead.
    pub fn new(engine: EngineKind, value: T) -> Option<ModelLock<T>> {
        match engine {
            EngineKind::Real => None,
            EngineKind::Shuttle => Some(ModelLock::Shuttle(
                std::sync::Mutex::new(value),
                racebook_engine::por::state_object(),
            )),
            EngineKind::Loom => Some(ModelLock::Loom(loom::sync::Mutex::new(value))),
        }
    }

    /// Use the state, at a scheduling point.
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        match self {
            ModelLock::Shuttle(m, name) => {
                shuttle_engine::runtime::thread::switch();
                racebook_engine::por::state_access(*name);
                f(&mut m.lock().unwrap_or_else(PoisonError::into_inner))
            }
            ModelLock::Loom(m) => f(&mut m.lock().unwrap_or_else(PoisonError::into_inner)),
        }
    }

    /// The engine it was built for.
    pub fn engine(&self) -> EngineKind {
        match self {
            ModelLock::Shuttle(..) => EngineKind::Shuttle,
            ModelLock::Loom(_) => EngineKind::Loom,
        }
    }
}
