//! A run that waits for ever because both sides of a handshake read the other's flag too
//! early: the "why" names the load that missed a store, even when the loading thread ran on
//! after the step where the other blocked.

mod build;
use build::Build;
use racebook_trace::{Blocked, Failure, FailureKind, MemOrder, ObjectKind, Op, find_conflict};

#[test]
fn a_wait_for_ever_after_a_load_that_missed_a_store_names_both() {
    let mut b = Build::new(
        &["main", "sender"],
        &[
            ("message", ObjectKind::Atomic, "0"),
            ("wake_me", ObjectKind::Atomic, "false"),
        ],
    );
    b.atomic(0, Op::Store, 1, "true", MemOrder::Release);
    let first_look = b.atomic(0, Op::Load, 0, "0", MemOrder::Acquire);
    let park = b.step(0, Op::Block, 0, "parked", None);
    b.trace.steps[park as usize].object = None;
    b.atomic(1, Op::Store, 0, "7", MemOrder::Release);
    let late = b.atomic(1, Op::Load, 1, "false", MemOrder::Acquire);
    for s in [first_look, late] {
        b.trace.steps[s as usize].reads_initial = true;
    }
    b.trace.failure = Some(Failure {
        kind: FailureKind::Deadlock,
        invariant: "no deadlock".into(),
        expected: None,
        observed: None,
        step: Some(park),
        message: "main is parked".into(),
        blocked: vec![Blocked {
            thread: 0,
            waiting_for: None,
            held_by: None,
            at: None,
            since: Some(park),
            for_thread: None,
        }],
    });
    let conflict = find_conflict(&b.trace).expect("a why");
    assert!(
        conflict
            .why
            .contains("sender loaded wake_me = false (step 5) after main had stored true (step 1)"),
        "{}",
        conflict.why
    );
}
