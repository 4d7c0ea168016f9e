//! The maintainers' proofs for this exercise (run by the root test command).

use ex06_flush_janitor::exercise;
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
    assert_eq!(names, ["fixed_order", "fixed_snapshot"]);
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
    use ex06_flush_janitor::INVARIANT;
    use racebook_workbook::outcome::Status::{Red, Serialized};
    let checked = verify::wrong_fixes_rejected(
        &exercise(),
        &[
            // The retry never has to succeed: the run goes on until the step budget stops it.
            (
                "try_lock_retry",
                Red,
                &[
                    "· did not terminate",
                    "it did not finish within the step budget",
                    "Every try_lock of pool failed because flush held it",
                ],
            ),
            (
                "sleep_first",
                Red,
                &[
                    "· deadlock",
                    "each holds what the other waits for",
                    "a sleep orders nothing",
                ],
            ),
            // No schedule deadlocks, and the inversion is still reported, with its gate.
            (
                "gate_lock",
                Red,
                &[
                    "· lock-order inversion",
                    "janitor takes `pending` (to read)",
                    "flush takes `pool`",
                    "also holds `gate`",
                ],
            ),
            (
                "read_twice",
                Red,
                &[
                    "· deadlock",
                    "janitor waits for pending, held by janitor itself",
                ],
            ),
            (
                "disk_under_lock",
                Serialized,
                &[INVARIANT, "janitor does the `disk` work while holding pool"],
            ),
        ],
    )
    .unwrap();
    assert_eq!(checked, 5);
}
