//! The async layer, like tokio's: spawn, block_on, [`select!`](crate::select), sleep and
//! timeout, abort, and the waits (`Mutex`, `RwLock`, `Semaphore`, `mpsc`, `oneshot`), on a
//! real multi-thread tokio runtime or under shuttle's executor. Loom has no executor, so async
//! scenarios never run under loom (the harness says so in its report).
//!
//! Under shuttle every wait is the facade's own: a task that can never be woken again is found
//! by the facade, which names the task, what it waits on and where, and who holds that; when a
//! task waits on a future of its own that it no longer polls (a futurelock), the report says
//! so. Timers fire when the model chooses (see [`sleep`]).

use crate::engine;
use crate::record::{self, Event};
use crate::run::{self, RunShared};
use racebook_trace::{EngineKind, Op, ThreadId};
use std::any::Any;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe, Location};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll, Wake, Waker};

mod handle;
pub mod mpsc;
mod mutex;
pub mod oneshot;
mod permits;
mod rwlock;
mod select;
mod semaphore;
mod time;
mod words;
#[doc(hidden)]
pub mod world;

pub use handle::{JoinError, JoinHandle};
pub use mutex::{Mutex, MutexGuard};
pub use rwlock::{RwLock, RwLockReadGuard, RwLockWriteGuard};
#[doc(hidden)]
pub use select::__select;
pub use semaphore::{AcquireError, Semaphore, SemaphorePermit, TryAcquireError};
pub use time::{Elapsed, Sleep, Timeout, sleep, timeout};

/// The old name of [`JoinHandle`].
pub type TaskHandle<T> = JoinHandle<T>;

type Payload = Box<dyn Any + Send + 'static>;

/// The real runtime: two worker threads, like the machine's two cores, built once.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio starts a runtime")
    })
}

fn unsupported() -> ! {
    panic!("loom has no async executor: async scenarios run on tokio and shuttle only")
}

/// A new execution: no task waits on anything yet, no timer is armed.
pub(crate) fn reset() {
    world::reset();
    time::reset();
}

/// Wakes the task and remembers that it was woken, so that the facade knows whether the task
/// is about to sleep.
struct Flagged {
    inner: Waker,
    woken: Arc<AtomicBool>,
}

impl Wake for Flagged {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Relaxed);
        self.inner.wake_by_ref();
    }
}

/// A task's top-level future, polled as the facade sees it: under shuttle each poll starts with
/// no waits, and a poll that leaves the task asleep checks whether anything could still wake it.
struct Watched<F> {
    fut: Option<Pin<Box<F>>>,
    woken: Arc<AtomicBool>,
    at: &'static Location<'static>,
    /// A spawned task (not the scenario's `block_on`): its finish may leave the others stuck.
    spawned: bool,
}

impl<F: Future> Watched<F> {
    fn new(fut: F, at: &'static Location<'static>, spawned: bool) -> Watched<F> {
        Watched {
            fut: Some(Box::pin(fut)),
            woken: Arc::default(),
            at,
            spawned,
        }
    }

    /// Poll the future (under shuttle, as the facade sees it).
    fn poll_watched(&mut self, cx: &mut Context<'_>) -> Poll<F::Output> {
        if engine::current() != EngineKind::Shuttle {
            return match self.fut.as_mut() {
                Some(f) => f.as_mut().poll(cx),
                None => Poll::Pending,
            };
        }
        world::begin_poll();
        record::done_waiting();
        self.woken.store(false, Ordering::Relaxed);
        let waker = Waker::from(Arc::new(Flagged {
            inner: cx.waker().clone(),
            woken: self.woken.clone(),
        }));
        let Some(fut) = self.fut.as_mut() else {
            // Kept from finishing because the run is stuck: the scheduler stops it.
            return Poll::Pending;
        };
        match fut.as_mut().poll(&mut Context::from_waker(&waker)) {
            Poll::Pending => {
                if !self.woken.load(Ordering::Relaxed) {
                    world::check_stuck(false, cx.waker(), self.at);
                }
                Poll::Pending
            }
            Poll::Ready(v) => {
                // Its state (guards, senders) is dropped before the check.
                self.fut = None;
                if self.spawned && world::check_stuck(true, cx.waker(), self.at) {
                    return Poll::Pending;
                }
                Poll::Ready(v)
            }
        }
    }
}

