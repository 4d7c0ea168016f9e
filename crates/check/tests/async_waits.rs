//! Issue 12's async layer under the checkers and on tokio: a `select!` over two facade waits
//! runs on while either can end and is reported, naming both, when neither can; a timeout
//! fires early or late as the model chooses; an abort lands before or after the task's work,
//! and drops what the task held; oneshot, RwLock and Semaphore waits that nothing can end are
//! reported with what they wait on and who holds it, with no engine text; and the same correct
//! code runs on the real tokio runtime.

use racebook_check::Budgets;
use racebook_check::scenario::{Body, Shape};
use racebook_check::search::{self, Search};
use racebook_check::sync::Arc;
use racebook_check::task::{self, Mutex, Notify, RwLock, Semaphore, mpsc, oneshot};
use racebook_trace::{EngineKind, FailureKind};
use std::sync::Arc as StdArc;
use std::time::Duration;

fn run(f: fn()) -> Search {
    let b = Budgets {
        pct_schedules: 100,
        ..Budgets::default()
    };
    let body: Body = StdArc::new(f);
    search::search(Shape::Async, &body, &b, &[EngineKind::Shuttle])
}

/// Proved: the exhaustive search found no failure.
fn proved(f: fn()) {
    let s = run(f);
    assert!(!s.failed(), "{:?}", s.shown.map(|x| x.found.failure));
    assert!(s.exhaustive(), "not exhaustive");
}

/// Caught: the failure's kind and words, and no engine's words.
fn caught(f: fn(), kind: FailureKind, words: &[&str]) {
    let s = run(f);
    let shown = s.shown.expect("a failure is found");
    let f = shown.found.failure;
    assert_eq!(f.kind, kind, "{}", f.message);
    for w in words {
        assert!(f.message.contains(w), "missing `{w}` in: {}", f.message);
    }
    let lower = f.message.to_lowercase();
    assert!(!lower.contains("shuttle"), "{}", f.message);
}

/// A consumer selects over a notify and a channel; a producer sends one message.
fn select_either() {
    task::block_on(async {
        let ready = StdArc::new(Notify::named("ready"));
        let (tx, mut rx) = mpsc::channel_named::<u32>("jobs", 1);
        let producer = task::spawn_named("producer", async move {
            tx.send(7).await.expect("the consumer is there");
        });
        let got = racebook_check::select! {
            _ = ready.notified() => None,
            m = rx.recv() => m,
        };
        producer.await.expect("no panic");
        racebook_check::invariant("the message arrives", Some(7), got);
    });
}

#[test]
fn a_select_over_two_waits_runs_on_when_one_of_them_ends() {
    proved(select_either);
}

/// The same select, but nobody notifies and the sender stays alive without sending.
fn select_neither() {
    task::block_on(async {
        let ready = Notify::named("ready");
        let (tx, mut rx) = mpsc::channel_named::<u32>("jobs", 1);
        racebook_check::select! {
            _ = ready.notified() => {}
            _ = rx.recv() => {}
        }
        drop(tx);
    });
}

#[test]
fn a_select_whose_every_branch_waits_forever_is_reported_with_each_wait() {
    caught(
        select_neither,
        FailureKind::Deadlock,
        &[
            "main waits on `ready`",
            "main waits for a message on `jobs`",
        ],
    );
}

/// A receive under a deadline while a producer sends at once, claiming that the receive wins
/// (`receive_wins`) or that the deadline does: the model may fire the timer before or after the
/// send, whatever the duration, so each claim fails on some schedule.
fn timed_receive(deadline: Duration, receive_wins: bool) {
    task::block_on(async move {
        let (tx, mut rx) = mpsc::channel_named::<u32>("jobs", 1);
        let producer = task::spawn_named("producer", async move {
            let _ = tx.send(1).await;
        });
        let got = task::timeout(deadline, rx.recv()).await;
        producer.await.expect("no panic");
        racebook_check::invariant("who wins", receive_wins, got.is_ok());
    });
}

#[test]
fn a_timeout_fires_early_or_late_as_the_model_chooses_whatever_its_duration() {
    caught(
        || timed_receive(Duration::from_secs(3600), true),
        FailureKind::Invariant,
        &[],
    );
    caught(
        || timed_receive(Duration::from_millis(1), false),
        FailureKind::Invariant,
        &[],
    );
}

