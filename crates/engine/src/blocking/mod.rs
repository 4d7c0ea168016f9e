//! The facade owns every wait. Under shuttle and loom it keeps, per model thread or task, its
//! state (running, waiting on an object since a step, finished) and the wakes each waitable
//! object received. Whenever a thread is about to block or to finish, the facade asks whether
//! any thread could still run; when none can while some wait, the run is stuck, and the facade
//! reports it itself, before the engine notices: a deadlock (locks in a cycle, or a wait nothing
//! is left to end) or a lost wakeup (a wait that began after the wake it needed). The report
//! names each blocked thread, what it waits on and where, and the wake it missed.
//!
//! Condvar waits, parks, barriers, channels and async notifies block here (see `parker`), so the
//! model decides how they end: a wake, or (at most once per thread and run) a spurious wakeup or
//! a timeout, which the engines explore as choices. Lock and join waits stay the engines', and
//! are tracked here.
//!
//! Real threads keep std's behaviour; none of this runs there.
//!
//! Reporting: under shuttle the failure is kept, the recording frozen (the trace ends where the
//! program would hang), and the scheduler stops the execution at its next decision, so shuttle
//! never sees the stuck run. Under loom the reporting thread panics with the report, and loom
//! stops the model, as for any other failure.

mod deferred;
mod engine_waits;
mod parker;
mod stuck;
mod task_waits;
mod wake;
mod world;

mod park;

pub use engine_waits::{
    begin_lock_wait, channel_counts, engine_recv, finishing, join_wait, report_cycle, running,
};
pub use park::{park, unpark};
pub use stuck::Stuck;
pub use stuck::StuckReport;
pub use task_waits::{
    begin_or_touch, end_wait, is_task, last_wait, left_behind, poll_wait, switch, task_poll_begin,
    task_poll_end, timers_armed, wake_wait,
};
pub use wake::{close, notify_all, notify_one, waiter_names, wake_ref};
pub use world::{Early, On, Tid, WakeRef, Woken};

use deferred::engine_wake;
use parker::Parker;
use racebook_trace::{EngineKind, ObjectId, StepId, ThreadId};
use std::cell::RefCell;
use std::panic::Location;
use world::{Entry, Key, Obj, State, Wait, World};

thread_local! {
    static WORLD: RefCell<World> = RefCell::new(World::default());
}

fn with<R>(f: impl FnOnce(&mut World) -> R) -> R {
    let r = WORLD.with(|w| f(&mut w.borrow_mut()));
    deferred::run();
    r
}

fn current_key() -> Option<Key> {
    match crate::engine::current() {
        EngineKind::Shuttle => {
            shuttle::current::try_get_current_task().map(|t| Key::Shuttle(usize::from(t)))
        }
        EngineKind::Loom if !std::thread::panicking() => {
            Some(Key::Loom(loom::thread::current().id()))
        }
        _ => None,
    }
}

/// Whether the facade tracks threads here: under a model engine, not while a loom model is
/// torn down.
fn active() -> bool {
    match crate::engine::current() {
        EngineKind::Real => false,
        EngineKind::Loom => !std::thread::panicking(),
        EngineKind::Shuttle => true,
    }
}

/// A new execution begins with its main thread, the one calling this.
pub fn reset() {
    with(|w| *w = World::default());
    crate::task::reset();
    crate::deadlock::reset();
    crate::lockorder::reset();
    if active()
        && let Some(main) = me_or_register("main")
        && crate::record::on()
    {
        // The recording names the first thread it sees `main`, thread 0.
        with(|w| w.threads[main].recorded = Some(0));
    }
}

/// The current thread's id, registering it (named `name`) the first time.
fn me_or_register(name: &str) -> Option<Tid> {
    let key = current_key()?;
    Some(with(|w| register(w, key, name, || Parker::current(key))))
}

fn register(w: &mut World, key: Key, name: &str, parker: impl FnOnce() -> Parker) -> Tid {
    if let Some(&t) = w.by_key.get(&key) {
        return t;
    }
    let t = w.threads.len();
    w.threads.push(Entry {
        name: name.to_string(),
        recorded: None,
        state: State::Running,
        waits: Vec::new(),
        task: false,
        polled: 0,
        polling: false,
        parker: parker(),
        in_engine: None,
        early_left: true,
        token: None,
    });
    w.by_key.insert(key, t);
    t
}

