//! The maintainers' proofs for this exercise (run by the root test command).

use ex03_corrupt_json::exercise;
use racebook_workbook::verify;
use std::path::Path;

fn dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_broken_version_is_caught_by_shuttle() {
    let caught = verify::all_broken_caught(&exercise()).unwrap();
    assert_eq!(caught, 1, "broken by shuttle (loom cannot run async code)");
}

#[test]
fn both_fixes_are_proved_exhaustively_and_stay_concurrent() {
    let proved = verify::all_fixes_proved(&exercise()).unwrap();
    let names: Vec<&str> = proved.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["fixed_parts", "fixed_whole_part"]);
}

#[test]
fn every_stored_schedule_replays_its_failure_1000_times_out_of_1000() {
    let files = verify::schedule_files(dir());
    assert_eq!(
        files.len(),
        1,
        "expected one shuttle schedule, found {files:?}"
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
    use ex03_corrupt_json::INVARIANT;
    use racebook_workbook::outcome::Status::{Red, Serialized};
    let checked = verify::wrong_fixes_rejected(
        &exercise(),
        &[
            (
                "comma_released_too_early",
                Red,
                &[INVARIANT, "came back to it under a second lock acquisition"],
            ),
            (
                "wrong_lock",
                Red,
                &[
                    INVARIANT,
                    "Each call makes its own lock",
                    "every task that touches",
                ],
            ),
            (
                "lock_across_fetch",
                Serialized,
                &["does the `fetch` work while holding body"],
            ),
            (
                "one_task_at_a_time",
                Serialized,
                &["never overlapped", "orders-task and user-task"],
            ),
            (
                "sleep_before_orders",
                Red,
                &[INVARIANT, "a sleep orders nothing"],
            ),
        ],
    )
    .unwrap();
    assert_eq!(checked, 5);
}
