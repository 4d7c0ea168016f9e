//! Named threads on real OS threads, shuttle or loom. A panic in a spawned thread becomes the
//! run's failure (the first one wins) and `join` returns it as an error, as `std` does. Parking,
//! joining and scoped threads are the facade's own waits under the model engines (see
//! `crate::blocking`), so a thread that can never go on is reported, not hung.

use crate::blocking;
use crate::engine;
use crate::record::{self, Event};
use crate::run;
use racebook_trace::{EngineKind, Op, ThreadId};
use std::any::Any;
use std::panic::{self, AssertUnwindSafe, Location};
use std::time::Duration;

mod handle;
mod scope;

pub use handle::{JoinHandle, Thread, current, park, park_timeout};
pub use scope::{Scope, ScopedJoinHandle, scope};

type Payload = Box<dyn Any + Send + 'static>;

/// Run `body` as the thread body of a facade thread: record its start and finish, turn a
/// panic into the run's failure. Under loom the panic goes on unwinding, so that loom stops the
/// model at once (catching it would leave loom's state half-updated) — except in a scoped
/// thread (`defer`), whose panic its scope raises once every scoped thread has ended, as std
/// does: the scope's threads borrow from the stack that raising it at once would unwind.
pub(crate) fn thread_body<T>(
    id: Option<ThreadId>,
    at: &'static Location<'static>,
    defer: bool,
    body: impl FnOnce() -> T,
) -> Result<T, Payload> {
    if let Some(id) = id {
        record::bind_current(id);
    }
    blocking::bind_recorded(id);
    record::step(at, || Event::new(Op::Start));
    let result = panic::catch_unwind(AssertUnwindSafe(body));
    if let Err(payload) = &result {
        run::fail_with_panic(payload.as_ref());
        // The facade recorded its own step where it stopped a stuck thread.
        if payload.downcast_ref::<blocking::StuckReport>().is_none() {
            record::step(at, || {
                Event::new(Op::Panic).value(run::short_panic(payload.as_ref()))
            });
        }
    }
    match result {
        Err(payload) if engine::current() == EngineKind::Loom && !defer => {
            panic::resume_unwind(payload)
        }
        r => {
            record::step(at, || Event::new(Op::Finish));
            blocking::finishing();
            r
        }
    }
}

/// Like std's `thread::spawn`: run `f` on a new thread. Reports name the thread after the
/// binding that holds its handle (`let writer = …`), or after where it was spawned;
/// [`spawn_named`] or [`Builder`] name it explicitly.
#[track_caller]
pub fn spawn<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let at = Location::caller();
    handle::start(&crate::naming::derived("thread", at), at, false, f)
}

/// Spawn a thread named `name` (as reports show it) running `f`.
#[track_caller]
pub fn spawn_named<F, T>(name: &str, f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    handle::start(name, Location::caller(), false, f)
}

/// Like std's `thread::Builder`: a thread's name before it is spawned.
#[derive(Debug, Default)]
pub struct Builder {
    name: Option<String>,
}

impl Builder {
    /// A builder with no name yet: the thread is then named as [`spawn`] names it.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// The name reports use for the thread.
    pub fn name(mut self, name: String) -> Builder {
        self.name = Some(name);
        self
    }

    /// Spawn the thread. Never fails under the checkers; on real threads it fails as std's does
    /// when the operating system refuses a thread.
    #[track_caller]
    pub fn spawn<F, T>(self, f: F) -> std::io::Result<JoinHandle<T>>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let at = Location::caller();
        let name = self
            .name
            .unwrap_or_else(|| crate::naming::derived("thread", at));
        Ok(handle::start(&name, at, false, f))
    }
}

/// Let another thread run.
#[track_caller]
pub fn yield_now() {
    record::step(Location::caller(), || Event::new(Op::Yield));
    match engine::current() {
        EngineKind::Real => std::thread::yield_now(),
        EngineKind::Shuttle => shuttle::thread::yield_now(),
        EngineKind::Loom => loom::thread::yield_now(),
    }
}

/// Sleep on real threads. The checkers have no clock: there a sleep is only a chance for other
/// threads to run, which is exactly why a sleep never fixes a race.
#[track_caller]
pub fn sleep(duration: Duration) {
    record::step(Location::caller(), || {
        Event::new(Op::Sleep).value(format!("{duration:?}"))
    });
    match engine::current() {
        EngineKind::Real => std::thread::sleep(duration),
        EngineKind::Shuttle => shuttle::thread::sleep(duration),
        EngineKind::Loom => loom::thread::yield_now(),
    }
}
