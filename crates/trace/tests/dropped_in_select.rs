//! A value lost with a `select!` branch, in a small trace: the diagnosis names it, the
//! independent check upholds it, and the check refuses each variation whose trace no longer
//! shows what the sentence says (the branch borrows its future, the select! chose the receiving
//! branch, it chose in between, the value is received again, it was received outside any
//! select!, the run got stuck instead).

mod build;

use build::{bare_step, branch, loc};
use racebook_trace::{
    Claim, EngineKind, Failure, FailureKind, ObjectInfo, ObjectKind, Op, ScheduleRef, SelectBranch,
    Step, ThreadInfo, Trace, UnitKind, confirm, conflict::diagnose, find_conflict,
};

const BATCHER: u32 = 1;
const ITEMS: u32 = 0;

fn step(index: u32, op: Op, value: Option<&str>, branch: Option<SelectBranch>) -> Step {
    Step {
        object: (op == Op::Recv).then_some(ITEMS),
        value: value.map(Into::into),
        branch,
        ..bare_step(index, BATCHER, op)
    }
}

/// The batcher receives 1 inside `read_batch(&mut items)` (branch 0), the select! chooses the
/// flush (branch 1), then a new read receives 2 and wins; the check finds [2], not [1, 2].
fn dropped() -> Trace {
    let unit = |id: u32, name: &str| ThreadInfo {
        id,
        name: name.into(),
        spawned_at: None,
        parent: (id > 0).then_some(0),
        kind: UnitKind::Task,
        given_name: None,
    };
    let read = "read_batch(&mut items)";
    Trace {
        format: racebook_trace::TRACE_FORMAT.into(),
        version: racebook_trace::TRACE_VERSION,
        exercise: "test".into(),
        variant: "attempt".into(),
        found: None,
        schedule: ScheduleRef {
            engine: EngineKind::Shuttle,
            encoded: String::new(),
            preemptions: 0,
            spurious_failure: None,
        },
        threads: vec![unit(0, "main"), unit(BATCHER, "batcher")],
        objects: vec![ObjectInfo {
            id: ITEMS,
            name: "items".into(),
            kind: ObjectKind::Channel,
            created_at: Some(loc(10)),
            initial: None,
            given_name: None,
            created_by: Some(0),
        }],
        steps: vec![
            step(0, Op::Recv, Some("1"), branch(0, read)),
            step(1, Op::Select, Some("`&mut flush`"), branch(1, "&mut flush")),
            step(2, Op::Recv, Some("2"), branch(0, read)),
            step(3, Op::Select, Some("`read_batch`"), branch(0, read)),
        ],
        failure: Some(Failure {
            kind: FailureKind::Invariant,
            invariant: "every item received is written".into(),
            expected: Some("[1, 2]".into()),
            observed: Some("[2]".into()),
            step: Some(3),
            message: String::new(),
            blocked: Vec::new(),
        }),
        conflict: None,
    }
}

fn claim(t: &Trace) -> Claim {
    diagnose(t).into_iter().next().expect("a claim")
}

#[test]
fn a_value_dropped_with_its_branch_is_named_and_upheld() {
    let t = dropped();
    let c = claim(&t);
    assert_eq!(c, Claim::DroppedInSelect { recv: 0, choice: 1 });
    confirm(&t, &c).expect("upheld");
    let why = find_conflict(&t).expect("a conflict").why;
    for words in [
        "batcher received 1 from items at step 1",
        "inside `read_batch(&mut items)`",
        "at step 2, the select! chose `&mut flush` instead",
        "no later step of batcher receives 1 from items again",
    ] {
        assert!(why.contains(words), "missing `{words}` in: {why}");
    }
}

#[test]
fn the_check_refuses_a_dropped_value_the_trace_does_not_show() {
    let c = claim(&dropped());
    let refused = |change: &dyn Fn(&mut Trace), why: &str| {
        let mut t = dropped();
        change(&mut t);
        let err = confirm(&t, &c).expect_err(why);
        assert!(!err.is_empty(), "{why}");
    };
    refused(
        &|t| t.steps[0].branch = branch(0, "&mut read"),
        "the branch borrows its future",
    );
    refused(
        &|t| t.steps[0].branch = branch(0, "read.as_mut()"),
        "the branch borrows its pinned future",
    );
    refused(
        &|t| t.steps[1].branch = branch(0, "read_batch(&mut items)"),
        "the select! chose the receiving branch",
    );
    refused(
        &|t| t.steps[2].value = Some("1".into()),
        "the value is received again",
    );
    refused(
        &|t| t.steps[0].branch = None,
        "received outside any select!",
    );
    refused(
        &|t| t.failure.as_mut().unwrap().kind = FailureKind::Deadlock,
        "the run got stuck",
    );
    // The receiving branch won at step 2 (index 1) before another was chosen at step 4.
    let mut t = dropped();
    t.steps[1].branch = branch(0, "read_batch(&mut items)");
    t.steps[3].branch = branch(1, "&mut flush");
    let later = Claim::DroppedInSelect { recv: 0, choice: 3 };
    let err = confirm(&t, &later).expect_err("the branch finished first");
    assert!(err.contains("made a choice between"), "{err}");
}

#[test]
fn a_borrowed_branch_or_a_value_received_again_is_not_claimed() {
    let mut t = dropped();
    t.steps[0].branch = branch(0, "&mut read");
    t.steps[2].branch = branch(0, "&mut read");
    t.steps[3].branch = branch(0, "&mut read");
    assert!(
        !diagnose(&t)
            .iter()
            .any(|c| matches!(c, Claim::DroppedInSelect { .. })),
        "a borrowed future is not dropped by the select!"
    );
    let mut t = dropped();
    t.steps[2].value = Some("1".into());
    assert!(
        !diagnose(&t)
            .iter()
            .any(|c| matches!(c, Claim::DroppedInSelect { .. })),
        "a value received again was not lost"
    );
}
