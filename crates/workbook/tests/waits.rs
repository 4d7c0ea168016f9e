//! The facade's other waits, each stuck for good or ended early by the model: a receive nobody
//! sends to, a send on a full bounded channel, a join of a thread that never ends, a park nobody
//! unparks (each reported by the facade, on shuttle and on loom, with no engine text), and a
//! timed wait whose timeout the model may fire at any point, so that code which treats a
//! timeout as success is caught and code which re-checks is proved; and the async channels'
//! waits (a receive nobody sends to, a send on a full channel), reported the same way.

mod support;

use racebook_check::sync::{Arc, Condvar, Mutex, mpsc};
use racebook_check::{task, thread};
use racebook_trace::{FailureKind, Op, Trace};
use std::time::Duration;
use support::{async_exercise, both, exercise, proved, search_all, shown_trace};

/// The failure of a stuck run: a deadlock whose words contain each of `words`, and nothing of
/// the engines' own.
fn stuck_with(body: fn(), words: &[&str]) {
    for (engine, trace) in both(body) {
        let f = trace.failure.as_ref().unwrap();
        assert_eq!(f.kind, FailureKind::Deadlock, "{engine:?}: {}", f.message);
        for w in words {
            assert!(f.message.contains(w), "{engine:?}: {}", f.message);
        }
        let lower = f.message.to_lowercase();
        assert!(
            !lower.contains("shuttle") && !lower.contains("loom"),
            "{engine:?}: {}",
            f.message
        );
        assert!(!f.blocked.is_empty(), "{engine:?}: the blocked threads");
    }
}

/// A worker waits for a job nobody sends; main keeps the sender and waits for the worker.
fn nobody_sends() {
    let (jobs, inbox) = mpsc::channel_named::<u32>("jobs");
    let worker = thread::spawn_named("worker", move || {
        let _ = inbox.recv();
    });
    let _ = worker.join();
    drop(jobs);
}

#[test]
fn a_receive_nobody_sends_to_is_a_deadlock_naming_the_channel_and_the_join() {
    stuck_with(
        nobody_sends,
        &[
            "worker waits for a message on `jobs`",
            "main waits for worker to finish",
        ],
    );
}

/// A worker sends two messages on a channel with room for one; main receives only after
/// joining it.
fn full_channel() {
    let (slots, inbox) = mpsc::sync_channel_named::<u32>("slots", 1);
    let worker = thread::spawn_named("worker", move || {
        slots.send(1).unwrap();
        slots.send(2).unwrap();
    });
    let _ = worker.join();
    let _ = inbox.recv();
}

#[test]
fn a_send_on_a_full_bounded_channel_nobody_empties_is_a_deadlock() {
    stuck_with(full_channel, &["worker waits for room on `slots`"]);
}

/// A worker parks once, and nothing unparks it.
fn never_unparked() {
    let worker = thread::spawn_named("worker", thread::park);
    let _ = worker.join();
}

#[test]
fn a_park_nobody_unparks_is_a_deadlock() {
    stuck_with(
        never_unparked,
        &["worker is parked", "no thread is left to unpark it"],
    );
}

/// Main waits for a worker's flag with a timeout, and takes a timeout for "ready".
fn timeout_taken_as_ready() {
    let shared = Arc::new((Mutex::named("state", false), Condvar::named("ready")));
    let s2 = shared.clone();
    let worker = thread::spawn_named("worker", move || {
        *s2.0.lock() = true;
        s2.1.notify_one();
    });
    let mut g = shared.0.lock();
    while !*g {
        let (next, r) = shared.1.wait_timeout(g, Duration::from_secs(1));
        g = next;
        if r.timed_out() {
            break;
        }
    }
    racebook_check::invariant("ready after the wait", true, *g);
    drop(g);
    let _ = worker.join();
}

fn timed_out_step(trace: &Trace) -> bool {
    trace
        .steps
        .iter()
        .any(|s| s.op == Op::Wait && s.value.as_deref() == Some("timed out"))
}

#[test]
fn a_timeout_is_the_models_choice_and_catches_code_that_trusts_it() {
    for (engine, trace) in both(timeout_taken_as_ready) {
        let f = trace.failure.as_ref().unwrap();
        assert_eq!(f.kind, FailureKind::Invariant, "{engine:?}: {}", f.message);
        assert!(timed_out_step(&trace), "{engine:?}: the wait timed out");
    }
}

/// The same wait, re-checking the flag after a timeout: correct whenever the timeout fires.
fn timeout_rechecked() {
    let shared = Arc::new((Mutex::named("state", false), Condvar::named("ready")));
    let s2 = shared.clone();
    let worker = thread::spawn_named("worker", move || {
        *s2.0.lock() = true;
        s2.1.notify_one();
    });
    let g = shared.0.lock();
    let (g, r) = shared
        .1
        .wait_timeout_while(g, Duration::from_secs(1), |ready| !*ready);
    racebook_check::invariant("ready unless timed out", !r.timed_out(), *g);
    drop(g);
    let _ = worker.join();
}

#[test]
fn a_timed_wait_that_rechecks_is_proved_on_both_engines() {
    proved(&exercise(timeout_rechecked));
}

/// A task waits for a message on an async channel whose sender main keeps and never uses.
fn async_nobody_sends() {
    task::block_on(async {
        let (jobs, mut inbox) = task::mpsc::unbounded_channel_named::<u32>("jobs");
        let worker = task::spawn_named("worker", async move {
            let _ = inbox.recv().await;
        });
        let _ = worker.join().await;
        drop(jobs);
    });
}

/// A task sends two messages on an async channel with room for one; main receives only after
/// it finished.
fn async_full_channel() {
    task::block_on(async {
        let (slots, mut inbox) = task::mpsc::channel_named::<u32>("slots", 1);
        let worker = task::spawn_named("worker", async move {
            slots.send(1).await.unwrap();
            slots.send(2).await.unwrap();
        });
        let _ = worker.join().await;
        let _ = inbox.recv().await;
    });
}

/// The same channel used well: every message arrives, in order, and `recv` ends with `None`.
fn async_channel_delivers() {
    task::block_on(async {
        let (slots, mut inbox) = task::mpsc::channel_named::<u32>("slots", 1);
        let worker = task::spawn_named("worker", async move {
            for n in 1..=3 {
                slots.send(n).await.unwrap();
            }
        });
        let mut got = Vec::new();
        while let Some(n) = inbox.recv().await {
            got.push(n);
        }
        racebook_check::invariant("every message, in order", vec![1, 2, 3], got);
        let _ = worker.join().await;
    });
}

#[test]
fn async_channel_waits_nobody_can_end_are_reported_by_the_facade() {
    for (body, words) in [
        (
            async_nobody_sends as fn(),
            "worker waits for a message on `jobs`",
        ),
        (async_full_channel, "worker waits for room on `slots`"),
    ] {
        let ex = async_exercise(body);
        let trace = shown_trace(&ex, search_all(&ex)).expect("shuttle finds it");
        let f = trace.failure.as_ref().unwrap();
        assert_eq!(f.kind, FailureKind::Deadlock, "{}", f.message);
        assert!(f.message.contains(words), "{}", f.message);
        assert!(
            !f.message.to_lowercase().contains("shuttle"),
            "{}",
            f.message
        );
    }
}

#[test]
fn an_async_channel_used_well_is_proved_and_runs_on_tokio() {
    proved(&async_exercise(async_channel_delivers));
    // And on a real tokio runtime, outside any checker.
    async_channel_delivers();
}
