//! Scoped threads, as std's `thread::scope`, on every engine. Loom has none (loom issue 308;
//! its pull request 312 is unmerged), and shuttle's own scope returns without waiting when the
//! scope's closure panics, so the facade builds them itself, as std does: the threads' closures
//! borrow from the caller's stack, their lifetime is erased to spawn them, and the scope joins
//! every one of them before it returns, even when its closure or a thread panicked. Then it
//! raises the first panic, as std does.

use super::handle::{JoinHandle, start};
use std::marker::PhantomData;
use std::panic::{self, AssertUnwindSafe, Location};
use std::sync::{Arc, Mutex, PoisonError};

type Slot<T> = Arc<Mutex<Option<T>>>;

/// A scope to spawn threads in; see [`scope`].
pub struct Scope<'scope, 'env: 'scope> {
    /// Every thread spawned in the scope, until someone joins it.
    threads: Mutex<Vec<Slot<JoinHandle<()>>>>,
    scope: PhantomData<&'scope mut &'scope ()>,
    env: PhantomData<&'env mut &'env ()>,
}

/// An owned permission to join a scoped thread.
pub struct ScopedJoinHandle<'scope, T> {
    handle: Slot<JoinHandle<()>>,
    result: Slot<T>,
    thread: super::Thread,
    scope: PhantomData<&'scope ()>,
}

/// Run `f` with a scope in which it can spawn threads that borrow from outside it; every thread
/// is joined before `scope` returns. A panic of `f` or of a thread not joined by hand is raised
/// once all have ended.
#[track_caller]
pub fn scope<'env, F, T>(f: F) -> T
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> T,
{
    let at = Location::caller();
    let scope = Scope {
        threads: Mutex::new(Vec::new()),
        scope: PhantomData,
        env: PhantomData,
    };
    let result = panic::catch_unwind(AssertUnwindSafe(|| f(&scope)));
    let mut first_panic = None;
    // Threads may spawn more threads in the scope while it is joined: join until none is left.
    loop {
        let next = scope
            .threads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let Some(slot) = next else { break };
        let handle = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(handle) = handle
            && let Err(payload) = handle.join_at(at)
        {
            first_panic.get_or_insert(payload);
        }
    }
    match (result, first_panic) {
        (Err(payload), _) => panic::resume_unwind(payload),
        (Ok(_), Some(payload)) => panic::resume_unwind(payload),
        (Ok(value), None) => value,
    }
}

impl<'scope> Scope<'scope, '_> {
    /// Like std's `Scope::spawn`: a thread in the scope, which may borrow what outlives the
    /// scope. Reports name it as `thread::spawn` names threads.
    #[track_caller]
    pub fn spawn<F, T>(&'scope self, f: F) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        let at = Location::caller();
        self.start(&crate::naming::derived("thread", at), at, f)
    }

    /// A scoped thread named `name` (as reports show it).
    #[track_caller]
    pub fn spawn_named<F, T>(&'scope self, name: &str, f: F) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        self.start(name, Location::caller(), f)
    }

    fn start<F, T>(
        &'scope self,
        name: &str,
        at: &'static Location<'static>,
        f: F,
    ) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        let result: Slot<T> = Arc::new(Mutex::new(None));
        let into = result.clone();
        let body: Box<dyn FnOnce() + Send + 'scope> = Box::new(move || {
            let value = f();
            *into.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
        });
        // SAFETY: the thread is joined before the scope ends: `scope` joins every thread that
        // nobody joined by hand, also when its closure panics, so nothing the closure borrows
        // for 'scope is gone while the thread runs. This is how std's own scope works.
        let body: Box<dyn FnOnce() + Send + 'static> = unsafe { std::mem::transmute(body) };
        let handle = start(name, at, true, body);
        let thread = handle.thread().clone();
        let handle = Arc::new(Mutex::new(Some(handle)));
        self.threads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(handle.clone());
        ScopedJoinHandle {
            handle,
            result,
            thread,
            scope: PhantomData,
        }
    }
}

impl<T> ScopedJoinHandle<'_, T> {
    /// Wait for the thread; `Err` carries its panic, which the scope then does not raise again.
    #[track_caller]
    pub fn join(self) -> std::thread::Result<T> {
        let handle = self
            .handle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .expect("a scoped thread is joined once");
        handle.join_at(Location::caller())?;
        let value = self
            .result
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        Ok(value.expect("a thread that returned left its value"))
    }

    /// The thread's handle.
    pub fn thread(&self) -> &super::Thread {
        &self.thread
    }
}
