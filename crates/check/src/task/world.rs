//! The facade's own bookkeeping of async tasks under shuttle: what each task's last poll waited
//! on (and, through the primitive, who holds it), which `select!` branch a future was polled
//! in, and what each `select!` chose. When a task is about to sleep, or to finish, and then no
//! task could ever run again, the run is stuck: the facade says so itself, in words built from
//! this bookkeeping, and asks the scheduler to stop the execution before shuttle notices (shuttle
//! would print its own engine text about backtraces).
//!
//! Every model task runs on the OS thread that runs the shuttle execution, so the bookkeeping
//! is a thread-local, cleared at the start of each execution. Real runs keep none of it.

use super::words;
use racebook_trace::EngineKind;
use shuttle_engine::runtime::execution::ExecutionState;
use shuttle_engine::runtime::task::TaskId;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::panic::Location;
use std::sync::Arc;
use std::task::Waker;

/// A shuttle task, by its id.
pub(crate) type Tid = usize;

/// Something a task can wait on: it describes the wait of one of its waiters, with who holds
/// what the waiter needs.
pub(crate) trait WaitTarget: Send + Sync {
    fn describe(&self, waiter: u64, world: &World) -> words::Described;

    /// The task this wait waits to finish, for a join.
    fn joins(&self) -> Option<Tid> {
        None
    }
}

/// A `select!` branch a future was polled in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Branch {
    pub select_at: &'static Location<'static>,
    pub index: usize,
    /// The branch's future expression, as written.
    pub text: &'static str,
}

/// One wait of a task's last poll.
#[derive(Clone)]
pub(crate) struct Wait {
    pub target: Arc<dyn WaitTarget>,
    pub waiter: u64,
    pub at: &'static Location<'static>,
}

#[derive(Default)]
pub(crate) struct World {
    names: HashMap<Tid, String>,
    waits: HashMap<Tid, Vec<Wait>>,
    /// What each task's `select!` at a place chose last: the winning branch's index and text.
    chosen: HashMap<(Tid, &'static Location<'static>), (usize, &'static str)>,
    /// Tasks that are the facade's own (timer clocks): never reported as waiting.
    hidden: HashSet<Tid>,
    next_id: u64,
    stop: bool,
}

impl World {
    /// The name reports use for task `t`.
    pub fn name(&self, t: Tid) -> String {
        if let Some(n) = self.names.get(&t) {
            return n.clone();
        }
        match shuttle::current::get_name_for_task(t.into()).map(String::from) {
            Some(name) if name == "main-thread" => "main".to_string(),
            Some(name) => name,
            None if t == 0 => "main".to_string(),
            None => format!("task {t}"),
        }
    }

    /// The branch a `select!` of task `t` at `at` chose last, if it completed.
    pub fn chosen(&self, t: Tid, at: &'static Location<'static>) -> Option<(usize, &'static str)> {
        self.chosen.get(&(t, at)).copied()
    }

