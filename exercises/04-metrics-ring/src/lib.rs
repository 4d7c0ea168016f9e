//! Exercise 04: the metrics ring.
//!
//! A web service shows requests per minute on its metrics page. It keeps them in a ring of
//! buckets: every request adds one to the bucket of the current minute, a rotator moves the
//! ring on when the minute is over and zeroes the bucket that becomes current, and the
//! dashboard reads the ring, oldest minute first. The scenario below is shared by every
//! variant: one request, one tick of the rotator and one dashboard read run at the same time,
//! starting from a ring that already holds a lap of history.
//!
//! A second, smaller scenario is the ring of response times the same service keeps: a fixed
//! array that every request writes and the dashboard reads for its statistics.

use racebook_check::sync::Arc;
use racebook_check::sync::atomic::{AtomicU64, AtomicUsize};
use racebook_check::thread::{self, JoinHandle};
use racebook_workbook::{
    Budgets, Concurrency, EngineKind, Exercise, Shape, Variant, invariant, invariant_that, work,
};
use std::fmt;

pub mod broken;
pub mod broken_durations;
pub mod broken_relaxed;
pub mod broken_unsafe;
pub mod exercise;
pub mod fixed_acquire_release;
pub mod fixed_durations;
pub mod fixed_seqcst;

/// Buckets in the ring: one per minute of the window.
pub const MINUTES: usize = 3;

/// The ring just before the minute ticks over. Bucket 0 is the current minute (4 requests so
/// far); bucket 1 holds the oldest minute of the window (9 requests) and bucket 2 the one after
/// it (6). The tick makes bucket 1 current, so its 9 requests leave the window.
pub const BEFORE_TICK: [u64; MINUTES] = [4, 9, 6];
pub const CURRENT: usize = 0;

/// Requests served during the scenario.
pub const REQUESTS: u64 = 1;

/// The bucket the tick makes current, and the count that leaves the window with it.
pub const NEXT: usize = (CURRENT + 1) % MINUTES;
pub const ROTATED_OUT: u64 = BEFORE_TICK[NEXT];

/// Every request the service has served: the history in the ring, plus this scenario's.
pub const SERVED: u64 = BEFORE_TICK[0] + BEFORE_TICK[1] + BEFORE_TICK[2] + REQUESTS;

pub const NO_REQUEST_LOST: &str = "no request is lost: counted + rotated out = requests served";
pub const NO_STALE_LAP: &str = "the dashboard never shows an old lap's count as the current minute";
pub const WHOLE_DURATIONS: &str = "the statistics see only whole, recorded durations";

/// The invariant of the whole exercise, in words.
pub const INVARIANT: &str = "the metrics are exact: nothing lost, nothing stale, nothing torn";

/// What the dashboard shows: the bucket it took as current, and the ring oldest minute first
/// (so the last number is the current minute).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    pub current: usize,
    pub oldest_first: [u64; MINUTES],
}

impl Snapshot {
    /// Requests in the window.
    pub fn total(&self) -> u64 {
        self.oldest_first.iter().sum()
    }

    /// The count shown for the current minute.
    pub fn this_minute(&self) -> u64 {
        self.oldest_first[MINUTES - 1]
    }
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} (current: bucket[{}])",
            self.oldest_first, self.current
        )
    }
}

// ANCHOR: trait
/// The requests-per-minute ring. Each variant implements it in its own file.
pub trait RequestsPerMinute: Send + Sync + 'static {
    /// A ring holding `buckets`, counting into bucket `current`.
    fn new(buckets: [u64; MINUTES], current: usize) -> Self;
    /// A request was served: count it in the current minute. Runs on every request.
    fn count_request(&self);
    /// The minute is over: move the ring on, and start the new minute from zero.
    fn tick(&self);
    /// Read the ring for the dashboard, oldest minute first.
    fn snapshot(&self) -> Snapshot;
}
// ANCHOR_END: trait

