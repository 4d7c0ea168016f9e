//! The maintainers' proofs for this exercise (run by the root test command).

use ex07_lost_wakeup::exercise;
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
    assert_eq!(names, ["fixed_lock_then_notify", "fixed_count_under_lock"]);
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

/// Every wrong fix in `wrong/` is rejected, and the report says what is wrong with it.
#[test]
fn every_wrong_fix_is_rejected_with_a_diagnosis() {
    use ex07_lost_wakeup::NO_READER_LEFT;
    use racebook_workbook::outcome::Status::Red;
    let checked = verify::wrong_fixes_rejected(
        &exercise(),
        &[
            (
                "sleep_before_notify",
                Red,
                &[
                    "· lost wakeup",
                    "receiver notified `slot_free` at step",
                    "a sleep orders nothing",
                ],
            ),
            (
                "notify_all",
                Red,
                &[
                    "· lost wakeup",
                    "before sender began to wait at step",
                    "notify_all does not change that",
                ],
            ),
            // No condvar and no yield: the step budget stops it, and says why.
            (
                "spin_no_yield",
                Red,
                &[
                    "· did not terminate",
                    "it did not finish within the step budget",
                    "never blocks or yields",
                    "receiver never ran",
                ],
            ),
            // A spurious wakeup, which the checkers explore, catches the `if`.
            (
                "if_not_while",
                Red,
                &[NO_READER_LEFT, "with no notify (a spurious wakeup"],
            ),
            (
                "notify_then_release",
                Red,
                &["· lost wakeup", "nothing notified it afterwards"],
            ),
        ],
    )
    .unwrap();
    assert_eq!(checked, 5);
}
