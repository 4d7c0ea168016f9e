//! The reduced search's rules for what threads and tasks touch without a shared object of
//! their own (DESIGN.md, "partial-order reduction"): each scenario here breaks only in an order
//! that a wrong rule would take for a reordering of independent steps. The reduced DFS alone
//! must find what plain DFS finds.

mod support;

use racebook_check::sync::atomic::{AtomicBool, Ordering};
use racebook_check::sync::{Arc, Barrier};
use racebook_check::{task, thread};
use racebook_engine::engines::shuttle::{Limits, ShuttleStrategy, explore_for};
use racebook_trace::FailureKind;
use racebook_workbook::Exercise;
use std::time::Duration;
use support::{async_exercise, exercise};

/// Plain DFS finds a failure of a kind `kind` accepts in `ex`, and so does the reduced DFS.
fn both_find_it(ex: &Exercise, kind: fn(FailureKind) -> bool) {
    let body = ex.variants[0].scenario();
    let limits = Limits {
        schedules: 10_000,
        time: Duration::from_secs(20),
        max_steps: ex.budgets.max_steps,
        stop_at_first_failure: true,
    };
    for strategy in [ShuttleStrategy::Dfs, ShuttleStrategy::ReducedDfs] {
        let e = explore_for(&body, strategy, limits, Box::new(move |f| kind(f.kind)));
        assert!(e.found.is_some(), "{strategy:?} finds nothing");
    }
}

/// Two unparks before the worker's first park leave one token, and its second park waits for
/// ever (the token rule: a park and an unpark of a thread both write its token). The barrier
/// lets the worker run first, so the first schedules park before any unpark. (The search finds
/// this one even with the token rule taken out, so it checks the search, not that rule alone.)
fn two_unparks_one_token() {
    let b = Arc::new(Barrier::named("start", 2));
    let b2 = b.clone();
    let other = Arc::new(AtomicBool::named("other", false));
    let o2 = other.clone();
    let worker = thread::spawn_named("worker", move || {
        b2.wait();
        // A step on its own object, so that the park's step is the park alone.
        o2.load(Ordering::SeqCst);
        thread::park();
        thread::park();
    });
    b.wait();
    let t = worker.thread().clone();
    t.unpark();
    t.unpark();
    let _ = worker.join();
}

#[test]
fn a_park_and_an_unpark_of_one_thread_are_ordered() {
    both_find_it(&exercise(two_unparks_one_token), |k| {
        matches!(k, FailureKind::LostWakeup | FailureKind::Deadlock)
    });
}

/// Main asks whether a task finished: the answer depends on whether the task's last step came
/// first (the unit rule: a task's last step writes it, `is_finished` and a join read it).
fn looks_at_a_task() {
    task::block_on(async {
        let h = task::spawn_named("quick", async {});
        task::yield_now().await;
        racebook_check::invariant(
            "the task still runs when main looks",
            false,
            h.is_finished(),
        );
        let _ = h.join().await;
    });
}

#[test]
fn whether_a_task_finished_depends_on_its_last_step() {
    both_find_it(&async_exercise(looks_at_a_task), |k| {
        k == FailureKind::Invariant
    });
}

/// A oneshot the receiver only tries: the answer depends on whether the send came first (the
/// facade's own state rule: the slot is named in both steps).
fn tries_a_oneshot() {
    task::block_on(async {
        let (tx, mut rx) = task::oneshot::channel_named::<u8>("answer");
        let h = task::spawn_named("sender", async move {
            let _ = tx.send(1);
        });
        task::yield_now().await;
        racebook_check::invariant("nothing was sent yet", true, rx.try_recv().is_err());
        // A step of its own for the try, before the join looks at the sender.
        task::yield_now().await;
        let _ = h.join().await;
    });
}

#[test]
fn a_oneshot_tried_depends_on_the_send() {
    both_find_it(&async_exercise(tries_a_oneshot), |k| {
        k == FailureKind::Invariant
    });
}
