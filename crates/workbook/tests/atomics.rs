//! The facade's atomics beyond load and store, on every engine: store buffering decided or
//! named engine by engine, spurious failures of weak compare-exchanges explored, fences
//! recorded, and reads-from taken from loom's own execution.

use racebook_check::scenario::Body;
use racebook_check::sync::Arc;
use racebook_check::sync::atomic::{AtomicBool, AtomicU64, Ordering, fence};
use racebook_check::{Budgets, EngineKind, invariant, search, thread, tracebuild};
use racebook_trace::{Op, Trace};
use std::sync::Arc as StdArc;

fn budgets() -> Budgets {
    Budgets {
        pct_schedules: 100,
        ..Budgets::default()
    }
}

/// Store buffering: each thread raises its own flag, then looks at the other's. With the
/// orderings given, can both miss the other's flag?
fn store_buffering(store: Ordering, load: Ordering, fenced: bool) -> Body {
    StdArc::new(move || {
        let a = Arc::new(AtomicBool::named("a_raised", false));
        let b = Arc::new(AtomicBool::named("b_raised", false));
        let (a2, b2) = (a.clone(), b.clone());
        let other = thread::spawn_named("b", move || {
            b2.store(true, store);
            if fenced {
                fence(Ordering::SeqCst);
            }
            a2.load(load)
        });
        a.store(true, store);
        if fenced {
            fence(Ordering::SeqCst);
        }
        let b_seen = b.load(load);
        let a_seen = other.join().unwrap();
        invariant("one thread sees the other's flag", true, a_seen || b_seen);
    })
}

fn trace_of(body: &Body, e: &racebook_check::engines::Exploration) -> Trace {
    let found = e.found.as_ref().expect("a failure");
    tracebuild::record_trace("t", "v", body, found, None, &budgets()).expect("replays")
}

#[test]
fn store_buffering_with_release_and_acquire_fails_under_loom_only() {
    let body = store_buffering(Ordering::Release, Ordering::Acquire, false);
    let dfs = search::dfs(&body, &budgets());
    assert!(
        dfs.found.is_none() && dfs.exhaustive,
        "shuttle runs every access SeqCst"
    );
    let loom = search::loom(&body, &budgets(), None);
    assert!(loom.undecided.is_none());
    let trace = trace_of(&body, &loom);
    // Both loads read the initial value although the other thread's store ran before them.
    let loads: Vec<_> = trace.steps.iter().filter(|s| s.op == Op::Load).collect();
    assert_eq!(loads.len(), 2);
    assert!(
        loads.iter().all(|l| l.reads_initial && !l.reads_from_guess),
        "{}",
        trace.to_json_pretty()
    );
}

#[test]
fn store_buffering_with_seqcst_accesses_is_not_decided_by_loom_but_by_shuttle() {
    let body = store_buffering(Ordering::SeqCst, Ordering::SeqCst, false);
    let s = search::search(
        racebook_check::scenario::Shape::Threads,
        &body,
        &budgets(),
        &[EngineKind::Shuttle, EngineKind::Loom],
    );
    assert!(s.shown.is_none(), "no false red");
    let loom = s
        .explorations
        .iter()
        .find(|e| e.engine == EngineKind::Loom)
        .unwrap();
    let u = loom.undecided.as_ref().expect("loom cannot decide it");
    assert!(u.why.contains("issue 180"), "{}", u.why);
    assert!(
        u.decided_by.is_some(),
        "all SeqCst, no cells: shuttle decides"
    );
    assert!(s.exhaustive());
}

#[test]
fn store_buffering_with_seqcst_fences_is_proved_by_loom_and_needs_them() {
    let body = store_buffering(Ordering::Relaxed, Ordering::Relaxed, true);
    let loom = search::loom(&body, &budgets(), None);
    assert!(loom.found.is_none() && loom.exhaustive && loom.undecided.is_none());
    assert!(
        loom.notes.iter().any(|n| n.contains("fence(SeqCst)")),
        "{:?}",
        loom.notes
    );
}

#[test]
fn a_seqcst_store_with_an_acquire_load_is_a_real_failure() {
    let body = store_buffering(Ordering::SeqCst, Ordering::Acquire, false);
    let loom = search::loom(&body, &budgets(), None);
    assert!(loom.found.is_some(), "{:?}", loom.undecided);
}

/// A claim made with one weak compare-exchange and no retry: a spurious failure makes the
/// only claimant give up.
fn claim_once() {
    let slot = Arc::new(AtomicU64::named("slot", 0));
    let s2 = slot.clone();
    let t = thread::spawn_named("claimer", move || {
        s2.compare_exchange_weak(0, 1, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    });
    let claimed = t.join().unwrap();
    invariant("the free slot is claimed", true, claimed);
}

#[test]
fn a_spurious_failure_is_explored_by_both_exhaustive_searches_and_replays() {
    let body: Body = StdArc::new(claim_once);
    for e in [
        search::dfs(&body, &budgets()),
        search::loom(&body, &budgets(), None),
    ] {
        let found = e.found.as_ref().unwrap_or_else(|| panic!("{e:?}"));
        assert_eq!(found.spurious, Some(1), "{:?}", e.engine);
        let trace = trace_of(&body, &e);
        assert_eq!(trace.schedule.spurious_failure, Some(1));
        let cas = trace.steps.iter().find(|s| s.op == Op::CasFailed).unwrap();
        assert_eq!(
            (cas.value.as_deref(), cas.previous.as_deref()),
            (Some("0"), Some("0"))
        );
    }
}

#[test]
fn a_retry_loop_passes_with_the_bound_stated() {
    let body: Body = StdArc::new(|| {
        let n = Arc::new(AtomicU64::named("n", 0));
        let n2 = n.clone();
        let t = thread::spawn_named("adder", move || {
            n2.fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| Some(v + 1))
                .unwrap();
        });
        n.fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| Some(v + 2))
            .unwrap();
        t.join().unwrap();
        invariant("both added", 3, n.load(Ordering::Acquire));
    });
    for e in [
        search::dfs(&body, &budgets()),
        search::loom(&body, &budgets(), None),
    ] {
        assert!(e.found.is_none() && e.exhaustive, "{e:?}");
        assert!(
            e.bound.as_deref().unwrap_or("").contains("spurious"),
            "{:?}",
            e.bound
        );
    }
}
