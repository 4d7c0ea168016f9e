//! The maintainers' proofs for this exercise (run by the root test command).

use ex01_counter_map::exercise;
use racebook_workbook::verify;
use std::path::Path;

fn dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_broken_version_is_caught_by_each_engine_that_applies() {
    let caught = verify::all_broken_caught(&exercise()).unwrap();
    assert_eq!(
        caught, 3,
        "broken by shuttle and loom, broken_unsafe by loom"
    );
}

#[test]
fn every_fix_is_proved_exhaustively_and_stays_concurrent() {
    let proved = verify::all_fixes_proved(&exercise()).unwrap();
    let names: Vec<&str> = proved.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["fixed_lock", "fixed_channel"]);
}

#[test]
fn every_stored_schedule_replays_its_failure_1000_times_out_of_1000() {
    let files = verify::schedule_files(dir());
    assert!(
        files.len() >= 3,
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
    use ex01_counter_map::INVARIANT;
    use racebook_workbook::outcome::Status::{Red, Serialized};
    let checked = verify::wrong_fixes_rejected(
        &exercise(),
        &[
            (
                "released_too_early",
                Red,
                &[INVARIANT, "under one lock acquisition and wrote it"],
            ),
            (
                "wrong_lock",
                Red,
                &[
                    INVARIANT,
                    "Each call makes its own lock",
                    "update-lock-0 is taken only by worker-0",
                ],
            ),
            ("one_big_lock", Serialized, &["while holding counts"]),
            ("sleep_between", Red, &[INVARIANT, "a sleep orders nothing"]),
            ("one_at_a_time", Serialized, &["never overlapped"]),
            (
                "atomic_load_then_store",
                Red,
                &[INVARIANT, "two atomic operations, not one"],
            ),
        ],
    )
    .unwrap();
    assert_eq!(checked, 6);
}
