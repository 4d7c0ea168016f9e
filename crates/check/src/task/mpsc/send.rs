//! The sending futures of a channel: `send`, which carries its message while it waits for room
//! (and drops it if it is dropped), and `reserve`, which waits for room without a message.

use super::{Chan, Sender, SenderInner, room_of};
use crate::record::{self, Event};
use crate::task::permits::Acquire;
use racebook_trace::{ObjectId, Op};
use std::fmt::Debug;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::sync::mpsc::error::SendError;

type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + std::marker::Send + 'a>>;

/// Record that `value` was put into the channel.
pub(super) fn record_send<T: Debug>(
    obj: Option<ObjectId>,
    value: &T,
    at: &'static Location<'static>,
) {
    record::step(at, || {
        Event::new(Op::Send).on(obj).value(format!("{value:?}"))
    });
}

enum State<'a, T> {
    Start,
    Real(Boxed<'a, Result<(), SendError<T>>>),
    Shuttle(Option<Acquire>),
    Done,
}

/// A send waiting for room; see [`Sender::send`].
pub struct Send<'a, T: Debug> {
    sender: &'a Sender<T>,
    value: Option<T>,
    state: State<'a, T>,
    at: &'static Location<'static>,
}

// The message is never pinned: it is only moved out whole.
impl<T: Debug> Unpin for Send<'_, T> {}

impl<'a, T: Debug + std::marker::Send> Send<'a, T> {
    pub(super) fn new(sender: &'a Sender<T>, value: T, at: &'static Location<'static>) -> Self {
        Send {
            sender,
            value: Some(value),
            state: State::Start,
            at,
        }
    }

    fn deliver(&mut self, chan: &Chan<T>) -> Poll<Result<(), SendError<T>>> {
        let value = self.value.take().expect("a send delivers once");
        record_send(self.sender.obj, &value, self.at);
        chan.push(value);
        self.state = State::Done;
        Poll::Ready(Ok(()))
    }
}

impl<T: Debug + std::marker::Send> Future for Send<'_, T> {
    type Output = Result<(), SendError<T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let State::Start = this.state {
            this.state = match &this.sender.inner {
                SenderInner::Real(s) => {
                    let value = this.value.take().expect("not sent yet");
                    State::Real(Box::pin(s.send(value)))
                }
                SenderInner::RealUnbounded(s) => {
                    let value = this.value.take().expect("not sent yet");
                    this.state = State::Done;
                    return Poll::Ready(s.send(value));
                }
                SenderInner::Shuttle(chan) => {
                    if chan.room.is_none() {
                        // (A bounded send's wait for room is its scheduling point.)
                        crate::task::world::point();
                    }
                    if chan.queue().receiver_gone {
                        this.state = State::Done;
                        let value = this.value.take().expect("not sent yet");
                        return Poll::Ready(Err(SendError(value)));
                    }
                    State::Shuttle(room_of(chan, this.at))
                }
            };
        }
        let chan = match &this.sender.inner {
            SenderInner::Shuttle(chan) => Arc::clone(chan),
            _ => {
                return match &mut this.state {
                    State::Real(f) => f.as_mut().poll(cx),
                    _ => Poll::Ready(Ok(())),
                };
            }
        };
        match &mut this.state {
            State::Shuttle(None) => this.deliver(&chan),
            State::Shuttle(Some(room)) => match Pin::new(room).poll(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(Ok(got)) => {
                    if let Some(r) = &chan.room {
                        r.forget(got.id);
                    }
                    this.deliver(&chan)
                }
                Poll::Ready(Err(_)) => {
                    this.state = State::Done;
                    let value = this.value.take().expect("not sent yet");
                    Poll::Ready(Err(SendError(value)))
                }
            },
            _ => Poll::Ready(Ok(())),
        }
    }
}

impl<T: Debug> Drop for Send<'_, T> {
    fn drop(&mut self) {
        if let Some(value) = &self.value
            && !std::thread::panicking()
        {
            let name = self.sender.obj;
            record::step(self.at, || {
                Event::new(Op::Cancel).on(name).value(format!(
                    "send {value:?}: the message is dropped with the future"
                ))
            });
        }
    }
}

enum ReserveState<'a, T> {
    Real(Boxed<'a, Result<tokio::sync::mpsc::Permit<'a, T>, SendError<()>>>),
    Shuttle(Option<Acquire>),
    Unbounded,
}

/// Waiting for room without a message; see [`Sender::reserve`].
pub struct Reserve<'a, T> {
    sender: &'a Sender<T>,
    state: ReserveState<'a, T>,
}

impl<'a, T: std::marker::Send> Reserve<'a, T> {
    pub(super) fn new(sender: &'a Sender<T>, at: &'static Location<'static>) -> Self {
        let state = match &sender.inner {
            SenderInner::Real(s) => ReserveState::Real(Box::pin(s.reserve())),
            SenderInner::RealUnbounded(_) => ReserveState::Unbounded,
            SenderInner::Shuttle(chan) => ReserveState::Shuttle(room_of(chan, at)),
        };
        Reserve { sender, state }
    }
}

impl<'a, T: std::marker::Send> Future for Reserve<'a, T> {
    type Output = Result<Permit<'a, T>, SendError<()>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let sender = this.sender;
        let inner = match &mut this.state {
            ReserveState::Real(f) => match f.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(r) => PermitInner::Real(r?),
            },
            ReserveState::Unbounded => PermitInner::Shuttle(None),
            ReserveState::Shuttle(room) => {
                if let SenderInner::Shuttle(chan) = &sender.inner
                    && chan.queue().receiver_gone
                {
                    return Poll::Ready(Err(SendError(())));
                }
                match room {
                    None => PermitInner::Shuttle(None),
                    Some(room) => match Pin::new(room).poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Ok(got)) => PermitInner::Shuttle(Some(got.id)),
                        Poll::Ready(Err(_)) => return Poll::Ready(Err(SendError(()))),
                    },
                }
            }
        };
        Poll::Ready(Ok(Permit {
            sender,
            inner: Some(inner),
        }))
    }
}

enum PermitInner<'a, T> {
    Real(tokio::sync::mpsc::Permit<'a, T>),
    /// The room's holder id (none for an unbounded channel).
    Shuttle(Option<u64>),
}

/// Room in a channel, reserved: sending through it never waits. Dropped unused, the room goes
/// back to the channel.
pub struct Permit<'a, T> {
    sender: &'a Sender<T>,
    inner: Option<PermitInner<'a, T>>,
}

impl<T: Debug + std::marker::Send> Permit<'_, T> {
    /// Send `value` into the reserved room.
    #[track_caller]
    pub fn send(mut self, value: T) {
        record_send(self.sender.obj, &value, Location::caller());
        match self.inner.take() {
            Some(PermitInner::Real(p)) => p.send(value),
            Some(PermitInner::Shuttle(id)) => match &self.sender.inner {
                SenderInner::Shuttle(chan) => {
                    if let (Some(room), Some(id)) = (&chan.room, id) {
                        room.forget(id);
                    }
                    chan.push(value);
                }
                SenderInner::RealUnbounded(s) => {
                    let _ = s.send(value);
                }
                SenderInner::Real(_) => unreachable!("a real channel's permit is tokio's"),
            },
            None => {}
        }
    }
}

impl<T> Drop for Permit<'_, T> {
    fn drop(&mut self) {
        if let Some(PermitInner::Shuttle(Some(id))) = self.inner.take()
            && let SenderInner::Shuttle(chan) = &self.sender.inner
            && let Some(room) = &chan.room
        {
            room.release(id);
        }
    }
}
