//! Named multi-producer, single-consumer channels on real threads, shuttle or loom: `channel`
//! (unbounded) and `sync_channel` (bounded; a bound of 0 hands each message over in person), as
//! std's. Under the model engines the queue is the facade's, and so are the waits of `recv` and
//! of `send` on a full channel (see `crate::blocking`): a receive nothing will ever send to is
//! reported, not hung. Every message sent is recorded with its value.

use crate::blocking::{self, Early, On, WaitSpec, Woken};
use crate::engine::{self, assert_same};
use crate::record::{self, Event};
use crate::sync::ModelLock;
use racebook_trace::{EngineKind, ObjectId, ObjectKind, Op, StepId};
use std::collections::VecDeque;
use std::fmt::Debug;
use std::panic::Location;
use std::sync::Arc;
pub use std::sync::mpsc::{RecvError, RecvTimeoutError, SendError, TryRecvError};

mod receiver;

struct State<T> {
    queue: VecDeque<(T, Option<StepId>)>,
    senders: usize,
    receiver: bool,
    /// Messages taken so far, and sent so far: a rendezvous sender waits for its own.
    taken: u64,
    sent: u64,
}

/// The model engines' channel: the facade's queue, behind a lock the engine orders.
struct Chan<T> {
    name: Box<str>,
    obj: Option<ObjectId>,
    bound: Option<usize>,
    state: ModelLock<State<T>>,
}

impl<T> Chan<T> {
    fn key(&self) -> usize {
        self as *const Self as usize
    }
}

/// A loom channel's name for the facade: its waits are loom's, the facade counts what is queued
/// and who can still send (loom's own channel keeps loom's search as small as it was).
struct Tracked {
    #[allow(dead_code)]
    name: Box<str>,
}

impl Tracked {
    fn key(&self) -> usize {
        self as *const Self as usize
    }
}

enum SenderInner<T> {
    Real(std::sync::mpsc::Sender<T>),
    RealSync(std::sync::mpsc::SyncSender<T>),
    Loom(loom::sync::mpsc::Sender<T>, Arc<Tracked>),
    Model(Arc<Chan<T>>),
}

/// The sending half of a channel; clone it for more senders.
pub struct Sender<T> {
    obj: Option<ObjectId>,
    inner: SenderInner<T>,
}

/// The sending half of a `sync_channel`: `send` waits while the channel is full.
pub type SyncSender<T> = Sender<T>;

enum ReceiverInner<T> {
    Real(std::sync::mpsc::Receiver<T>),
    Loom(loom::sync::mpsc::Receiver<T>, Arc<Tracked>),
    Model(Arc<Chan<T>>),
}

/// The receiving half of a channel.
pub struct Receiver<T> {
    obj: Option<ObjectId>,
    inner: ReceiverInner<T>,
}

/// Like std's `mpsc::channel`: unbounded. Reports name the channel after where it was built;
/// [`channel_named`] names it explicitly.
#[track_caller]
pub fn channel<T: Debug>() -> (Sender<T>, Receiver<T>) {
    let at = Location::caller();
    make(&crate::naming::derived("channel", at), None, at)
}

/// An unbounded channel named `name` (as reports show it).
#[track_caller]
pub fn channel_named<T: Debug>(name: &str) -> (Sender<T>, Receiver<T>) {
    make(name, None, Location::caller())
}

/// Like std's `mpsc::sync_channel`: holds at most `bound` messages; `send` waits while it is
/// full, and with a bound of 0 until the receiver has taken the message.
#[track_caller]
pub fn sync_channel<T: Debug>(bound: usize) -> (SyncSender<T>, Receiver<T>) {
    let at = Location::caller();
    make(&crate::naming::derived("channel", at), Some(bound), at)
}

/// A bounded channel named `name` (as reports show it).
#[track_caller]
pub fn sync_channel_named<T: Debug>(name: &str, bound: usize) -> (SyncSender<T>, Receiver<T>) {
    make(name, Some(bound), Location::caller())
}

fn make<T: Debug>(
    name: &str,
    bound: Option<usize>,
    at: &'static Location<'static>,
) -> (Sender<T>, Receiver<T>) {
    let obj = record::object(name, ObjectKind::Channel, || "[]".to_string(), at);
    let state = State {
        queue: VecDeque::new(),
        senders: 1,
        receiver: true,
        taken: 0,
        sent: 0,
    };
    let engine = engine::current();
    if engine == EngineKind::Loom && bound.is_none() {
        let (s, r) = loom::sync::mpsc::channel();
        let tracked = Arc::new(Tracked { name: name.into() });
        blocking::object(tracked.key(), name, obj);
        blocking::channel_counts(tracked.key(), 0, 0);
        return (
            Sender {
                obj,
                inner: SenderInner::Loom(s, tracked.clone()),
            },
            Receiver {
                obj,
                inner: ReceiverInner::Loom(r, tracked),
            },
        );
    }
    let (s, r) = match (ModelLock::new(engine, state), bound) {
        (Some(state), _) => {
            let chan = Arc::new(Chan {
                name: name.into(),
                obj,
                bound,
                state,
            });
            (SenderInner::Model(chan.clone()), ReceiverInner::Model(chan))
        }
        (None, None) => {
            let (s, r) = std::sync::mpsc::channel();
            (SenderInner::Real(s), ReceiverInner::Real(r))
        }
        (None, Some(b)) => {
            let (s, r) = std::sync::mpsc::sync_channel(b);
            (SenderInner::RealSync(s), ReceiverInner::Real(r))
        }
    };
    (Sender { obj, inner: s }, Receiver { obj, inner: r })
}