/// A task body: carries the run's context onto whichever worker polls it, records the task's
/// start and finish, and turns a panic into the run's failure.
struct Traced<F> {
    watched: Watched<F>,
    ctx: Option<Arc<RunShared>>,
    id: Option<ThreadId>,
    name: Arc<str>,
    cell: Arc<handle::TaskCell>,
    at: &'static Location<'static>,
    started: bool,
    finished: bool,
}

impl<F: Future> Future for Traced<F> {
    type Output = Result<F::Output, Payload>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let mut step = || {
            if !this.started {
                this.started = true;
                if let Some(id) = this.id {
                    record::bind_current(id);
                }
                if let Some(t) = world::me() {
                    this.cell.set(t);
                }
                world::name_current(&this.name);
                record::step(this.at, || Event::new(Op::Start));
            }
            match panic::catch_unwind(AssertUnwindSafe(|| this.watched.poll_watched(cx))) {
                Ok(Poll::Pending) => Poll::Pending,
                Ok(Poll::Ready(v)) => {
                    this.finished = true;
                    record::step(this.at, || Event::new(Op::Finish));
                    Poll::Ready(Ok(v))
                }
                // Shuttle tears a task left behind at the end of an execution down by unwinding
                // its stack: not a panic of the code, and not for the facade to stop.
                Err(payload)
                    if shuttle_engine::runtime::execution::ExecutionState::unwinding_for_teardown() =>
                {
                    panic::resume_unwind(payload)
                }
                Err(payload) => {
                    this.finished = true;
                    run::fail_with_panic(payload.as_ref());
                    record::step(this.at, || {
                        Event::new(Op::Panic).value(run::short_panic(payload.as_ref()))
                    });
                    Poll::Ready(Err(payload))
                }
            }
        };
        match this.ctx.clone() {
            Some(ctx) if engine::current() == EngineKind::Real => run::with_context(ctx, step),
            _ => step(),
        }
    }
}

/// Run a future to completion on the current engine, blocking this thread.
#[track_caller]
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let at = Location::caller();
    match engine::current() {
        EngineKind::Real => runtime().block_on(fut),
        EngineKind::Shuttle => {
            let mut watched = Watched::new(fut, at, false);
            shuttle::future::block_on(std::future::poll_fn(|cx| watched.poll_watched(cx)))
        }
        EngineKind::Loom => unsupported(),
    }
}

/// Like tokio's `spawn`: run `fut` as a new task. Reports name the task after the binding that
/// holds its handle, or after where it was spawned; [`spawn_named`] names it explicitly.
#[track_caller]
pub fn spawn<F>(fut: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let at = Location::caller();
    start(&crate::naming::derived("task", at), at, fut)
}

/// Spawn a task named `name` (as reports show it).
#[track_caller]
pub fn spawn_named<F>(name: &str, fut: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    start(name, Location::caller(), fut)
}

fn start<F>(name: &str, at: &'static Location<'static>, fut: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let task = record::new_thread(name, at);
    record::step(at, || Event::new(Op::Spawn).thread(task));
    let name: Arc<str> = name.into();
    let cell = handle::TaskCell::new();
    let traced = Traced {
        watched: Watched::new(fut, at, true),
        ctx: run::context(),
        id: task,
        name: name.clone(),
        cell: cell.clone(),
        at,
        started: false,
        finished: false,
    };
    let inner = match engine::current() {
        EngineKind::Real => handle::HandleInner::Real(runtime().spawn(traced)),
        EngineKind::Shuttle => {
            let h = shuttle::future::spawn(traced);
            // On a multi-thread runtime the new task may start at once, before its spawner
            // goes on: a scheduling point where it can.
            shuttle_engine::runtime::thread::switch();
            handle::HandleInner::Shuttle(h)
        }
        EngineKind::Loom => unsupported(),
    };
    JoinHandle {
        inner,
        task,
        cell,
        name,
        at,
    }
}

/// Let other tasks run.
#[track_caller]
pub fn yield_now() -> impl Future<Output = ()> {
    let at = Location::caller();
    async move {
        record::step(at, || Event::new(Op::Yield));
        match engine::current() {
            EngineKind::Real => tokio::task::yield_now().await,
            EngineKind::Shuttle => shuttle::future::yield_now().await,
            EngineKind::Loom => unsupported(),
        }
    }
}
