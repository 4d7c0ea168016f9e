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

/// Spawn a thread named `name` running `f`.
#[track_caller]
pub fn spawn<F, T>(name: &str, f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    handle::start(name, Location::caller(), false, f)
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
