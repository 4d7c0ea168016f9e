//! The async layer runs one source on a real tokio runtime and under shuttle's futures, and the
//! report says loom does not apply instead of skipping it silently.

use racebook_check::sync::{Arc, Mutex};
use racebook_check::{Budgets, invariant, select, task};
use racebook_engine::engines::real::{StressLimits, stress};
use racebook_engine::scenario::Body;
use racebook_engine::{EngineKind, search};
use racebook_trace::FailureKind;
use racebook_workbook::{Exercise, Role, Shape, Variant};
use std::time::Duration;

/// Two tasks bump a counter, each reading under one lock and writing under another.
fn async_lost_update() {
    task::block_on(async {
        let count = Arc::new(task::Mutex::new(0u32));
        let handles: Vec<_> = (0..2)
            .map(|i| {
                let count = count.clone();
                task::spawn_named(&format!("handler-{i}"), async move {
                    let seen = *count.lock().await;
                    task::yield_now().await;
                    *count.lock().await = seen + 1;
                })
            })
            .collect();
        for h in handles {
            h.join().await.expect("a handler panicked");
        }
        let total = *count.lock().await;
        invariant("every request is counted", 2, total);
    });
}

fn exercise() -> Exercise {
    exercise_of(async_lost_update)
}

fn exercise_of(body: fn()) -> Exercise {
    Exercise {
        slug: "test-async",
        title: "async",
        invariant: "every request is counted",
        shape: Shape::Async,
        concurrency: None,
        variants: vec![Variant {
            name: "attempt",
            role: Role::Learner,
            body,
            caught_by: &[],
        }],
        budgets: Budgets {
            pct_schedules: 200,
            ..Budgets::default()
        },
    }
}

#[test]
fn shuttle_finds_the_async_lost_update_and_loom_is_reported_not_applicable() {
    let ex = exercise();
    let s = search::search(
        ex.shape,
        &ex.variants[0].scenario(),
        &ex.budgets,
        &[EngineKind::Shuttle, EngineKind::Loom],
    );
    let f = &s.shown.as_ref().expect("found").found;
    assert_eq!(f.failure.kind, FailureKind::Invariant);
    assert_eq!(f.failure.observed.as_deref(), Some("1"));
    assert_eq!(s.not_applicable.len(), 1);
    assert_eq!(s.not_applicable[0].engine, EngineKind::Loom);
    assert!(s.not_applicable[0].reason.contains("no async executor"));
    assert!(
        s.explorations
            .iter()
            .all(|e| e.engine == EngineKind::Shuttle)
    );
    let trace = racebook_engine::tracebuild::record_trace(
        ex.slug,
        ex.variants[0].name,
        &ex.variants[0].scenario(),
        f,
        None,
        &ex.budgets,
    )
    .expect("replays");
    let names: Vec<&str> = trace.threads.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["main", "handler-0", "handler-1"]);
}

#[test]
fn the_same_code_runs_on_a_real_tokio_runtime() {
    let r = stress(
        &(Arc::new(async_lost_update) as Body),
        StressLimits {
            runs: 200,
            time: Duration::from_secs(20),
        },
    );
    assert!(!r.hung);
    assert_eq!(r.runs, 200);
    // How often real tokio loses the update is a benchmark figure, not asserted here.
    assert!(r.failures <= r.runs);
}

/// tokio issue 4588's shape with a blocking lock: one `select!` branch holds a std-style mutex
/// across an `.await`, and the other branch of the same task locks it. The task's thread blocks
/// on a lock its own other future holds; no branch can end the wait.
fn select_relocks_a_blocking_mutex() {
    task::block_on(async {
        let hits = Arc::new(Mutex::named("hits", 0u32));
        let held = hits.clone();
        let slow = async move {
            let mut guard = held.lock();
            task::sleep(Duration::from_millis(10)).await;
            *guard += 1;
        };
        let again = hits.clone();
        let fast = async move {
            task::yield_now().await;
            *again.lock() += 1;
        };
        select! {
            _ = slow => {}
            _ = fast => {}
        }
        invariant("every request is counted", 1, *hits.lock());
    });
}

#[test]
fn a_task_relocking_a_blocking_mutex_its_other_branch_holds_is_a_deadlock_on_itself() {
    let ex = exercise_of(select_relocks_a_blocking_mutex);
    let s = search::search(
        ex.shape,
        &ex.variants[0].scenario(),
        &ex.budgets,
        &[EngineKind::Shuttle],
    );
    let found = s.shown.expect("the self-deadlock is found").found;
    assert_eq!(found.failure.kind, FailureKind::Deadlock);
    // Named as a wait on itself, and the trace ends on that wait, not on anything the
    // unwinding did afterwards (the guard's unlock).
    assert!(
        found
            .failure
            .message
            .contains("main waits for hits, held by main itself"),
        "{}",
        found.failure.message
    );
    let trace = racebook_engine::tracebuild::record_trace(
        ex.slug,
        ex.variants[0].name,
        &ex.variants[0].scenario(),
        &found,
        None,
        &ex.budgets,
    )
    .expect("the failure replays");
    let last = trace.steps.last().expect("steps");
    assert_eq!(last.op, racebook_trace::Op::Panic, "{:?}", trace.steps);
}