/// A task takes a lock and counts; main aborts it, then takes the lock itself.
fn abort_then_lock(cancelled_expected: Option<bool>) {
    task::block_on(async move {
        let count = Arc::new(Mutex::named("count", 0u32));
        let worker = task::spawn_named("worker", {
            let count = Arc::clone(&count);
            async move {
                let mut held = count.lock().await;
                task::yield_now().await;
                *held += 1;
            }
        });
        worker.abort();
        let outcome = worker.await;
        // The aborted task's guard was dropped with its future: the lock is free.
        let n = *count.lock().await;
        let cancelled = outcome.as_ref().err().is_some_and(|e| e.is_cancelled());
        racebook_check::invariant("a cancelled task counted nothing", cancelled, n == 0);
        if let Some(expected) = cancelled_expected {
            racebook_check::invariant("the abort's outcome", expected, cancelled);
        }
    });
}

#[test]
fn an_abort_lands_before_or_after_the_work_and_drops_what_the_task_held() {
    proved(|| abort_then_lock(None));
    caught(|| abort_then_lock(Some(true)), FailureKind::Invariant, &[]);
    caught(|| abort_then_lock(Some(false)), FailureKind::Invariant, &[]);
}

/// A worker keeps the oneshot's sender and waits for a notify nobody sends; main awaits the
/// reply.
fn reply_never_sent() {
    task::block_on(async {
        let ready = StdArc::new(Notify::named("ready"));
        let (reply, answer) = oneshot::channel_named::<u32>("reply");
        let worker = task::spawn_named("worker", {
            let ready = StdArc::clone(&ready);
            async move {
                ready.notified().await;
                let _ = reply.send(1);
            }
        });
        let _ = answer.await;
        let _ = worker.await;
    });
}

#[test]
fn a_oneshot_whose_sender_never_sends_is_reported() {
    caught(
        reply_never_sent,
        FailureKind::Deadlock,
        &[
            "main waits for a message on `reply`",
            "worker waits on `ready`",
        ],
    );
}

/// A reader holds the read lock while it waits for a notify nobody sends; a writer waits.
fn writer_behind_reader() {
    task::block_on(async {
        let table = Arc::new(RwLock::named("table", 0u32));
        let ready = StdArc::new(Notify::named("ready"));
        let reader = task::spawn_named("reader", {
            let (table, ready) = (Arc::clone(&table), StdArc::clone(&ready));
            async move {
                let _r = table.read().await;
                ready.notified().await;
            }
        });
        task::yield_now().await;
        *table.write().await += 1;
        let _ = reader.await;
    });
}

#[test]
fn a_write_behind_a_read_that_never_ends_names_the_reader() {
    caught(
        writer_behind_reader,
        FailureKind::Deadlock,
        &[
            "waits for table",
            "held by reader",
            "reader waits on `ready`",
        ],
    );
}

/// One permit, taken by a task that then waits for a notify nobody sends.
fn permit_never_returned() {
    task::block_on(async {
        let slots = Arc::new(Semaphore::named("slots", 1));
        let ready = StdArc::new(Notify::named("ready"));
        let holder = task::spawn_named("holder", {
            let (slots, ready) = (Arc::clone(&slots), StdArc::clone(&ready));
            async move {
                let _p = slots.acquire().await.expect("open");
                ready.notified().await;
            }
        });
        task::yield_now().await;
        let _p = slots.acquire().await.expect("open");
        let _ = holder.await;
    });
}

#[test]
fn a_permit_nobody_returns_is_reported() {
    caught(
        permit_never_returned,
        FailureKind::Deadlock,
        &["waits for a permit of `slots`", "holder waits on `ready`"],
    );
}

#[test]
fn the_same_async_code_runs_on_the_real_tokio_runtime() {
    let limits = racebook_check::engines::real::StressLimits {
        runs: 20,
        time: Duration::from_secs(20),
    };
    let bodies: [fn(); 2] = [select_either, || abort_then_lock(None)];
    for f in bodies {
        let body: Body = StdArc::new(f);
        let r = racebook_check::engines::real::stress(&body, limits);
        assert!(!r.hung, "a run hung");
        assert_eq!(r.failures, 0);
        assert_eq!(r.runs, 20);
    }
}
