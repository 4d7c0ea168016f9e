//! A counting semaphore, like tokio's: tokio's own on the real runtime, the facade's fair
//! semaphore under shuttle (permits handed to waiters in the order they asked).

use super::permits::{Kind, Permits};
use crate::engine;
use crate::record::{self, Event};
use racebook_trace::{EngineKind, ObjectId, ObjectKind, Op};
use std::future::Future;
use std::panic::Location;
use std::sync::Arc;

enum Inner {
    Real(tokio::sync::Semaphore),
    Shuttle(Arc<Permits>),
}

/// A semaphore with a name the reports use.
pub struct Semaphore {
    obj: Option<ObjectId>,
    inner: Inner,
}

/// The semaphore was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcquireError;

impl std::fmt::Display for AcquireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("semaphore closed")
    }
}

impl std::error::Error for AcquireError {}

/// Why `try_acquire` got no permit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryAcquireError {
    /// The semaphore was closed.
    Closed,
    /// Not enough permits were free (or others queue for them).
    NoPermits,
}

impl std::fmt::Display for TryAcquireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TryAcquireError::Closed => f.write_str("semaphore closed"),
            TryAcquireError::NoPermits => f.write_str("no permits available"),
        }
    }
}

impl std::error::Error for TryAcquireError {}

enum PermitInner<'a> {
    Real(tokio::sync::SemaphorePermit<'a>),
    Shuttle(&'a Permits, u64),
}

/// Permits taken from a [`Semaphore`]; given back when dropped.
pub struct SemaphorePermit<'a> {
    inner: Option<PermitInner<'a>>,
    obj: Option<ObjectId>,
    count: u32,
    at: &'static Location<'static>,
}

impl Semaphore {
    /// Like tokio's `new`: `permits` free permits. Reports name it after its binding.
    #[track_caller]
    pub fn new(permits: usize) -> Semaphore {
        let at = Location::caller();
        Self::build(&crate::naming::derived("semaphore", at), permits, at)
    }

    /// A semaphore named `name` (as reports show it).
    #[track_caller]
    pub fn named(name: &str, permits: usize) -> Semaphore {
        Self::build(name, permits, Location::caller())
    }

    fn build(name: &str, permits: usize, at: &'static Location<'static>) -> Semaphore {
        let obj = record::object(name, ObjectKind::Semaphore, || permits.to_string(), at);
        let inner = match engine::current() {
            EngineKind::Real => Inner::Real(tokio::sync::Semaphore::new(permits)),
            EngineKind::Shuttle => {
                Inner::Shuttle(Permits::new(name, obj, Kind::Semaphore, permits))
            }
            EngineKind::Loom => super::unsupported(),
        };
        Semaphore { obj, inner }
    }

    /// Wait for one permit.
    #[track_caller]
    pub fn acquire(&self) -> impl Future<Output = Result<SemaphorePermit<'_>, AcquireError>> {
        self.acquire_many_at(1, Location::caller())
    }

    /// Wait for `n` permits at once.
    #[track_caller]
    pub fn acquire_many(
        &self,
        n: u32,
    ) -> impl Future<Output = Result<SemaphorePermit<'_>, AcquireError>> {
        self.acquire_many_at(n, Location::caller())
    }

    async fn acquire_many_at(
        &self,
        n: u32,
        at: &'static Location<'static>,
    ) -> Result<SemaphorePermit<'_>, AcquireError> {
        let inner = match &self.inner {
            Inner::Real(s) => PermitInner::Real(s.acquire_many(n).await.map_err(|_| AcquireError)?),
            Inner::Shuttle(p) => {
                let got = p
                    .acquire_at(n as usize, at)
                    .await
                    .map_err(|_| AcquireError)?;
                PermitInner::Shuttle(p, got.id)
            }
        };
        Ok(self.taken(inner, n, at))
    }

    /// Take one permit now, if one is free and nobody queues for it.
    #[track_caller]
    pub fn try_acquire(&self) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        let at = Location::caller();
        let inner = match &self.inner {
            Inner::Real(s) => PermitInner::Real(s.try_acquire().map_err(|e| match e {
                tokio::sync::TryAcquireError::Closed => TryAcquireError::Closed,
                tokio::sync::TryAcquireError::NoPermits => TryAcquireError::NoPermits,
            })?),

            Inner::Shuttle(p) if p.is_closed() => return Err(TryAcquireError::Closed),
            Inner::Shuttle(p) => match p.try_acquire(1, at) {
                Some(id) => PermitInner::Shuttle(p, id),
                None => return Err(TryAcquireError::NoPermits),
            },
        };
        Ok(self.taken(inner, 1, at))
    }

    fn taken<'a>(
        &'a self,
        inner: PermitInner<'a>,
        count: u32,
        at: &'static Location<'static>,
    ) -> SemaphorePermit<'a> {
        record::step(at, || {
            Event::new(Op::Lock)
                .on(self.obj)
                .value(format!("{count} permit(s)"))
        });
        SemaphorePermit {
            inner: Some(inner),
            obj: self.obj,
            count,
            at,
        }
    }

    /// Add `n` permits.
    pub fn add_permits(&self, n: usize) {
        match &self.inner {
            Inner::Real(s) => s.add_permits(n),
            Inner::Shuttle(p) => p.add(n),
        }
    }

    /// How many permits are free now.
    pub fn available_permits(&self) -> usize {
        match &self.inner {
            Inner::Real(s) => s.available_permits(),
            Inner::Shuttle(p) => p.free(),
        }
    }

    /// Refuse every waiter and every later acquire.
    pub fn close(&self) {
        match &self.inner {
            Inner::Real(s) => s.close(),
            Inner::Shuttle(p) => p.close(),
        }
    }
}

impl SemaphorePermit<'_> {
    /// Keep the permits taken for good: they are not given back on drop.
    pub fn forget(mut self) {
        match self.inner.take() {
            Some(PermitInner::Real(p)) => p.forget(),
            Some(PermitInner::Shuttle(p, id)) => p.forget(id),
            None => {}
        }
    }
}

impl Drop for SemaphorePermit<'_> {
    fn drop(&mut self) {
        let Some(inner) = self.inner.take() else {
            return;
        };
        let count = self.count;
        record::step(self.at, || {
            Event::new(Op::Unlock)
                .on(self.obj)
                .value(format!("{count} permit(s)"))
        });
        if let PermitInner::Shuttle(p, id) = inner {
            p.release(id);
        }
    }
}