/// The shuttle task of facade thread `t`: what the reduced search names threads by (`por`).
pub fn task_of(t: Tid) -> Option<usize> {
    with(|w| {
        w.by_key.iter().find_map(|(k, &v)| match k {
            Key::Shuttle(task) if v == t => Some(*task),
            _ => None,
        })
    })
}

/// The current model thread, if the facade tracks threads here.
pub fn me() -> Option<Tid> {
    if !active() {
        return None;
    }
    let name = format!("thread {}", with(|w| w.threads.len()));
    me_or_register(&name)
}

/// A thread was spawned: track it from now on, before it first runs.
pub fn spawned_shuttle(task: usize, name: &str, recorded: Option<ThreadId>) {
    let key = Key::Shuttle(task);
    with(|w| {
        let t = register(w, key, name, || Parker::Shuttle(task));
        w.threads[t].recorded = recorded;
    });
}

/// A shuttle future task was just spawned (it is shuttle's newest task): track it from now on,
/// before it first runs.
pub fn spawned_task(name: &str, recorded: Option<ThreadId>) -> Option<Tid> {
    use shuttle_engine::runtime::execution::ExecutionState;
    use shuttle_engine::runtime::task::TaskId;
    // Shuttle numbers tasks in the order they are made and has no scheduling point after it
    // made one, so the newest task is this one.
    let count = (0..).find(|&i| ExecutionState::with(|s| s.try_get(TaskId::from(i)).is_none()))?;
    let task = count.checked_sub(1)?;
    spawned_shuttle(task, name, recorded);
    let t = tid_of(Some(task), None)?;
    with(|w| w.threads[t].task = true);
    Some(t)
}

/// A loom thread was spawned: track it from now on, before it first runs.
pub fn spawned_loom(thread: &loom::thread::Thread, name: &str, recorded: Option<ThreadId>) {
    let key = Key::Loom(thread.id());
    with(|w| {
        let t = register(w, key, name, || Parker::loom(thread.clone()));
        w.threads[t].recorded = recorded;
    });
}

/// The current thread is the recorded thread `id` (the recording learns it when the thread
/// starts).
pub fn bind_recorded(id: Option<ThreadId>) {
    if let (Some(me), Some(id)) = (me(), id) {
        with(|w| w.threads[me].recorded = Some(id));
    }
}

/// A scheduling point that loom orders with every other use of thread `t`'s park state.
pub fn park_point(t: Tid) {
    with(|w| w.threads[t].parker.point()).pass();
}

/// The name reports use for thread `t`.
pub fn thread_name(t: Tid) -> String {
    with(|w| w.name(t).to_string())
}

/// A facade object reports name: register it under its address.
pub fn object(key: usize, name: &str, recorded: Option<ObjectId>) {
    if active() {
        with(|w| {
            w.objects.insert(
                key,
                Obj {
                    name: name.to_string(),
                    recorded,
                },
            )
        });
    }
}

/// Whether the scheduler should stop the execution: the facade reported it stuck. The
/// schedulers the harness wraps around shuttle's ask this before every decision.
pub fn stop_requested() -> bool {
    with(|w| w.stop)
}

/// A new execution: forget an earlier stop.
pub fn clear_stop() {
    with(|w| w.stop = false);
}

/// What one facade-owned wait is.
pub struct WaitSpec {
    pub on: On,
    pub at: &'static Location<'static>,
    pub object: Option<ObjectId>,
    /// The recorded step where the wait began.
    pub since_step: Option<StepId>,
    pub early: Early,
}

/// Begin a wait: from now on a wake of `spec.on` may end it. Call before releasing what the
/// waker needs (a condvar's mutex), so that no wake can fall between the two. A thread's wait
/// replaces any other; a task adds it to the waits of its current poll. Returns the wait's id.
pub fn begin_wait(me: Tid, spec: WaitSpec) -> u64 {
    with(|w| {
        let id = w.tick();
        let e = &mut w.threads[me];
        let wait = Wait {
            id,
            polled: e.polled,
            branch: crate::task::branch::key(),
            on: spec.on,
            since: id,
            since_step: spec.since_step,
            at: spec.at,
            object: spec.object,
            woken: None,
            candidate: Vec::new(),
            early: spec.early,
            waker: None,
        };
        if !e.task {
            e.waits.clear();
        }
        e.waits.push(wait);
        id
    })
}

