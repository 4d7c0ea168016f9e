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

mod parker;
mod stuck;
mod world;

mod park;

pub(crate) use park::{park, unpark};
pub(crate) use stuck::Stuck;
pub use stuck::StuckReport;
pub(crate) use world::{Early, On, Tid, WakeRef, Woken};

use parker::Parker;
use racebook_trace::{EngineKind, ObjectId, StepId, ThreadId};
use std::cell::RefCell;
use std::panic::Location;
use world::{Entry, Key, Obj, State, Wait, WakeEvent, World};

thread_local! {
    static WORLD: RefCell<World> = RefCell::new(World::default());
}

fn with<R>(f: impl FnOnce(&mut World) -> R) -> R {
    WORLD.with(|w| f(&mut w.borrow_mut()))
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
pub(crate) fn reset() {
    with(|w| *w = World::default());
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
        parker: parker(),
        in_engine: None,
        early_left: true,
        token: None,
    });
    w.by_key.insert(key, t);
    t
}

/// The current model thread, if the facade tracks threads here.
pub(crate) fn me() -> Option<Tid> {
    if !active() {
        return None;
    }
    let name = format!("thread {}", with(|w| w.threads.len()));
    me_or_register(&name)
}

/// A thread was spawned: track it from now on, before it first runs.
pub(crate) fn spawned_shuttle(task: usize, name: &str, recorded: Option<ThreadId>) {
    let key = Key::Shuttle(task);
    with(|w| {
        let t = register(w, key, name, || Parker::Shuttle(task));
        w.threads[t].recorded = recorded;
    });
}

/// A shuttle future task was just spawned (it is shuttle's newest task): track it from now on,
/// before it first runs.
pub(crate) fn spawned_task(name: &str, recorded: Option<ThreadId>) -> Option<Tid> {
    use shuttle_engine::runtime::execution::ExecutionState;
    use shuttle_engine::runtime::task::TaskId;
    // Shuttle numbers tasks in the order they are made and has no scheduling point after it
    // made one, so the newest task is this one.
    let count = (0..).find(|&i| ExecutionState::with(|s| s.try_get(TaskId::from(i)).is_none()))?;
    let task = count.checked_sub(1)?;
    spawned_shuttle(task, name, recorded);
    tid_of(Some(task), None)
}

/// A loom thread was spawned: track it from now on, before it first runs.
pub(crate) fn spawned_loom(thread: &loom::thread::Thread, name: &str, recorded: Option<ThreadId>) {
    let key = Key::Loom(thread.id());
    with(|w| {
        let t = register(w, key, name, || Parker::loom(thread.clone()));
        w.threads[t].recorded = recorded;
    });
}

/// The current thread is the recorded thread `id` (the recording learns it when the thread
/// starts).
pub(crate) fn bind_recorded(id: Option<ThreadId>) {
    if let (Some(me), Some(id)) = (me(), id) {
        with(|w| w.threads[me].recorded = Some(id));
    }
}

/// A scheduling point that loom orders with every other use of thread `t`'s park state.
pub(crate) fn park_point(t: Tid) {
    with(|w| w.threads[t].parker.point()).pass();
}

/// The name reports use for thread `t`.
pub(crate) fn thread_name(t: Tid) -> String {
    with(|w| w.name(t).to_string())
}

