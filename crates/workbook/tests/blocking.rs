//! The facade owns every wait: a condvar wait nobody notifies, a wake that came before its
//! wait, a park whose unpark was used up and a barrier too few reach are reported by the facade
//! on shuttle and on loom, with the blocked threads, what they wait on and the wake they missed;
//! spurious wakeups are modelled; scoped threads work on every engine; an async notify before
//! the wait is a lost wakeup. Channels, joins and timeouts are in `waits.rs`, lock order in
//! `lock_order.rs`.

mod support;

use racebook_check::sync::atomic::{AtomicBool, Ordering};
use racebook_check::sync::{Arc, Barrier, Condvar, Mutex};
use racebook_check::thread;
use racebook_engine::{EngineKind, search};
use racebook_trace::{FailureKind, Op};
use support::{async_exercise, both, exercise, found, proved, search_all, shown_trace};

/// Waits on a condvar that nothing ever notifies.
fn never_notified() {
    let state = Mutex::named("state", false);
    let ready = Condvar::named("ready");
    let mut g = state.lock();
    while !*g {
        g = ready.wait(g);
    }
}

#[test]
fn a_wait_nothing_notifies_is_a_deadlock_named_by_the_facade() {
    for (engine, trace) in both(never_notified) {
        let f = trace.failure.as_ref().unwrap();
        assert_eq!(f.kind, FailureKind::Deadlock, "{engine:?}: {}", f.message);
        assert!(
            f.message.contains("main waits on `ready`")
                && f.message.contains("no thread is left to notify it"),
            "{engine:?}: {}",
            f.message
        );
        let b = &f.blocked[0];
        assert_eq!(trace.object_name(b.waiting_for.unwrap()), "ready");
        let since = b.since.expect("where the wait began") as usize;
        assert_eq!(trace.steps[since].op, Op::Block);
    }
}

/// The classic lost wakeup: the waiter checks a flag outside the lock, the notifier sets it
/// and notifies without taking the lock, so the notify can come before the wait begins.
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
fn a_notify_before_the_wait_is_a_lost_wakeup_naming_both_steps() {
    for (engine, trace) in both(flag_outside_the_lock) {
        let f = trace.failure.as_ref().unwrap();
        assert_eq!(f.kind, FailureKind::LostWakeup, "{engine:?}: {}", f.message);
        let notify = trace
            .steps
            .iter()
            .find(|s| s.op == Op::Notify)
            .expect("the notify is in the trace");
        let wait = trace
            .steps
            .iter()
            .find(|s| s.op == Op::Block)
            .expect("the wait is in the trace");
        assert!(notify.index < wait.index, "{engine:?}");
        let words = format!(
            "worker notified `ready` at step {}, before main began to wait at step {}; nothing \
             notified it afterwards",
            notify.index + 1,
            wait.index + 1
        );
        assert!(f.message.contains(&words), "{engine:?}: {}", f.message);
        assert_eq!(
            notify.value.as_deref(),
            Some("wakes nobody: no thread is waiting")
        );
        // The conflict the report marks passes the independent check, and the same pair
        // turned round (a wait before the wake) does not.
        let c = trace.conflict.as_ref().expect("the pair is marked");
        assert_eq!(
            (c.first, c.second),
            (notify.index, wait.index),
            "{engine:?}"
        );
        assert_eq!(racebook_trace::confirm_lost_wakeup(&trace, c), Ok(()));
        let mut turned = c.clone();
        (turned.first, turned.second) = (c.second, c.first);
        assert!(racebook_trace::confirm_lost_wakeup(&trace, &turned).is_err());
    }
}

/// Waits with `if` instead of `while`: right only if nothing ever wakes it spuriously.
fn if_instead_of_while() {
    let shared = Arc::new((Mutex::named("state", false), Condvar::named("ready")));
    let s2 = shared.clone();
    let worker = thread::spawn_named("worker", move || {
        *s2.0.lock() = true;
        s2.1.notify_one();
    });
    let mut g = shared.0.lock();
    if !*g {
        g = shared.1.wait(g);
    }
    racebook_check::invariant("ready when woken", true, *g);
    drop(g);
    let _ = worker.join();
}

#[test]
fn a_spurious_wakeup_catches_if_in_place_of_while() {
    for (engine, trace) in both(if_instead_of_while) {
        let f = trace.failure.as_ref().unwrap();
        assert_eq!(f.kind, FailureKind::Invariant, "{engine:?}: {}", f.message);
        assert!(
            trace
                .steps
                .iter()
                .any(|s| s.op == Op::Wait && s.value.as_deref() == Some("spurious")),
            "{engine:?}"
        );
    }
}

/// The same with `while`: correct, and proved so on both engines.
fn while_loop() {
    let shared = Arc::new((Mutex::named("state", false), Condvar::named("ready")));
    let s2 = shared.clone();
    let worker = thread::spawn_named("worker", move || {
        *s2.0.lock() = true;
        s2.1.notify_one();
    });
    let mut g = shared.0.lock();
    while !*g {
        g = shared.1.wait(g);
    }
    drop(g);
    let _ = worker.join();
}

#[test]
fn a_correct_wait_loop_is_proved_on_both_engines() {
    proved(&exercise(while_loop));
}

