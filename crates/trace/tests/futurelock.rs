//! A futurelock in a small trace: the diagnosis names it, the independent check upholds it, and
//! the check refuses each variation whose trace no longer shows what the sentence says (the
//! select! chose the taking branch itself, the lock was let go, a step was made in the taking
//! branch after the choice, the lock was taken outside any select!, or the waiter is not its own
//! holder).

mod build;

use build::{bare_step, branch, loc};
use racebook_trace::{
    Blocked, Claim, EngineKind, Failure, FailureKind, ObjectInfo, ObjectKind, Op, ScheduleRef,
    SelectBranch, Step, ThreadInfo, Trace, UnitKind, confirm, conflict::diagnose, find_conflict,
};

const POLLER: u32 = 1;
const CACHE: u32 = 0;

fn step(index: u32, op: Op, object: Option<u32>, branch: Option<SelectBranch>) -> Step {
    Step {
        object,
        branch,
        ..bare_step(index, POLLER, op)
    }
}

/// The poller takes `cache` inside `&mut refresh` (branch 0), waits for `updates` there, the
/// select! chooses the sleep (branch 1), and the poller asks for `cache` again and is stuck.
fn futurelock() -> Trace {
    let unit = |id: u32, name: &str| ThreadInfo {
        id,
        name: name.into(),
        spawned_at: None,
        parent: (id > 0).then_some(0),
        kind: UnitKind::Task,
        given_name: None,
    };
    let object = |id: u32, name: &str, kind| ObjectInfo {
        id,
        name: name.into(),
        kind,
        created_at: Some(loc(10 + id)),
        initial: None,
        given_name: None,
        created_by: Some(0),
    };
    let mut block = step(3, Op::Block, Some(CACHE), None);
    block.value = Some("lock".into());
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
        threads: vec![unit(0, "main"), unit(POLLER, "poller")],
        objects: vec![
            object(CACHE, "cache", ObjectKind::AsyncMutex),
            object(1, "updates", ObjectKind::Channel),
        ],
        steps: vec![
            step(0, Op::Lock, Some(CACHE), branch(0, "&mut refresh")),
            step(1, Op::Block, Some(1), branch(0, "&mut refresh")),
            step(2, Op::Select, None, branch(1, "sleep(HEARTBEAT)")),
            block,
        ],
        failure: Some(Failure {
            kind: FailureKind::Deadlock,
            invariant: "no deadlock".into(),
            expected: None,
            observed: None,
            step: Some(3),
            message: String::new(),
            blocked: vec![Blocked {
                thread: POLLER,
                waiting_for: Some(CACHE),
                held_by: Some(POLLER),
                at: Some(loc(37)),
                since: None,
                for_thread: None,
            }],
        }),
        conflict: None,
    }
}

fn claim(t: &Trace) -> Claim {
    diagnose(t).into_iter().next().expect("a claim")
}

#[test]
fn a_futurelock_is_named_and_upheld_with_the_branch_that_won() {
    let t = futurelock();
    let c = claim(&t);
    assert!(
        matches!(
            c,
            Claim::Futurelock {
                take: 0,
                choice: 2,
                ..
            }
        ),
        "{c:?}"
    );
    confirm(&t, &c).expect("upheld");
    let conflict = find_conflict(&t).expect("a conflict");
    let why = conflict.why;
    for words in [
        "poller took cache at step 1",
        "inside `&mut refresh`",
        "chose `sleep(HEARTBEAT)` instead",
        "This is a futurelock",
    ] {
        assert!(why.contains(words), "missing `{words}` in: {why}");
    }
}

#[test]
fn the_check_refuses_a_futurelock_the_trace_does_not_show() {
    let c = claim(&futurelock());
    let refused = |change: &dyn Fn(&mut Trace), why: &str| {
        let mut t = futurelock();
        change(&mut t);
        let err = confirm(&t, &c).expect_err(why);
        assert!(!err.is_empty(), "{why}");
    };
    refused(
        &|t| t.steps[2].branch = branch(0, "&mut refresh"),
        "the select! chose the taking branch",
    );
    refused(
        &|t| {
            t.steps[1].op = Op::Unlock;
            t.steps[1].object = Some(CACHE);
        },
        "the lock was let go",
    );
    refused(
        &|t| t.steps[3].branch = branch(0, "&mut refresh"),
        "a step in the taking branch after the choice",
    );
    refused(&|t| t.steps[0].branch = None, "taken outside any select!");
    refused(
        &|t| t.failure.as_mut().unwrap().blocked[0].held_by = Some(0),
        "held by another task",
    );
}
