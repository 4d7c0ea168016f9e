//! Exercise 10: the poller that waited for itself.
//!
//! A service keeps a cache of what its backend last said, behind an async mutex. A poller task
//! refreshes the cache: it takes the cache's lock and waits for the backend's next version. It
//! must also send a heartbeat on time, and a heartbeat is counted in the same cache, so the
//! poller waits on both at once with `select!`. The scenario below is shared by every variant:
//! the backend sends version 2 while the heartbeat's timer runs; which comes first is the
//! model's choice.

use racebook_check::sync::Arc;
use racebook_check::sync::atomic::{AtomicU32, Ordering};
use racebook_check::task::{self, Mutex, mpsc};
use racebook_workbook::{Budgets, EngineKind, Exercise, Shape, Variant, invariant};
use std::future::Future;
use std::time::Duration;

pub mod broken;
pub mod exercise;
pub mod fixed_lock_after_recv;
pub mod fixed_spawn;

/// The invariants, in words.
pub const INVARIANT: &str = "the cache stores the backend's version 2";
pub const EVERY_BEAT: &str = "every heartbeat that came due is counted";

/// How often the poller must send a heartbeat.
pub const HEARTBEAT: Duration = Duration::from_millis(100);

/// What the cache holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// The backend's version the cache holds.
    pub version: u32,
    /// Heartbeats sent.
    pub heartbeats: u32,
}

/// The service's shared state.
pub struct Service {
    pub cache: Mutex<Stats>,
    /// Heartbeats that came due (counted where the timer fires, for the invariant).
    due: AtomicU32,
}

impl Service {
    fn open() -> Service {
        Service {
            cache: Mutex::new(Stats {
                version: 1,
                heartbeats: 0,
            }),
            due: AtomicU32::new(0),
        }
    }

    /// A heartbeat came due: call this when the heartbeat's timer fires.
    pub fn heartbeat_due(&self) {
        self.due.fetch_add(1, Ordering::SeqCst);
    }
}

/// The poller: what each variant implements.
pub trait Poller {
    /// Refresh the cache with the next version from `updates`, and send a heartbeat (count it
    /// in the cache) if its timer fires first.
    fn refresh(
        svc: Arc<Service>,
        updates: mpsc::Receiver<u32>,
    ) -> impl Future<Output = ()> + Send + 'static;
}

// ANCHOR: scenario
/// The scenario: the backend sends version 2 while the poller refreshes and its heartbeat's
/// timer runs.
pub fn scenario<P: Poller>() {
    task::block_on(async {
        let svc = Arc::new(Service::open());
        let (tx, updates) = mpsc::channel_named::<u32>("updates", 1);
        let backend = task::spawn_named("backend", async move {
            // A poller that gave up listening makes this fail; the invariant says what it lost.
            let _ = tx.send(2).await;
        });
        let poller = task::spawn_named("poller", P::refresh(Arc::clone(&svc), updates));
        poller.await.expect("the poller panicked");
        backend.await.expect("the backend panicked");
        let stats = *svc.cache.lock().await;
        invariant(INVARIANT, 2, stats.version);
        invariant(EVERY_BEAT, svc.due.load(Ordering::SeqCst), stats.heartbeats);
    });
}
// ANCHOR_END: scenario

/// The exercise as the harness sees it.
pub fn exercise() -> Exercise {
    Exercise {
        slug: "10-futurelock",
        title: "The poller that waited for itself",
        invariant: INVARIANT,
        shape: Shape::Async,
        concurrency: None,
        variants: vec![
            Variant::broken(
                "broken",
                scenario::<broken::Refresh>,
                &[EngineKind::Shuttle],
            ),
            Variant::fix("fixed_spawn", scenario::<fixed_spawn::Refresh>),
            Variant::fix(
                "fixed_lock_after_recv",
                scenario::<fixed_lock_after_recv::Refresh>,
            ),
            Variant::learner(scenario::<exercise::Refresh>),
            Variant::wrong("biased_select", scenario::<wrong_biased_select::Refresh>),
            Variant::wrong(
                "longer_heartbeat",
                scenario::<wrong_longer_heartbeat::Refresh>,
            ),
            Variant::wrong(
                "yield_before_lock",
                scenario::<wrong_yield_before_lock::Refresh>,
            ),
            Variant::wrong("drop_refresh", scenario::<wrong_drop_refresh::Refresh>),
            Variant::wrong(
                "timeout_on_lock",
                scenario::<wrong_timeout_on_lock::Refresh>,
            ),
        ],
        // The heartbeat's timer is a task of the model's own, so schedules multiply: the proof
        // covers every schedule with at most two preemptions (the report states the bound).
        budgets: Budgets {
            dfs_preemption_bound: Some(2),
            ..Budgets::default()
        },
    }
}

// The catalogue of plausible wrong fixes (`wrong/`), each in the shape of the learner's file.
#[path = "../wrong/biased_select.rs"]
pub mod wrong_biased_select;
#[path = "../wrong/drop_refresh.rs"]
pub mod wrong_drop_refresh;
#[path = "../wrong/longer_heartbeat.rs"]
pub mod wrong_longer_heartbeat;
#[path = "../wrong/timeout_on_lock.rs"]
pub mod wrong_timeout_on_lock;
#[path = "../wrong/yield_before_lock.rs"]
pub mod wrong_yield_before_lock;
