//! A named barrier: `n` threads wait until all have arrived. Under the model engines its waits
//! are the facade's (see `crate::blocking`), so a barrier that too few threads reach is
//! reported as stuck rather than hung.

use crate::blocking::{self, Early, On, WaitSpec, Woken};
use crate::engine;
use crate::record::{self, Event};
use crate::sync::ModelLock;
use racebook_trace::{ObjectId, ObjectKind, Op};
use std::panic::Location;

/// Whether this thread was the one whose arrival released the others, as std's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    /// Exactly one thread of each release is the leader: the last to arrive.
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

enum Inner {
    Real(std::sync::Barrier),
    /// Threads that arrived since the last release.
    Model(ModelLock<usize>),
}

/// A barrier with a name the reports use.
pub struct Barrier {
    name: Box<str>,
    obj: Option<ObjectId>,
    n: usize,
    inner: Inner,
}

impl Barrier {
    /// Like std's `new`: releases every `n` arrivals. Reports name it after the binding that
    /// holds it, or where it was built; [`Self::named`] names it explicitly.
    #[track_caller]
    pub fn new(n: usize) -> Barrier {
        let at = Location::caller();
        Self::build(&crate::naming::derived("barrier", at), n, at)
    }

    /// A barrier named `name` (as reports show it) that releases every `n` arrivals.
    #[track_caller]
    pub fn named(name: &str, n: usize) -> Barrier {
        Self::build(name, n, Location::caller())
    }

    fn build(name: &str, n: usize, at: &'static Location<'static>) -> Barrier {
        let obj = record::object(name, ObjectKind::Barrier, || format!("{n} threads"), at);
        let inner = match ModelLock::new(engine::current(), 0) {
            Some(lock) => Inner::Model(lock),
            None => Inner::Real(std::sync::Barrier::new(n)),
        };
        Barrier {
            name: name.into(),
            obj,
            n,
            inner,
        }
    }

    /// Wait until `n` threads have called `wait`.
    #[track_caller]
    pub fn wait(&self) -> BarrierWaitResult {
        let at = Location::caller();
        let lock = match &self.inner {
            Inner::Real(b) => {
                let leader = b.wait().is_leader();
                record::step(at, || Event::new(Op::Wait).on(self.obj));
                return BarrierWaitResult(leader);
            }
            Inner::Model(lock) => lock,
        };
        engine::assert_same(lock.engine(), || format!("barrier `{}`", self.name));
        let Some(me) = blocking::me() else {
            return BarrierWaitResult(false);
        };
        let key = self as *const Self as usize;
        let n = self.n;
        let leader = lock.with(|arrived| {
            blocking::object(key, &self.name, self.obj);
            *arrived += 1;
            if *arrived >= n {
                *arrived = 0;
                let waiters = blocking::waiter_names(On::Barrier(key));
                let step = record::step(at, || {
                    Event::new(Op::NotifyAll)
                        .on(self.obj)
                        .value(crate::sync::condvar::wakes(&waiters, true))
                });
                blocking::notify_all(me, key, On::Barrier(key), step);
                true
            } else {
                blocking::begin_wait(
                    me,
                    WaitSpec {
                        on: On::Barrier(key),
                        at,
                        object: self.obj,
                        since_step: None,
                        early: Early::Never,
                    },
                );
                false
            }
        });
        if leader {
            return BarrierWaitResult(true);
        }
        let began = record::step(at, || Event::new(Op::Block).on(self.obj));
        blocking::set_since_step(me, began);
        let woken = blocking::finish_wait(me);
        let by = match woken {
            Woken::By(by) => Some(by),
            _ => None,
        };
        let leader = by.and_then(|b| blocking::recorded(b.by));
        record::step(at, || {
            Event::new(Op::Wait)
                .on(self.obj)
                .value("released".into())
                .thread(leader)
                .woken_by(by.and_then(|b| b.step))
        });
        BarrierWaitResult(false)
    }
}
