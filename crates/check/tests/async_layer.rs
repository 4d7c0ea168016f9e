//! The async layer under the checkers: a task that waits forever is found and named by the
//! facade (a futurelock included), timers fire when the model chooses, a dropped send loses its
//! message, and the same code runs on the real tokio runtime.

use racebook_check::Budgets;
use racebook_check::scenario::{Body, Shape};
use racebook_check::search;
use racebook_check::sync::Arc;
use racebook_check::task::{self, Mutex, mpsc};
use racebook_trace::{EngineKind, FailureKind};
use std::pin::pin;
use std::sync::Arc as StdArc;
use std::time::Duration;

fn body(f: fn()) -> Body {
    StdArc::new(f)
}

fn budgets() -> Budgets {
    Budgets {
        pct_schedules: 200,
        ..Budgets::default()
    }
}

async fn add_one(lock: &Mutex<u32>) {
    *lock.lock().await += 1;
}

/// Oxide's futurelock (RFD 609): a lock future polled by reference in a `select!`, left behind
/// when the timeout wins, while the branch waits for the same lock.
fn futurelock() {
    task::block_on(async {
        let lock = Arc::new(Mutex::new(0u32));
        let background = task::spawn_named("background", {
            let lock = Arc::clone(&lock);
            async move {
                let _held = lock.lock().await;
                task::sleep(Duration::from_secs(5)).await;
            }
        });
        let mut future1 = pin!(add_one(&lock));
        racebook_check::select! {
            _ = &mut future1 => {}
            _ = task::sleep(Duration::from_millis(500)) => add_one(&lock).await,
        }
        background.await.expect("no panic");
    });
}

/// The same, with the lock-holding future spawned as its own task: nothing waits for itself.
fn futurelock_spawned() {
    task::block_on(async {
        let lock = Arc::new(Mutex::new(0u32));
        let background = task::spawn_named("background", {
            let lock = Arc::clone(&lock);
            async move {
                let _held = lock.lock().await;
                task::sleep(Duration::from_millis(5)).await;
            }
        });
        let mut future1 = task::spawn_named("first", {
            let lock = Arc::clone(&lock);
            async move { add_one(&lock).await }
        });
        racebook_check::select! {
            _ = &mut future1 => {}
            _ = task::sleep(Duration::from_millis(1)) => add_one(&lock).await,
        }
        background.await.expect("no panic");
    });
}

#[test]
fn a_futurelock_is_reported_by_the_facade_naming_the_future_and_its_task() {
    let s = search::search(
        Shape::Async,
        &body(futurelock),
        &budgets(),
        &[EngineKind::Shuttle],
    );
    let shown = s.shown.expect("the futurelock is found");
    let f = &shown.found.failure;
    assert_eq!(f.kind, FailureKind::Deadlock, "{f:?}");
    for words in [
        "main waits for lock",
        "held by a future of main itself",
        "a release handed the lock to that future",
        "`&mut future1`",
        "which chose `task::sleep",
        "a futurelock",
    ] {
        assert!(
            f.message.contains(words),
            "missing `{words}` in: {}",
            f.message
        );
    }
}

/// Every timer may fire at any point, so even this small scenario has thousands of schedules:
/// the proof is bounded (as the report states), and the bound still finds the futurelock above.
#[test]
fn a_spawned_lock_future_never_futurelocks_within_two_preemptions() {
    let b = Budgets {
        dfs_preemption_bound: Some(2),
        ..budgets()
    };
    let s = search::search(
        Shape::Async,
        &body(futurelock_spawned),
        &b,
        &[EngineKind::Shuttle],
    );
    assert!(!s.failed(), "{:?}", s.shown.map(|x| x.found.failure));
    assert!(s.exhaustive());
}

/// A relay that gives up on a full channel after a timeout: the message in the dropped send is
/// lost, and the consumer sees a gap.
fn lossy_relay() {
    task::block_on(async {
        let (tx, mut rx) = mpsc::channel::<u32>(1);
        let relay = task::spawn_named("relay", async move {
            for m in 1..=2 {
                racebook_check::select! {
                    _ = tx.send(m) => {}
                    _ = task::sleep(Duration::from_secs(1)) => {}
                }
            }
        });
        let mut got = Vec::new();
        while let Some(m) = rx.recv().await {
            got.push(m);
        }
        relay.await.expect("no panic");
        racebook_check::invariant_that(
            "nothing received is lost",
            got == [1, 2],
            || "[1, 2]".to_string(),
            || format!("{got:?}"),
        );
    });
}

#[test]
fn a_send_dropped_by_a_timeout_loses_its_message_and_the_trace_says_so() {
    let b = body(lossy_relay);
    let s = search::search(Shape::Async, &b, &budgets(), &[EngineKind::Shuttle]);
    let shown = s.shown.expect("the lost message is found");
    assert_eq!(shown.found.failure.kind, FailureKind::Invariant);
    let trace =
        racebook_check::tracebuild::record_trace("t", "lossy", &b, &shown.found, None, &budgets())
            .expect("replays");
    let described: Vec<String> = trace
        .steps
        .iter()
        .map(|s| racebook_trace::describe(&trace, s))
        .collect();
    assert!(
        described.iter().any(|d| d.starts_with("timer fires")),
        "{described:#?}"
    );
}

#[test]
fn the_same_async_code_runs_on_the_real_tokio_runtime() {
    let limits = racebook_check::engines::real::StressLimits {
        runs: 20,
        time: Duration::from_secs(20),
    };
    let r = racebook_check::engines::real::stress(&body(futurelock_spawned), limits);
    assert!(!r.hung, "a run hung");
    assert_eq!(r.failures, 0);
    assert_eq!(r.runs, 20);
}
