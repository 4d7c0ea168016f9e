//! The maintainers' proofs for this exercise (run by the root test command).

use ex05_two_pods::exercise;
use racebook_check::search;
use racebook_workbook::{EngineKind, verify};
use std::path::Path;

fn dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_broken_service_is_caught_by_shuttle_and_loom_is_reported_not_applicable() {
    let ex = exercise();
    assert_eq!(verify::all_broken_caught(&ex).unwrap(), 1);
    let broken = ex.variant("broken").unwrap();
    let s = search::search(ex.shape, &broken.scenario(), &ex.budgets, ex.engines());
    assert!(s.failed());
    assert!(
        s.explorations
            .iter()
            .all(|e| e.engine == EngineKind::Shuttle),
        "only shuttle runs async code"
    );
    let s = search::search(
        ex.shape,
        &broken.scenario(),
        &ex.budgets,
        &[EngineKind::Shuttle, EngineKind::Loom],
    );
    assert_eq!(s.not_applicable.len(), 1, "loom is named, not skipped");
    assert_eq!(s.not_applicable[0].engine, EngineKind::Loom);
}

/// The report names the cause: one pod checked for the customer, the other created it before
/// the first pod's create, which then saw a customer its check had not.
#[test]
fn the_report_names_the_check_the_other_pod_invalidated() {
    let (found, trace) = verify::caught_by(&exercise(), "broken", EngineKind::Shuttle).unwrap();
    let observed = found.failure.observed.unwrap_or_default();
    assert!(observed.contains("token((nothing)#0)"), "{observed}");
    let why = trace.conflict.expect("a conflicting pair").why;
    assert!(why.contains("checked customers"), "{why}");
}

#[test]
fn every_fix_is_proved_exhaustively_and_stays_concurrent() {
    let proved = verify::all_fixes_proved(&exercise()).unwrap();
    let names: Vec<&str> = proved.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["fixed_get_or_create", "fixed_fail_fast"]);
}

#[test]
fn every_stored_schedule_replays_its_failure_1000_times_out_of_1000() {
    let files = verify::schedule_files(dir());
    assert!(!files.is_empty(), "expected stored schedules");
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
    use ex05_two_pods::INVARIANT;
    use racebook_workbook::outcome::Status::Red;
    let checked = verify::wrong_fixes_rejected(
        &exercise(),
        &[
            (
                "retry_create",
                Red,
                &[
                    INVARIANT,
                    "pod-b checked customers ({})",
                    "out of date when it acted",
                ],
            ),
            (
                "pod_lock",
                Red,
                &[
                    INVARIANT,
                    "Each call makes its own pod-registration-lock",
                    "pod-registration-lock#1 is taken only by pod-",
                ],
            ),
            (
                "check_twice",
                Red,
                &[INVARIANT, "a second check narrows the window"],
            ),
            (
                "sleep_then_recheck",
                Red,
                &[
                    INVARIANT,
                    "a sleep orders nothing",
                    "a second check narrows",
                ],
            ),
            // A panic names itself instead of the invariant.
            (
                "panic_on_nothing",
                Red,
                &[
                    "no panic: the store created the customer",
                    "out of date when it acted",
                ],
            ),
        ],
    )
    .unwrap();
    assert_eq!(checked, 5);
}
