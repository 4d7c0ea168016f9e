//! A fair semaphore for the checkers, the way tokio's works: waiters queue in order, and a
//! release hands the permits to the first waiter at once, before it is polled again. The async
//! mutex, reader-writer lock, semaphore and bounded channel are built on it under shuttle.
//!
//! Handing permits over on release is what makes a futurelock possible: the permits belong to a
//! future from then on, and only polling or dropping that future gives them back. The semaphore
//! remembers, for every holder, which task's future holds what and where it was polled, so a
//! task that waits forever can be told who holds what it needs.

use super::words::{Described, branch_clause, place};
use super::world::{self, Branch, Tid, Wait, WaitTarget, World};
use racebook_trace::ObjectId;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

/// What the permits stand for, for the words of a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An async mutex or reader-writer lock: "lock", "held by".
    Lock,
    /// A semaphore's permits.
    Semaphore,
    /// Room in a bounded channel.
    Capacity,
}

struct Waiter {
    need: usize,
    granted: bool,
    waker: Option<Waker>,
    task: Tid,
    at: &'static Location<'static>,
    branch: Option<Branch>,
}

struct Holder {
    id: u64,
    task: Tid,
    count: usize,
    at: &'static Location<'static>,
    branch: Option<Branch>,
    /// Granted on a release while its future waited, and not polled since.
    unpolled: bool,
}

#[derive(Default)]
struct State {
    free: usize,
    queue: VecDeque<u64>,
    waiters: HashMap<u64, Waiter>,
    holders: Vec<Holder>,
    closed: bool,
}

/// The shared core of one facade primitive under shuttle.
pub(crate) struct Permits {
    pub name: String,
    pub obj: Option<ObjectId>,
    kind: Kind,
    state: Mutex<State>,
}

/// Permits a future got: its holder id (for `release`), and whether a release handed them
/// over while it waited (the recording then already counts them as held).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Granted {
    pub id: u64,
    pub handed: bool,
}

/// The semaphore was closed (a channel whose receiver is gone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Closed;

