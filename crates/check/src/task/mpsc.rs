//! Named async channels, as tokio's `mpsc`: `channel(bound)` (a `send` waits for room) and
//! `unbounded_channel()`. tokio's on the real runtime; under shuttle the queue and the waits are
//! the facade's (see `crate::blocking`), so a task waiting for a message nobody will send, or
//! for room nobody will make, is reported with what it waits on, not hung.

use crate::blocking::{self, Early, On, WaitSpec};
use crate::engine::{self, assert_same};
use crate::record::{self, Event};
use crate::sync::ModelLock;
use racebook_trace::{EngineKind, ObjectId, ObjectKind, Op, StepId};
use std::collections::VecDeque;
use std::fmt::Debug;
use std::future::{Future, poll_fn};
use std::panic::Location;
use std::sync::Arc;
pub use tokio::sync::mpsc::error::SendError;

struct State<T> {
    queue: VecDeque<(T, Option<StepId>)>,
    senders: usize,
    receiver: bool,
}

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

    /// Wait `id` (begun under the state's lock) until a wake ends it, recording where it
    /// began. A future dropped meanwhile (a `select!` that chose another branch) ends the wait.
    async fn wait(
        &self,
        me: blocking::Tid,
        id: u64,
        value: Option<&str>,
        at: &'static Location<'static>,
    ) {
        let began = record::step(at, || match value {
            Some(v) => Event::new(Op::Block).on(self.obj).value(v.into()),
            None => Event::new(Op::Block).on(self.obj),
        });
        blocking::set_since_step(me, began);
        struct Ends(blocking::Tid, u64);
        impl Drop for Ends {
            fn drop(&mut self) {
                blocking::end_wait(self.0, self.1);
            }
        }
        let _ends = Ends(me, id);
        poll_fn(|cx| blocking::poll_wait(me, id, cx.waker())).await;
    }
}

fn begin(me: blocking::Tid, on: On, at: &'static Location<'static>, obj: Option<ObjectId>) -> u64 {
    let spec = WaitSpec {
        on,
        at,
        object: obj,
        since_step: None,
        early: Early::Never,
    };
    blocking::begin_wait(me, spec)
}

enum SenderInner<T> {
    Real(tokio::sync::mpsc::Sender<T>),
    RealUnbounded(tokio::sync::mpsc::UnboundedSender<T>),
    Model(Arc<Chan<T>>),
}

enum ReceiverInner<T> {
    Real(tokio::sync::mpsc::Receiver<T>),
    RealUnbounded(tokio::sync::mpsc::UnboundedReceiver<T>),
    Model(Arc<Chan<T>>),
}

/// The sending half of [`channel`] (`send` is async: it waits for room) or of
/// [`unbounded_channel`] (`send` never waits).
pub struct Sender<T> {
    obj: Option<ObjectId>,
    inner: SenderInner<T>,
}

/// The sending half of [`unbounded_channel`].
pub type UnboundedSender<T> = Sender<T>;

/// The receiving half of a channel.
pub struct Receiver<T> {
    obj: Option<ObjectId>,
    inner: ReceiverInner<T>,
}

/// The receiving half of [`unbounded_channel`].
pub type UnboundedReceiver<T> = Receiver<T>;

/// Like tokio's `mpsc::channel`: holds at most `bound` messages (at least 1). Reports name it
/// after where it was built; [`channel_named`] names it explicitly.
#[track_caller]
pub fn channel<T>(bound: usize) -> (Sender<T>, Receiver<T>) {
    let at = Location::caller();
    make(&crate::naming::derived("channel", at), Some(bound), at)
}

/// A bounded async channel named `name`.
#[track_caller]
pub fn channel_named<T>(name: &str, bound: usize) -> (Sender<T>, Receiver<T>) {
    make(name, Some(bound), Location::caller())
}

/// Like tokio's `mpsc::unbounded_channel`.
#[track_caller]
pub fn unbounded_channel<T>() -> (UnboundedSender<T>, UnboundedReceiver<T>) {
    let at = Location::caller();
    make(&crate::naming::derived("channel", at), None, at)
}

/// An unbounded async channel named `name`.
#[track_caller]
pub fn unbounded_channel_named<T>(name: &str) -> (UnboundedSender<T>, UnboundedReceiver<T>) {
    make(name, None, Location::caller())
}

