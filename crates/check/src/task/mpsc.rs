//! Async multi-producer, single-consumer channels, like tokio's `mpsc`: tokio's own on the real
//! runtime; under shuttle, a queue whose room (for a bounded channel) is the facade's fair
//! semaphore, so senders waiting for room are served in order, as in tokio.
//!
//! Cancel safety is tokio's too: `recv` loses nothing when its future is dropped; a dropped
//! `send` future drops its message with it (the trace records that as a cancelled send);
//! `reserve` takes room without a message, and `send_timeout` gives the message back.

use super::permits::{Acquire, Kind, Permits};
use super::words::{Described, place};
use super::world::{self, Wait, WaitTarget, World};
use crate::engine;
use crate::record::{self, Event};
use racebook_trace::{EngineKind, ObjectId, ObjectKind, Op};
use std::collections::VecDeque;
use std::fmt::Debug;
use std::future::Future;
use std::panic::Location;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

pub use tokio::sync::mpsc::error::{SendError, SendTimeoutError, TryRecvError, TrySendError};

mod send;
pub use send::{Permit, Send};

/// The shuttle side of one channel.
pub(crate) struct Chan<T> {
    name: String,
    queue: Mutex<Queue<T>>,
    /// Room for messages; `None` for an unbounded channel.
    room: Option<Arc<Permits>>,
    senders: AtomicUsize,
}

struct Queue<T> {
    items: VecDeque<T>,
    receiver: Option<Waker>,
    receiver_gone: bool,
}

impl<T> Chan<T> {
    fn queue(&self) -> std::sync::MutexGuard<'_, Queue<T>> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Put a message in (its room, if bounded, was taken already).
    fn push(&self, value: T) {
        let waker = {
            let mut q = self.queue();
            q.items.push_back(value);
            q.receiver.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

/// Waiting for a message.
struct Receiving {
    name: String,
    empty_senders: usize,
}

impl WaitTarget for Receiving {
    fn describe(&self, _waiter: u64, _world: &World) -> Described {
        Described {
            words: format!(
                "a message on {}: it is empty, and {} sender(s) of it still exist",
                self.name, self.empty_senders
            ),
            self_wait: false,
        }
    }
}

enum SenderInner<T> {
    Real(tokio::sync::mpsc::Sender<T>),
    RealUnbounded(tokio::sync::mpsc::UnboundedSender<T>),
    Shuttle(Arc<Chan<T>>),
}

enum ReceiverInner<T> {
    Real(tokio::sync::mpsc::Receiver<T>),
    RealUnbounded(tokio::sync::mpsc::UnboundedReceiver<T>),
    Shuttle(Arc<Chan<T>>),
}

/// The sending half of a bounded channel; clone it for more senders.
pub struct Sender<T> {
    inner: SenderInner<T>,
    obj: Option<ObjectId>,
}

/// The receiving half of a channel.
pub struct Receiver<T> {
    inner: ReceiverInner<T>,
    obj: Option<ObjectId>,
}

/// The sending half of an unbounded channel: sending never waits.
pub struct UnboundedSender<T>(Sender<T>);

/// The receiving half of an unbounded channel.
pub struct UnboundedReceiver<T>(Receiver<T>);

/// Like tokio's `mpsc::channel`: room for `capacity` messages; a send waits while it is full.
/// Reports name the channel after its binding.
#[track_caller]
pub fn channel<T: Debug + std::marker::Send>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    let at = Location::caller();
    build(&crate::naming::derived("channel", at), Some(capacity), at)
}

/// A bounded channel named `name` (as reports show it).
#[track_caller]
pub fn channel_named<T: Debug + std::marker::Send>(
    name: &str,
    capacity: usize,
) -> (Sender<T>, Receiver<T>) {
    build(name, Some(capacity), Location::caller())
}

/// Like tokio's `mpsc::unbounded_channel`.
#[track_caller]
pub fn unbounded_channel<T: Debug + std::marker::Send>()
-> (UnboundedSender<T>, UnboundedReceiver<T>) {
    let at = Location::caller();
    let (s, r) = build(&crate::naming::derived("channel", at), None, at);
    (UnboundedSender(s), UnboundedReceiver(r))
}

fn build<T: Debug>(
    name: &str,
    capacity: Option<usize>,
    at: &'static Location<'static>,
) -> (Sender<T>, Receiver<T>) {
    let obj = record::object(name, ObjectKind::Channel, || "[]".to_string(), at);
    let (s, r) = match (engine::current(), capacity) {
        (EngineKind::Real, Some(c)) => {
            let (s, r) = tokio::sync::mpsc::channel(c);
            (SenderInner::Real(s), ReceiverInner::Real(r))
        }
        (EngineKind::Real, None) => {
            let (s, r) = tokio::sync::mpsc::unbounded_channel();
            (
                SenderInner::RealUnbounded(s),
                ReceiverInner::RealUnbounded(r),
            )
        }
        (EngineKind::Shuttle, _) => {
            let chan = Arc::new(Chan {
                name: name.to_string(),
                queue: Mutex::new(Queue {
                    items: VecDeque::new(),
                    receiver: None,
                    receiver_gone: false,
                }),
                room: capacity.map(|c| Permits::new(name, obj, Kind::Capacity, c)),
                senders: AtomicUsize::new(1),
            });
            (
                SenderInner::Shuttle(chan.clone()),
                ReceiverInner::Shuttle(chan),
            )
        }
        (EngineKind::Loom, _) => super::unsupported(),
    };
    (Sender { inner: s, obj }, Receiver { inner: r, obj })
}

impl<T: Debug + std::marker::Send> Sender<T> {
    /// Wait for room, then send. Not cancel safe: a dropped `send` future drops its message.
    #[track_caller]
    pub fn send(&self, value: T) -> Send<'_, T> {
        Send::new(self, value, Location::caller())
    }

    /// Wait for room without a message yet; the permit sends one later. Cancel safe.
    #[track_caller]
    pub fn reserve(&self) -> send::Reserve<'_, T> {
        send::Reserve::new(self, Location::caller())
    }

