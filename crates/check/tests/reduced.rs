//! The reduced exhaustive search on small scenarios, threads and async: it runs fewer schedules
//! than plain DFS where steps are independent, still finds a failure where one exists (with a
//! schedule that replays), and its green report says what it covered.

use racebook_check::Budgets;
use racebook_check::sync::atomic::{AtomicU64, Ordering};
use racebook_check::sync::{Arc, Mutex};
use racebook_check::{invariant, task, thread};
use racebook_engine::engines::SchedulePayload;
use racebook_engine::engines::shuttle as shuttle_engine;
use racebook_engine::report::{self, Style};
use racebook_engine::scenario::{Body, Shape};
use racebook_engine::search;
use racebook_trace::EngineKind;

/// Two threads, each bumping its own counter three times, then one shared one once.
fn mostly_independent() {
    let own: Vec<Arc<AtomicU64>> = (0..2).map(|_| Arc::new(AtomicU64::new(0))).collect();
    let shared = Arc::new(Mutex::new(0));
    let workers: Vec<_> = own
        .iter()
        .map(|c| {
            let (c, shared) = (Arc::clone(c), Arc::clone(&shared));
            thread::spawn(move || {
                for _ in 0..3 {
                    c.fetch_add(1, Ordering::SeqCst);
                }
                *shared.lock() += 1;
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    invariant("every worker counted", 2, *shared.lock());
}

/// Two threads bump a shared counter with a load and a store: an update can be lost.
fn lost_update() {
    let n = Arc::new(AtomicU64::new(0));
    let other = Arc::clone(&n);
    let t = thread::spawn(move || {
        let v = other.load(Ordering::SeqCst);
        other.store(v + 1, Ordering::SeqCst);
    });
    let v = n.load(Ordering::SeqCst);
    n.store(v + 1, Ordering::SeqCst);
    t.join().unwrap();
    invariant("both updates count", 2, n.load(Ordering::SeqCst));
}

fn budgets() -> Budgets {
    Budgets::default()
}

#[test]
fn independent_steps_are_ordered_once_and_the_report_says_so() {
    let body: Body = Arc::new(mostly_independent);
    let plain = search::plain_dfs(&body, &budgets());
    let reduced = search::dfs(&body, &budgets());
    assert!(plain.exhaustive && reduced.exhaustive);
    assert!(plain.found.is_none() && reduced.found.is_none());
    eprintln!("plain {} reduced {}", plain.schedules, reduced.schedules);
    assert!(
        reduced.schedules * 5 <= plain.schedules,
        "plain {} reduced {}",
        plain.schedules,
        reduced.schedules
    );
    let s = search::search(Shape::Threads, &body, &budgets(), &[EngineKind::Shuttle]);
    let text = report::passing("ex", "“x” holds", "f.rs", &s, None, Style::default());
    assert!(
        text.contains(&format!(
            "covered every distinct ordering of the shared steps ({} schedules; orderings of \
             independent steps counted once)",
            reduced.schedules
        )),
        "{text}"
    );
}

#[test]
fn a_lost_update_is_found_and_its_schedule_replays() {
    let body: Body = Arc::new(lost_update);
    let reduced = search::dfs(&body, &budgets());
    let found = reduced
        .found
        .expect("the reduced search finds the lost update");
    assert_eq!(found.failure.invariant, "both updates count");
    let SchedulePayload::Shuttle(decisions) = &found.schedule else {
        panic!("a shuttle schedule")
    };
    let again = shuttle_engine::replay(&body, decisions, budgets().max_steps);
    assert!(!again.stale);
    assert_eq!(again.failure.unwrap().invariant, "both updates count");
}

/// Two tasks, each with its own lock and a yield between two updates of it.
async fn tasks_apart() {
    let locks: Vec<Arc<task::Mutex<u64>>> = (0..2).map(|_| Arc::new(task::Mutex::new(0))).collect();
    let handles: Vec<_> = locks
        .iter()
        .map(|l| {
            let l = Arc::clone(l);
            task::spawn(async move {
                for _ in 0..2 {
                    *l.lock().await += 1;
                    task::yield_now().await;
                }
            })
        })
        .collect();
    for h in handles {
        h.await.unwrap();
    }
    for l in &locks {
        invariant("each task counted its own", 2, *l.lock().await);
    }
}

#[test]
fn async_tasks_on_their_own_objects_are_ordered_once() {
    let body: Body = Arc::new(|| task::block_on(tasks_apart()));
    let plain = search::plain_dfs(&body, &budgets());
    let reduced = search::dfs(&body, &budgets());
    assert!(
        plain.exhaustive && reduced.exhaustive,
        "{plain:?} {reduced:?}"
    );
    assert!(plain.found.is_none() && reduced.found.is_none());
    eprintln!("plain {} reduced {}", plain.schedules, reduced.schedules);
    assert!(
        reduced.schedules * 5 <= plain.schedules,
        "plain {} reduced {}",
        plain.schedules,
        reduced.schedules
    );
}