fn make<T>(
    name: &str,
    bound: Option<usize>,
    at: &'static Location<'static>,
) -> (Sender<T>, Receiver<T>) {
    assert!(
        bound != Some(0),
        "tokio's bounded channel needs a bound of at least 1"
    );
    let obj = record::object(name, ObjectKind::Channel, || "[]".to_string(), at);
    let (s, r) = match (engine::current(), bound) {
        (EngineKind::Real, Some(b)) => {
            let (s, r) = tokio::sync::mpsc::channel(b);
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
            let state = State {
                queue: VecDeque::new(),
                senders: 1,
                receiver: true,
            };
            let chan = Arc::new(Chan {
                name: name.into(),
                obj,
                bound,
                state: ModelLock::new(EngineKind::Shuttle, state).expect("a model engine"),
            });
            (SenderInner::Model(chan.clone()), ReceiverInner::Model(chan))
        }
        (EngineKind::Loom, _) => {
            panic!("loom has no async executor: async scenarios run on tokio and shuttle only")
        }
    };
    (Sender { obj, inner: s }, Receiver { obj, inner: r })
}

fn check<T>(chan: &Chan<T>) {
    assert_same(chan.state.engine(), || format!("channel `{}`", chan.name));
}

impl<T: Debug> Sender<T> {
    /// Send a message, waiting for room on a full bounded channel; fails only when the
    /// receiver is gone. (On an unbounded channel the future is ready at once.)
    #[track_caller]
    pub fn send(&self, value: T) -> impl Future<Output = Result<(), SendError<T>>> + '_ {
        let at = Location::caller();
        async move {
            let sent = |v: &T| {
                record::step(at, || {
                    Event::new(Op::Send).on(self.obj).value(format!("{v:?}"))
                })
            };
            let chan = match &self.inner {
                SenderInner::Real(s) => {
                    sent(&value);
                    return s.send(value).await;
                }
                SenderInner::RealUnbounded(s) => {
                    sent(&value);
                    return s.send(value);
                }
                SenderInner::Model(chan) => chan,
            };
            check(chan);
            let me = blocking::me().expect("a model task sends");
            let key = chan.key();
            let mut value = Some(value);
            loop {
                let outcome = chan.state.with(|st| {
                    blocking::object(key, &chan.name, chan.obj);
                    if !st.receiver {
                        return Err(false);
                    }
                    if chan.bound.is_some_and(|b| st.queue.len() >= b) {
                        return Ok(begin(me, On::Send(key), at, chan.obj));
                    }
                    let v = value.take().expect("sent once");
                    let step = sent(&v);
                    st.queue.push_back((v, step));
                    blocking::notify_all(me, key, On::Recv(key), step);
                    Err(true)
                });
                match outcome {
                    Err(true) => return Ok(()),
                    Err(false) => return Err(SendError(value.take().expect("not sent"))),
                    Ok(id) => chan.wait(me, id, Some("send"), at).await,
                }
            }
        }
    }
}

impl<T: Debug> Receiver<T> {
    /// The next message, waiting for one; `None` once every sender is gone and the channel is
    /// empty.
    #[track_caller]
    pub fn recv(&mut self) -> impl Future<Output = Option<T>> + '_ {
        let at = Location::caller();
        async move {
            let obj = self.obj;
            let got = |v: &T| {
                record::step(at, || Event::new(Op::Recv).on(obj).value(format!("{v:?}")));
            };
            let chan = match &mut self.inner {
                ReceiverInner::Real(r) => return r.recv().await.inspect(got),
                ReceiverInner::RealUnbounded(r) => return r.recv().await.inspect(got),
                ReceiverInner::Model(chan) => chan.clone(),
            };
            check(&chan);
            let me = blocking::me().expect("a model task receives");
            let key = chan.key();
            loop {
                let taken = chan.state.with(|st| match st.queue.pop_front() {
                    Some((v, sent)) => {
                        record::step(at, || {
                            Event::new(Op::Recv)
                                .on(obj)
                                .value(format!("{v:?}"))
                                .woken_by(sent)
                        });
                        // Room again for a sender waiting on a full channel.
                        blocking::notify_all(me, key, On::Send(key), None);
                        Err(Some(v))
                    }
                    None if st.senders == 0 => Err(None),
                    None => {
                        blocking::object(key, &chan.name, chan.obj);
                        Ok(begin(me, On::Recv(key), at, chan.obj))
                    }
                });
                match taken {
                    Err(v) => return v,
                    Ok(id) => chan.wait(me, id, None, at).await,
                }
            }
        }
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        let inner = match &self.inner {
            SenderInner::Real(s) => SenderInner::Real(s.clone()),
            SenderInner::RealUnbounded(s) => SenderInner::RealUnbounded(s.clone()),
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

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if let SenderInner::Model(chan) = &self.inner {
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

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        if let ReceiverInner::Model(chan) = &self.inner {
            let key = chan.key();
            chan.state.with(|st| st.receiver = false);
            if let Some(me) = blocking::me() {
                blocking::close(me, On::Send(key));
            }
        }
    }
}