/// The shared integers of an all-atomic ring, named as the report shows them: the index of the
/// current minute, and one counter per minute.
pub fn atomic_ring(buckets: [u64; MINUTES], current: usize) -> (AtomicUsize, [AtomicU64; MINUTES]) {
    let index = AtomicUsize::new(current);
    let buckets = std::array::from_fn(|i| AtomicU64::named(&format!("bucket[{i}]"), buckets[i]));
    (index, buckets)
}

/// The most the current minute's bucket can hold, for a dashboard that took `current` as the
/// current bucket: the minute before the tick had its history plus the request; the minute
/// after it starts at zero and can only have the request.
pub fn most_this_minute(current: usize) -> u64 {
    if current == CURRENT {
        BEFORE_TICK[CURRENT] + REQUESTS
    } else {
        REQUESTS
    }
}

/// Start `role` on its own thread, named `name`, with a handle on the shared ring. It marks
/// its work first, so the harness can check that every role still runs concurrently.
#[track_caller]
fn start<R: RequestsPerMinute>(ring: &Arc<R>, name: &str, role: fn(&R)) -> JoinHandle<()> {
    let ring = Arc::clone(ring);
    thread::spawn_named(name, move || {
        work("metrics");
        role(&ring);
    })
}

// ANCHOR: dashboard
/// The dashboard: read the ring, and check that the current minute holds no old lap.
fn dashboard<R: RequestsPerMinute>(ring: &R) {
    let shown = ring.snapshot();
    let most = most_this_minute(shown.current);
    invariant_that(
        NO_STALE_LAP,
        shown.this_minute() <= most,
        || format!("bucket[{}] (current) at most {most}", shown.current),
        || format!("{shown:?}"),
    );
}
// ANCHOR_END: dashboard

/// The scenario: a request, a tick and a dashboard read at the same time, then the count.
pub fn scenario<R: RequestsPerMinute>() {
    run(false, Arc::new(R::new(BEFORE_TICK, CURRENT)));
}

/// The same scenario with the dashboard's thread started first. Nothing about the program's
/// meaning changes, but loom's exploration does: see `examples/stress.rs` and the chapter.
pub fn scenario_dashboard_first<R: RequestsPerMinute>() {
    run(true, Arc::new(R::new(BEFORE_TICK, CURRENT)));
}

// ANCHOR: scenario
fn run<R: RequestsPerMinute>(dashboard_first: bool, ring: Arc<R>) {
    let early = dashboard_first.then(|| start(&ring, "dashboard", dashboard::<R>));
    let request = start(&ring, "request", R::count_request);
    let rotator = start(&ring, "rotator", R::tick);
    let dashboard = early.unwrap_or_else(|| start(&ring, "dashboard", dashboard::<R>));
    // A failed check in a thread is the run's failure; these only stop the scenario after it.
    request.join().expect("the request panicked");
    rotator.join().expect("the rotator panicked");
    dashboard.join().expect("the dashboard failed its check");

    // Everything has been joined: this read sees every write.
    let after = ring.snapshot();
    invariant(NO_REQUEST_LOST, SERVED, after.total() + ROTATED_OUT);
}
// ANCHOR_END: scenario

/// Slots in the ring of response times.
pub const SLOTS: usize = 4;

/// The response times (ms) of the two requests of the durations scenario.
pub const DURATIONS_MS: [u64; 2] = [120, 80];

/// What the dashboard's statistics were computed from: the non-empty slots it read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub samples: Vec<u64>,
}

impl Stats {
    pub fn mean(&self) -> Option<u64> {
        let n = self.samples.len() as u64;
        (n > 0).then(|| self.samples.iter().sum::<u64>() / n)
    }
}

// ANCHOR: durations_trait
/// The response-time ring: every request writes its duration into the next slot, and the
/// dashboard reads every slot for its statistics.
pub trait ResponseTimes: Send + Sync + 'static {
    fn new() -> Self;
    fn record(&self, millis: u64);
    fn stats(&self) -> Stats;
}
// ANCHOR_END: durations_trait

