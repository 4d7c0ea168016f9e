//! A spawned task's handle, like tokio's: await it for the task's output, or abort the task.

use super::Payload;
use crate::blocking::{self, Tid};
use crate::record::{self, Event};
use racebook_trace::{Op, ThreadId};
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};

pub(super) enum HandleInner<T> {
    Real(tokio::task::JoinHandle<Result<T, Payload>>),
    Shuttle(shuttle::future::JoinHandle<Result<T, Payload>>),
}

/// Why awaiting a task gave no output: it panicked, or it was aborted.
pub struct JoinError {
    panic: Option<Payload>,
}

impl JoinError {
    /// The task was aborted before it finished.
    pub fn is_cancelled(&self) -> bool {
        self.panic.is_none()
    }

    /// The task panicked.
    pub fn is_panic(&self) -> bool {
        self.panic.is_some()
    }

    /// The panic's payload, to resume it; `Err` gives back an error of a cancelled task.
    pub fn try_into_panic(self) -> Result<Payload, JoinError> {
        match self.panic {
            Some(p) => Ok(p),
            None => Err(self),
        }
    }
}

impl std::fmt::Debug for JoinError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "JoinError::{}",
            if self.is_panic() {
                "Panic(..)"
            } else {
                "Cancelled"
            }
        )
    }
}

impl std::fmt::Display for JoinError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.panic {
            Some(p) => write!(
                f,
                "task panicked: {}",
                crate::run::panic_message(p.as_ref())
            ),
            None => f.write_str("task was cancelled"),
        }
    }
}

impl std::error::Error for JoinError {}

/// Like tokio's `JoinHandle`: awaiting it waits for the task and gives its output, or a
/// [`JoinError`] when the task panicked or was aborted. Dropping it lets the task run on.
pub struct JoinHandle<T> {
    pub(super) inner: HandleInner<T>,
    pub(super) task: Option<ThreadId>,
    /// The task in the facade's blocking world (model engines).
    pub(super) tid: Option<Tid>,
    pub(super) at: &'static Location<'static>,
}

impl<T> JoinHandle<T> {
    /// Wait for the task, recording the join where this is called.
    #[track_caller]
    pub fn join(mut self) -> JoinHandle<T> {
        self.at = Location::caller();
        self
    }

    /// Like tokio's `abort`: the task stops at its next `.await` and its future is dropped,
    /// with everything it held. Awaiting the handle then gives a cancelled [`JoinError`], unless
    /// the task finished first. Under the checkers, when the abort lands is explored.
    #[track_caller]
    pub fn abort(&self) {
        let task = self.task;
        record::step(Location::caller(), || Event::new(Op::Abort).thread(task));
        match &self.inner {
            HandleInner::Real(h) => h.abort(),
            HandleInner::Shuttle(h) => h.abort(),
        }
    }

    /// Whether the task has finished (or was aborted and stopped).
    pub fn is_finished(&self) -> bool {
        match &self.inner {
            HandleInner::Real(h) => h.is_finished(),
            HandleInner::Shuttle(h) => {
                racebook_engine::por::looked_at(self.tid.and_then(crate::blocking::task_of));
                h.is_finished()
            }
        }
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Err(cancelled) when the runtime gave no output.
        let polled: Poll<Result<Result<T, Payload>, bool>> = match &mut self.inner {
            HandleInner::Real(h) => Pin::new(h)
                .poll(cx)
                .map(|r| r.map_err(|e| e.is_cancelled())),
            HandleInner::Shuttle(h) => Pin::new(h).poll(cx).map(|r| r.map_err(|_| true)),
        };
        let Poll::Ready(joined) = polled else {
            if let Some(target) = self.tid {
                blocking::join_wait(target, self.at);
            }
            return Poll::Pending;
        };
        if let Some(target) = self.tid {
            blocking::running(blocking::On::Join(target));
        }
        let task = self.task;
        record::step(self.at, || Event::new(Op::Join).thread(task));
        Poll::Ready(match joined {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(panic)) => Err(JoinError { panic: Some(panic) }),
            Err(true) => Err(JoinError { panic: None }),
            Err(false) => Err(JoinError {
                panic: Some(Box::new(
                    "the task panicked outside the checker's view".to_string(),
                )),
            }),
        })
    }
}