    /// Send, or give the message back once `timeout` has passed (under the checkers, when that
    /// is is the model's choice) or when the receiver is gone.
    #[track_caller]
    pub fn send_timeout(
        &self,
        value: T,
        timeout: Duration,
    ) -> impl Future<Output = Result<(), SendTimeoutError<T>>> + '_ {
        let waiting = super::timeout(timeout, self.reserve());
        async move {
            match waiting.await {
                Ok(Ok(permit)) => {
                    permit.send(value);
                    Ok(())
                }
                Ok(Err(_)) => Err(SendTimeoutError::Closed(value)),
                Err(_) => Err(SendTimeoutError::Timeout(value)),
            }
        }
    }

    /// Send now if there is room, or give the message back.
    #[track_caller]
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        let at = Location::caller();
        match &self.inner {
            SenderInner::Real(s) => s.try_send(value),
            SenderInner::RealUnbounded(s) => s.send(value).map_err(|e| TrySendError::Closed(e.0)),
            SenderInner::Shuttle(chan) => {
                world::point();
                if chan.queue().receiver_gone {
                    return Err(TrySendError::Closed(value));
                }
                if let Some(room) = &chan.room {
                    match room.try_acquire(1) {
                        Some(id) => room.forget(id),
                        None => return Err(TrySendError::Full(value)),
                    }
                }
                send::record_send(self.obj, &value, at);
                chan.push(value);
                Ok(())
            }
        }
    }

    /// Whether the receiver is gone.
    pub fn is_closed(&self) -> bool {
        match &self.inner {
            SenderInner::Real(s) => s.is_closed(),
            SenderInner::RealUnbounded(s) => s.is_closed(),
            SenderInner::Shuttle(chan) => chan.queue().receiver_gone,
        }
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        let inner = match &self.inner {
            SenderInner::Real(s) => SenderInner::Real(s.clone()),
            SenderInner::RealUnbounded(s) => SenderInner::RealUnbounded(s.clone()),
            SenderInner::Shuttle(chan) => {
                chan.senders.fetch_add(1, Ordering::Relaxed);
                SenderInner::Shuttle(chan.clone())
            }
        };
        Sender {
            inner,
            obj: self.obj,
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if let SenderInner::Shuttle(chan) = &self.inner
            && chan.senders.fetch_sub(1, Ordering::Relaxed) == 1
            && let Some(w) = chan.queue().receiver.take()
        {
            // The last sender is gone: a waiting receiver gets `None`.
            w.wake();
        }
    }
}