/// A facade object reports name: register it under its address.
pub(crate) fn object(key: usize, name: &str, recorded: Option<ObjectId>) {
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
pub(crate) struct WaitSpec {
    pub on: On,
    pub at: &'static Location<'static>,
    pub object: Option<ObjectId>,
    /// The recorded step where the wait began.
    pub since_step: Option<StepId>,
    pub early: Early,
}

/// Begin a wait: from now on a wake of `spec.on` may end it. Call before releasing what the
/// waker needs (a condvar's mutex), so that no wake can fall between the two.
pub(crate) fn begin_wait(me: Tid, spec: WaitSpec) {
    with(|w| {
        let since = w.tick();
        w.threads[me].state = State::Waiting(Wait {
            on: spec.on,
            since,
            since_step: spec.since_step,
            at: spec.at,
            object: spec.object,
            woken: None,
            candidate: Vec::new(),
            early: spec.early,
            waker: None,
        });
    });
}

/// The step where the current wait began, once recorded.
pub(crate) fn set_since_step(me: Tid, step: Option<StepId>) {
    with(|w| {
        if let Some(wait) = w.waiting_mut(me) {
            wait.since_step = step;
        }
    });
}

/// How the wait ended, if it did: a wake, or a `notify_one` signal still open to take.
fn take_wake(w: &mut World, me: Tid) -> Option<Woken> {
    let wait = w.waiting(me)?;
    if let Some(woken) = wait.woken {
        return Some(woken);
    }
    let s = w.open_signal(me)?;
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
pub(crate) fn finish_wait(me: Tid) -> Woken {
    loop {
        if let Some(woken) = with(|w| take_wake(w, me)) {
            with(|w| w.threads[me].state = State::Running);
            return woken;
        }
        if let Some(woken) = check_stuck() {
            // Time went on: a timeout fired.
            if woken.contains(&me) {
                continue;
            }
        }
        let (blocker, spurious) = with(|w| {
            let e = &mut w.threads[me];
            let early = match &e.state {
                State::Waiting(wait) => wait.early,
                _ => world::Early::Never,
            };
            let spurious = early != world::Early::Never && e.early_left;
            e.in_engine = Some(spurious);
            (e.parker.blocker(spurious), spurious)
        });
        blocker.block(spurious);
        let unwoken = with(|w| w.threads[me].in_engine.take().is_some());
        if unwoken {
            // The engine ended the block with no wake: the model's one early end of this run.
            let early = with(|w| {
                let e = &mut w.threads[me];
                e.early_left = false;
                match &mut e.state {
                    State::Waiting(wait) => {
                        let ended = match wait.early {
                            world::Early::Timeout => Some(Woken::TimedOut),
                            world::Early::Spurious => Some(Woken::Spurious),
                            world::Early::Never => None,
                        };
                        wait.woken = ended;
                        ended
                    }
                    _ => None,
                }
            });
            if early.is_some() {
                continue;
            }
        }
    }
}

/// Wake thread `t` from its facade-owned wait.
pub(crate) fn wake(t: Tid, how: Woken) {
    with(|w| {
        if let Some(wait) = w.waiting_mut(t)
            && wait.woken.is_none()
        {
            wait.woken = Some(how);
        }
        engine_wake(w, t);
    });
}

fn engine_wake(w: &mut World, t: Tid) {
    if let Some(spurious) = w.threads[t].in_engine.take() {
        match w.waiting(t).and_then(|wait| wait.waker.clone()) {
            Some(waker) => waker.wake(),
            None => w.threads[t].parker.wake(spurious),
        }
    }
}

/// An async task polls the wait `begin_wait` started: ready once a wake ended it; otherwise
/// pending, to be woken through `waker` (and the run is reported stuck if nothing could).
pub(crate) fn poll_wait(me: Tid, waker: &std::task::Waker) -> std::task::Poll<Woken> {
    if let Some(woken) = with(|w| take_wake(w, me)) {
        with(|w| w.threads[me].state = State::Running);
        return std::task::Poll::Ready(woken);
    }
    with(|w| {
        w.threads[me].in_engine = Some(false);
        if let Some(wait) = w.waiting_mut(me) {
            wait.waker = Some(waker.clone());
        }
    });
    check_stuck();
    std::task::Poll::Pending
}

/// A wake by `me` recorded at `step`, as a stored permit keeps it.
pub(crate) fn wake_ref(me: Tid, step: Option<StepId>) -> WakeRef {
    with(|w| WakeRef {
        by: me,
        step,
        seq: w.seq,
    })
}

/// `notify_one` on object `key` by `me`: every current waiter may be the one it wakes. Returns
/// the waiters (none: the notify is lost).
pub(crate) fn notify_one(me: Tid, key: usize, on: On, step: Option<StepId>) -> Vec<Tid> {
    with(|w| {
        let seq = w.tick();
        let waiters = w.waiters(on);
        let by = WakeRef { by: me, step, seq };
        let events = w.wakes.entry(key).or_default();
        events.push(WakeEvent {
            seq,
            by,
            woke: Vec::new(),
        });
        let event = events.len() - 1;
        if !waiters.is_empty() {
            w.signals.push(world::Signal {
                object: key,
                by,
                event,
                taken: false,
            });
            let s = w.signals.len() - 1;
            for &t in &waiters {
                if let Some(wait) = w.waiting_mut(t) {
                    wait.candidate.push(s);
                }
                engine_wake(w, t);
            }
        }
        waiters
    })
}

/// `notify_all` on object `key` by `me`: wakes every current waiter. Returns them.
pub(crate) fn notify_all(me: Tid, key: usize, on: On, step: Option<StepId>) -> Vec<Tid> {
    with(|w| {
        let seq = w.tick();
        let waiters = w.waiters(on);
        let by = WakeRef { by: me, step, seq };
        w.wakes.entry(key).or_default().push(WakeEvent {
            seq,
            by,
            woke: waiters.clone(),
        });
        for &t in &waiters {
            if let Some(wait) = w.waiting_mut(t) {
                wait.woken = Some(Woken::By(by));
            }
            engine_wake(w, t);
        }
        waiters
    })
}

/// The other side of a channel went away: every thread waiting on `on` wakes to see it.
pub(crate) fn close(_me: Tid, on: On) {
    with(|w| {
        for t in w.waiters(on) {
            if let Some(wait) = w.waiting_mut(t) {
                wait.woken = Some(Woken::Closed);
            }
            engine_wake(w, t);
        }
    });
}

/// A channel whose waits are the engine's: `queued` and `senders` change by these amounts.
pub(crate) fn channel_counts(key: usize, queued: isize, senders: isize) {
    if active() {
        with(|w| {
            let c = w.channels.entry(key).or_insert((0, 1));
            c.0 = c.0.saturating_add_signed(queued);
            c.1 = c.1.saturating_add_signed(senders);
        });
    }
}

/// The current thread is about to receive from a channel whose waits are the engine's: if
/// nothing is queued it waits (recorded from `step`), and the run is reported stuck if nothing
/// could ever send. Call `running` when the receive returns.
pub(crate) fn engine_recv(
    key: usize,
    object: Option<ObjectId>,
    at: &'static Location<'static>,
    began: impl FnOnce() -> Option<StepId>,
) {
    let Some(me) = me() else { return };
    let (queued, senders) = with(|w| w.channels.get(&key).copied().unwrap_or((0, 1)));
    if queued > 0 || senders == 0 {
        return;
    }
    begin_wait(
        me,
        WaitSpec {
            on: On::Recv(key),
            at,
            object,
            since_step: None,
            early: Early::Never,
        },
    );
    set_since_step(me, began());
    check_stuck();
}

/// The names of the threads waiting on `on` that nothing has woken yet.
pub(crate) fn waiter_names(on: On) -> Vec<String> {
    with(|w| {
        w.waiters(on)
            .iter()
            .map(|&t| w.name(t).to_string())
            .collect()
    })
}

/// Is the run stuck now? If it is and some wait has a timeout, time goes on: those timeouts
/// fire, and their threads are returned. Otherwise the stuck run is reported (this does not
/// return under a model engine).
fn check_stuck() -> Option<Vec<Tid>> {
    if !with(|w| w.stuck()) {
        return None;
    }
    let timed = with(|w| w.timed());
    if !timed.is_empty() {
        with(|w| {
            for &t in &timed {
                if let Some(wait) = w.waiting_mut(t) {
                    wait.woken = Some(Woken::TimedOut);
                }
                engine_wake(w, t);
            }
        });
        return Some(timed);
    }
    mark_last_wait();
    let stuck = with(|w| stuck::describe(w));
    stuck::report(stuck);
}

/// The thread whose wait leaves the run stuck records that wait, if it has no step yet (a join
/// or a lock, which are the engine's waits): the trace ends on it.
fn mark_last_wait() {
    let Some(me) = me() else { return };
    let Some(wait) = with(|w| w.waiting(me).cloned()) else {
        return;
    };
    if wait.since_step.is_some() {
        return;
    }
    let event = match wait.on {
        On::Join(target) => {
            crate::record::Event::new(racebook_trace::Op::Block).thread(recorded(target))
        }
        On::Lock(k, _) => {
            let obj = with(|w| w.objects.get(&k).and_then(|o| o.recorded));
            crate::record::Event::new(racebook_trace::Op::Block).on(obj)
        }
        _ => return,
    };
    let step = crate::record::step(wait.at, || event);
    set_since_step(me, step);
}

/// The current thread is about to wait for thread `target` to end (the wait is the engine's).
pub(crate) fn join_wait(target: Tid, at: &'static Location<'static>) {
    let Some(me) = me() else { return };
    if matches!(with(|w| w.threads[target].state.clone()), State::Finished) {
        return;
    }
    begin_wait(
        me,
        WaitSpec {
            on: On::Join(target),
            at,
            object: None,
            since_step: None,
            early: Early::Never,
        },
    );
    check_stuck();
}

/// A lock or join wait (the engine's) ended: the thread runs again.
pub(crate) fn running() {
    if let Some(me) = me() {
        with(|w| w.threads[me].state = State::Running);
    }
}

/// The current thread's body returned: it is about to end. Wakes its joiners, and reports the
/// run stuck when the threads left can never go on.
pub(crate) fn finishing() {
    let Some(me) = me() else { return };
    with(|w| {
        w.threads[me].state = State::Finished;
        for t in 0..w.threads.len() {
            if w.waiting(t).is_some_and(|wait| wait.on == On::Join(me)) {
                if let Some(wait) = w.waiting_mut(t) {
                    wait.woken = Some(Woken::Joined);
                }
                engine_wake(w, t);
            }
        }
    });
    check_stuck();
}

/// Threads waiting right now, as recorded threads with their wait in words (for the game's
/// blocked threads).
pub fn waiting_words() -> Vec<(ThreadId, String)> {
    with(|w| stuck::waiting_words(w))
}

/// The current thread asks for a lock: it waits for it (if it must) from now on, until
/// `running` (the wait itself is the engine's).
pub(crate) fn begin_lock_wait(
    me: Tid,
    lock: usize,
    mode: crate::deadlock::Mode,
    at: &'static Location<'static>,
) {
    begin_wait(
        me,
        WaitSpec {
            on: On::Lock(lock, mode),
            at,
            object: None,
            since_step: None,
            early: Early::Never,
        },
    );
}

/// Report the run stuck if no thread could run any more.
pub(crate) fn check() {
    check_stuck();
}

/// Report a lock cycle the deadlock graph found at the request that closes it.
pub(crate) fn report_cycle(words: String) -> ! {
    let blocked = with(|w| stuck::entries(w, &w.blocked()));
    stuck::report(Stuck {
        kind: racebook_trace::FailureKind::Deadlock,
        words,
        blocked,
    })
}

/// The facade thread of a shuttle task or loom thread that has been spawned.
pub(crate) fn tid_of(
    key_task: Option<usize>,
    key_loom: Option<loom::thread::ThreadId>,
) -> Option<Tid> {
    let key = match (key_task, key_loom) {
        (Some(t), _) => Key::Shuttle(t),
        (None, Some(l)) => Key::Loom(l),
        _ => return None,
    };
    with(|w| w.by_key.get(&key).copied())
}

/// The recorded id of thread `t`.
pub(crate) fn recorded(t: Tid) -> Option<ThreadId> {
    with(|w| w.threads.get(t).and_then(|e| e.recorded))
}

pub(crate) use stuck::payload_failure;
