//! The maintainers' proofs for this exercise (run by the root test command).

use ex04_metrics_ring::exercise;
use racebook_engine::search;
use racebook_workbook::{EngineKind, verify};
use std::path::Path;

fn dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_broken_version_is_caught_by_each_engine_that_applies() {
    let caught = verify::all_broken_caught(&exercise()).unwrap();
    assert_eq!(
        caught, 5,
        "broken by shuttle and loom; broken_relaxed, broken_unsafe and broken_durations by loom"
    );
}

/// The chapter's contrast, as a fact: shuttle runs every atomic as sequentially consistent, so
/// its exhaustive search passes the `Relaxed` publish that loom rejects.
#[test]
fn shuttle_proves_the_relaxed_publish_correct_and_loom_does_not() {
    let ex = exercise();
    let relaxed = ex.variant("broken_relaxed").unwrap();
    let dfs = search::dfs(&relaxed.scenario(), &ex.budgets);
    assert!(
        dfs.found.is_none() && dfs.exhaustive,
        "shuttle DFS: {dfs:?}"
    );
    let loom = search::loom(&relaxed.scenario(), &ex.budgets, None);
    let found = loom.found.expect("loom finds the stale read");
    assert_eq!(found.failure.invariant, ex04_metrics_ring::NO_STALE_LAP);
}

/// The report names the cause of each failure: the dashboard reading the new minute's bucket
/// before the rotator cleared it (the publish-then-zero order), and the clear the dashboard
/// never saw (the `Relaxed` publish).
#[test]
fn the_reports_name_the_clear_that_came_too_late_or_was_not_seen() {
    let ex = exercise();
    let (_, early) = verify::caught_by(&ex, "broken", EngineKind::Shuttle).unwrap();
    let why = early.conflict.expect("a conflicting pair").why;
    assert!(
        why.contains("dashboard read bucket[1] (9) at step")
            && why
                .contains("it was published too early: write bucket[1] first, then publish index"),
        "{why}"
    );
    let (_, stale) = verify::caught_by(&ex, "broken_relaxed", EngineKind::Loom).unwrap();
    let why = stale.conflict.expect("a conflicting pair").why;
    assert!(
        why.contains("dashboard loaded bucket[1] = 9 (step")
            && why.contains("after rotator had stored 0 (step"),
        "{why}"
    );
}

/// Every fix passes shuttle's search and loom's, neither with a preemption bound.
#[test]
fn every_fix_is_proved_exhaustively_and_stays_concurrent() {
    let proved = verify::all_fixes_proved(&exercise()).unwrap();
    let names: Vec<&str> = proved.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["fixed_acquire_release", "fixed_seqcst", "fixed_durations"]
    );
    for (name, s) in &proved {
        for e in s.explorations.iter().filter(|e| e.exhaustive) {
            assert!(
                !e.bound.as_deref().is_some_and(|b| b.contains("at most")),
                "{name}: {:?} searched with {:?}",
                e.engine,
                e.bound
            );
        }
        assert!(
            s.explorations
                .iter()
                .any(|e| e.engine == EngineKind::Shuttle && e.exhaustive),
            "{name}: no exhaustive shuttle search"
        );
    }
}

#[test]
fn every_stored_schedule_replays_its_failure_1000_times_out_of_1000() {
    let files = verify::schedule_files(dir());
    assert!(
        files.len() >= 5,
        "expected stored schedules, found {files:?}"
    );
    for f in files {
        assert_eq!(verify::replays(&exercise(), &f, 1000).unwrap(), 1000);
    }
}

#[test]
fn the_learners_file_starts_as_the_broken_version() {
    verify::learner_pristine(dir()).unwrap();
}

/// Every wrong fix in `wrong/` is rejected, and the report says what is wrong with it: which
/// invariant broke, under which interleaving, and for a known pattern the targeted explanation.
#[test]
fn every_wrong_fix_is_rejected_with_a_diagnosis() {
    use ex04_metrics_ring::NO_STALE_LAP;
    use racebook_workbook::outcome::Status::Red;
    let checked = verify::wrong_fixes_rejected(
        &exercise(),
        &[
            (
                "zero_next_after_publish",
                Red,
                &[NO_STALE_LAP, "rotator published index = 1"],
            ),
            (
                "release_without_acquire",
                Red,
                &[
                    NO_STALE_LAP,
                    "but dashboard loaded it Relaxed: a Release orders nothing",
                ],
            ),
            (
                "acquire_without_release",
                Red,
                &[
                    NO_STALE_LAP,
                    "but rotator stored it Relaxed: an Acquire load synchronizes only",
                ],
            ),
            (
                "rotator_lock_only",
                Red,
                &[
                    NO_STALE_LAP,
                    "The lock rotating is only ever taken by rotator",
                ],
            ),
            (
                "sleep_in_snapshot",
                Red,
                &[NO_STALE_LAP, "a sleep orders nothing"],
            ),
        ],
    )
    .unwrap();
    assert_eq!(checked, 5);
}
