//! The maintainers' proofs for this exercise (run by the root test command).

use ex12_store_buffering::exercise;
use racebook_check::search;
use racebook_workbook::{EngineKind, verify};
use std::path::Path;

fn dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_broken_version_is_caught_by_loom() {
    let caught = verify::all_broken_caught(&exercise()).unwrap();
    assert_eq!(caught, 1, "broken, by loom");
}

/// The chapter's contrast, as a fact: shuttle runs every atomic access in one order, so its
/// exhaustive search passes the broken channel that loom rejects.
#[test]
fn shuttle_passes_the_broken_channel_and_loom_does_not() {
    let ex = exercise();
    let v = ex.variant("broken").unwrap();
    let dfs = search::dfs(&v.scenario(), &ex.budgets);
    assert!(dfs.found.is_none() && dfs.exhaustive, "shuttle DFS {dfs:?}");
    let loom = search::loom(&v.scenario(), &ex.budgets, None);
    assert!(loom.found.is_some() && loom.undecided.is_none(), "{loom:?}");
}

/// The report names the store and the load: the receiver's second look returned the older
/// value although the sender's store had run, and nothing ordered the two.
#[test]
fn the_report_names_the_store_the_second_look_missed() {
    let (_, trace) = verify::caught_by(&exercise(), "broken", EngineKind::Loom).unwrap();
    let failure = trace.failure.as_ref().expect("a failure");
    assert!(failure.kind.is_stuck(), "{failure:?}");
    let why = trace.conflict.expect("a conflicting pair").why;
    for phrase in [
        "main loaded message = 0 (step 12) after sender had stored 7 (step 8)",
        "nothing made that store happen-before the load",
    ] {
        assert!(why.contains(phrase), "{phrase:?} not in: {why}");
    }
}

/// Each fix passes every schedule of both engines. The fences and the swaps are proved by loom
/// with no bound; the all-SeqCst fix is one loom's model cannot decide (it gives SeqCst loads
/// and stores no single order), and the report says so, and that shuttle's search decides it.
#[test]
fn every_fix_is_proved_and_the_seqcst_one_is_decided_by_shuttle() {
    let proved = verify::all_fixes_proved(&exercise()).unwrap();
    let names: Vec<&str> = proved.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["fixed_seqcst", "fixed_fences", "fixed_swaps"]);
    for (name, s) in &proved {
        let loom = s
            .explorations
            .iter()
            .find(|e| e.engine == EngineKind::Loom)
            .unwrap_or_else(|| panic!("{name}: no loom search"));
        assert_eq!(loom.bound.as_deref(), Some("no preemption bound"), "{name}");
        if name == "fixed_seqcst" {
            let u = loom.undecided.as_ref().expect("loom cannot decide it");
            assert!(u.why.contains("issue 180"), "{}", u.why);
            assert!(
                u.decided_by.is_some(),
                "every access SeqCst: shuttle decides"
            );
        } else {
            assert!(loom.exhaustive && loom.found.is_none(), "{name}: {loom:?}");
            assert!(loom.undecided.is_none(), "{name}: {:?}", loom.undecided);
        }
    }
}

#[test]
fn every_stored_schedule_replays_its_failure_1000_times_out_of_1000() {
    let files = verify::schedule_files(dir());
    assert_eq!(files.len(), 1, "expected loom's schedule, found {files:?}");
    for f in files {
        assert_eq!(verify::replays(&exercise(), &f, 1000).unwrap(), 1000);
    }
}

#[test]
fn the_learners_file_starts_as_the_broken_version() {
    verify::learner_pristine(dir()).unwrap();
}

/// Every wrong fix in `wrong/` is rejected: the receiver sleeps for ever, and the report names
/// the store its second look missed.
#[test]
fn every_wrong_fix_is_rejected_with_a_diagnosis() {
    use racebook_workbook::outcome::Status::Red;
    let parked = "main is parked";
    let missed = "nothing made that store happen-before the load";
    let checked = verify::wrong_fixes_rejected(
        &exercise(),
        &[
            ("seqcst_stores", Red, &[parked, missed]),
            ("seqcst_loads", Red, &[parked, missed]),
            ("receiver_fence_only", Red, &[parked, missed]),
            ("acqrel_fences", Red, &[parked, missed]),
            ("look_twice", Red, &[parked, missed]),
        ],
    )
    .unwrap();
    assert_eq!(checked, 5);
}
