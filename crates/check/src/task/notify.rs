//! A named async notify, as tokio's `Notify`: tokio's on the real runtime; under shuttle the
//! facade's own (see `crate::blocking`), so a task waiting for a notify nobody will send is
//! reported, with the notify it missed. As tokio's: `notify_one` with nobody waiting stores one
//! permit the next `notified().await` uses; `notify_waiters` wakes the tasks waiting now, and
//! every `Notified` made before it, and stores nothing.

use crate::blocking::{self, Early, On, WaitSpec, Woken};
use crate::engine::{self, assert_same};
use crate::record::{self, Event};
use crate::sync::ModelLock;
use racebook_trace::{EngineKind, ObjectId, ObjectKind, Op};
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};

#[derive(Default)]
struct State {
    /// The permit a `notify_one` left with nobody waiting: who left it, and where.
    permit: Option<blocking::WakeRef>,
    /// How many `notify_waiters` calls there were, and the last one.
    broadcasts: u64,
    last_broadcast: Option<blocking::WakeRef>,
}

enum Inner {
    Real(tokio::sync::Notify),
    Model(ModelLock<State>),
}

/// An async notify with a name the reports use.
pub struct Notify {
    name: Box<str>,
    obj: Option<ObjectId>,
    inner: Inner,
}

impl Default for Notify {
    #[track_caller]
    fn default() -> Notify {
        Notify::new()
    }
}

impl Notify {
    /// Like tokio's `new`; reports name it after the binding that holds it, or where it was
    /// built. [`Self::named`] names it explicitly.
    #[track_caller]
    pub fn new() -> Notify {
        let at = Location::caller();
        Self::build(&crate::naming::derived("notify", at), at)
    }

    /// A notify named `name` (as reports show it).
    #[track_caller]
    pub fn named(name: &str) -> Notify {
        Self::build(name, Location::caller())
    }

    fn build(name: &str, at: &'static Location<'static>) -> Notify {
        let obj = record::object(name, ObjectKind::Notify, String::new, at);
        let inner = match engine::current() {
            EngineKind::Real => Inner::Real(tokio::sync::Notify::new()),
            EngineKind::Shuttle => Inner::Model(
                ModelLock::new(EngineKind::Shuttle, State::default()).expect("a model engine"),
            ),
            EngineKind::Loom => {
                panic!("loom has no async executor: async scenarios run on tokio and shuttle only")
            }
        };
        Notify {
            name: name.into(),
            obj,
            inner,
        }
    }

    fn key(&self) -> usize {
        self as *const Self as usize
    }

    fn model(&self) -> Option<&ModelLock<State>> {
        match &self.inner {
            Inner::Model(lock) => {
                assert_same(lock.engine(), || format!("notify `{}`", self.name));
                Some(lock)
            }
            Inner::Real(_) => None,
        }
    }

    /// Wake one waiting task, or leave a permit for the next `notified().await`.
    #[track_caller]
    pub fn notify_one(&self) {
        let at = Location::caller();
        let Some(lock) = self.model() else {
            record::step(at, || Event::new(Op::Notify).on(self.obj));
            if let Inner::Real(n) = &self.inner {
                n.notify_one();
            }
            return;
        };
        let Some(me) = blocking::me() else { return };
        let key = self.key();
        lock.with(|st| {
            blocking::object(key, &self.name, self.obj);
            let waiters = blocking::waiter_names(On::Notify(key));
            let value = if waiters.is_empty() {
                "wakes nobody: no task is waiting, so it leaves a permit".to_string()
            } else {
                crate::sync::condvar::wakes(&waiters, false)
            };
            let step = record::step(at, || Event::new(Op::Notify).on(self.obj).value(value));
            let woke = blocking::notify_one(me, key, On::Notify(key), step);
            if woke.is_empty() {
                st.permit = Some(blocking::wake_ref(me, step));
            }
        });
    }

    /// Wake every task waiting now (and every `Notified` made before this call); leaves no
    /// permit.
    #[track_caller]
    pub fn notify_waiters(&self) {
        let at = Location::caller();
        let Some(lock) = self.model() else {
            record::step(at, || Event::new(Op::NotifyAll).on(self.obj));
            if let Inner::Real(n) = &self.inner {
                n.notify_waiters();
            }
            return;
        };
        let Some(me) = blocking::me() else { return };
        let key = self.key();
        lock.with(|st| {
            blocking::object(key, &self.name, self.obj);
            let waiters = blocking::waiter_names(On::Notify(key));
            let step = record::step(at, || {
                Event::new(Op::NotifyAll)
                    .on(self.obj)
                    .value(crate::sync::condvar::wakes(&waiters, true))
            });
            blocking::notify_all(me, key, On::Notify(key), step);
            st.broadcasts += 1;
            st.last_broadcast = Some(blocking::wake_ref(me, step));
        });
    }

    /// A future that completes when this notify wakes it.
    #[track_caller]
    pub fn notified(&self) -> Notified<'_> {
        let broadcasts = match self.model() {
            Some(lock) => lock.with(|st| st.broadcasts),
            None => 0,
        };
        Notified {
            notify: self,
            at: Location::caller(),
            broadcasts,
            waiting: None,
            real: None,
        }
    }
}

/// The future of [`Notify::notified`].
pub struct Notified<'a> {
    notify: &'a Notify,
    at: &'static Location<'static>,
    /// `notify_waiters` calls before this was made.
    broadcasts: u64,
    /// The facade wait, once it began: who waits, and the wait's id.
    waiting: Option<(blocking::Tid, u64)>,
    real: Option<Pin<Box<tokio::sync::futures::Notified<'a>>>>,
}

impl Future for Notified<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        let n = this.notify;
        let Some(lock) = n.model() else {
            let Inner::Real(real) = &n.inner else {
                unreachable!("a real notify")
            };
            let fut = this.real.get_or_insert_with(|| Box::pin(real.notified()));
            let done = fut.as_mut().poll(cx);
            if done.is_ready() {
                record::step(this.at, || Event::new(Op::Wait).on(n.obj));
            }
            return done;
        };
        let Some(me) = blocking::me() else {
            return Poll::Ready(());
        };
        let key = n.key();
        if this.waiting.is_none() {
            let at = this.at;
            let ready = lock.with(|st| {
                if let Some(p) = st.permit.take() {
                    return Ok(Woken::By(p));
                }
                if st.broadcasts > this.broadcasts
                    && let Some(b) = st.last_broadcast
                {
                    return Ok(Woken::By(b));
                }
                blocking::object(key, &n.name, n.obj);
                Err(blocking::begin_wait(
                    me,
                    WaitSpec {
                        on: On::Notify(key),
                        at,
                        object: n.obj,
                        since_step: None,
                        early: Early::Never,
                    },
                ))
            });
            let id = match ready {
                Ok(woken) => {
                    crate::sync::condvar::record_woken(n.obj, at, woken);
                    return Poll::Ready(());
                }
                Err(id) => id,
            };
            this.waiting = Some((me, id));
            let began = record::step(at, || Event::new(Op::Block).on(n.obj));
            blocking::set_since_step(me, began);
        }
        let (_, id) = this.waiting.expect("the wait began");
        match blocking::poll_wait(me, id, cx.waker()) {
            Poll::Ready(woken) => {
                this.waiting = None;
                crate::sync::condvar::record_woken(n.obj, this.at, woken);
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for Notified<'_> {
    /// A `Notified` dropped while it waits (a `select!` chose another branch) waits no more.
    fn drop(&mut self) {
        if let Some((me, id)) = self.waiting.take() {
            blocking::end_wait(me, id);
        }
    }
}
