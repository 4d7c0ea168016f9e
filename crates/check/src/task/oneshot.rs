//! A one-shot channel, like tokio's `oneshot`: one value, sent once. Awaiting the receiver is
//! cancel safe (a dropped receive takes nothing).

use super::words::{Described, place};
use super::world::{self, Wait, WaitTarget, World};
use crate::engine;
use crate::record::{self, Event};
use racebook_trace::{EngineKind, ObjectId, ObjectKind, Op};
use std::fmt::Debug;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

pub use tokio::sync::oneshot::error::{RecvError, TryRecvError};

struct Slot<T> {
    value: Option<T>,
    sender_alive: bool,
    receiver_alive: bool,
    waker: Option<Waker>,
}

struct Shared<T> {
    name: String,
    slot: Mutex<Slot<T>>,
}

impl<T> Shared<T> {
    fn slot(&self) -> std::sync::MutexGuard<'_, Slot<T>> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
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
                slot: Mutex::new(Slot {
                    value: None,
                    sender_alive: true,
                    receiver_alive: true,
                    waker: None,
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
        Receiver { inner: r, obj, at },
    )
}

impl<T: Debug> Sender<T> {
    /// Send the value; `Err` gives it back when the receiver is gone.
    #[track_caller]
    pub fn send(mut self, value: T) -> Result<(), T> {
        let at = Location::caller();
        record::step(at, || {
            Event::new(Op::Send)
                .on(self.obj)
                .value(format!("{value:?}"))
        });
        match self.inner.take().expect("a sender sends once") {
            SenderInner::Real(s) => s.send(value),
            SenderInner::Shuttle(shared) => {
                world::point();
                let waker = {
                    let mut slot = shared.slot();
                    slot.sender_alive = false;
                    if !slot.receiver_alive {
                        return Err(value);
                    }
                    slot.value = Some(value);
                    slot.waker.take()
                };
                if let Some(w) = waker {
                    w.wake();
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
            let waker = {
                let mut slot = shared.slot();
                slot.sender_alive = false;
                slot.waker.take()
            };
            if let Some(w) = waker {
                w.wake();
            }
        }
    }
}

/// Waiting for the one value.
struct Awaiting {
    name: String,
}

impl WaitTarget for Awaiting {
    fn describe(&self, _waiter: u64, _world: &World) -> Described {
        Described {
            words: format!(
                "the value of {}: its sender still exists and has not sent",
                self.name
            ),
            self_wait: false,
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
                world::point();
                let mut slot = shared.slot();
                match slot.value.take() {
                    Some(v) => Poll::Ready(Ok(v)),
                    None if !slot.sender_alive => {
                        // tokio's `RecvError` has no public constructor: a dropped real sender
                        // makes one.
                        drop(slot);
                        let (s, r) = tokio::sync::oneshot::channel::<()>();
                        drop(s);
                        let err = r.blocking_recv().expect_err("its sender was dropped");
                        Poll::Ready(Err(err))
                    }
                    None => {
                        slot.waker = Some(cx.waker().clone());
                        drop(slot);
                        record::waiting_for(this.obj, at);
                        world::pending(Wait {
                            target: Arc::new(Awaiting {
                                name: format!("{} ({})", shared.name, place(at)),
                            }),
                            waiter: 0,
                            at,
                        });
                        Poll::Pending
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
    }
}
