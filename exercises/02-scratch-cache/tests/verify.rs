//! The maintainers' proofs for this exercise (run by the root test command).

use ex02_scratch_cache::exercise;
use racebook_workbook::verify;
use std::path::Path;

fn dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_broken_version_is_caught_by_shuttle_and_by_loom() {
    let caught = verify::all_broken_caught(&exercise()).unwrap();
    assert_eq!(caught, 2, "broken by shuttle and by loom");
}

#[test]
fn both_fixes_are_proved_exhaustively_and_stay_concurrent() {
    let proved = verify::all_fixes_proved(&exercise()).unwrap();
    let names: Vec<&str> = proved.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["fixed_lock", "fixed_local"]);
}

#[test]
fn every_stored_schedule_replays_its_failure_1000_times_out_of_1000() {
    let files = verify::schedule_files(dir());
    assert_eq!(
        files.len(),
        2,
        "expected a shuttle and a loom schedule, found {files:?}"
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
    use ex02_scratch_cache::INVARIANT;
    use racebook_workbook::outcome::Status::{Red, Serialized};
    let checked = verify::wrong_fixes_rejected(
        &exercise(),
        &[
            (
                "released_too_early",
                Red,
                &[INVARIANT, "came back to it under a second lock acquisition"],
            ),
            (
                "wrong_lock",
                Red,
                &[
                    INVARIANT,
                    "Each call makes its own lock",
                    "draft-lock-1 is taken only by request-1",
                ],
            ),
            (
                "lookup_under_lock",
                Serialized,
                &["does the `lookup` work while holding scratch"],
            ),
            (
                "sleep_staggered",
                Red,
                &[INVARIANT, "a sleep orders nothing"],
            ),
            (
                "retry_if_not_mine",
                Red,
                &[INVARIANT, "trying again only narrows the window"],
            ),
            // A deadlock names what deadlocked instead of the invariant.
            (
                "guard_held_into_render",
                Red,
                &[
                    "· deadlock",
                    "a lock is not reentrant, so request-1 waits for itself",
                ],
            ),
        ],
    )
    .unwrap();
    assert_eq!(checked, 6);
}
