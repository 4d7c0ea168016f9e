//! Code that never finishes and never touches the facade cannot be stopped by any engine; the
//! harness gives up on it after its wall-clock budget and says so. Alone in this test binary:
//! the abandoned thread spins until the binary exits.

use racebook_check::engines::real::{StressLimits, stress};
use racebook_check::scenario::Body;
use racebook_check::sync::{Arc, Mutex};
use racebook_check::{Budgets, EngineKind, search, thread};
use racebook_trace::FailureKind;
use racebook_workbook::{Exercise, Role, Shape, Variant};
use std::time::{Duration, Instant};

fn spins_forever() {
    let mut x: u64 = 0;
    loop {
        x = std::hint::black_box(x.wrapping_add(1));
    }
}

#[test]
fn an_endless_loop_without_scheduling_points_times_out_with_a_message() {
    let ex = Exercise {
        slug: "test-spin",
        title: "spin",
        invariant: "it terminates",
        shape: Shape::Threads,
        concurrency: None,
        variants: vec![Variant {
            name: "attempt",
            role: Role::Learner,
            body: spins_forever,
            caught_by: &[],
        }],
        budgets: Budgets {
            wall: Duration::from_secs(2),
            ..Budgets::default()
        },
    };
    let start = Instant::now();
    let s = search::search(
        ex.shape,
        &ex.variants[0].scenario(),
        &ex.budgets,
        &[EngineKind::Shuttle],
    );
    let f = s.shown.expect("reported").found.failure;
    assert_eq!(f.kind, FailureKind::NonTermination);
    assert!(f.message.contains("endless loop"), "{}", f.message);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "gave up within its budget"
    );
}

fn deadlocks_on_real_threads() {
    let a = Arc::new(Mutex::new(()));
    let guard = a.lock();
    let a2 = a.clone();
    let t = thread::spawn_named("waiter", move || drop(a2.lock()));
    let _ = t.join();
    drop(guard);
}

#[test]
fn a_stress_run_that_hangs_is_abandoned_and_reported() {
    let start = Instant::now();
    let r = stress(
        &(Arc::new(deadlocks_on_real_threads) as Body),
        StressLimits {
            runs: 10,
            time: Duration::from_millis(200),
        },
    );
    assert!(r.hung);
    assert_eq!(r.runs, 0);
    assert!(start.elapsed() < Duration::from_secs(5));
}

fn fails_at_once() {
    panic!("fails at once");
}

/// A stored schedule replayed on code that now spins without a scheduling point (the learner
/// changed it) ends at the wall budget with the replay named as not finishing, on either engine.
#[test]
fn a_replay_on_code_that_spins_ends_at_the_wall_budget() {
    use racebook_check::engines::SchedulePayload;
    use racebook_check::replay::replay;
    let variant = Variant {
        name: "attempt",
        role: Role::Learner,
        body: spins_forever,
        caught_by: &[],
    };
    let budgets = Budgets {
        wall: Duration::from_secs(1),
        ..Budgets::default()
    };
    // A real loom path: the one of a body that fails at once.
    let fails: racebook_check::scenario::Body = std::sync::Arc::new(fails_at_once);
    let loom_path = search::loom(&fails, &budgets, None)
        .found
        .expect("it fails")
        .schedule;
    for payload in [SchedulePayload::Shuttle(vec![0, 1, 1, 2, 0]), loom_path] {
        let start = Instant::now();
        let r = replay(&variant.scenario(), &payload, None, &budgets);
        let f = r
            .failure
            .clone()
            .unwrap_or_else(|| panic!("{payload:?}: {r:?}"));
        assert_eq!(f.kind, FailureKind::NonTermination);
        assert!(f.message.contains("without finishing"), "{}", f.message);
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
    }
}