/// The step where the latest wait began, once recorded.
pub fn set_since_step(me: Tid, step: Option<StepId>) {
    with(|w| {
        if let Some(wait) = w.threads[me].waits.last_mut() {
            wait.since_step = step;
        }
    });
}

/// How the wait ended, if it did: a wake, or a `notify_one` signal still open to take.
fn take_wake(w: &mut World, me: Tid, id: Option<u64>) -> Option<Woken> {
    let wait = w.wait(me, id)?;
    if let Some(woken) = wait.woken {
        return Some(woken);
    }
    let s = w.open_signal_of(wait)?;
    w.signals[s].taken = true;
    let signal = w.signals[s].clone();
    if let Some(e) = w
        .wakes
        .get_mut(&signal.object)
        .and_then(|events| events.get_mut(signal.event))
    {
        e.woke.push(me);
    }
    Some(Woken::By(signal.by))
}

/// Block until the wait `begin_wait` started ends, and say how. Reports the run stuck, instead
/// of blocking, when no other thread could ever end it.
pub fn finish_wait(me: Tid) -> Woken {
    loop {
        if let Some(woken) = with(|w| take_wake(w, me, None)) {
            with(|w| w.threads[me].waits.clear());
            return woken;
        }
        if let Some(woken) = check_stuck() {
            // Time went on: a timeout fired.
            if woken.contains(&me) {
                continue;
            }
        }
        let (blocker, spurious) = with(|w| {
            let early = w.waiting(me).map_or(world::Early::Never, |wait| wait.early);
            let e = &mut w.threads[me];
            let spurious = early != world::Early::Never && e.early_left;
            e.in_engine = Some(spurious);
            (e.parker.blocker(spurious), spurious)
        });
        blocker.block(spurious);
        let unwoken = with(|w| w.threads[me].in_engine.take().is_some());
        if unwoken {
            // The engine ended the block with no wake: the model's one early end of this run.
            let early = with(|w| {
                w.threads[me].early_left = false;
                let wait = w.waiting_mut(me)?;
                let ended = match wait.early {
                    world::Early::Timeout => Some(Woken::TimedOut),
                    world::Early::Spurious => Some(Woken::Spurious),
                    world::Early::Never => None,
                };
                wait.woken = ended;
                ended
            });
            if early.is_some() {
                continue;
            }
        }
    }
}

/// Wake thread `t` from its facade-owned wait.
pub fn wake(t: Tid, how: Woken) {
    with(|w| {
        if let Some(wait) = w.waiting_mut(t)
            && wait.woken.is_none()
        {
            wait.woken = Some(how);
        }
        engine_wake(w, t, None);
    });
}

/// Is the run stuck now? If it is and some wait has a timeout, time goes on: those timeouts
/// fire, and their threads are returned. Otherwise the stuck run is reported (this does not
/// return under a model engine).
fn check_stuck() -> Option<Vec<Tid>> {
    if !with(|w| w.stuck()) {
        return None;
    }
    // Every thread waits: what happens now (time goes on, or the run is reported) is the
    // reduced search's to treat as dependent with every step (see DESIGN.md).
    crate::por::opaque();
    let timed = with(|w| w.timed());
    if !timed.is_empty() {
        with(|w| {
            for &t in &timed {
                if let Some(wait) = w.waiting_mut(t) {
                    wait.woken = Some(Woken::TimedOut);
                }
                engine_wake(w, t, None);
            }
        });
        return Some(timed);
    }
    engine_waits::mark_last_wait();
    let stuck = with(|w| stuck::describe(w));
    stuck::report(stuck);
}

/// Threads waiting right now, as recorded threads with their wait in words (for the game's
/// blocked threads).
pub fn waiting_words() -> Vec<(ThreadId, String)> {
    with(|w| stuck::waiting_words(w))
}

/// Report the run stuck if no thread could run any more.
pub fn check() {
    check_stuck();
}

/// The facade thread of a shuttle task or loom thread that has been spawned.
pub fn tid_of(key_task: Option<usize>, key_loom: Option<loom::thread::ThreadId>) -> Option<Tid> {
    let key = match (key_task, key_loom) {
        (Some(t), _) => Key::Shuttle(t),
        (None, Some(l)) => Key::Loom(l),
        _ => return None,
    };
    with(|w| w.by_key.get(&key).copied())
}

/// The recorded id of thread `t`.
pub fn recorded(t: Tid) -> Option<ThreadId> {
    with(|w| w.threads.get(t).and_then(|e| e.recorded))
}

pub use stuck::payload_failure;
