//! The maintainers' proofs for this exercise (run by the root test command).

use ex11_cancel_batch::exercise;
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
    assert_eq!(names, ["fixed_pending_in_batcher", "fixed_pinned"]);
    // With no preemption bound: every distinct ordering of the shared steps.
    for (name, s) in &proved {
        let dfs = s
            .explorations
            .iter()
            .find(|e| !e.sampled() && e.exhaustive)
            .unwrap_or_else(|| panic!("{name}: no exhaustive search"));
        assert!(
            !dfs.bound
                .as_deref()
                .is_some_and(|b| b.contains("preemption")),
            "{name}: {:?}",
            dfs.bound
        );
    }
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

/// The report names the receive that the `select!` dropped, and the branch that won instead.
#[test]
fn the_report_names_the_item_dropped_with_its_branch() {
    // The learner's check, run on the broken version: red, with the targeted explanation.
    let r = verify::wrong_fix_rejected(&exercise(), "broken").unwrap();
    for words in DROPPED {
        assert!(
            r.report.contains(words),
            "missing `{words}` in:\n{}",
            r.report
        );
    }
}

const DROPPED: &[&str] = &[
    "batcher received 1 from items",
    "a branch of the select!",
    "the select! chose `&mut flush` instead",
    "no later step of batcher receives 1 from items again",
];

/// Every wrong fix in `wrong/` is rejected, and the report says which item was lost.
#[test]
fn every_wrong_fix_is_rejected_with_a_diagnosis() {
    use ex11_cancel_batch::INVARIANT;
    use racebook_workbook::outcome::Status::Red;
    const LOST: &[&str] = &[INVARIANT, "expected [1, 2], observed [2]"];
    let dropped: Vec<&str> = LOST.iter().chain(DROPPED).copied().collect();
    let checked = verify::wrong_fixes_rejected(
        &exercise(),
        &[
            ("biased_select", Red, &dropped),
            ("longer_flush", Red, &dropped),
            ("timeout_read", Red, LOST),
            ("pin_in_loop", Red, LOST),
            ("take_pending", Red, &dropped),
        ],
    )
    .unwrap();
    assert_eq!(checked, 5);
}
