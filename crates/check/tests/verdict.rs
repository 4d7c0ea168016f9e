//! The verdict rule (DESIGN.md, "A verdict rule that respects a proof"): a threads scenario is
//! green when an engine whose model covers its operations proved it exhaustively and nothing
//! failed, even where another engine's search stopped at its budget; a proof by an engine whose
//! model covers less is not enough on its own.

use racebook_check::sync::atomic::{AtomicU64, Ordering};
use racebook_check::sync::{Arc, Condvar, Mutex};
use racebook_check::{Budgets, Check, invariant, thread};
use racebook_engine::report::{self, Style};
use racebook_engine::scenario::{Body, Shape};
use racebook_engine::search;
use racebook_trace::EngineKind;

const WORKERS: u64 = 2;

/// Exercise 01 fixed with a condvar instead of joins: main waits until a finished count, kept
/// under the same lock as the counts, reaches the number of workers. Correct, and its
/// depth-first space is large (every spurious wakeup of the wait loop is a branch).
fn condvar_wait_loop() {
    let state = Arc::new((Mutex::new((0u64, 0u64)), Condvar::new()));
    for _ in 0..WORKERS {
        let state = Arc::clone(&state);
        thread::spawn(move || {
            let (lock, done) = &*state;
            let mut s = lock.lock();
            s.0 += 1;
            s.1 += 1;
            done.notify_all();
        });
    }
    let (lock, done) = &*state;
    let mut s = lock.lock();
    while s.1 < WORKERS {
        s = done.wait(s);
    }
    invariant("every item is counted exactly once", WORKERS, s.0);
}

/// The budgets that make shuttle's depth-first search stop before it is done, leaving loom's
/// budget as it is.
fn dfs_cut() -> Budgets {
    Budgets {
        dfs_schedules: 50,
        ..Budgets::default()
    }
}

#[test]
fn loom_proof_is_green_where_dfs_stopped_at_its_budget() {
    let body: Body = Arc::new(condvar_wait_loop);
    let s = search::search(
        Shape::Threads,
        &body,
        &dfs_cut(),
        &[EngineKind::Shuttle, EngineKind::Loom],
    );
    assert!(
        !s.failed(),
        "{:?}",
        s.shown.map(|f| (f.discovered_by, f.found))
    );
    let dfs = s.explorations.iter().find(|e| e.strategy == "DFS").unwrap();
    assert!(
        !dfs.exhaustive && dfs.out_of_budget,
        "the DFS must stop: {dfs:?}"
    );
    let proof = s.proof().expect("loom's exhaustive search proves it");
    assert_eq!(proof.engine, EngineKind::Loom);
    let text = report::passing("ex", "“x” holds", "f.rs", &s, None, Style::default());
    assert!(text.starts_with("✓"), "{text}");
    assert!(text.contains("proved by loom: it explored every schedule (no preemption bound)"));
    let stopped = format!(
        "shuttle's DFS search stopped at its budget after {} schedules",
        dfs.schedules
    );
    assert!(text.contains(&stopped), "{text}");
    // The public check says the same: green.
    let checked = Check::new()
        .name("condvar wait loop")
        .budgets(dfs_cut())
        .run(condvar_wait_loop);
    assert!(checked.is_ok(), "{checked:?}");
}

/// Two deposits with a `Relaxed` read-modify-write: small enough for every engine to finish,
/// and with an ordering shuttle's sequentially consistent model does not cover.
fn two_deposits() {
    let balance = Arc::new(AtomicU64::new(0));
    let other = Arc::clone(&balance);
    let depositor = thread::spawn(move || {
        other.fetch_add(10, Ordering::Relaxed);
    });
    balance.fetch_add(10, Ordering::Relaxed);
    depositor.join().unwrap();
    invariant("both deposits count", 20, balance.load(Ordering::Relaxed));
}

#[test]
fn a_dfs_proof_alone_does_not_cover_what_loom_stopped_short_of() {
    // shuttle's model is sequentially consistent: with a Relaxed access its proof does not
    // cover the orderings loom explores, so loom stopping at its budget leaves the threads
    // scenario unproved.
    let cut = Budgets {
        loom_schedules: 1,
        ..Budgets::default()
    };
    let body: Body = Arc::new(two_deposits);
    let s = search::search(
        Shape::Threads,
        &body,
        &cut,
        &[EngineKind::Shuttle, EngineKind::Loom],
    );
    assert!(!s.failed());
    assert!(
        s.explorations
            .iter()
            .any(|e| e.strategy == "DFS" && e.exhaustive)
    );
    assert!(s.proof().is_none(), "{:?}", s.explorations);
    let text = report::passing("ex", "“x” holds", "f.rs", &s, None, Style::default());
    assert!(text.contains("not proved"), "{text}");
    let checked = Check::new().name("deposits").budgets(cut).run(two_deposits);
    assert!(checked.is_err());
    // With loom's budget as it is, both engines finish and it is green.
    assert!(
        Check::new()
            .name("deposits, whole")
            .run(two_deposits)
            .is_ok()
    );
}

/// The same deposits with `SeqCst` only: sequential consistency is then C11's own answer, so
/// shuttle's finished search covers the scenario where loom stopped.
fn two_seqcst_deposits() {
    let balance = Arc::new(AtomicU64::new(0));
    let other = Arc::clone(&balance);
    let depositor = thread::spawn(move || {
        other.fetch_add(10, Ordering::SeqCst);
    });
    balance.fetch_add(10, Ordering::SeqCst);
    depositor.join().unwrap();
    invariant("both deposits count", 20, balance.load(Ordering::SeqCst));
}

#[test]
fn a_dfs_proof_covers_code_whose_atomics_are_all_seqcst() {
    let cut = Budgets {
        loom_schedules: 1,
        ..Budgets::default()
    };
    let body: Body = Arc::new(two_seqcst_deposits);
    let s = search::search(
        Shape::Threads,
        &body,
        &cut,
        &[EngineKind::Shuttle, EngineKind::Loom],
    );
    assert!(!s.failed());
    let proof = s.proof().expect("shuttle's exhaustive search proves it");
    assert_eq!(proof.engine, EngineKind::Shuttle);
    let text = report::passing("ex", "“x” holds", "f.rs", &s, None, Style::default());
    assert!(text.contains("proved by shuttle"), "{text}");
    assert!(
        text.contains("loom's exhaustive search stopped at its budget"),
        "{text}"
    );
}
