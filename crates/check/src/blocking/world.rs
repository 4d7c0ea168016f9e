//! The facade's picture of one execution under a model engine: every model thread or task, what
//! each one waits on and since when, and every wake each waitable object received. It decides
//! which threads could still run; the rest of `blocking` acts on that.
//!
//! A thread waits on one thing at a time. An async task may wait on several at once (the
//! branches of a `select!`), each wait owned by the future that began it; only the waits its
//! latest poll touched count for whether it can run (a future it no longer polls cannot wake
//! it), while every live wait can still be woken (as a registered tokio waiter can).

use super::parker::Parker;
use crate::deadlock::Mode;
use racebook_trace::{ObjectId, StepId, ThreadId};
use std::collections::HashMap;
use std::panic::Location;

/// A model thread (or async task) by its place in `World::threads`, in the order the facade
/// first saw them: the scenario's main thread is 0.
pub(crate) type Tid = usize;

/// How the engine names a model thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Shuttle(usize),
    Loom(loom::thread::ThreadId),
}

/// What a waiting thread waits on. Objects are named by the facade object's address, which is
/// stable while the object is shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum On {
    Condvar(usize),
    /// Its own park token.
    Park,
    Barrier(usize),
    /// A message on a channel.
    Recv(usize),
    /// Room on a bounded channel.
    Send(usize),
    /// An async notify.
    Notify(usize),
    /// Another thread's end.
    Join(Tid),
    /// A semaphore's permits (handed over in turn by a release).
    Permit(usize),
    /// A lock, asked for in this mode (the waits themselves are the engine's).
    Lock(usize, Mode),
}

/// How a wait may end without a wake, as a choice the model explores: at most once per thread
/// and run, so that a loop around the wait always ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Early {
    Never,
    /// A spurious wakeup (a condvar wait, a park).
    Spurious,
    /// A timeout (`wait_timeout`, `park_timeout`, `recv_timeout`): it also fires when every
    /// other thread is stuck, as time goes on when nothing else can happen.
    Timeout,
}

/// Who woke a thread, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WakeRef {
    pub by: Tid,
    /// `World::seq` of the wake.
    pub seq: u64,
    /// The recorded step of the wake (a notify, an unpark, a send), while recording.
    pub step: Option<StepId>,
}

/// How a wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Woken {
    /// Another thread woke it: a notify, an unpark, a send, a barrier filling up.
    By(WakeRef),
    /// The model chose to end it with no wake.
    Spurious,
    TimedOut,
    /// The thread it joins finished.
    Joined,
    /// A channel's other side went away.
    Closed,
}

/// One wait in progress.
#[derive(Debug, Clone)]
pub(crate) struct Wait {
    /// Unique in the execution (a `World::seq`).
    pub id: u64,
    /// The owning task's poll in which its future last polled this wait.
    pub polled: u64,
    /// The `select!` branch (the select's place, as an address, and the branch's index) its
    /// future was last polled in.
    pub branch: Option<(usize, usize)>,
    pub on: On,
    /// `World::seq` when the wait began: wakes are ordered against it.
    pub since: u64,
    /// The recorded step where the wait began.
    pub since_step: Option<StepId>,
    pub at: &'static Location<'static>,
    pub object: Option<ObjectId>,
    pub woken: Option<Woken>,
    /// `notify_one` signals this waiter may take (every waiter is a candidate; the first to run
    /// takes it, as any of them could be the one a real notify wakes).
    pub candidate: Vec<usize>,
    pub early: Early,
    /// An async task's waker: a wake wakes it through the executor.
    pub waker: Option<std::task::Waker>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Running,
    Finished,
}

pub(crate) struct Entry {
    pub name: String,
    pub recorded: Option<ThreadId>,
    pub state: State,
    /// Its waits (a thread: at most one).
    pub waits: Vec<Wait>,
    /// An async task (its waits are per future and per poll).
    pub task: bool,
    /// The task's current poll, counted from 1; a task is never stuck while it polls.
    pub polled: u64,
    pub polling: bool,
    pub parker: Parker,
    /// Blocked in the engine right now, and how (true: a spurious wakeup may end it).
    pub in_engine: Option<bool>,
    /// May still end one wait early this run (see `Early`).
    pub early_left: bool,
    /// `thread::park`'s token: the unpark that made it available.
    pub token: Option<WakeRef>,
}

/// A wake an object received.
#[derive(Debug, Clone)]
pub(crate) struct WakeEvent {
    pub seq: u64,
    pub by: WakeRef,
    /// The threads it woke (for a `notify_one`: the one that took it, once one did).
    pub woke: Vec<Tid>,
}

/// A `notify_one` that some waiter may still take.
#[derive(Debug, Clone)]
pub(crate) struct Signal {
    pub object: usize,
    pub by: WakeRef,
    pub event: usize,
    pub taken: bool,
}

/// A facade object the world has seen, for words.
#[derive(Debug, Clone)]
pub(crate) struct Obj {
    pub name: String,
    pub recorded: Option<ObjectId>,
}

/// A park that used an unpark up: the unpark's `seq`, and where that park returned.
pub(crate) type ParkUse = (u64, Option<StepId>, &'static Location<'static>);

