//! The maintainers' proofs for this exercise (run by the root test command).

use ex09_aba_stack::exercise;
use racebook_trace::{Claim, confirm};
use racebook_workbook::{EngineKind, verify};
use std::path::Path;

fn dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_broken_pool_is_caught_by_both_engines() {
    let caught = verify::all_broken_caught(&exercise()).unwrap();
    assert_eq!(caught, 2, "broken, by shuttle and by loom");
}

/// The report names the reused buffer: the top that left and came back, the stale link, and
/// what the pool lost. The claim is confirmed, and refused when its steps are moved.
#[test]
fn the_report_names_the_buffer_that_came_back_and_the_stale_link() {
    let ex = exercise();
    let (_, trace) = verify::caught_by(&ex, "broken", EngineKind::Shuttle).unwrap();
    let observed = trace.failure.as_ref().and_then(|f| f.observed.clone());
    assert_eq!(
        observed.as_deref(),
        Some("the pool lent B to main while main still held it")
    );
    let conflict = trace.conflict.clone().expect("a conflicting pair");
    for phrase in [
        "main read head = A at step 3; then worker changed it to B (step 9) and later set it \
         back to A (step 15).",
        "At step 17 main updated head from A, the value it had read",
        "main had read A.next = B at step 4, but by step 17 worker had made it C (step 14)",
        "make head's value change every time head changes",
    ] {
        assert!(
            conflict.why.contains(phrase),
            "{phrase:?} not in: {}",
            conflict.why
        );
    }
    let claim = conflict.claims.first().expect("a claim").clone();
    let Claim::Aba {
        read,
        away,
        back,
        cas,
        stale,
    } = claim
    else {
        panic!("not an ABA claim: {claim:?}");
    };
    assert_eq!(confirm(&trace, &claim), Ok(()));
    // The same claim with the change back before the change away, or with a step of the
    // wrong thread, or with a link write that is main's own, is refused.
    let moved = [
        Claim::Aba {
            read,
            away: back,
            back: away,
            cas,
            stale,
        },
        Claim::Aba {
            read: away,
            away,
            back,
            cas,
            stale,
        },
        Claim::Aba {
            read,
            away,
            back,
            cas,
            stale: stale.map(|(l, _)| (l, cas)),
        },
    ];
    for bad in moved {
        assert!(confirm(&trace, &bad).is_err(), "confirmed: {bad:?}");
    }
}

/// Each wrong fix is rejected; the reports name the ABA on `head` (the tag that never counts
/// shows its tag unchanged; the one-bit tag shows it wrapped back) or the buffer lent twice.
#[test]
fn every_wrong_fix_is_rejected_with_a_diagnosis() {
    use racebook_workbook::outcome::Status::Red;
    let aba = "judged by its value alone, head had not changed";
    let checked = verify::wrong_fixes_rejected(
        &exercise(),
        &[
            ("seqcst_everywhere", Red, &[aba, "(SeqCst)"]),
            (
                "check_head_twice",
                Red,
                &[aba, "a second look sees nothing either"],
            ),
            ("reread_next", Red, &[aba]),
            (
                "tag_never_bumped",
                Red,
                &[aba, "changed it to B (tag 0)", "back to A (tag 0)"],
            ),
            (
                "one_bit_tag",
                Red,
                &[
                    aba,
                    "back to A (bit 0)",
                    "the pool lent B to main while main still held it",
                ],
            ),
        ],
    )
    .unwrap();
    assert_eq!(checked, 5);
}

/// The tagged fix passes shuttle's search and loom's, neither with a preemption bound: every
/// interleaving and every value each Relaxed or Acquire read may see.
#[test]
fn the_tagged_fix_is_proved_and_stays_concurrent() {
    let proved = verify::all_fixes_proved(&exercise()).unwrap();
    let names: Vec<&str> = proved.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["fixed_tag"]);
    for (name, s) in &proved {
        let loom = s
            .explorations
            .iter()
            .find(|e| e.engine == EngineKind::Loom)
            .unwrap_or_else(|| panic!("{name}: no loom search"));
        assert!(loom.exhaustive, "{name}: {loom:?}");
        assert_eq!(loom.bound.as_deref(), Some("no preemption bound"), "{name}");
        let dfs = s
            .explorations
            .iter()
            .find(|e| e.engine == EngineKind::Shuttle && e.exhaustive)
            .unwrap_or_else(|| panic!("{name}: no exhaustive shuttle search"));
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
    // shuttle's schedule and loom's path, each replayed on the broken version.
    assert_eq!(files.len(), 2, "expected stored schedules, found {files:?}");
    for f in files {
        assert_eq!(verify::replays(&exercise(), &f, 1000).unwrap(), 1000);
    }
}

#[test]
fn the_learners_file_starts_as_the_broken_version() {
    verify::learner_pristine(dir()).unwrap();
}
