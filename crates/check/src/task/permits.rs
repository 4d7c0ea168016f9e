//! A fair semaphore for the checkers, the way tokio's works: waiters queue in order, and a
//! release hands the permits to the first waiter at once, before its future is polled again.
//! The async mutex, reader-writer lock and semaphore are built on it under shuttle; their waits
//! are the facade's (`crate::blocking`), and a lock's holders are in the deadlock graph.
//!
//! Handing permits over on release is what makes a futurelock possible: from then on the
//! permits belong to a future, and only polling or dropping that future gives them back. Every
//! holder is remembered with its task, where it asked and the `select!` branch it was polled
//! in, so that a task waiting for a lock its own future holds can be told so.

use super::branch::{self, Branch};
use crate::blocking::{self, Early, On, Tid, WaitSpec, Woken};
use crate::deadlock::Mode;
use racebook_trace::ObjectId;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::sync::{Arc, MutexGuard};
use std::task::{Context, Poll};

/// What the permits stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An async mutex or reader-writer lock: in the deadlock graph, held and waited for.
    Lock,
    /// A semaphore's permits.
    Semaphore,
}

struct Waiter {
    need: usize,
    /// The facade wait of its task.
    wait: u64,
    granted: bool,
    task: Tid,
    at: &'static Location<'static>,
    branch: Option<Branch>,
}

#[derive(Clone)]
pub(super) struct Holder {
    id: u64,
    pub task: Tid,
    count: usize,
    pub at: &'static Location<'static>,
    pub branch: Option<Branch>,
    /// Handed over on a release while its future waited, and not polled since.
    pub unpolled: bool,
}

#[derive(Default)]
struct State {
    free: usize,
    queue: VecDeque<u64>,
    waiters: HashMap<u64, Waiter>,
    holders: Vec<Holder>,
    closed: bool,
    next: u64,
}

/// The shared core of one facade primitive under shuttle.
pub(crate) struct Permits {
    pub name: String,
    pub obj: Option<ObjectId>,
    kind: Kind,
    total: usize,
    state: crate::sync::Tracked<State>,
}

/// Permits a future got: its holder id (for `release`), and whether a release handed them
/// over while it waited (the recording then already counts them as held).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Granted {
    pub id: u64,
    pub handed: bool,
}

/// The semaphore was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Closed;

impl Permits {
    pub fn new(name: &str, obj: Option<ObjectId>, kind: Kind, permits: usize) -> Arc<Permits> {
        let p = Arc::new(Permits {
            name: name.to_string(),
            obj,
            kind,
            total: permits,
            state: crate::sync::Tracked::new(State {
                free: permits,
                ..State::default()
            }),
        });
        if kind == Kind::Lock {
            super::own_lock::register(&p);
        }
        p
    }

    /// The object's key in the facade's waits and deadlock graph.
    pub fn key(&self) -> usize {
        self as *const Self as usize
    }

    fn mode(&self, need: usize) -> Mode {
        if need >= self.total {
            Mode::Exclusive
        } else {
            Mode::Shared
        }
    }

