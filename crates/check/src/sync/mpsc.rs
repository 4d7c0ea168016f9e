//! A named multi-producer, single-consumer channel on real threads, shuttle or loom.

use crate::engine::{self, assert_same};
use crate::record::{self, Event};
use racebook_trace::{EngineKind, ObjectId, ObjectKind, Op};
use std::fmt::Debug;
use std::panic::Location;
pub use std::sync::mpsc::{RecvError, SendError};

enum SenderInner<T> {
    Real(std::sync::mpsc::Sender<T>),
    Shuttle(shuttle::sync::mpsc::Sender<T>),
    Loom(loom::sync::mpsc::Sender<T>),
}

enum ReceiverInner<T> {
    Real(std::sync::mpsc::Receiver<T>),
    Shuttle(shuttle::sync::mpsc::Receiver<T>),
    Loom(loom::sync::mpsc::Receiver<T>),
}

/// The sending half of a channel; clone it for more senders.
pub struct Sender<T> {
    obj: Option<ObjectId>,
    engine: EngineKind,
    inner: SenderInner<T>,
}

/// The receiving half of a channel.
pub struct Receiver<T> {
    obj: Option<ObjectId>,
    engine: EngineKind,
    inner: ReceiverInner<T>,
}

/// Like std's `mpsc::channel`: every message sent is recorded with its value. Reports name the
/// channel after where it was built; [`channel_named`] names it explicitly.
#[track_caller]
pub fn channel<T: Debug>() -> (Sender<T>, Receiver<T>) {
    let at = Location::caller();
    build(&crate::naming::derived("channel", at), at)
}

/// A channel named `name` (as reports show it).
#[track_caller]
pub fn channel_named<T: Debug>(name: &str) -> (Sender<T>, Receiver<T>) {
    build(name, Location::caller())
}

fn build<T: Debug>(name: &str, at: &'static Location<'static>) -> (Sender<T>, Receiver<T>) {
    let obj = record::object(name, ObjectKind::Channel, || "[]".to_string(), at);
    let engine = engine::current();
    let (s, r) = match engine {
        EngineKind::Real => {
            let (s, r) = std::sync::mpsc::channel();
            (SenderInner::Real(s), ReceiverInner::Real(r))
        }
        EngineKind::Shuttle => {
            let (s, r) = shuttle::sync::mpsc::channel();
            (SenderInner::Shuttle(s), ReceiverInner::Shuttle(r))
        }
        EngineKind::Loom => {
            let (s, r) = loom::sync::mpsc::channel();
            (SenderInner::Loom(s), ReceiverInner::Loom(r))
        }
    };
    (
        Sender {
            obj,
            engine,
            inner: s,
        },
        Receiver {
            obj,
            engine,
            inner: r,
        },
    )
}

impl<T: Debug> Sender<T> {
    /// Send a message; fails only when the receiver is gone.
    #[track_caller]
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        assert_same(self.engine, || "a channel".to_string());
        record::step(Location::caller(), || {
            Event::new(Op::Send)
                .on(self.obj)
                .value(format!("{value:?}"))
        });
        match &self.inner {
            SenderInner::Real(s) => s.send(value),
            SenderInner::Shuttle(s) => s.send(value),
            SenderInner::Loom(s) => s.send(value),
        }
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        let inner = match &self.inner {
            SenderInner::Real(s) => SenderInner::Real(s.clone()),
            SenderInner::Shuttle(s) => SenderInner::Shuttle(s.clone()),
            SenderInner::Loom(s) => SenderInner::Loom(s.clone()),
        };
        Sender {
            obj: self.obj,
            engine: self.engine,
            inner,
        }
    }
}

impl<T: Debug> Receiver<T> {
    /// Wait for the next message; fails once every sender is gone and the channel is empty.
    #[track_caller]
    pub fn recv(&self) -> Result<T, RecvError> {
        self.recv_at(Location::caller())
    }

    fn recv_at(&self, at: &'static Location<'static>) -> Result<T, RecvError> {
        assert_same(self.engine, || "a channel".to_string());
        record::waiting_for(self.obj, at);
        let got = match &self.inner {
            ReceiverInner::Real(r) => r.recv(),
            ReceiverInner::Shuttle(r) => r.recv(),
            ReceiverInner::Loom(r) => r.recv(),
        };
        record::done_waiting();
        if let Ok(v) = &got {
            record::step(at, || {
                Event::new(Op::Recv).on(self.obj).value(format!("{v:?}"))
            });
        }
        got
    }

    /// Every message until all senders are gone.
    #[track_caller]
    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        let at = Location::caller();
        std::iter::from_fn(move || self.recv_at(at).ok())
    }
}
