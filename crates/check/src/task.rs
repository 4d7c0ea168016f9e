//! The async layer, like tokio's: spawn, block_on, [`select!`](crate::select), sleep and
//! timeout, abort, and the waits (`Mutex`, `RwLock`, `Semaphore`, `Notify`, `mpsc`,
//! `oneshot`), on a real multi-thread tokio runtime or under shuttle's executor. Loom has no
//! executor, so async scenarios never run under loom (the harness says so in its report).
//!
//! Under shuttle every wait is the facade's (see `crate::blocking`): a task's whole poll is
//! watched, so a task whose every branch waits on something nothing can end is reported with
//! what it waits on and who holds it; timers fire when the model chooses (see [`sleep`]).

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
mod notify;
pub mod oneshot;
mod own_lock;
mod permits;
mod rwlock;
mod select;
mod semaphore;
mod time;
mod unlock;

pub use handle::{JoinError, JoinHandle};
pub use mutex::{Mutex, MutexGuard};
pub use notify::{Notified, Notify};
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

// Which `select!` branch a future is polled in: kept by the engine, whose reports name it.
use racebook_engine::task::branch;

/// Give the engine what it asks of this layer (it does not depend on the facade): called
/// before any async state exists, by `block_on`, `start`, a lock and a clock.
fn install_hooks() {
    racebook_engine::task::install(racebook_engine::task::Hooks {
        reset,
        own_future_words: own_lock::own_future_words,
    });
}

/// A new execution: no timers, no locks (the engine clears the `select!` choices itself).
fn reset() {
    time::reset();
    own_lock::reset();
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

/// Poll a task's whole future as the facade sees it: under shuttle, a poll that leaves the task
/// asleep (pending, and not woken meanwhile) asks whether any thread could still run.
fn poll_watched<F: Future + ?Sized>(fut: Pin<&mut F>, cx: &mut Context<'_>) -> Poll<F::Output> {
    let Some(me) = crate::blocking::task_poll_begin() else {
        return fut.poll(cx);
    };
    let woken = Arc::new(AtomicBool::new(false));
    let waker = Waker::from(Arc::new(Flagged {
        inner: cx.waker().clone(),
        woken: woken.clone(),
    }));
    let polled = fut.poll(&mut Context::from_waker(&waker));
    if polled.is_pending() {
        crate::blocking::task_poll_end(me, woken.load(Ordering::Relaxed));
    }
    polled
}

/// A task body: carries the run's context onto whichever worker polls it, records the task's
/// start and finish, and turns a panic into the run's failure.
struct Traced<F> {
    fut: Pin<Box<F>>,
    ctx: Option<Arc<RunShared>>,
    id: Option<ThreadId>,
    at: &'static Location<'static>,
    started: bool,
    finished: bool,
}

impl<F: Future> Future for Traced<F> {
    type Output = Result<F::Output, Payload>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let mut step = || {
            if !this.started {
                this.started = true;
                if let Some(id) = this.id {
                    record::bind_current(id);
                }
                crate::blocking::bind_recorded(this.id);
                record::step(this.at, || Event::new(Op::Start));
            }
            match panic::catch_unwind(AssertUnwindSafe(|| poll_watched(this.fut.as_mut(), cx))) {
                Ok(Poll::Pending) => Poll::Pending,
                Ok(Poll::Ready(v)) => {
                    this.finished = true;
                    record::step(this.at, || Event::new(Op::Finish));
                    crate::blocking::finishing();
                    Poll::Ready(Ok(v))
                }
                // Shuttle tears a task left behind at the end of an execution down by unwinding
                // its stack: not a panic of the code, and not for the facade to report.
                Err(payload)
                    if shuttle_engine::runtime::execution::ExecutionState::unwinding_for_teardown() =>
                {
                    panic::resume_unwind(payload)
                }
                Err(payload) => {
                    this.finished = true;
                    run::fail_with_panic(payload.as_ref());
                    if payload
                        .downcast_ref::<crate::blocking::StuckReport>()
                        .is_none()
                    {
                        record::step(this.at, || {
                            Event::new(Op::Panic).value(run::short_panic(payload.as_ref()))
                        });
                    }
                    crate::blocking::finishing();
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

impl<F> Drop for Traced<F> {
    /// Dropped unfinished: the task was aborted (or the execution is torn down). An aborted
    /// task's end wakes the tasks that join it.
    fn drop(&mut self) {
        if !self.finished
            && self.started
            && !std::thread::panicking()
            && engine::current() == EngineKind::Shuttle
            && !crate::blocking::stop_requested()
        {
            crate::blocking::finishing();
        }
    }
}

/// Run a future to completion on the current engine, blocking this thread.
#[track_caller]
pub fn block_on<F: Future>(fut: F) -> F::Output {
    install_hooks();
    match engine::current() {
        EngineKind::Real => runtime().block_on(fut),
        EngineKind::Shuttle => {
            let mut fut = std::pin::pin!(fut);
            shuttle::future::block_on(std::future::poll_fn(|cx| poll_watched(fut.as_mut(), cx)))
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
    install_hooks();
    let task = record::new_thread(name, racebook_trace::UnitKind::Task, at);
    record::step(at, || Event::new(Op::Spawn).thread(task));
    let traced = Traced {
        fut: Box::pin(fut),
        ctx: run::context(),
        id: task,
        at,
        started: false,
        finished: false,
    };
    let (inner, tid) = match engine::current() {
        EngineKind::Real => (handle::HandleInner::Real(runtime().spawn(traced)), None),
        EngineKind::Shuttle => {
            let h = shuttle::future::spawn(traced);
            // Tracked from now on, before it first runs (see `crate::blocking`).
            (
                handle::HandleInner::Shuttle(h),
                crate::blocking::spawned_task(name, task),
            )
        }
        EngineKind::Loom => unsupported(),
    };
    JoinHandle {
        inner,
        task,
        tid,
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
