//! The async layer: spawn, block_on, yield, an async mutex, a notify and channels, on a real
//! multi-thread tokio runtime or on shuttle's futures executor. Loom has no executor, so async
//! scenarios never run under loom (the harness says so in its report).

use crate::engine;
use crate::record::{self, Event};
use crate::run::{self, RunShared};
use racebook_trace::{EngineKind, Op, ThreadId};
use std::any::Any;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe, Location};
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

pub mod mpsc;
mod mutex;
mod notify;
pub use mutex::{Mutex, MutexGuard};
pub use notify::{Notified, Notify};

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

/// A task body: carries the run's context onto whichever worker polls it, records the task's
/// start and finish, and turns a panic into the run's failure.
struct Traced<F> {
    fut: Pin<Box<F>>,
    ctx: Option<Arc<RunShared>>,
    id: Option<ThreadId>,
    at: &'static Location<'static>,
    started: bool,
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
            match panic::catch_unwind(AssertUnwindSafe(|| this.fut.as_mut().poll(cx))) {
                Ok(Poll::Pending) => Poll::Pending,
                Ok(Poll::Ready(v)) => {
                    record::step(this.at, || Event::new(Op::Finish));
                    crate::blocking::finishing();
                    Poll::Ready(Ok(v))
                }
                Err(payload) => {
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

/// Run a future to completion on the current engine, blocking this thread.
#[track_caller]
pub fn block_on<F: Future>(fut: F) -> F::Output {
    match engine::current() {
        EngineKind::Real => runtime().block_on(fut),
        EngineKind::Shuttle => shuttle::future::block_on(fut),
        EngineKind::Loom => unsupported(),
    }
}

enum HandleInner<T> {
    Real(tokio::task::JoinHandle<Result<T, Payload>>),
    Shuttle(shuttle::future::JoinHandle<Result<T, Payload>>),
}

/// Awaiting it waits for the task; `Err` carries its panic.
pub struct TaskHandle<T> {
    inner: HandleInner<T>,
    task: Option<ThreadId>,
    /// The task in the facade's blocking world (model engines).
    tid: Option<crate::blocking::Tid>,
    at: &'static Location<'static>,
}

/// Like tokio's `spawn`: run `fut` as a new task. Reports name the task after the binding that
/// holds its handle, or after where it was spawned; [`spawn_named`] names it explicitly.
#[track_caller]
pub fn spawn<F>(fut: F) -> TaskHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let at = Location::caller();
    start(&crate::naming::derived("task", at), at, fut)
}

/// Spawn a task named `name` (as reports show it).
#[track_caller]
pub fn spawn_named<F>(name: &str, fut: F) -> TaskHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    start(name, Location::caller(), fut)
}

fn start<F>(name: &str, at: &'static Location<'static>, fut: F) -> TaskHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let task = record::new_thread(name, racebook_trace::UnitKind::Task, at);
    record::step(at, || Event::new(Op::Spawn).thread(task));
    let traced = Traced {
        fut: Box::pin(fut),
        ctx: run::context(),
        id: task,
        at,
        started: false,
    };
    let (inner, tid) = match engine::current() {
        EngineKind::Real => (HandleInner::Real(runtime().spawn(traced)), None),
        EngineKind::Shuttle => {
            let h = shuttle::future::spawn(traced);
            // Tracked from now on, before it first runs (see `crate::blocking`).
            (
                HandleInner::Shuttle(h),
                crate::blocking::spawned_task(name, task),
            )
        }
        EngineKind::Loom => unsupported(),
    };
    TaskHandle {
        inner,
        task,
        tid,
        at,
    }
}

impl<T> TaskHandle<T> {
    /// Wait for the task, recording the join where this is called.
    #[track_caller]
    pub fn join(mut self) -> impl Future<Output = std::thread::Result<T>> {
        self.at = Location::caller();
        self
    }
}

impl<T> Future for TaskHandle<T> {
    type Output = std::thread::Result<T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let joined: Result<Result<T, Payload>, String> = match &mut self.inner {
            HandleInner::Real(h) => match Pin::new(h).poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(r) => r.map_err(|e| e.to_string()),
            },
            HandleInner::Shuttle(h) => match Pin::new(h).poll(cx) {
                Poll::Pending => {
                    if let Some(target) = self.tid {
                        crate::blocking::join_wait(target, self.at);
                    }
                    return Poll::Pending;
                }
                Poll::Ready(r) => r.map_err(|e| e.to_string()),
            },
        };
        crate::blocking::running();
        record::step(self.at, || Event::new(Op::Join).thread(self.task));
        Poll::Ready(match joined {
            Ok(r) => r,
            Err(e) => Err(Box::new(e)),
        })
    }
}

/// Sleep on the real runtime. Shuttle has no clock: there a sleep is only a chance for other
/// tasks to run, which is exactly why a sleep never fixes a race (the report says so).
#[track_caller]
pub fn sleep(duration: std::time::Duration) -> impl Future<Output = ()> {
    let at = Location::caller();
    async move {
        record::step(at, || Event::new(Op::Sleep).value(format!("{duration:?}")));
        match engine::current() {
            EngineKind::Real => tokio::time::sleep(duration).await,
            EngineKind::Shuttle => shuttle::future::yield_now().await,
            EngineKind::Loom => unsupported(),
        }
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