impl<T: Debug> Receiver<T> {
    /// Wait for the next message; `None` once every sender is gone and the channel is empty.
    /// Cancel safe: a dropped `recv` future took nothing out.
    #[track_caller]
    pub fn recv(&mut self) -> impl Future<Output = Option<T>> + '_ {
        let at = Location::caller();
        std::future::poll_fn(move |cx| self.poll_recv_at(cx, at))
    }

    /// Take a message if one is there.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        match &mut self.inner {
            ReceiverInner::Real(r) => r.try_recv(),
            ReceiverInner::RealUnbounded(r) => r.try_recv(),
            ReceiverInner::Shuttle(chan) => {
                world::point();
                let mut q = chan.queue();
                match q.items.pop_front() {
                    Some(v) => {
                        drop(q);
                        if let Some(room) = &chan.room {
                            room.add(1);
                        }
                        Ok(v)
                    }
                    None if chan.senders.load(Ordering::Relaxed) == 0 => {
                        Err(TryRecvError::Disconnected)
                    }
                    None => Err(TryRecvError::Empty),
                }
            }
        }
    }

    fn poll_recv_at(
        &mut self,
        cx: &mut Context<'_>,
        at: &'static Location<'static>,
    ) -> Poll<Option<T>> {
        let got = match &mut self.inner {
            ReceiverInner::Real(r) => r.poll_recv(cx),
            ReceiverInner::RealUnbounded(r) => r.poll_recv(cx),
            ReceiverInner::Shuttle(chan) => {
                world::point();
                let mut q = chan.queue();
                if let Some(v) = q.items.pop_front() {
                    drop(q);
                    if let Some(room) = &chan.room {
                        room.add(1);
                    }
                    Poll::Ready(Some(v))
                } else if chan.senders.load(Ordering::Relaxed) == 0 {
                    Poll::Ready(None)
                } else {
                    q.receiver = Some(cx.waker().clone());
                    drop(q);
                    record::waiting_for(self.obj, at);
                    world::pending(Wait {
                        target: Arc::new(Receiving {
                            name: format!("{} ({})", chan.name, place(at)),
                            empty_senders: chan.senders.load(Ordering::Relaxed),
                        }),
                        waiter: 0,
                        at,
                    });
                    Poll::Pending
                }
            }
        };
        if let Poll::Ready(Some(v)) = &got {
            record::step(at, || {
                Event::new(Op::Recv).on(self.obj).value(format!("{v:?}"))
            });
        }
        got
    }

    /// Refuse further sends; messages already sent can still be received.
    pub fn close(&mut self) {
        match &mut self.inner {
            ReceiverInner::Real(r) => r.close(),
            ReceiverInner::RealUnbounded(r) => r.close(),
            ReceiverInner::Shuttle(chan) => close(chan),
        }
    }
}

fn close<T>(chan: &Chan<T>) {
    chan.queue().receiver_gone = true;
    if let Some(room) = &chan.room {
        room.close();
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        if let ReceiverInner::Shuttle(chan) = &self.inner {
            close(chan);
        }
    }
}

impl<T: Debug + std::marker::Send> UnboundedSender<T> {
    /// Send; fails only when the receiver is gone.
    #[track_caller]
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        self.0.try_send(value).map_err(|e| match e {
            TrySendError::Full(v) | TrySendError::Closed(v) => SendError(v),
        })
    }
}

impl<T> Clone for UnboundedSender<T> {
    fn clone(&self) -> Self {
        UnboundedSender(self.0.clone())
    }
}

impl<T: Debug> UnboundedReceiver<T> {
    /// Wait for the next message; `None` once every sender is gone and the channel is empty.
    #[track_caller]
    pub fn recv(&mut self) -> impl Future<Output = Option<T>> + '_ {
        let at = Location::caller();
        std::future::poll_fn(move |cx| self.0.poll_recv_at(cx, at))
    }

    /// Take a message if one is there.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        self.0.try_recv()
    }
}

/// What a send waits on under shuttle: room in the channel.
pub(crate) fn room_of<T>(chan: &Chan<T>, at: &'static Location<'static>) -> Option<Acquire> {
    chan.room.as_ref().map(|r| r.acquire_at(1, at))
}