/// The durations scenario: two requests record their times while the dashboard reads.
pub fn durations_scenario<D: ResponseTimes>() {
    let ring = Arc::new(D::new());
    let requests: Vec<_> = DURATIONS_MS
        .iter()
        .enumerate()
        .map(|(i, &ms)| {
            let ring = Arc::clone(&ring);
            thread::spawn_named(&format!("request-{}", i + 1), move || {
                work("metrics");
                ring.record(ms);
            })
        })
        .collect();
    let dashboard = {
        let ring = Arc::clone(&ring);
        thread::spawn_named("dashboard", move || {
            work("metrics");
            ring.stats()
        })
    };
    for r in requests {
        r.join().expect("a request panicked");
    }
    let shown = dashboard.join().expect("the dashboard panicked");
    invariant_that(
        WHOLE_DURATIONS,
        shown.samples.iter().all(|s| DURATIONS_MS.contains(s)),
        || format!("samples drawn from {DURATIONS_MS:?}"),
        || format!("{:?}", shown.samples),
    );
    let mut after = ring.stats().samples;
    after.sort_unstable();
    let mut recorded = DURATIONS_MS.to_vec();
    recorded.sort_unstable();
    invariant(WHOLE_DURATIONS, recorded, after);
}

/// The exercise as the harness sees it.
pub fn exercise() -> Exercise {
    Exercise {
        slug: "04-metrics-ring",
        title: "The metrics ring buffer",
        invariant: INVARIANT,
        shape: Shape::Threads,
        // Requests, the rotator and the dashboard each run on their own thread, at the same
        // time; a fix must keep them so (the story's point is a lock-free hot path).
        concurrency: Some(Concurrency {
            marker: "metrics",
            min_threads: 3,
        }),
        variants: vec![
            Variant::broken(
                "broken",
                scenario::<broken::Ring>,
                &[EngineKind::Shuttle, EngineKind::Loom],
            ),
            Variant::broken(
                "broken_relaxed",
                scenario::<broken_relaxed::Ring>,
                &[EngineKind::Loom],
            ),
            Variant::broken(
                "broken_unsafe",
                scenario::<broken_unsafe::Ring>,
                &[EngineKind::Loom],
            ),
            Variant::broken(
                "broken_durations",
                durations_scenario::<broken_durations::Durations>,
                &[EngineKind::Loom],
            ),
            Variant::fix(
                "fixed_acquire_release",
                scenario::<fixed_acquire_release::Ring>,
            ),
            Variant::fix("fixed_seqcst", scenario::<fixed_seqcst::Ring>),
            Variant::fix(
                "fixed_durations",
                durations_scenario::<fixed_durations::Durations>,
            ),
            Variant::learner(scenario::<exercise::Ring>),
            Variant::wrong(
                "zero_next_after_publish",
                scenario::<wrong_zero_next_after_publish::Ring>,
            ),
            Variant::wrong(
                "release_without_acquire",
                scenario::<wrong_release_without_acquire::Ring>,
            ),
            Variant::wrong(
                "acquire_without_release",
                scenario::<wrong_acquire_without_release::Ring>,
            ),
            Variant::wrong(
                "rotator_lock_only",
                scenario::<wrong_rotator_lock_only::Ring>,
            ),
            Variant::wrong(
                "sleep_in_snapshot",
                scenario::<wrong_sleep_in_snapshot::Ring>,
            ),
        ],
        // No preemption bound on either engine. Three threads have about half a million
        // schedules, but the reduced search runs one per distinct ordering of the shared steps
        // (41 for the fixes); the exercise was bounded to three preemptions before it.
        budgets: Budgets::default(),
    }
}

// The catalogue of plausible wrong fixes (`wrong/`), each in the shape of the learner's file.
#[path = "../wrong/acquire_without_release.rs"]
pub mod wrong_acquire_without_release;
#[path = "../wrong/release_without_acquire.rs"]
pub mod wrong_release_without_acquire;
#[path = "../wrong/rotator_lock_only.rs"]
pub mod wrong_rotator_lock_only;
#[path = "../wrong/sleep_in_snapshot.rs"]
pub mod wrong_sleep_in_snapshot;
#[path = "../wrong/zero_next_after_publish.rs"]
pub mod wrong_zero_next_after_publish;