    pub fn waits(&self, t: Tid) -> &[Wait] {
        self.waits.get(&t).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn is_hidden(&self, t: Tid) -> bool {
        self.hidden.contains(&t)
    }
}

thread_local! {
    static WORLD: RefCell<World> = RefCell::new(World::default());
    static BRANCHES: RefCell<Vec<Branch>> = const { RefCell::new(Vec::new()) };
}

pub(crate) fn with<R>(f: impl FnOnce(&mut World) -> R) -> R {
    WORLD.with(|w| f(&mut w.borrow_mut()))
}

/// A new execution: nothing waits, nothing is stopped.
pub fn reset() {
    with(|w| *w = World::default());
    BRANCHES.with(|b| b.borrow_mut().clear());
}

/// The current shuttle task, under shuttle.
pub(crate) fn me() -> Option<Tid> {
    if crate::engine::current() != EngineKind::Shuttle {
        return None;
    }
    shuttle::current::try_get_current_task().map(usize::from)
}

/// A scheduling point under shuttle: another task may run here, before the operation that
/// follows touches shared state (as at every operation of shuttle's own primitives).
pub(crate) fn point() {
    if crate::engine::current() == EngineKind::Shuttle {
        shuttle_engine::runtime::thread::switch();
    }
}

/// A fresh id for a waiter or holder, unique within the execution.
pub(crate) fn fresh_id() -> u64 {
    with(|w| {
        w.next_id += 1;
        w.next_id
    })
}

/// The current task is `name` in reports.
pub(crate) fn name_current(name: &str) {
    if let Some(t) = me() {
        with(|w| w.names.insert(t, name.to_string()));
    }
}

/// The current task is one of the facade's own (a timer's clock).
pub(crate) fn hide_current() {
    if let Some(t) = me() {
        with(|w| w.hidden.insert(t));
    }
}

/// The current task starts a poll: the waits of its last one are over.
pub(crate) fn begin_poll() {
    if let Some(t) = me() {
        with(|w| w.waits.remove(&t));
    }
}

/// The current task's poll is waiting on `wait`.
pub(crate) fn pending(wait: Wait) {
    if let Some(t) = me() {
        with(|w| w.waits.entry(t).or_default().push(wait));
    }
}

/// Run `f` (a poll of a `select!` branch) inside `branch`.
pub(crate) fn in_branch<R>(branch: Branch, f: impl FnOnce() -> R) -> R {
    struct Pop;
    impl Drop for Pop {
        fn drop(&mut self) {
            BRANCHES.with(|b| b.borrow_mut().pop());
        }
    }
    BRANCHES.with(|b| b.borrow_mut().push(branch));
    let _pop = Pop;
    f()
}

/// The innermost `select!` branch being polled, if any.
pub(crate) fn current_branch() -> Option<Branch> {
    BRANCHES.with(|b| b.borrow().last().copied())
}

/// The current task's `select!` at `at` chose branch `index`, written `text`.
pub(crate) fn chose(at: &'static Location<'static>, index: usize, text: &'static str) {
    if let Some(t) = me() {
        with(|w| w.chosen.insert((t, at), (index, text)));
    }
}

/// Whether the facade found the run stuck and wants the execution stopped. The schedulers the
/// harness wraps around shuttle's ask this before every decision.
pub fn stop_requested() -> bool {
    with(|w| w.stop)
}

/// After the current task's top-level future returned `Pending` (`finishing` false) or is
/// about to finish (`finishing` true): if no task could ever run again, report the run stuck
/// (at the current wait, or else at `at`) and return true. The caller then keeps its task runnable (`waker`), so that the scheduler,
/// asked next, stops the execution.
pub(crate) fn check_stuck(finishing: bool, waker: &Waker, at: &'static Location<'static>) -> bool {
    let Some(me) = me() else { return false };
    if with(|w| w.stop) || !nothing_can_run(me, finishing) {
        return false;
    }
    if finishing && with(|w| words::someone_joins(w, me)) {
        // Its finish wakes the task that waits for it.
        return false;
    }
    let report = with(|w| words::stuck(w, me, at));
    report.record();
    with(|w| w.stop = true);
    waker.wake_by_ref();
    true
}

/// No task other than `me` can run, and some task the execution waits for has not finished:
/// once `me` sleeps (or finishes), shuttle would call the execution a deadlock.
fn nothing_can_run(me: Tid, finishing: bool) -> bool {
    ExecutionState::with(|s| {
        let mut attached_left = !finishing
            && s.try_get(TaskId::from(me))
                .is_some_and(|t| !t.is_detached());
        let mut i = 0;
        while let Some(t) = s.try_get(TaskId::from(i)) {
            if i != me && !t.finished() {
                if t.runnable() {
                    return false;
                }
                attached_left |= !t.is_detached();
            }
            i += 1;
        }
        attached_left
    })
}

/// The unfinished tasks, in the order they were spawned.
pub(crate) fn unfinished() -> Vec<Tid> {
    ExecutionState::with(|s| {
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(t) = s.try_get(TaskId::from(i)) {
            if !t.finished() {
                out.push(i);
            }
            i += 1;
        }
        out
    })
}
