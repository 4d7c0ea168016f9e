//! Spawning and joining, thread handles, and parking.

use super::{Payload, thread_body};
use crate::blocking::{self, Tid, Woken};
use crate::engine;
use crate::record::{self, Event};
use crate::run;
use racebook_trace::{EngineKind, Op, ThreadId};
use std::panic::Location;
use std::time::Duration;

enum Inner<T> {
    Real(std::thread::JoinHandle<Result<T, Payload>>),
    Shuttle(shuttle::thread::JoinHandle<Result<T, Payload>>),
    Loom(loom::thread::JoinHandle<Result<T, Payload>>),
}

/// An owned permission to wait for a spawned thread.
pub struct JoinHandle<T> {
    inner: Inner<T>,
    thread: Thread,
}

/// Start a facade thread: `defer` for a scoped thread (see `thread_body`).
pub(crate) fn start<F, T>(
    name: &str,
    at: &'static Location<'static>,
    defer: bool,
    f: F,
) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let child = record::new_thread(name, racebook_trace::UnitKind::Thread, at);
    record::step(at, || Event::new(Op::Spawn).thread(child));
    let body = move || thread_body(child, at, defer, f);
    let (inner, model) = match engine::current() {
        EngineKind::Real => {
            let ctx = run::context();
            let spawned =
                std::thread::Builder::new()
                    .name(name.to_string())
                    .spawn(move || match ctx {
                        Some(ctx) => run::with_context(ctx, body),
                        None => body(),
                    });
            let h = spawned.expect("the operating system refused to start a thread");
            let thread = Thread::real(h.thread().clone());
            return JoinHandle {
                inner: Inner::Real(h),
                thread,
            };
        }
        EngineKind::Shuttle => {
            let h = shuttle::thread::Builder::new()
                .name(name.to_string())
                .spawn(body)
                .expect("shuttle starts threads");
            let task = usize::from(h.thread().id());
            blocking::spawned_shuttle(task, name, child);
            (Inner::Shuttle(h), blocking::tid_of(Some(task), None))
        }
        EngineKind::Loom => {
            let h = loom::thread::Builder::new()
                .name(name.to_string())
                .spawn(body)
                .expect("loom starts threads");
            blocking::spawned_loom(h.thread(), name, child);
            let tid = blocking::tid_of(None, Some(h.thread().id()));
            (Inner::Loom(h), tid)
        }
    };
    JoinHandle {
        inner,
        thread: Thread::model(model, name, child),
    }
}

impl<T> JoinHandle<T> {
    /// Wait for the thread; `Err` carries its panic.
    #[track_caller]
    pub fn join(self) -> std::thread::Result<T> {
        self.join_at(Location::caller())
    }

    pub(crate) fn join_at(self, at: &'static Location<'static>) -> std::thread::Result<T> {
        if let Some(target) = self.thread.tid() {
            blocking::join_wait(target, at);
        }
        let joined = match self.inner {
            Inner::Real(h) => h.join(),
            Inner::Shuttle(h) => h.join(),
            Inner::Loom(h) => h.join(),
        };
        if let Some(target) = self.thread.tid() {
            blocking::running(blocking::On::Join(target));
        }
        record::step(at, || Event::new(Op::Join).thread(self.thread.recorded()));
        joined.and_then(|r| r)
    }

    /// The thread's handle, to unpark it or read its name.
    pub fn thread(&self) -> &Thread {
        &self.thread
    }
}

/// A handle to a thread: its name, and `unpark`.
#[derive(Clone, Debug)]
pub struct Thread {
    inner: ThreadInner,
}

#[derive(Clone, Debug)]
enum ThreadInner {
    Real(std::thread::Thread),
    Model {
        tid: Option<Tid>,
        name: String,
        recorded: Option<ThreadId>,
    },
}

impl Thread {
    fn real(t: std::thread::Thread) -> Thread {
        Thread {
            inner: ThreadInner::Real(t),
        }
    }

    fn model(tid: Option<Tid>, name: &str, recorded: Option<ThreadId>) -> Thread {
        Thread {
            inner: ThreadInner::Model {
                tid,
                name: name.to_string(),
                recorded,
            },
        }
    }

    fn tid(&self) -> Option<Tid> {
        match &self.inner {
            ThreadInner::Model { tid, .. } => *tid,
            ThreadInner::Real(_) => None,
        }
    }

    fn recorded(&self) -> Option<ThreadId> {
        match &self.inner {
            ThreadInner::Model { recorded, .. } => *recorded,
            ThreadInner::Real(_) => None,
        }
    }

    /// The thread's name, as reports show it.
    pub fn name(&self) -> Option<&str> {
        match &self.inner {
            ThreadInner::Real(t) => t.name(),
            ThreadInner::Model { name, .. } => Some(name),
        }
    }

    /// Make the thread's park token available, waking it if it is parked, as std's `unpark`.
    #[track_caller]
    pub fn unpark(&self) {
        let at = Location::caller();
        match &self.inner {
            ThreadInner::Real(t) => t.unpark(),
            ThreadInner::Model { tid, .. } => {
                if let (Some(me), Some(target)) = (blocking::me(), *tid) {
                    blocking::unpark(me, target, at);
                }
            }
        }
    }
}

/// The calling thread's handle.
pub fn current() -> Thread {
    match engine::current() {
        EngineKind::Real => Thread::real(std::thread::current()),
        _ => match blocking::me() {
            Some(me) => Thread::model(Some(me), &blocking::thread_name(me), blocking::recorded(me)),
            None => Thread::model(None, "?", None),
        },
    }
}

/// Block until this thread's park token is available, as std's `park`: an `unpark` before the
/// park leaves the token, and this park then uses it up and returns at once. The checkers may
/// also end a park spuriously (once per thread and run), as std allows, so park in a loop that
/// checks its own condition.
#[track_caller]
pub fn park() {
    park_at(Location::caller(), None);
}

/// `park`, giving up after `duration` on real threads. The checkers have no clock: the timeout
/// may fire at any time (once per thread and run), or when every other thread is stuck.
#[track_caller]
pub fn park_timeout(duration: Duration) {
    park_at(Location::caller(), Some(duration));
}

fn park_at(at: &'static Location<'static>, timeout: Option<Duration>) {
    match engine::current() {
        EngineKind::Real => match timeout {
            Some(d) => std::thread::park_timeout(d),
            None => std::thread::park(),
        },
        _ => {
            if let Some(me) = blocking::me() {
                let _: Woken = blocking::park(me, at, timeout);
            }
        }
    }
}
