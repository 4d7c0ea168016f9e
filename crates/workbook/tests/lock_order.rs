//! Lock-order warnings beyond the explored schedules: an inversion no schedule deadlocks is
//! still reported, with both orders and their source lines, and a run that shows both; an
//! inversion kept apart by an outer lock names that lock.

mod support;

use racebook_check::sync::{Arc, Mutex};
use racebook_check::thread;
use racebook_trace::FailureKind;
use support::{exercise, search_all, shown_trace};

/// Main takes `a` then `b`; only then does it start a worker that takes `b` then `a`. No
/// schedule can deadlock (the worker starts after main let go), yet the orders are inverted.
fn inverted_but_ordered() {
    let a = Arc::new(Mutex::named("a", 0));
    let b = Arc::new(Mutex::named("b", 0));
    {
        let _a = a.lock();
        let _b = b.lock();
    }
    let (a2, b2) = (a.clone(), b.clone());
    let worker = thread::spawn_named("worker", move || {
        let _b = b2.lock();
        let _a = a2.lock();
    });
    let _ = worker.join();
}

#[test]
fn a_lock_order_inversion_no_schedule_deadlocks_is_still_reported() {
    let ex = exercise(inverted_but_ordered);
    let s = search_all(&ex);
    let inv = s.inversion.as_ref().expect("the inversion is found");
    let words = inv.words();
    assert!(
        words.contains("main takes `a` (lock_order.rs:")
            && words.contains("worker takes `b` (lock_order.rs:"),
        "{words}"
    );
    let trace = shown_trace(&ex, s).expect("a run that shows both orders");
    assert_eq!(trace.failure.as_ref().unwrap().kind, FailureKind::LockOrder);
    let c = trace
        .conflict
        .clone()
        .expect("both inner acquisitions are named");
    assert!(c.why.contains("took them the other way round"), "{}", c.why);
    let (first, second) = (
        &trace.steps[c.first as usize],
        &trace.steps[c.second as usize],
    );
    assert_eq!(trace.thread_name(first.thread), "main");
    assert_eq!(trace.thread_name(second.thread), "worker");
}

/// The same two orders, both under one outer lock: they cannot meet today, and the report says
/// which lock keeps them apart.
fn inverted_under_a_gate() {
    let gate = Arc::new(Mutex::named("gate", ()));
    let a = Arc::new(Mutex::named("a", 0));
    let b = Arc::new(Mutex::named("b", 0));
    let (g2, a2, b2) = (gate.clone(), a.clone(), b.clone());
    let worker = thread::spawn_named("worker", move || {
        let _g = g2.lock();
        let _b = b2.lock();
        let _a = a2.lock();
    });
    {
        let _g = gate.lock();
        let _a = a.lock();
        let _b = b.lock();
    }
    let _ = worker.join();
}

#[test]
fn an_inversion_kept_apart_by_an_outer_lock_names_it() {
    let s = search_all(&exercise(inverted_under_a_gate));
    let inv = s.inversion.expect("the inversion is found");
    assert_eq!(inv.guarded_by, ["gate"]);
    assert!(inv.words().contains("also holds `gate`"), "{}", inv.words());
}
