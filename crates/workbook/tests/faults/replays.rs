//! Stored schedules: one replayed on changed code, byte-identical traces, and seeds.

use super::*;

pub(crate) fn lost_update() {
    let m = Arc::new(Mutex::named("count", 0u32));
    let m2 = m.clone();
    let t = thread::spawn_named("worker", move || {
        let v = *m2.lock();
        *m2.lock() = v + 1;
    });
    let v = *m.lock();
    *m.lock() = v + 1;
    let _ = t.join();
    racebook_check::invariant("both increments land", 2, *m.lock());
}

/// The same increment, but with the worker doing its read twice: the code changed.
fn lost_update_edited() {
    let m = Arc::new(Mutex::named("count", 0u32));
    let m2 = m.clone();
    let t = thread::spawn_named("worker", move || {
        let _ = *m2.lock();
        let v = *m2.lock();
        *m2.lock() = v + 1;
    });
    let _ = t.join();
    let v = *m.lock();
    *m.lock() = v + 1;
    racebook_check::invariant("both increments land", 2, *m.lock());
}

#[test]
fn a_schedule_replayed_on_changed_code_says_it_belongs_to_an_older_version() {
    let ex = exercise(lost_update);
    let found = search::search(
        ex.shape,
        &ex.variants[0].scenario(),
        &ex.budgets,
        &[EngineKind::Shuttle],
    )
    .shown
    .unwrap()
    .found;
    assert!(matches!(found.schedule, SchedulePayload::Shuttle(_)));
    let edited = exercise(lost_update_edited);
    let err = tracebuild::record_trace(
        ex.slug,
        edited.variants[0].name,
        &edited.variants[0].scenario(),
        &found,
        None,
        &ex.budgets,
    )
    .unwrap_err();
    assert!(
        matches!(err, ReplayProblem::Stale | ReplayProblem::Different(_)),
        "{err:?}"
    );
    assert!(
        err.explain()
            .starts_with("this schedule belongs to an older version of the code"),
        "{}",
        err.explain()
    );
}

#[test]
fn the_same_schedule_gives_byte_identical_traces() {
    let ex = exercise(lost_update);
    let found = search::search(
        ex.shape,
        &ex.variants[0].scenario(),
        &ex.budgets,
        &[EngineKind::Shuttle],
    )
    .shown
    .unwrap()
    .found;
    let once = tracebuild::record_trace(
        ex.slug,
        ex.variants[0].name,
        &ex.variants[0].scenario(),
        &found,
        None,
        &ex.budgets,
    )
    .unwrap();
    let again = tracebuild::record_trace(
        ex.slug,
        ex.variants[0].name,
        &ex.variants[0].scenario(),
        &found,
        None,
        &ex.budgets,
    )
    .unwrap();
    assert_eq!(once.to_json_pretty(), again.to_json_pretty());
    assert!(once.steps.len() > 10);
}

#[test]
fn the_same_seed_finds_the_same_schedule() {
    let ex = exercise(lost_update);
    let a = search::pct(&(Arc::new(lost_update) as Body), &ex.budgets)
        .found
        .unwrap();
    let b = search::pct(&(Arc::new(lost_update) as Body), &ex.budgets)
        .found
        .unwrap();
    assert_eq!(a.schedule, b.schedule);
    assert_eq!(a.first_failure_at, b.first_failure_at);
}
