//! The maintainers' proofs for this exercise (run by the root test command).

use ex10_futurelock::exercise;
use racebook_workbook::verify;
use std::path::Path;

fn dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_broken_version_is_caught_by_shuttle() {
    let caught = verify::all_broken_caught(&exercise()).unwrap();
    assert_eq!(caught, 1, "broken by shuttle (loom has no async executor)");
}

#[test]
fn both_fixes_are_proved_exhaustively() {
    let proved = verify::all_fixes_proved(&exercise()).unwrap();
    let names: Vec<&str> = proved.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["fixed_spawn", "fixed_lock_after_recv"]);
}

#[test]
fn every_stored_schedule_replays_its_failure_1000_times_out_of_1000() {
    let files = verify::schedule_files(dir());
    assert_eq!(
        files.len(),
        1,
        "expected a shuttle schedule, found {files:?}"
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
    use ex10_futurelock::{EVERY_BEAT, INVARIANT};
    use racebook_workbook::outcome::Status::Red;
    const FUTURELOCK: &[&str] = &[
        "· deadlock",
        "poller waits for cache",
        "held by a future of poller itself",
        "a futurelock",
    ];
    let checked = verify::wrong_fixes_rejected(
        &exercise(),
        &[
            ("biased_select", Red, FUTURELOCK),
            ("longer_heartbeat", Red, FUTURELOCK),
            ("yield_before_lock", Red, FUTURELOCK),
            ("drop_refresh", Red, &[INVARIANT]),
            ("timeout_on_lock", Red, &[EVERY_BEAT]),
        ],
    )
    .unwrap();
    assert_eq!(checked, 5);
}
