//! How a model thread blocks in a facade wait, and how another thread wakes it, on each engine.
//!
//! Shuttle: the task is blocked in shuttle's runtime, either so that only a wake ends it, or so
//! that shuttle's scheduler may also end it at any decision (a spurious wakeup, offered to the
//! scheduler as one more choice; shuttle's own `park` works this way). Loom: `park`/`unpark`,
//! which loom never wakes spuriously, or a per-thread `loom::sync::Notify`, whose one spurious
//! wakeup per object loom explores as a branch. Both engines run every model thread on one OS
//! thread, so nothing here races, and a wake sent between the facade's decision to block and
//! the engine's block cannot happen.

use shuttle_engine::runtime::execution::ExecutionState;
use shuttle_engine::runtime::task::TaskId;
use std::rc::Rc;

/// The engine's handle to wake a model thread.
#[derive(Clone)]
pub enum Parker {
    Shuttle(usize),
    Loom {
        thread: loom::thread::Thread,
        /// Made by the thread itself the first time it waits in a way that may end spuriously
        /// (a loom object must be made inside the model).
        notify: Option<Rc<loom::sync::Notify>>,
        /// Taken briefly by `park` and by every `unpark` of this thread, so that loom orders the
        /// two and explores both orders (loom's own park and unpark touch no object it tracks).
        point: Rc<loom::sync::Mutex<()>>,
    },
}

/// Where a thread's park state is touched: a scheduling point ordered with the others.
pub enum Point {
    Shuttle,
    Loom(Rc<loom::sync::Mutex<()>>),
}

impl Point {
    pub fn pass(&self) {
        match self {
            Point::Shuttle => switch_shuttle(),
            Point::Loom(m) => drop(m.lock()),
        }
    }
}

/// What the current thread blocks on, taken out of the world so that no borrow is held while
/// the engine runs other threads.
pub enum Blocker {
    Shuttle,
    Loom(Option<Rc<loom::sync::Notify>>),
}

impl Parker {
    /// The current model thread's handle.
    pub fn current(key: super::world::Key) -> Parker {
        match key {
            super::world::Key::Shuttle(task) => Parker::Shuttle(task),
            super::world::Key::Loom(_) => Parker::loom(loom::thread::current()),
        }
    }

    /// A loom thread's handle (built inside the model, by whoever first sees the thread).
    pub fn loom(thread: loom::thread::Thread) -> Parker {
        Parker::Loom {
            thread,
            notify: None,
            point: Rc::new(loom::sync::Mutex::new(())),
        }
    }

    /// The thread's park point.
    pub fn point(&self) -> Point {
        match self {
            Parker::Shuttle(_) => Point::Shuttle,
            Parker::Loom { point, .. } => Point::Loom(point.clone()),
        }
    }

    /// How the current thread blocks, `spurious` saying whether the engine may end the block
    /// with no wake.
    pub fn blocker(&mut self, spurious: bool) -> Blocker {
        match self {
            Parker::Shuttle(_) => Blocker::Shuttle,
            Parker::Loom { notify, .. } if spurious => {
                let n = notify.get_or_insert_with(|| Rc::new(loom::sync::Notify::new()));
                Blocker::Loom(Some(n.clone()))
            }
            Parker::Loom { .. } => Blocker::Loom(None),
        }
    }

    /// Wake the thread, blocked as `spurious` says.
    pub fn wake(&self, spurious: bool) {
        match self {
            Parker::Shuttle(task) => {
                ExecutionState::with(|s| s.get_mut(TaskId::from(*task)).unblock());
            }
            Parker::Loom { thread, notify, .. } => match (spurious, notify) {
                (true, Some(n)) => n.notify(),
                _ => thread.unpark(),
            },
        }
    }
}

impl Blocker {
    /// Block the current thread until a wake (or, when spurious, until the engine ends it).
    pub fn block(&self, spurious: bool) {
        match self {
            Blocker::Shuttle => {
                ExecutionState::with(|s| s.current_mut().block(spurious));
                if spurious {
                    // As shuttle's own `park`: without this hint some schedulers would pick the
                    // task again at once, and nearly every such wait would end spuriously.
                    ExecutionState::request_yield();
                }
                shuttle_engine::runtime::thread::switch();
            }
            Blocker::Loom(Some(n)) => n.wait(),
            Blocker::Loom(None) => loom::thread::park(),
        }
    }
}

/// Let shuttle's scheduler decide again, the current task staying runnable.
pub fn switch_shuttle() {
    shuttle_engine::runtime::thread::switch();
}
