//! The receiving end of the facade's channels: `recv` (with or without a timeout), `try_recv`
//! and `iter`, and what dropping the receiver wakes.

use super::{Chan, Receiver, ReceiverInner, alive, begin, check, wait_on};
use crate::blocking::{self, Early, On, Woken};
use crate::record::{self, Event};
use racebook_trace::Op;
use std::fmt::Debug;
use std::panic::Location;
use std::sync::mpsc::{RecvError, RecvTimeoutError, TryRecvError};
use std::time::Duration;

impl<T: Debug> Receiver<T> {
    /// Wait for the next message; fails once every sender is gone and the channel is empty.
    #[track_caller]
    pub fn recv(&self) -> Result<T, RecvError> {
        self.recv_at(Location::caller(), None)
            .map_err(|_| RecvError)
    }

    /// `recv`, giving up after `timeout` on real threads. Under the checkers the timeout may
    /// fire at any time (once per thread and run), or when nothing else could happen.
    #[track_caller]
    pub fn recv_timeout(&self, timeout: Duration) -> Result<T, RecvTimeoutError> {
        self.recv_at(Location::caller(), Some(timeout))
    }

    /// The next message if one is there, without waiting.
    #[track_caller]
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        let at = Location::caller();
        let chan = match &self.inner {
            ReceiverInner::Real(r) => {
                let got = r.try_recv();
                if let Ok(v) = &got {
                    record::step(at, || {
                        Event::new(Op::Recv).on(self.obj).value(format!("{v:?}"))
                    });
                }
                return got;
            }
            ReceiverInner::Loom(r, tracked) => {
                let got = r.try_recv();
                if let Ok(v) = &got {
                    blocking::channel_counts(tracked.key(), -1, 0);
                    record::step(at, || {
                        Event::new(Op::Recv).on(self.obj).value(format!("{v:?}"))
                    });
                }
                return got;
            }
            ReceiverInner::Model(chan) => chan,
        };
        check(chan);
        match self.take(chan, at) {
            Some(Ok(v)) => Ok(v),
            Some(Err(())) => Err(TryRecvError::Disconnected),
            None => Err(TryRecvError::Empty),
        }
    }

    /// Take the next message under the channel's lock: `None` when it is empty and open.
    fn take(&self, chan: &Chan<T>, at: &'static Location<'static>) -> Option<Result<T, ()>> {
        let key = chan.key();
        let me = blocking::me()?;
        chan.state.with(|st| match st.queue.pop_front() {
            Some((v, sent)) => {
                st.taken += 1;
                record::step(at, || {
                    Event::new(Op::Recv)
                        .on(chan.obj)
                        .value(format!("{v:?}"))
                        .woken_by(sent)
                });
                // Room again, or a rendezvous sender's message taken.
                blocking::notify_all(me, key, On::Send(key), None);
                Some(Ok(v))
            }
            None if st.senders == 0 => Some(Err(())),
            None => None,
        })
    }

    fn recv_at(
        &self,
        at: &'static Location<'static>,
        timeout: Option<Duration>,
    ) -> Result<T, RecvTimeoutError> {
        let chan = match &self.inner {
            ReceiverInner::Real(r) => {
                let got = match timeout {
                    Some(d) => r.recv_timeout(d),
                    None => r.recv().map_err(|_| RecvTimeoutError::Disconnected),
                };
                if let Ok(v) = &got {
                    record::step(at, || {
                        Event::new(Op::Recv).on(self.obj).value(format!("{v:?}"))
                    });
                }
                return got;
            }
            ReceiverInner::Loom(r, tracked) => {
                // Under loom the timeout never fires early: loom's channel has none (shuttle
                // explores timeouts).
                let obj = self.obj;
                blocking::engine_recv(tracked.key(), obj, at, || {
                    record::step(at, || Event::new(Op::Block).on(obj))
                });
                let got = r.recv().map_err(|_| RecvTimeoutError::Disconnected);
                blocking::running(blocking::On::Recv(tracked.key()));
                if let Ok(v) = &got {
                    blocking::channel_counts(tracked.key(), -1, 0);
                    record::step(at, || {
                        Event::new(Op::Recv).on(self.obj).value(format!("{v:?}"))
                    });
                }
                let _ = &tracked.name;
                return got;
            }
            ReceiverInner::Model(chan) => chan,
        };
        check(chan);
        let me = blocking::me().expect("a model thread receives");
        let key = chan.key();
        let early = if timeout.is_some() {
            Early::Timeout
        } else {
            Early::Never
        };
        loop {
            if let Some(got) = self.take(chan, at) {
                return got.map_err(|()| RecvTimeoutError::Disconnected);
            }
            let waits = chan.state.with(|st| {
                if st.queue.is_empty() && st.senders > 0 {
                    blocking::object(key, &chan.name, chan.obj);
                    begin(me, On::Recv(key), at, chan.obj, early);
                    true
                } else {
                    false
                }
            });
            if waits && wait_on(chan, None, at) == Woken::TimedOut {
                return Err(RecvTimeoutError::Timeout);
            }
        }
    }

    /// Every message until all senders are gone.
    #[track_caller]
    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        let at = Location::caller();
        std::iter::from_fn(move || self.recv_at(at, None).ok())
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        if let ReceiverInner::Model(chan) = &self.inner
            && alive(chan)
        {
            let key = chan.key();
            chan.state.with(|st| st.receiver = false);
            if let Some(me) = blocking::me() {
                blocking::close(me, On::Send(key));
            }
        }
    }
}