    fn on(&self, need: usize) -> On {
        match self.kind {
            Kind::Lock => On::Lock(self.key(), self.mode(need)),
            Kind::Semaphore => On::Permit(self.key()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock()
    }

    /// The holders that are futures of task `t`.
    pub(super) fn holders_of(&self, t: Tid) -> Vec<Holder> {
        let st = self.state();
        st.holders.iter().filter(|h| h.task == t).cloned().collect()
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
    pub fn try_acquire(&self, need: usize, at: &'static Location<'static>) -> Option<u64> {
        crate::blocking::switch();
        self.take_now(need, at, true)
    }

    fn take_now(&self, need: usize, at: &'static Location<'static>, tried: bool) -> Option<u64> {
        let me = blocking::me()?;
        let id = {
            let mut st = self.state();
            if st.closed || !st.queue.is_empty() || st.free < need {
                return None;
            }
            st.free -= need;
            st.next += 1;
            let id = st.next;
            st.holders.push(Holder {
                id,
                task: me,
                count: need,
                at,
                branch: branch::current(),
                unpolled: false,
            });
            id
        };
        if self.kind == Kind::Lock {
            crate::deadlock::acquired(self.key(), self.mode(need), &self.name, at, tried);
        }
        Some(id)
    }

    /// Give back what holder `id` holds (the current task releases it).
    pub fn release(&self, id: u64) {
        let released = {
            let mut st = self.state();
            match st.holders.iter().position(|h| h.id == id) {
                Some(i) => {
                    let h = st.holders.swap_remove(i);
                    st.free += h.count;
                    true
                }
                None => false,
            }
        };
        if released && self.kind == Kind::Lock {
            crate::deadlock::released(self.key());
        }
        self.grant();
    }

    /// Holder `id` gives its permits up for good (a semaphore permit's `forget`).
    pub fn forget(&self, id: u64) {
        self.state().holders.retain(|h| h.id != id);
    }

    /// Add `n` permits (a semaphore's `add_permits`).
    pub fn add(&self, n: usize) {
        self.state().free += n;
        self.grant();
    }

    /// Refuse every waiter from now on.
    pub fn close(&self) {
        let waiting: Vec<(Tid, u64)> = {
            let mut st = self.state();
            st.closed = true;
            st.waiters.values().map(|w| (w.task, w.wait)).collect()
        };
        for (t, wait) in waiting {
            blocking::wake_wait(t, wait, Woken::Closed);
        }
    }

    pub fn is_closed(&self) -> bool {
        self.state().closed
    }

    pub fn free(&self) -> usize {
        self.state().free
    }

    /// Hand free permits to the waiters at the head of the queue, in order, and wake them.
    fn grant(&self) {
        let me = blocking::me();
        let mut granted = Vec::new();
        {
            let mut st = self.state();
            while let Some(&id) = st.queue.front() {
                let need = st.waiters[&id].need;
                if st.free < need {
                    break;
                }
                st.free -= need;
                st.queue.pop_front();
                let w = st.waiters.get_mut(&id).expect("a queued waiter is known");
                w.granted = true;
                let holder = Holder {
                    id,
                    task: w.task,
                    count: need,
                    at: w.at,
                    branch: w.branch,
                    unpolled: true,
                };
                granted.push((w.task, w.wait, need));
                st.holders.push(holder);
            }
        }
        for (task, wait, need) in granted {
            if self.kind == Kind::Lock {
                crate::deadlock::handed(self.key(), self.mode(need), task);
                crate::record::hand_to(self.obj, blocking::recorded(task));
            }
            let by = blocking::wake_ref(me.unwrap_or(task), None);
            blocking::wake_wait(task, wait, Woken::By(by));
        }
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
        let p = this.permits.clone();
        let Some(me) = blocking::me() else {
            return Poll::Ready(Err(Closed));
        };
        let id = match this.waiter {
            None => {
                // A scheduling point before the request, as at every shuttle primitive.
                crate::blocking::switch();
                if p.state().closed {
                    this.done = true;
                    return Poll::Ready(Err(Closed));
                }
                if let Some(id) = p.take_now(this.need, this.at, false) {
                    this.done = true;
                    return Poll::Ready(Ok(Granted { id, handed: false }));
                }
                let on = p.on(this.need);
                let wait = match on {
                    On::Lock(key, mode) => {
                        // The graph reports a request that can never be granted, now.
                        crate::deadlock::before_async_lock(key, mode, &p.name, p.obj, this.at);
                        blocking::last_wait(me)
                    }
                    _ => {
                        blocking::object(p.key(), &p.name, p.obj);
                        Some(blocking::begin_wait(
                            me,
                            WaitSpec {
                                on,
                                at: this.at,
                                object: p.obj,
                                since_step: None,
                                early: Early::Never,
                            },
                        ))
                    }
                };
                let wait = wait.expect("a model task waits");
                crate::record::waiting_for(p.obj, this.at);
                // The trace shows where the wait began (a stuck run ends on it).
                let began = crate::record::step(this.at, || {
                    crate::record::Event::new(racebook_trace::Op::Block).on(p.obj)
                });
                blocking::set_since_step(me, began);
                let mut st = p.state();
                st.next += 1;
                let id = st.next;
                st.waiters.insert(
                    id,
                    Waiter {
                        need: this.need,
                        wait,
                        granted: false,
                        task: me,
                        at: this.at,
                        branch: branch::current(),
                    },
                );
                st.queue.push_back(id);
                this.waiter = Some(id);
                id
            }
            Some(id) => id,
        };
        let (wait, granted) = {
            let st = p.state();
            let w = &st.waiters[&id];
            (w.wait, w.granted)
        };
        match blocking::poll_wait(me, wait, cx.waker()) {
            Poll::Pending if !granted => Poll::Pending,
            _ => {
                let mut st = p.state();
                st.waiters.remove(&id);
                this.done = true;
                crate::record::done_waiting();
                if !granted {
                    st.queue.retain(|&q| q != id);
                    return Poll::Ready(Err(Closed));
                }
                if let Some(h) = st.holders.iter_mut().find(|h| h.id == id) {
                    h.unpolled = false;
                }
                drop(st);
                blocking::end_wait(me, wait);
                if p.kind == Kind::Lock {
                    crate::deadlock::taken_handed(p.key(), p.mode(this.need), &p.name, this.at);
                }
                Poll::Ready(Ok(Granted { id, handed: true }))
            }
        }
    }
}

impl Drop for Acquire {
    fn drop(&mut self) {
        let Some(id) = self.waiter.filter(|_| !self.done) else {
            return;
        };
        let (granted, wait) = {
            let mut st = self.permits.state();
            st.queue.retain(|&q| q != id);
            match st.waiters.remove(&id) {
                Some(w) => (w.granted, Some(w.wait)),
                None => (false, None),
            }
        };
        if let (Some(me), Some(wait)) = (blocking::me(), wait) {
            blocking::end_wait(me, wait);
        }
        if granted {
            // Handed the permits and dropped before it took them: they go to the next waiter.
            self.permits.release(id);
        } else {
            self.permits.grant();
        }
    }
}
