//! A deadlock is explained by its locks: a thread that asks again for a lock it holds gets the
//! "not reentrant" explanation (whether the engine unwound its guard or left it held), and any
//! other deadlock gets no data-conflict sentence, which would point at unrelated steps.

use racebook_trace::{
    Access, Blocked, EngineKind, Failure, FailureKind, ObjectInfo, ObjectKind, Op, ScheduleRef,
    SourceLoc, Step, ThreadInfo, Trace, find_conflict,
};

fn at(line: u32) -> SourceLoc {
    SourceLoc {
        file: "src/handler.rs".into(),
        line,
        column: 9,
        text: None,
    }
}

fn step(thread: u32, op: Op, object: Option<u32>, line: u32) -> Step {
    let access = match op {
        Op::Lock => Some(Access::Read),
        Op::Unlock => Some(Access::Write),
        _ => None,
    };
    Step {
        index: 0,
        thread,
        op,
        object,
        value: Some("0".into()),
        previous: None,
        access,
        ordering: None,
        at: at(line),
        locks_held: Vec::new(),
        reads_from: None,
        reads_initial: false,
        reads_from_guess: false,
        other_thread: None,
        woken_by: None,
        branch: None,
    }
}

/// Threads `main`, `worker-a`, `worker-b`; locks `left`, `right`; a deadlock with `blocked`.
fn trace(steps: Vec<Step>, blocked: Vec<Blocked>) -> Trace {
    let steps: Vec<Step> = steps
        .into_iter()
        .enumerate()
        .map(|(i, s)| Step {
            index: i as u32,
            ..s
        })
        .collect();
    let thread = |id: u32, name: &str| ThreadInfo {
        id,
        name: name.into(),
        spawned_at: None,
        parent: None,
        kind: Default::default(),
        given_name: None,
    };
    let lock = |id: u32, name: &str| ObjectInfo {
        id,
        name: name.into(),
        kind: ObjectKind::Mutex,
        created_at: None,
        initial: Some("0".into()),
        given_name: None,
        created_by: None,
    };
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
        threads: vec![
            thread(0, "main"),
            thread(1, "worker-a"),
            thread(2, "worker-b"),
        ],
        objects: vec![lock(0, "left"), lock(1, "right")],
        failure: Some(Failure {
            kind: FailureKind::Deadlock,
            invariant: "no deadlock".into(),
            expected: None,
            observed: None,
            step: Some(steps.len() as u32 - 1),
            message: "every thread that has not finished is blocked".into(),
            blocked,
        }),
        steps,
        conflict: None,
    }
}

fn waits(thread: u32, object: u32, held_by: Option<u32>, line: u32) -> Blocked {
    Blocked {
        thread,
        waiting_for: Some(object),
        held_by,
        at: Some(at(line)),
        since: None,
        for_thread: None,
    }
}

#[test]
fn a_lock_taken_again_while_held_is_explained_even_after_the_engine_unwound_the_guard() {
    // worker-a takes left, asks for it again at line 30; the engine's panic unwinds the guard,
    // which records an unlock right before the panic step.
    let t = trace(
        vec![
            step(1, Op::Lock, Some(0), 20),
            step(1, Op::Unlock, Some(0), 20),
            step(1, Op::Panic, None, 1),
        ],
        vec![waits(1, 0, None, 30)],
    );
    let c = find_conflict(&t).expect("a self-deadlock is explained");
    assert_eq!((c.first, c.second, c.completes), (0, 0, None));
    assert!(
        c.why.starts_with(
            "worker-a took left at handler.rs:20 and asked for it again at handler.rs:30"
        ),
        "{}",
        c.why
    );
    assert!(c.why.contains("not reentrant"), "{}", c.why);
}

#[test]
fn a_lock_still_held_when_the_run_stopped_is_explained_too() {
    // loom's shape: the guard is never released, and the trace knows who holds the lock.
    let t = trace(
        vec![step(2, Op::Lock, Some(1), 20)],
        vec![waits(2, 1, Some(2), 31)],
    );
    let c = find_conflict(&t).expect("a self-deadlock is explained");
    assert!(c.why.contains("worker-b waits for itself"), "{}", c.why);
}

#[test]
fn a_lock_released_before_waiting_again_is_not_a_self_deadlock() {
    // worker-a released left for real and took right before it waited for left again; who
    // holds left was lost when worker-b's guard unwound, so only the steps can tell.
    let t = trace(
        vec![
            step(1, Op::Lock, Some(0), 20),
            step(1, Op::Unlock, Some(0), 20),
            step(2, Op::Lock, Some(0), 40),
            step(1, Op::Lock, Some(1), 21),
            step(1, Op::Panic, None, 1),
        ],
        vec![waits(1, 0, None, 22), waits(2, 1, Some(1), 41)],
    );
    assert_eq!(find_conflict(&t), None);
}

#[test]
fn locks_taken_in_opposite_orders_get_the_cycle_not_a_data_conflict_sentence() {
    // main wrote left before the workers started: a data pattern would pair it with
    // worker-a's lock of left, which has nothing to do with the deadlock. The two locks the
    // workers took, each the one the other waits for, are the pair.
    let t = trace(
        vec![
            step(0, Op::Lock, Some(0), 10),
            step(0, Op::Unlock, Some(0), 10),
            step(1, Op::Lock, Some(0), 20),
            step(2, Op::Lock, Some(1), 40),
        ],
        vec![waits(1, 1, Some(2), 21), waits(2, 0, Some(1), 41)],
    );
    let c = find_conflict(&t).expect("the cycle is explained");
    assert_eq!(c.kind, racebook_trace::ConflictKind::LockOrder);
    assert_eq!((c.first, c.second), (2, 3));
    assert!(
        c.why.contains("each holds what the other waits for"),
        "{}",
        c.why
    );
}
