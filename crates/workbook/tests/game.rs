//! The scheduler game over an exported tree of a lost wakeup: the reader causes it by choosing
//! threads, and the game then says what each blocked thread waits on and brackets the notify
//! that came before the wait.

mod support;

use racebook_check::sync::atomic::{AtomicBool, Ordering};
use racebook_check::sync::{Arc, Condvar, Mutex};
use racebook_check::thread;
use racebook_trace::{ConflictKind, FailureKind, Op};
use racebook_viz::game::Game;
use racebook_workbook::tree_export;
use support::exercise;

/// The waiter checks a flag outside the lock; the worker sets it and notifies without the lock.
fn flag_outside_the_lock() {
    let shared = Arc::new((Mutex::named("state", ()), Condvar::named("ready")));
    let flag = Arc::new(AtomicBool::named("flag", false));
    let (s2, f2) = (shared.clone(), flag.clone());
    let worker = thread::spawn_named("worker", move || {
        f2.store(true, Ordering::SeqCst);
        s2.1.notify_one();
    });
    if !flag.load(Ordering::SeqCst) {
        let g = shared.0.lock();
        drop(shared.1.wait(g));
    }
    let _ = worker.join();
}

#[test]
fn the_reader_causes_the_lost_wakeup_by_choosing_threads_and_sees_the_missed_notify() {
    let ex = exercise(flag_outside_the_lock);
    let tree = tree_export::tree(&ex, &ex.variants[0], 1_000, 2);
    assert!(tree.failing > 0, "the tree has the lost wakeup");
    let mut game = Game::new(tree.clone()).unwrap();
    // Choose, at each point, a thread whose subtree still holds the shortest failure.
    let mut at = 0usize;
    while let Some(edge) = tree.nodes[at]
        .edges
        .iter()
        .filter(|e| tree.nodes[e.child as usize].failing > 0)
        .min_by_key(|e| tree.nodes[e.child as usize].shortest_failure)
    {
        game.choose(edge.thread).unwrap();
        at = edge.child as usize;
    }
    let view = game.view(200);
    let outcome = view.outcome.expect("the path ends");
    assert!(!outcome.passed);
    assert!(outcome.title.contains("Lost wakeup"), "{}", outcome.title);
    assert!(
        outcome
            .details
            .iter()
            .any(|d| d.starts_with("main is blocked: it waits on ready since step")),
        "{:?}",
        outcome.details
    );
    let trace = game.trace_so_far();
    assert_eq!(
        trace.failure.as_ref().unwrap().kind,
        FailureKind::LostWakeup
    );
    let c = trace.conflict.expect("the missed notify is bracketed");
    assert_eq!(c.kind, ConflictKind::LostWakeup);
    let (notify, wait) = (
        &trace.steps[c.first as usize],
        &trace.steps[c.second as usize],
    );
    assert_eq!((notify.op, wait.op), (Op::Notify, Op::Block));
    assert!(notify.index < wait.index);
    let main = view
        .frame
        .threads
        .iter()
        .find(|t| t.name == "main")
        .unwrap();
    assert_eq!(main.status, "blocked");
    assert!(
        main.waits.as_deref().is_some_and(|w| w.contains("ready")),
        "{:?}",
        main.waits
    );
}
