//! The maintainers' proofs for this exercise (run by the root test command).

use ex08_refcount::exercise;
use racebook_check::search;
use racebook_workbook::{EngineKind, verify};
use std::path::Path;

fn dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_broken_version_is_caught_by_loom() {
    let caught = verify::all_broken_caught(&exercise()).unwrap();
    assert_eq!(caught, 2, "broken and broken_drop, each by loom");
}

/// The chapter's contrast, as a fact: shuttle runs every atomic as sequentially consistent and
/// checks no cell, so its exhaustive search passes both broken handles that loom rejects.
#[test]
fn shuttle_passes_both_broken_handles_and_loom_does_not() {
    let ex = exercise();
    for name in ["broken", "broken_drop"] {
        let v = ex.variant(name).unwrap();
        let dfs = search::dfs(&v.scenario(), &ex.budgets);
        assert!(
            dfs.found.is_none() && dfs.exhaustive,
            "{name}: shuttle DFS {dfs:?}"
        );
        let loom = search::loom(&v.scenario(), &ex.budgets, None);
        assert!(loom.found.is_some(), "{name}: loom finds the data race");
    }
}

/// The reports name the missing edge: the write and the read of the count (steps, values,
/// orderings), and the half of the handshake that is not there.
#[test]
fn the_reports_name_the_count_write_and_read_that_missed_their_edge() {
    let ex = exercise();
    let (_, trace) = verify::caught_by(&ex, "broken", EngineKind::Loom).unwrap();
    let why = trace.conflict.expect("a conflicting pair").why;
    for phrase in [
        "main loaded batch.count = 1 (step 9), the value flusher wrote at step 7.",
        "flusher updated it with Release, but main loaded it Relaxed",
        "Make step 9 an Acquire, or put fence(Acquire) after it, before step 10.",
    ] {
        assert!(why.contains(phrase), "{phrase:?} not in: {why}");
    }
    let (_, trace) = verify::caught_by(&ex, "broken_drop", EngineKind::Loom).unwrap();
    let why = trace.conflict.expect("a conflicting pair").why;
    for phrase in [
        "archiver's update of errors.count (step 21) read 1, the value main wrote at step 17.",
        "main updated it Relaxed and archiver updated it Relaxed: neither half",
    ] {
        assert!(why.contains(phrase), "{phrase:?} not in: {why}");
    }
    assert!(!why.contains("best guess"), "an RMW chain is exact: {why}");
}

/// Each fix passes every schedule of both engines, with no bound on loom's search (every
/// interleaving and every value each Relaxed or Acquire read may see).
#[test]
fn every_fix_is_proved_exhaustively_and_stays_concurrent() {
    let proved = verify::all_fixes_proved(&exercise()).unwrap();
    let names: Vec<&str> = proved.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["fixed_acquire", "fixed_fence"]);
    for (name, s) in &proved {
        let loom = s
            .explorations
            .iter()
            .find(|e| e.engine == EngineKind::Loom)
            .unwrap_or_else(|| panic!("{name}: no loom search"));
        assert!(loom.exhaustive, "{name}: {loom:?}");
        assert_eq!(loom.bound.as_deref(), Some("no preemption bound"), "{name}");
        assert!(loom.undecided.is_none(), "{name}: {:?}", loom.undecided);
    }
}

#[test]
fn every_stored_schedule_replays_its_failure_1000_times_out_of_1000() {
    let files = verify::schedule_files(dir());
    assert_eq!(files.len(), 2, "expected stored schedules, found {files:?}");
    for f in files {
        assert_eq!(verify::replays(&exercise(), &f, 1000).unwrap(), 1000);
    }
}

#[test]
fn the_learners_file_starts_as_the_broken_version() {
    verify::learner_pristine(dir()).unwrap();
}

/// Every wrong fix in `wrong/` is rejected, and the report names the count's write and read,
/// and the half of the handshake that is missing.
#[test]
fn every_wrong_fix_is_rejected_with_a_diagnosis() {
    use racebook_workbook::outcome::Status::Red;
    let race = "no data race";
    let checked = verify::wrong_fixes_rejected(
        &exercise(),
        &[
            (
                "latest_value_relaxed",
                Red,
                &[
                    race,
                    "flusher updated it with Release, but main updated it Relaxed",
                    "reading the latest value is not acquiring it",
                ],
            ),
            (
                "seqcst_writes",
                Red,
                &[
                    race,
                    "flusher updated it with SeqCst, but main loaded it Relaxed",
                ],
            ),
            (
                "relaxed_decrement",
                Red,
                &[
                    race,
                    "archiver put fence(Acquire) at step 23 after that read, but main updated it \
                     Relaxed",
                ],
            ),
            (
                "free_without_fence",
                Red,
                &[
                    race,
                    "main updated it with Release, but archiver updated it Release",
                ],
            ),
            (
                "fence_before_decrement",
                Red,
                &[race, "a fence acquires only what the thread read before it"],
            ),
        ],
    )
    .unwrap();
    assert_eq!(checked, 5);
}
