//! A named condition variable over the facade's `Mutex`. Under the model engines its waits are
//! the facade's own (see `crate::blocking`): a wait registers before it releases the mutex, as
//! std's does, so a notify can never fall between the two; `notify_one` may wake any current
//! waiter; a wait may end spuriously and a timeout may fire at any time (each at most once per
//! thread and run), as the model's choice; and a wait nothing is left to end is reported.

use crate::blocking::{self, Early, On, WaitSpec, Woken};
use crate::engine;
use crate::record::{self, Event};
use crate::sync::ModelLock;
use crate::sync::mutex::{GuardInner, MutexGuard};
use racebook_trace::{ObjectId, ObjectKind, Op};
use std::fmt::Debug;
use std::panic::Location;
use std::sync::PoisonError;
use std::time::Duration;

enum Inner {
    Real(std::sync::Condvar),
    Model(ModelLock<()>),
}

/// A condition variable with a name the reports use, over the facade's `Mutex`.
pub struct Condvar {
    name: Box<str>,
    obj: Option<ObjectId>,
    inner: Inner,
}

/// Whether a timed wait ended by its timeout, as std's type of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    /// The wait ended because its time ran out, not because of a notify.
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

impl Default for Condvar {
    #[track_caller]
    fn default() -> Condvar {
        Condvar::new()
    }
}

impl Condvar {
    /// Like std's `new`; reports name it after the binding that holds it (`let ready = …`),
    /// or after where it was built. [`Self::named`] names it explicitly.
    #[track_caller]
    pub fn new() -> Condvar {
        let at = Location::caller();
        Self::build(crate::naming::derived("condvar", at), at)
    }

    /// A condition variable named `name` (as reports show it).
    #[track_caller]
    pub fn named(name: &str) -> Condvar {
        Self::build(name.to_string(), Location::caller())
    }

    fn build(name: String, at: &'static Location<'static>) -> Condvar {
        let obj = record::object(&name, ObjectKind::Condvar, String::new, at);
        let inner = match ModelLock::new(engine::current(), ()) {
            Some(lock) => Inner::Model(lock),
            None => Inner::Real(std::sync::Condvar::new()),
        };
        Condvar {
            name: name.into(),
            obj,
            inner,
        }
    }

    fn key(&self) -> usize {
        self as *const Self as usize
    }