/// Main unparks the worker while the worker is inside a helper that parks for its own reason
/// and uses the token up; the worker's own park then waits for an unpark that already came.
fn unpark_eaten() {
    let done = Arc::new(AtomicBool::named("helper_done", false));
    let d2 = done.clone();
    let worker = thread::spawn_named("worker", move || {
        // A helper that waits for its own flag by parking: it may use up an unpark meant for
        // the code below.
        while !d2.load(Ordering::SeqCst) {
            thread::park();
        }
        thread::park();
    });
    let t = worker.thread().clone();
    t.unpark();
    done.store(true, Ordering::SeqCst);
    t.unpark();
    let _ = worker.join();
}

#[test]
fn an_unpark_used_up_by_another_park_is_a_lost_wakeup() {
    let trace = found(unpark_eaten, EngineKind::Shuttle).expect("shuttle finds it");
    let f = trace.failure.as_ref().unwrap();
    assert_eq!(f.kind, FailureKind::LostWakeup, "{}", f.message);
    assert!(f.message.contains("used that unpark up"), "{}", f.message);
    let c = trace
        .conflict
        .as_ref()
        .expect("the unpark and the park are marked");
    assert_eq!(racebook_trace::confirm_lost_wakeup(&trace, c), Ok(()));
}

/// A barrier for three that only two threads reach.
fn barrier_too_few() {
    let b = Arc::new(Barrier::named("start", 3));
    let b2 = b.clone();
    let t = thread::spawn_named("worker", move || {
        b2.wait();
    });
    b.wait();
    let _ = t.join();
}

#[test]
fn a_barrier_too_few_threads_reach_is_a_deadlock() {
    for (engine, trace) in both(barrier_too_few) {
        let f = trace.failure.as_ref().unwrap();
        assert_eq!(f.kind, FailureKind::Deadlock, "{engine:?}: {}", f.message);
        assert!(
            f.message.contains("waits at `start`"),
            "{engine:?}: {}",
            f.message
        );
    }
}

/// Scoped threads borrow from the stack and are joined by the scope.
fn scoped() {
    let total = Mutex::named("total", 0);
    let names = ["a", "b"];
    thread::scope(|s| {
        for n in names {
            s.spawn_named(n, || *total.lock() += 1);
        }
    });
    racebook_check::invariant("both counted", 2, *total.lock());
}

#[test]
fn scoped_threads_run_and_are_joined_on_every_engine() {
    proved(&exercise(scoped));
    // And on real threads, outside any checker.
    scoped();
}

/// A task that checks a flag and then waits on a notify; main sets the flag and notifies with
/// `notify_waiters` (`all`), which wakes only tasks already waiting, or `notify_one`, which
/// leaves a permit when nobody waits.
fn flag_then_notify(all: bool) {
    racebook_check::task::block_on(async move {
        let ready = Arc::new(racebook_check::task::Notify::named("ready"));
        let flag = Arc::new(AtomicBool::named("flag", false));
        let (r2, f2) = (ready.clone(), flag.clone());
        let waiter = racebook_check::task::spawn_named("waiter", async move {
            if !f2.load(Ordering::SeqCst) {
                r2.notified().await;
            }
        });
        flag.store(true, Ordering::SeqCst);
        if all {
            ready.notify_waiters();
        } else {
            ready.notify_one();
        }
        let _ = waiter.join().await;
    });
}

fn notify_waiters_too_early() {
    flag_then_notify(true);
}

#[test]
fn an_async_notify_before_the_wait_is_a_lost_wakeup() {
    let ex = async_exercise(notify_waiters_too_early);
    let trace = shown_trace(&ex, search_all(&ex)).expect("shuttle finds it");
    let f = trace.failure.as_ref().unwrap();
    assert_eq!(f.kind, FailureKind::LostWakeup);
    assert!(
        f.message.contains("main notified `ready` at step"),
        "{}",
        f.message
    );
}

/// The exhaustive search alone (PCT may find it first in `search_all`): the reduced search must
/// see that making the `Notified` reads the notify's state, or it takes the notify and the
/// `notified()` call for independent steps and never runs the notify before it.
#[test]
fn the_reduced_search_alone_finds_the_async_lost_wakeup() {
    let ex = async_exercise(notify_waiters_too_early);
    let e = search::dfs(&ex.variants[0].scenario(), &ex.budgets);
    let f = e.found.expect("the reduced search finds it").failure;
    assert_eq!(f.kind, FailureKind::LostWakeup, "{}", f.message);
}

/// The same with `notify_one`: correct.
fn notify_one_leaves_a_permit() {
    flag_then_notify(false);
}

#[test]
fn an_async_notify_one_with_nobody_waiting_leaves_a_permit() {
    proved(&async_exercise(notify_one_leaves_a_permit));
}

/// A worker waits on a condvar it made itself; main changes the state and never could notify.
fn private_condvar() {
    let state = Arc::new(Mutex::named("state", false));
    let s2 = state.clone();
    let worker = thread::spawn_named("worker", move || {
        let done = Condvar::named("done");
        let mut g = s2.lock();
        while !*g {
            g = done.wait(g);
        }
    });
    *state.lock() = true;
    let _ = worker.join();
}

#[test]
fn a_condvar_only_its_waiter_can_reach_is_named_as_such() {
    let trace = found(private_condvar, EngineKind::Shuttle).expect("shuttle finds it");
    let c = trace
        .conflict
        .as_ref()
        .expect("the wait and the change are marked");
    assert!(
        c.why
            .contains("`done` was made by worker itself and no other thread ever used it"),
        "{}",
        c.why
    );
    assert!(!c.why.contains("never woke"), "{}", c.why);
}
