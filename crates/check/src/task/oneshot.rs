//! A one-shot channel, like tokio's `oneshot`: one value, sent once. Awaiting the receiver is
//! cancel safe (a dropped receive takes nothing). Under shuttle the wait is the facade's, so a
//! receive whose sender never sends, and is never dropped, is reported.

use crate::blocking::{self, Early, On, WaitSpec};
use crate::engine;
use crate::record::{self, Event};
use racebook_trace::{EngineKind, ObjectId, ObjectKind, Op};
use std::fmt::Debug;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

pub use tokio::sync::oneshot::error::{RecvError, TryRecvError};

struct Slot<T> {
    value: Option<T>,
    sender_alive: bool,
    receiver_alive: bool,
}

struct Shared<T> {
    name: String,
    slot: crate::sync::Tracked<Slot<T>>,
}

impl<T> Shared<T> {
    fn key(&self) -> usize {
        self as *const Self as usize
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Slot<T>> {
        self.slot.lock()
    }
}

enum SenderInner<T> {
    Real(tokio::sync::oneshot::Sender<T>),
    Shuttle(Arc<Shared<T>>),
}

enum ReceiverInner<T> {
    Real(tokio::sync::oneshot::Receiver<T>),
    Shuttle(Arc<Shared<T>>),
}

/// Sends the one value.
pub struct Sender<T> {
    inner: Option<SenderInner<T>>,
    obj: Option<ObjectId>,
}

/// Awaits the one value: `Err` when the sender was dropped without sending.
pub struct Receiver<T> {
    inner: ReceiverInner<T>,
    obj: Option<ObjectId>,
    at: &'static Location<'static>,
    /// The facade wait of a pending receive.
    wait: Option<(blocking::Tid, u64)>,
}

/// Like tokio's `oneshot::channel`. Reports name it after its binding.
#[track_caller]
pub fn channel<T: Debug>() -> (Sender<T>, Receiver<T>) {
    let at = Location::caller();
    build(&crate::naming::derived("oneshot", at), at)
}

/// A one-shot channel named `name` (as reports show it).
#[track_caller]
pub fn channel_named<T: Debug>(name: &str) -> (Sender<T>, Receiver<T>) {
    build(name, Location::caller())
}

fn build<T: Debug>(name: &str, at: &'static Location<'static>) -> (Sender<T>, Receiver<T>) {
    let obj = record::object(name, ObjectKind::Channel, || "empty".to_string(), at);
    let (s, r) = match engine::current() {
        EngineKind::Real => {
            let (s, r) = tokio::sync::oneshot::channel();
            (SenderInner::Real(s), ReceiverInner::Real(r))
        }
        EngineKind::Shuttle => {
            let shared = Arc::new(Shared {
                name: name.to_string(),
                slot: crate::sync::Tracked::new(Slot {
                    value: None,
                    sender_alive: true,
                    receiver_alive: true,
                }),
            });
            (
                SenderInner::Shuttle(shared.clone()),
                ReceiverInner::Shuttle(shared),
            )
        }
        EngineKind::Loom => super::unsupported(),
    };
    (
        Sender {
            inner: Some(s),
            obj,
        },
        Receiver {
            inner: r,
            obj,
            at,
            wait: None,
        },
    )
}

impl<T: Debug> Sender<T> {
    /// Send the value; `Err` gives it back when the receiver is gone.
    #[track_caller]
    pub fn send(mut self, value: T) -> Result<(), T> {
        let at = Location::caller();
        let step = record::step(at, || {
            Event::new(Op::Send)
                .on(self.obj)
                .value(format!("{value:?}"))
        });
        match self.inner.take().expect("a sender sends once") {
            SenderInner::Real(s) => s.send(value),
            SenderInner::Shuttle(shared) => {
                blocking::switch();
                {
                    let mut slot = shared.slot();
                    slot.sender_alive = false;
                    if !slot.receiver_alive {
                        return Err(value);
                    }
                    slot.value = Some(value);
                }
                if let Some(me) = blocking::me() {
                    blocking::object(shared.key(), &shared.name, self.obj);
                    blocking::notify_all(me, shared.key(), On::Recv(shared.key()), step);
                }
                Ok(())
            }
        }
    }

    /// Whether the receiver is gone.
    pub fn is_closed(&self) -> bool {
        match &self.inner {
            Some(SenderInner::Real(s)) => s.is_closed(),
            Some(SenderInner::Shuttle(shared)) => !shared.slot().receiver_alive,
            None => true,
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if let Some(SenderInner::Shuttle(shared)) = self.inner.take() {
            shared.slot().sender_alive = false;
            if let Some(me) = blocking::me() {
                blocking::close(me, On::Recv(shared.key()));
            }
        }
    }
}

impl<T: Debug> Receiver<T> {
    /// Take the value if it was sent.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        match &mut self.inner {
            ReceiverInner::Real(r) => r.try_recv(),
            ReceiverInner::Shuttle(shared) => {
                let mut slot = shared.slot();
                match slot.value.take() {
                    Some(v) => Ok(v),
                    None if slot.sender_alive => Err(TryRecvError::Empty),
                    None => Err(TryRecvError::Closed),
                }
            }
        }
    }
}

impl<T: Debug> Future for Receiver<T> {
    type Output = Result<T, RecvError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let at = this.at;
        let got = match &mut this.inner {
            ReceiverInner::Real(r) => Pin::new(r).poll(cx),
            ReceiverInner::Shuttle(shared) => {
                let shared = shared.clone();
                if this.wait.is_none() {
                    blocking::switch();
                }
                loop {
                    let mut slot = shared.slot();
                    if let Some(v) = slot.value.take() {
                        break Poll::Ready(Ok(v));
                    }
                    if !slot.sender_alive {
                        // tokio's `RecvError` has no public constructor: a dropped real sender
                        // makes one.
                        drop(slot);
                        let (s, r) = tokio::sync::oneshot::channel::<()>();
                        drop(s);
                        break Poll::Ready(Err(r.blocking_recv().expect_err("no sender")));
                    }
                    drop(slot);
                    let Some(me) = blocking::me() else {
                        break Poll::Pending;
                    };
                    let (_, id) = *this.wait.get_or_insert_with(|| {
                        let key = shared.key();
                        blocking::object(key, &shared.name, this.obj);
                        let id = blocking::begin_wait(
                            me,
                            WaitSpec {
                                on: On::Recv(key),
                                at,
                                object: this.obj,
                                since_step: None,
                                early: Early::Never,
                            },
                        );
                        let began = record::step(at, || Event::new(Op::Block).on(this.obj));
                        blocking::set_since_step(me, began);
                        (me, id)
                    });
                    match blocking::poll_wait(me, id, cx.waker()) {
                        Poll::Pending => break Poll::Pending,
                        Poll::Ready(_) => this.wait = None,
                    }
                }
            }
        };
        if let Poll::Ready(Ok(v)) = &got {
            let obj = this.obj;
            record::step(at, || Event::new(Op::Recv).on(obj).value(format!("{v:?}")));
        }
        got
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        if let ReceiverInner::Shuttle(shared) = &self.inner {
            shared.slot().receiver_alive = false;
        }
        if let Some((me, id)) = self.wait.take() {
            blocking::end_wait(me, id);
        }
    }
}
