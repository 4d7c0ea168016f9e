//! Time for async code. On the real runtime it is tokio's clock. The checkers have no clock:
//! there, when a timer fires is the model's choice. Each place in a task that starts timers has
//! a clock, a task of the facade's own; arming a timer makes its clock runnable, and the
//! scheduler decides when the clock runs, which is when the timer fires. So a timeout may fire
//! before anything else happens, or only once every other task waits, and the checkers explore
//! both, whatever the durations say. The facade counts the armed timers: while one is armed
//! the run is not stuck, since its clock can still run.

use crate::engine;
use crate::record::{self, Event};
use crate::sync::Tracked;
use racebook_trace::{EngineKind, Op, ThreadId};
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

#[derive(Default)]
struct TimerState {
    fired: bool,
    dropped: bool,
    waker: Option<Waker>,
}

impl TimerState {
    /// The timer no longer counts as armed (it fired, or nobody waits for it any more).
    fn disarm(&mut self) {
        if !self.fired && !self.dropped {
            crate::blocking::timers_armed(-1);
        }
    }
}

/// A timer's and a clock's state are `Tracked`: arming, firing and polling a timer are ordered
/// by these uses in the reduced search's footprints, so the fire itself needs no footprint.
type Timer = Arc<Tracked<TimerState>>;

#[derive(Default)]
struct ClockState {
    armed: VecDeque<(Timer, Duration)>,
    waker: Option<Waker>,
}

type Clock = Arc<Tracked<ClockState>>;

thread_local! {
    /// This execution's clocks, by the task and place that start their timers.
    static CLOCKS: RefCell<HashMap<(usize, &'static Location<'static>), Clock>> =
        RefCell::new(HashMap::new());
}

/// A new execution has no clocks yet.
pub(crate) fn reset() {
    CLOCKS.with(|c| c.borrow_mut().clear());
}

/// Arm a timer for `duration` on the clock of the current task's place `at`.
fn arm(at: &'static Location<'static>, duration: Duration) -> Timer {
    let timer = Arc::new(Tracked::new(TimerState::default()));
    let task = shuttle::current::try_get_current_task().map_or(0, usize::from);
    let clock = CLOCKS.with(|c| c.borrow().get(&(task, at)).cloned());
    let clock = clock.unwrap_or_else(|| start_clock(task, at));
    let waker = {
        let mut st = clock.lock();
        st.armed.push_back((timer.clone(), duration));
        st.waker.take()
    };
    crate::blocking::timers_armed(1);
    if let Some(w) = waker {
        w.wake();
    }
    timer
}

/// The clock of the timers the current task starts at `at`: a detached task that fires them.
fn start_clock(task: usize, at: &'static Location<'static>) -> Clock {
    let clock = Arc::new(Tracked::new(ClockState::default()));
    super::install_hooks();
    CLOCKS.with(|c| c.borrow_mut().insert((task, at), clock.clone()));
    let file = at.file().rsplit(['/', '\\']).next().unwrap_or(at.file());
    let name = format!("timer@{file}:{}", at.line());
    let id = record::new_thread(&name, racebook_trace::UnitKind::Task, at);
    let ticking = clock.clone();
    // The clock's handle is dropped at once: a clock nobody needs any more never keeps the
    // execution from ending.
    racebook_engine::por::spawning();
    drop(shuttle::future::spawn(run_clock(ticking, id, at)));
    clock
}

async fn run_clock(clock: Clock, id: Option<ThreadId>, at: &'static Location<'static>) {
    if let Some(id) = id {
        record::bind_current(id);
    }
    loop {
        let (timer, duration) = std::future::poll_fn(|cx| {
            let mut st = clock.lock();
            match st.armed.pop_front() {
                Some(next) => Poll::Ready(next),
                None => {
                    st.waker = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
        .await;
        // Being scheduled at all was the model's choice of when this much time has passed.
        let waker = {
            let mut t = timer.lock();
            if t.dropped {
                continue;
            }
            t.disarm();
            t.fired = true;
            t.waker.take()
        };
        record::step(at, || {
            Event::new(Op::Fire).value(format!("{duration:?} elapsed"))
        });
        if let Some(w) = waker {
            w.wake();
        }
    }
}

enum Inner {
    Real(Pin<Box<tokio::time::Sleep>>),
    Shuttle(Option<Timer>),
}

/// A future that completes once `duration` has passed (on the checkers: once the model lets
/// its timer fire). Like tokio's `Sleep`.
pub struct Sleep {
    inner: Inner,
    duration: Duration,
    at: &'static Location<'static>,
}

/// Like tokio's `sleep`: wait until `duration` has passed. Under the checkers a sleep orders
/// nothing: its timer may fire at once or last, which is exactly why a sleep never fixes a race
/// (the report says so).
#[track_caller]
pub fn sleep(duration: Duration) -> Sleep {
    let inner = match engine::current() {
        EngineKind::Real => Inner::Real(Box::pin(tokio::time::sleep(duration))),
        EngineKind::Shuttle => Inner::Shuttle(None),
        EngineKind::Loom => super::unsupported(),
    };
    Sleep {
        inner,
        duration,
        at: Location::caller(),
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let (duration, at) = (self.duration, self.at);
        match &mut self.inner {
            Inner::Real(s) => s.as_mut().poll(cx),
            Inner::Shuttle(timer) => {
                let timer = timer.get_or_insert_with(|| {
                    record::step(at, || Event::new(Op::Sleep).value(format!("{duration:?}")));
                    arm(at, duration)
                });
                let mut t = timer.lock();
                if t.fired {
                    return Poll::Ready(());
                }
                t.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let Inner::Shuttle(Some(timer)) = &self.inner {
            let mut t = timer.lock();
            t.disarm();
            t.dropped = true;
        }
    }
}

/// `timeout` gave up: the time passed before the future finished, and the future was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed;

impl std::fmt::Display for Elapsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl std::error::Error for Elapsed {}

/// A future with a deadline; see [`timeout`].
pub struct Timeout<F> {
    future: Pin<Box<F>>,
    sleep: Sleep,
}

/// Like tokio's `timeout`: run `future`, but give up once `duration` has passed; the future
/// is then dropped where it stopped. Under the checkers the deadline is the model's choice (see
/// [`sleep`]), so both outcomes are explored.
#[track_caller]
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Box::pin(future),
        sleep: sleep(duration),
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Poll::Ready(v) = self.future.as_mut().poll(cx) {
            return Poll::Ready(Ok(v));
        }
        match Pin::new(&mut self.sleep).poll(cx) {
            Poll::Ready(()) => {
                // The future is dropped where it stopped, with whatever it held or waited for.
                let at = self.sleep.at;
                record::step(at, || {
                    Event::new(Op::Cancel).value("the future under this timeout".into())
                });
                Poll::Ready(Err(Elapsed))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}