fn check(chan: &Chan<impl Sized>) {
    assert_same(chan.state.engine(), || format!("channel `{}`", chan.name));
}

/// Wait (the facade wait `begin` started) on `chan`, recording where it began.
fn wait_on<T>(chan: &Chan<T>, value: Option<&str>, at: &'static Location<'static>) -> Woken {
    let me = blocking::me().expect("a model thread waits");
    let began = record::step(at, || {
        let e = Event::new(Op::Block).on(chan.obj);
        match value {
            Some(v) => e.value(v.into()),
            None => e,
        }
    });
    blocking::set_since_step(me, began);
    blocking::finish_wait(me)
}

fn begin(
    me: blocking::Tid,
    on: On,
    at: &'static Location<'static>,
    obj: Option<ObjectId>,
    early: Early,
) {
    blocking::begin_wait(
        me,
        WaitSpec {
            on,
            at,
            object: obj,
            since_step: None,
            early,
        },
    );
}

impl<T: Debug> Sender<T> {
    /// Send a message; fails only when the receiver is gone. On a full `sync_channel`, waits
    /// for room.
    #[track_caller]
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        let at = Location::caller();
        let chan = match &self.inner {
            SenderInner::Real(s) => {
                record::step(at, || {
                    Event::new(Op::Send)
                        .on(self.obj)
                        .value(format!("{value:?}"))
                });
                return s.send(value);
            }
            SenderInner::RealSync(s) => {
                record::step(at, || {
                    Event::new(Op::Send)
                        .on(self.obj)
                        .value(format!("{value:?}"))
                });
                return s.send(value);
            }
            SenderInner::Loom(s, tracked) => {
                record::step(at, || {
                    Event::new(Op::Send)
                        .on(self.obj)
                        .value(format!("{value:?}"))
                });
                blocking::channel_counts(tracked.key(), 1, 0);
                return s.send(value).inspect_err(|_| {
                    blocking::channel_counts(tracked.key(), -1, 0);
                });
            }
            SenderInner::Model(chan) => chan,
        };
        check(chan);
        let me = blocking::me().expect("a model thread sends");
        let key = chan.key();
        let mut value = Some(value);
        loop {
            // Ok(mine): sent as message number `mine`; Err: must wait for room first.
            let outcome = chan.state.with(|st| {
                blocking::object(key, &chan.name, chan.obj);
                if !st.receiver {
                    return Some(Err(()));
                }
                if chan.bound.is_some_and(|b| b > 0 && st.queue.len() >= b) {
                    begin(me, On::Send(key), at, chan.obj, Early::Never);
                    return None;
                }
                let v = value.take().expect("sent once");
                let step = record::step(at, || {
                    Event::new(Op::Send).on(chan.obj).value(format!("{v:?}"))
                });
                st.queue.push_back((v, step));
                st.sent += 1;
                blocking::notify_all(me, key, On::Recv(key), step);
                Some(Ok(st.sent))
            });
            match outcome {
                Some(Err(())) => return Err(SendError(value.take().expect("not sent"))),
                Some(Ok(mine)) if chan.bound == Some(0) => return self.handed_over(chan, mine, at),
                Some(Ok(_)) => return Ok(()),
                None => {
                    wait_on(chan, Some("send"), at);
                }
            }
        }
    }

    /// A rendezvous send waits until the receiver took message `mine`.
    fn handed_over(
        &self,
        chan: &Chan<T>,
        mine: u64,
        at: &'static Location<'static>,
    ) -> Result<(), SendError<T>> {
        let me = blocking::me().expect("a model thread sends");
        let key = chan.key();
        loop {
            let waiting = chan.state.with(|st| {
                if st.taken >= mine || !st.receiver {
                    return false;
                }
                begin(me, On::Send(key), at, chan.obj, Early::Never);
                true
            });
            if !waiting {
                return Ok(());
            }
            wait_on(chan, Some("send"), at);
        }
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        let inner = match &self.inner {
            SenderInner::Real(s) => SenderInner::Real(s.clone()),
            SenderInner::RealSync(s) => SenderInner::RealSync(s.clone()),
            SenderInner::Loom(s, tracked) => {
                blocking::channel_counts(tracked.key(), 0, 1);
                SenderInner::Loom(s.clone(), tracked.clone())
            }
            SenderInner::Model(chan) => {
                chan.state.with(|st| st.senders += 1);
                SenderInner::Model(chan.clone())
            }
        };
        Sender {
            obj: self.obj,
            inner,
        }
    }
}

/// Whether the facade may touch the engine now: not while a loom model is torn down.
fn alive<T>(chan: &Chan<T>) -> bool {
    !(std::thread::panicking() && chan.state.engine() == EngineKind::Loom)
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if let SenderInner::Loom(_, tracked) = &self.inner
            && !std::thread::panicking()
        {
            blocking::channel_counts(tracked.key(), 0, -1);
        }
        if let SenderInner::Model(chan) = &self.inner
            && alive(chan)
        {
            let key = chan.key();
            let last = chan.state.with(|st| {
                st.senders -= 1;
                st.senders == 0
            });
            if last && let Some(me) = blocking::me() {
                // The receiver learns that nothing more will come.
                blocking::close(me, On::Recv(key));
            }
        }
    }
}