impl Permits {
    pub fn new(name: &str, obj: Option<ObjectId>, kind: Kind, permits: usize) -> Arc<Permits> {
        Arc::new(Permits {
            name: name.to_string(),
            obj,
            kind,
            state: Mutex::new(State {
                free: permits,
                ..State::default()
            }),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wait for `need` permits, in turn; `at` is where the code asked.
    pub fn acquire_at(self: &Arc<Self>, need: usize, at: &'static Location<'static>) -> Acquire {
        Acquire {
            permits: self.clone(),
            need,
            at,
            waiter: None,
            done: false,
        }
    }

    /// Take `need` permits now, if they are free and nobody queues for them.
    #[track_caller]
    pub fn try_acquire(&self, need: usize) -> Option<u64> {
        world::point();
        self.try_acquire_at(need, Location::caller())
    }

    /// Give back what holder `id` holds.
    pub fn release(&self, id: u64) {
        let wake = {
            let mut st = self.state();
            if let Some(i) = st.holders.iter().position(|h| h.id == id) {
                let h = st.holders.swap_remove(i);
                st.free += h.count;
            }
            self.grant(&mut st)
        };
        wake.into_iter().for_each(Waker::wake);
    }

    /// Holder `id` gives up its permits without returning them (a channel's slot now holds a
    /// message; the receive adds it back).
    pub fn forget(&self, id: u64) {
        let mut st = self.state();
        st.holders.retain(|h| h.id != id);
    }

    /// Add `n` permits (a semaphore's `add_permits`, a channel's slot freed by a receive).
    pub fn add(&self, n: usize) {
        let wake = {
            let mut st = self.state();
            st.free += n;
            self.grant(&mut st)
        };
        wake.into_iter().for_each(Waker::wake);
    }

    /// Refuse every waiter from now on.
    pub fn close(&self) {
        let wake: Vec<Waker> = {
            let mut st = self.state();
            st.closed = true;
            st.waiters
                .values_mut()
                .filter_map(|w| w.waker.take())
                .collect()
        };
        wake.into_iter().for_each(Waker::wake);
    }

    pub fn is_closed(&self) -> bool {
        self.state().closed
    }

    pub fn free(&self) -> usize {
        self.state().free
    }

    /// Hand free permits to the waiters at the head of the queue, in order.
    fn grant(&self, st: &mut State) -> Vec<Waker> {
        let mut wake = Vec::new();
        while let Some(&id) = st.queue.front() {
            let need = st.waiters[&id].need;
            if st.free < need {
                break;
            }
            st.free -= need;
            st.queue.pop_front();
            let w = st.waiters.get_mut(&id).expect("a queued waiter is known");
            w.granted = true;
            let (task, at, branch) = (w.task, w.at, w.branch);
            wake.extend(w.waker.take());
            st.holders.push(Holder {
                id,
                task,
                count: need,
                at,
                branch,
                unpolled: true,
            });
            if self.kind == Kind::Lock {
                crate::record::hand_to(self.obj, crate::record::shuttle_task_thread(task));
            }
        }
        wake
    }

    fn holders_words(&self, st: &State, world: &World, waiter_task: Tid) -> (String, bool) {
        let mut self_wait = false;
        let clauses: Vec<String> = st
            .holders
            .iter()
            .map(|h| {
                let owner = world.name(h.task);
                let branch = branch_clause(world, h.task, h.branch);
                if !h.unpolled {
                    return format!("held by {owner} (taken at {})", place(h.at));
                }
                // Handed over on a release while its future waited; only its owner can poll
                // that future, and it has not since.
                if h.task == waiter_task {
                    self_wait = true;
                    format!(
                        "which was handed to another future of {owner}: the one that asked for \
                         it at {}{branch}. {owner} has not polled that future since, so {owner} \
                         waits for itself (a futurelock)",
                        place(h.at)
                    )
                } else {
                    format!(
                        "which was handed to a future of {owner} that asked for it at {}{branch}; \
                         {owner} has not polled that future since",
                        place(h.at)
                    )
                }
            })
            .collect();
        (clauses.join(", and "), self_wait)
    }
}

impl WaitTarget for Permits {
    fn describe(&self, waiter: u64, world: &World) -> Described {
        let st = self.state();
        let task = st.waiters.get(&waiter).map_or(0, |w| w.task);
        let at = st
            .waiters
            .get(&waiter)
            .map(|w| place(w.at))
            .unwrap_or_default();
        let what = match self.kind {
            Kind::Lock => format!("{} ({at})", self.name),
            Kind::Semaphore => format!("a permit of {} ({at}; {} free)", self.name, st.free),
            Kind::Capacity => format!("room in {} ({at}; it is full)", self.name),
        };
        let (holders, self_wait) = self.holders_words(&st, world, task);
        let mut words = what;
        if !holders.is_empty() {
            words.push_str(", ");
            words.push_str(&holders);
        }
        Described { words, self_wait }
    }
}

/// Waiting for permits. Dropping it gives back what it was handed, or leaves the queue.
pub(crate) struct Acquire {
    permits: Arc<Permits>,
    need: usize,
    at: &'static Location<'static>,
    waiter: Option<u64>,
    done: bool,
}

impl Future for Acquire {
    type Output = Result<Granted, Closed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if this.waiter.is_none() {
            world::point();
        }
        let permits = this.permits.clone();
        let mut st = permits.state();
        let id = match this.waiter {
            None => {
                if st.closed {
                    this.done = true;
                    return Poll::Ready(Err(Closed));
                }
                drop(st);
                if let Some(id) = permits.try_acquire_at(this.need, this.at) {
                    this.done = true;
                    return Poll::Ready(Ok(Granted { id, handed: false }));
                }
                st = permits.state();
                let id = world::fresh_id();
                st.waiters.insert(
                    id,
                    Waiter {
                        need: this.need,
                        granted: false,
                        waker: None,
                        task: world::me().unwrap_or(0),
                        at: this.at,
                        branch: world::current_branch(),
                    },
                );
                st.queue.push_back(id);
                this.waiter = Some(id);
                id
            }
            Some(id) => {
                if st.waiters.get(&id).is_some_and(|w| w.granted) {
                    st.waiters.remove(&id);
                    if let Some(h) = st.holders.iter_mut().find(|h| h.id == id) {
                        h.unpolled = false;
                    }
                    this.done = true;
                    crate::record::done_waiting();
                    return Poll::Ready(Ok(Granted { id, handed: true }));
                }
                if st.closed {
                    st.waiters.remove(&id);
                    st.queue.retain(|&q| q != id);
                    this.done = true;
                    crate::record::done_waiting();
                    return Poll::Ready(Err(Closed));
                }
                id
            }
        };
        if let Some(w) = st.waiters.get_mut(&id) {
            w.waker = Some(cx.waker().clone());
            w.branch = world::current_branch().or(w.branch);
        }
        drop(st);
        crate::record::waiting_for(permits.obj, this.at);
        world::pending(Wait {
            target: permits,
            waiter: id,
            at: this.at,
        });
        Poll::Pending
    }
}

impl Permits {
    fn try_acquire_at(&self, need: usize, at: &'static Location<'static>) -> Option<u64> {
        let mut st = self.state();
        if st.closed || !st.queue.is_empty() || st.free < need {
            return None;
        }
        st.free -= need;
        let id = world::fresh_id();
        st.holders.push(Holder {
            id,
            task: world::me().unwrap_or(0),
            count: need,
            at,
            branch: world::current_branch(),
            unpolled: false,
        });
        Some(id)
    }
}

impl Drop for Acquire {
    fn drop(&mut self) {
        let Some(id) = self.waiter.filter(|_| !self.done) else {
            return;
        };
        let granted = {
            let mut st = self.permits.state();
            st.queue.retain(|&q| q != id);
            st.waiters.remove(&id).is_some_and(|w| w.granted)
        };
        if granted {
            // Handed the permits and dropped before it took them: they go to the next waiter.
            self.permits.release(id);
        }
    }
}