#[derive(Default)]
pub(crate) struct World {
    pub threads: Vec<Entry>,
    pub by_key: HashMap<Key, Tid>,
    pub objects: HashMap<usize, Obj>,
    pub signals: Vec<Signal>,
    /// Wakes by object address (condvars, notifies, channels, barriers).
    pub wakes: HashMap<usize, Vec<WakeEvent>>,
    /// Unparks by the thread unparked, and the parks that used a token up.
    pub unparks: HashMap<Tid, Vec<WakeEvent>>,
    /// For each thread, the parks that used an unpark up: the unpark's `seq`, and the recorded
    /// step and place where that park returned.
    pub park_used: HashMap<Tid, Vec<ParkUse>>,
    pub seq: u64,
    /// Channels whose waits are the engine's (loom's): messages queued, senders alive.
    pub channels: HashMap<usize, (usize, usize)>,
    /// A stuck run was reported: the scheduler stops the execution at its next decision.
    pub stop: bool,
    /// Async timers armed and not fired: their clocks can still run (see `task::time`).
    pub armed: usize,
}

impl World {
    pub fn tick(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn name(&self, t: Tid) -> &str {
        self.threads.get(t).map_or("?", |e| e.name.as_str())
    }

    pub fn object_name(&self, key: usize) -> String {
        self.objects
            .get(&key)
            .map_or_else(|| "an object".to_string(), |o| o.name.clone())
    }

    /// The waits that count for `t` now: a thread's one wait, a task's waits of its latest poll.
    pub fn current(&self, t: Tid) -> impl Iterator<Item = &Wait> {
        let e = self.threads.get(t);
        e.into_iter().flat_map(|e| {
            e.waits
                .iter()
                .filter(move |w| !e.task || w.polled == e.polled)
        })
    }

    /// `t`'s first current wait.
    pub fn waiting(&self, t: Tid) -> Option<&Wait> {
        self.current(t).next()
    }

    pub fn waiting_mut(&mut self, t: Tid) -> Option<&mut Wait> {
        let e = self.threads.get_mut(t)?;
        let (task, polled) = (e.task, e.polled);
        e.waits.iter_mut().find(|w| !task || w.polled == polled)
    }

    /// `t`'s wait `id` (`None`: its first current one).
    pub fn wait_mut(&mut self, t: Tid, id: Option<u64>) -> Option<&mut Wait> {
        match id {
            None => self.waiting_mut(t),
            Some(id) => self
                .threads
                .get_mut(t)?
                .waits
                .iter_mut()
                .find(|w| w.id == id),
        }
    }

    pub fn wait(&self, t: Tid, id: Option<u64>) -> Option<&Wait> {
        match id {
            None => self.waiting(t),
            Some(id) => self.threads.get(t)?.waits.iter().find(|w| w.id == id),
        }
    }

    /// Waits on `on` that nothing has woken yet, by thread and wait id (any live wait: a task's
    /// future that is not polled now is still registered, as a tokio waiter is).
    pub fn waiters(&self, on: On) -> Vec<(Tid, u64)> {
        let mut out = Vec::new();
        for (t, e) in self.threads.iter().enumerate() {
            for w in &e.waits {
                if w.on == on && w.woken.is_none() {
                    out.push((t, w.id));
                }
            }
        }
        out
    }

    /// A signal wait `w` may take, if one is left.
    pub fn open_signal_of(&self, w: &Wait) -> Option<usize> {
        w.candidate
            .iter()
            .copied()
            .find(|&s| self.signals.get(s).is_some_and(|s| !s.taken))
    }

    /// Whether wait `w` of thread `t` could end now.
    fn can_end(&self, t: Tid, w: &Wait) -> bool {
        w.woken.is_some()
            || self.open_signal_of(w).is_some()
            || match w.on {
                On::Lock(lock, mode) => crate::deadlock::blockers(lock, mode, t).is_empty(),
                On::Recv(k) if self.channels.contains_key(&k) => {
                    let (queued, senders) = self.channels[&k];
                    queued > 0 || senders == 0
                }
                On::Join(target) => {
                    matches!(
                        self.threads.get(target).map(|e| e.state),
                        Some(State::Finished)
                    )
                }
                _ => false,
            }
    }

    /// Whether thread `t` could run now, or will once the engine gets to it. A task that
    /// waits on nothing the facade tracks (a timer, another runtime's future) counts as able.
    pub fn runnable(&self, t: Tid) -> bool {
        let e = &self.threads[t];
        if e.state == State::Finished {
            return false;
        }
        if e.task && e.polling {
            return true;
        }
        let mut waits = self.current(t).peekable();
        waits.peek().is_none() || waits.any(|w| self.can_end(t, w))
    }

    /// No thread can run, and some wait: nothing can ever wake them.
    pub fn stuck(&self) -> bool {
        let any_waiting = (0..self.threads.len()).any(|t| self.waiting(t).is_some());
        any_waiting && self.armed == 0 && !(0..self.threads.len()).any(|t| self.runnable(t))
    }

    /// Threads waiting with a timeout that has not fired.
    pub fn timed(&self) -> Vec<Tid> {
        (0..self.threads.len())
            .filter(|&t| {
                self.current(t)
                    .any(|w| w.early == Early::Timeout && w.woken.is_none())
            })
            .collect()
    }

    /// The unfinished threads, each with its wait (none: it can run).
    pub fn blocked(&self) -> Vec<(Tid, Wait)> {
        (0..self.threads.len())
            .filter(|&t| self.threads[t].state != State::Finished)
            .flat_map(|t| self.current(t).map(move |w| (t, w.clone())))
            .collect()
    }
}