    /// Release the guard's lock, sleep until notified, and take the lock again.
    #[track_caller]
    pub fn wait<'a, T: Debug>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        self.wait_at(guard, None, Location::caller()).0
    }

    /// `wait`, giving up after `duration` on real threads. Under the checkers time has no
    /// meaning: the timeout may fire at any point (once per thread and run), and fires when
    /// nothing else could happen.
    #[track_caller]
    pub fn wait_timeout<'a, T: Debug>(
        &self,
        guard: MutexGuard<'a, T>,
        duration: Duration,
    ) -> (MutexGuard<'a, T>, WaitTimeoutResult) {
        self.wait_at(guard, Some(duration), Location::caller())
    }

    /// Wait until `condition` is false for the guarded value.
    #[track_caller]
    pub fn wait_while<'a, T: Debug>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: impl FnMut(&mut T) -> bool,
    ) -> MutexGuard<'a, T> {
        let at = Location::caller();
        while condition(&mut *guard) {
            guard = self.wait_at(guard, None, at).0;
        }
        guard
    }

    /// `wait_while` with a timeout, as `wait_timeout` has one.
    #[track_caller]
    pub fn wait_timeout_while<'a, T: Debug>(
        &self,
        mut guard: MutexGuard<'a, T>,
        duration: Duration,
        mut condition: impl FnMut(&mut T) -> bool,
    ) -> (MutexGuard<'a, T>, WaitTimeoutResult) {
        let at = Location::caller();
        while condition(&mut *guard) {
            let (g, r) = self.wait_at(guard, Some(duration), at);
            guard = g;
            if r.timed_out() {
                let still = condition(&mut *guard);
                return (guard, WaitTimeoutResult(still));
            }
        }
        (guard, WaitTimeoutResult(false))
    }

    fn wait_at<'a, T: Debug>(
        &self,
        mut guard: MutexGuard<'a, T>,
        timeout: Option<Duration>,
        at: &'static Location<'static>,
    ) -> (MutexGuard<'a, T>, WaitTimeoutResult) {
        let mutex = guard.mutex;
        let lock = match &self.inner {
            Inner::Real(c) => {
                let inner = guard
                    .release()
                    .expect("a guard holds its lock until dropped");
                drop(guard);
                let GuardInner::Real(g) = inner else {
                    unreachable!("a condvar and its mutex always share an engine")
                };
                let (g, timed_out) = match timeout {
                    Some(d) => {
                        let (g, r) = c.wait_timeout(g, d).unwrap_or_else(PoisonError::into_inner);
                        (g, r.timed_out())
                    }
                    None => (c.wait(g).unwrap_or_else(PoisonError::into_inner), false),
                };
                record::step(at, || Event::new(Op::Wait).on(self.obj));
                return (
                    mutex.acquired(GuardInner::Real(g), at),
                    WaitTimeoutResult(timed_out),
                );
            }
            Inner::Model(lock) => lock,
        };
        crate::engine::assert_same(lock.engine(), || format!("condvar `{}`", self.name));
        let me = blocking::me().expect("a model thread waits");
        let key = self.key();
        // Registered before the mutex is released, in one step no other thread can split.
        lock.with(|()| {
            blocking::object(key, &self.name, self.obj);
            blocking::begin_wait(
                me,
                WaitSpec {
                    on: On::Condvar(key),
                    at,
                    object: self.obj,
                    since_step: None,
                    early: if timeout.is_some() {
                        Early::Timeout
                    } else {
                        Early::Spurious
                    },
                },
            );
        });
        let began = record::step(at, || Event::new(Op::Block).on(self.obj));
        blocking::set_since_step(me, began);
        drop(guard.release());
        drop(guard);
        let woken = blocking::finish_wait(me);
        record_woken(self.obj, at, woken);
        (
            mutex.lock_at(at),
            WaitTimeoutResult(woken == Woken::TimedOut),
        )
    }

    /// Wake one thread waiting on this condition variable, if any is waiting: any one of them.
    #[track_caller]
    pub fn notify_one(&self) {
        self.notify(false, Location::caller());
    }

    /// Wake every thread waiting on this condition variable.
    #[track_caller]
    pub fn notify_all(&self) {
        self.notify(true, Location::caller());
    }

    fn notify(&self, all: bool, at: &'static Location<'static>) {
        let op = if all { Op::NotifyAll } else { Op::Notify };
        let lock = match &self.inner {
            Inner::Real(c) => {
                record::step(at, || Event::new(op).on(self.obj));
                if all {
                    c.notify_all()
                } else {
                    c.notify_one()
                }
                return;
            }
            Inner::Model(lock) => lock,
        };
        crate::engine::assert_same(lock.engine(), || format!("condvar `{}`", self.name));
        let Some(me) = blocking::me() else { return };
        let key = self.key();
        lock.with(|()| {
            blocking::object(key, &self.name, self.obj);
            let waiters = blocking::waiter_names(On::Condvar(key));
            let step = record::step(at, || {
                Event::new(op).on(self.obj).value(wakes(&waiters, all))
            });
            if all {
                blocking::notify_all(me, key, On::Condvar(key), step);
            } else {
                blocking::notify_one(me, key, On::Condvar(key), step);
            }
        });
    }
}

/// Whom a notify wakes, in words, for its step.
pub(crate) fn wakes(waiters: &[String], all: bool) -> String {
    match waiters {
        [] => "wakes nobody: no thread is waiting".to_string(),
        [one] => format!("wakes {one}"),
        many if all => format!("wakes {}", many.join(", ")),
        many => format!("wakes one of {}", many.join(", ")),
    }
}

/// The end of a wait, as a step: how it ended, and who woke it.
pub(crate) fn record_woken(obj: Option<ObjectId>, at: &'static Location<'static>, woken: Woken) {
    let (value, by) = match woken {
        Woken::By(by) => ("notified", Some(by)),
        Woken::Spurious => ("spurious", None),
        Woken::TimedOut => ("timed out", None),
        Woken::Joined | Woken::Closed => ("notified", None),
    };
    let waker = by.and_then(|b| blocking::recorded(b.by));
    record::step(at, || {
        Event::new(Op::Wait)
            .on(obj)
            .value(value.into())
            .thread(waker)
            .woken_by(by.and_then(|b| b.step))
    });
}

impl Debug for Condvar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Condvar")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}
