//! Learner faults get a clear report on every engine, within a budget, and never hang or abort
//! the test binary: deadlock, panic, a loop that never ends, a state space too large to exhaust,
//! a stale schedule, and shared state built outside the scenario.

use racebook_check::engines::SchedulePayload;
use racebook_check::scenario::Body;
use racebook_check::sync::atomic::{AtomicBool, Ordering};
use racebook_check::sync::{Arc, Mutex, RwLock};
use racebook_check::tracebuild::{self, ReplayProblem};
use racebook_check::{Budgets, EngineKind, search, thread};
use racebook_trace::FailureKind;
use racebook_workbook::{Exercise, Role, Shape, Variant};

fn exercise(body: fn()) -> Exercise {
    Exercise {
        slug: "test-faults",
        title: "faults",
        invariant: "nothing goes wrong",
        shape: Shape::Threads,
        concurrency: None,
        variants: vec![Variant {
            name: "attempt",
            role: Role::Learner,
            body,
            caught_by: &[],
        }],
        budgets: Budgets {
            pct_schedules: 200,
            ..Budgets::default()
        },
    }
}

/// Two threads take two locks in opposite orders.
fn deadlock() {
    let a = Arc::new(Mutex::named("left", 0));
    let b = Arc::new(Mutex::named("right", 0));
    let (a2, b2) = (a.clone(), b.clone());
    let t = thread::spawn_named("worker", move || {
        let _x = b2.lock();
        let _y = a2.lock();
    });
    {
        let _x = a.lock();
        let _y = b.lock();
    }
    let _ = t.join();
}

fn search_one(body: fn(), engine: EngineKind) -> search::Search {
    let ex = exercise(body);
    search::search(ex.shape, &ex.variants[0].scenario(), &ex.budgets, &[engine])
}

#[test]
fn a_deadlock_is_reported_as_a_deadlock_naming_who_waits_for_what() {
    let engines: Vec<EngineKind> = match std::env::var("ONLY").as_deref() {
        Ok("shuttle") => vec![EngineKind::Shuttle],
        Ok("loom") => vec![EngineKind::Loom],
        _ => vec![EngineKind::Shuttle, EngineKind::Loom],
    };
    for engine in engines {
        let s = search_one(deadlock, engine);
        let shown = s
            .shown
            .unwrap_or_else(|| panic!("{engine:?} missed the deadlock"));
        assert_eq!(
            shown.found.failure.kind,
            FailureKind::Deadlock,
            "{engine:?}"
        );
        let ex = exercise(deadlock);
        let trace = tracebuild::record_trace(
            ex.slug,
            ex.variants[0].name,
            &ex.variants[0].scenario(),
            &shown.found,
            None,
            &ex.budgets,
        )
        .unwrap();
        // The pair the report marks passes the independent check of a lock cycle; the same
        // steps claimed for a run that did not deadlock do not.
        let c = trace
            .conflict
            .clone()
            .expect("the two acquisitions are marked");
        assert_eq!(
            racebook_trace::confirm_lock_cycle(&trace, &c),
            Ok(()),
            "{engine:?}"
        );
        let mut no_deadlock = trace.clone();
        no_deadlock.failure.as_mut().unwrap().blocked.clear();
        assert!(racebook_trace::confirm_lock_cycle(&no_deadlock, &c).is_err());
        let f = trace.failure.unwrap();
        let waits: Vec<(String, String)> = f
            .blocked
            .iter()
            .map(|b| {
                (
                    trace.threads[b.thread as usize].name.clone(),
                    trace.objects[b.waiting_for.unwrap() as usize].name.clone(),
                )
            })
            .collect();
        if engine == EngineKind::Shuttle {
            // The facade finds the cycle at the lock that closes it and names all of it.
            let cycles = [
                "worker waits for left, held by main, which waits for right, held by worker",
                "main waits for right, held by worker, which waits for left, held by main",
            ];
            assert!(
                cycles.iter().any(|c| f.message == *c),
                "{engine:?}: {}",
                f.message
            );
            let stopped = &trace.steps[f.step.unwrap() as usize];
            assert_eq!(stopped.op, racebook_trace::Op::Panic);
            // The trace ends where the program would hang: both threads wait, locks held.
            assert_eq!(f.step.unwrap() as usize, trace.steps.len() - 1);
            assert!(
                waits.contains(&("main".into(), "right".into())),
                "{waits:?}"
            );
            assert!(
                waits.contains(&("worker".into(), "left".into())),
                "{waits:?}"
            );
            assert!(
                f.blocked
                    .iter()
                    .all(|b| b.held_by.is_some() && b.at.is_some())
            );
        } else {
            assert!(
                waits.contains(&("main".into(), "right".into())),
                "{engine:?}: {waits:?}"
            );
            assert!(
                waits.contains(&("worker".into(), "left".into())),
                "{engine:?}: {waits:?}"
            );
            assert!(
                f.blocked
                    .iter()
                    .all(|b| b.held_by.is_some() && b.at.is_some()),
                "{engine:?}"
            );
        }
    }
}

/// A thread asks again for a mutex it holds, while another thread needs it too.
fn relock() {
    let m = Arc::new(Mutex::named("cache", 0));
    let m2 = m.clone();
    let t = thread::spawn_named("worker", move || {
        *m2.lock() += 1;
    });
    {
        let _held = m.lock();
        let _again = m.lock();
    }
    let _ = t.join();
}

/// A writer waits for a reader, which waits for a mutex the writer holds.
fn reader_writer_cycle() {
    let table = Arc::new(RwLock::new(0));
    let log = Arc::new(Mutex::new(0));
    let (table2, log2) = (table.clone(), log.clone());
    let t = thread::spawn_named("reader", move || {
        let _r = table2.read();
        *log2.lock() += 1;
    });
    {
        let _l = log.lock();
        *table.write() += 1;
    }
    let _ = t.join();
}

/// Two readers overlap, each reading once.
fn readers_only() {
    let table = Arc::new(RwLock::new(0));
    let table2 = table.clone();
    let t = thread::spawn_named("reader", move || {
        let _a = table2.read();
        thread::yield_now();
    });
    let _b = table.read();
    thread::yield_now();
    drop(_b);
    let _ = t.join();
}

/// A thread reads a lock it is already reading: std allows this to deadlock.
fn reads_twice() {
    let table = RwLock::new(0);
    let _a = table.read();
    let _b = table.read();
}

/// The deadlock shuttle found through the facade's finder, with its trace.
fn shuttle_deadlock(body: fn()) -> racebook_trace::Trace {
    let s = search_one(body, EngineKind::Shuttle);
    let shown = s.shown.expect("shuttle finds the deadlock");
    assert_eq!(shown.found.failure.kind, FailureKind::Deadlock);
    let ex = exercise(body);
    tracebuild::record_trace(
        ex.slug,
        ex.variants[0].name,
        &ex.variants[0].scenario(),
        &shown.found,
        None,
        &ex.budgets,
    )
    .unwrap()
}

#[test]
fn a_thread_relocking_its_own_mutex_is_named_as_waiting_for_itself() {
    let trace = shuttle_deadlock(relock);
    let f = trace.failure.as_ref().unwrap();
    assert_eq!(f.message, "main waits for cache, held by main itself");
    // The trace ends where the program would hang, with the lock still held.
    assert_eq!(f.step.unwrap() as usize, trace.steps.len() - 1);
    assert_eq!(trace.steps.last().unwrap().op, racebook_trace::Op::Panic);
    let main_blocked = f
        .blocked
        .iter()
        .find(|b| b.thread == 0)
        .expect("main blocked");
    assert_eq!(main_blocked.held_by, Some(0));
    let conflict = trace.conflict.as_ref().expect("a diagnosis");
    assert!(conflict.why.contains("not reentrant"), "{}", conflict.why);
}

#[test]
fn a_cycle_through_a_reader_writer_lock_names_both_locks() {
    let trace = shuttle_deadlock(reader_writer_cycle);
    let f = trace.failure.as_ref().unwrap();
    let cycles = [
        "main waits for table, held by reader, which waits for log, held by main",
        "reader waits for log, held by main, which waits for table, held by reader",
    ];
    assert!(cycles.contains(&f.message.as_str()), "{}", f.message);
}

#[test]
fn a_thread_reading_a_lock_it_already_reads_waits_for_itself() {
    let trace = shuttle_deadlock(reads_twice);
    let f = trace.failure.as_ref().unwrap();
    assert_eq!(f.message, "main waits for table, held by main itself");
}

#[test]
fn readers_that_share_a_lock_are_never_called_a_deadlock() {
    for engine in [EngineKind::Shuttle, EngineKind::Loom] {
        let s = search_one(readers_only, engine);
        let shown = s.shown.map(|s| s.found.failure);
        assert!(shown.is_none(), "{engine:?} reported {shown:?}");
    }
}

fn worker_panics() {
    let t = thread::spawn_named("worker", || {
        let v: Vec<u32> = Vec::new();
        let _ = v[3];
    });
    let _ = t.join();
}

#[test]
fn a_panic_is_the_failure_with_its_message() {
    for engine in [EngineKind::Shuttle, EngineKind::Loom] {
        let s = search_one(worker_panics, engine);
        let f = s.shown.expect("the panic is found").found.failure;
        assert_eq!(f.kind, FailureKind::Panic, "{engine:?}");
        assert!(
            f.message.contains("index out of bounds"),
            "{engine:?}: {}",
            f.message
        );
    }
}

/// Waits for a flag nobody sets, checking it through the facade.
fn waits_forever() {
    let flag = AtomicBool::named("ready", false);
    while !flag.load(Ordering::Acquire) {
        thread::yield_now();
    }
}

#[test]
fn a_loop_that_never_ends_runs_out_of_each_engines_step_budget() {
    let mut ex = exercise(waits_forever);
    ex.budgets.max_steps = 2_000;
    ex.budgets.max_branches = 2_000;
    for engine in [EngineKind::Shuttle, EngineKind::Loom] {
        let s = search::search(ex.shape, &ex.variants[0].scenario(), &ex.budgets, &[engine]);
        let f = s.shown.expect("non-termination is reported").found.failure;
        assert_eq!(
            f.kind,
            FailureKind::NonTermination,
            "{engine:?}: {}",
            f.message
        );
        assert!(f.message.contains("step budget"), "{}", f.message);
    }
}

fn many_threads_many_steps() {
    let m = Arc::new(Mutex::named("shared", 0u32));
    let workers: Vec<_> = (0..3)
        .map(|i| {
            let m = m.clone();
            thread::spawn_named(&format!("w{i}"), move || {
                for _ in 0..4 {
                    *m.lock() += 1;
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
}

#[test]
fn a_state_space_too_large_for_the_budget_is_not_exhaustive_and_never_a_pass() {
    let mut ex = exercise(many_threads_many_steps);
    ex.budgets.dfs_schedules = 50;
    ex.budgets.loom_schedules = 50;
    let s = search::search(
        ex.shape,
        &ex.variants[0].scenario(),
        &ex.budgets,
        ex.engines(),
    );
    assert!(s.shown.is_none());
    assert!(
        !s.exhaustive(),
        "a search cut at 50 schedules proves nothing"
    );
    let text = racebook_check::report::passing(
        ex.slug,
        ex.invariant,
        "attempt.rs",
        &s,
        None,
        Default::default(),
    );
    assert!(text.contains("not proved"), "{text}");
    assert!(
        text.contains("NOT exhaustive: stopped after 50 schedules"),
        "{text}"
    );
}

fn lost_update() {
    let m = Arc::new(Mutex::named("count", 0u32));
    let m2 = m.clone();
    let t = thread::spawn_named("worker", move || {
        let v = *m2.lock();
        *m2.lock() = v + 1;
    });
    let v = *m.lock();
    *m.lock() = v + 1;
    let _ = t.join();
    racebook_check::invariant("both increments land", 2, *m.lock());
}

/// The same increment, but with the worker doing its read twice: the code changed.
fn lost_update_edited() {
    let m = Arc::new(Mutex::named("count", 0u32));
    let m2 = m.clone();
    let t = thread::spawn_named("worker", move || {
        let _ = *m2.lock();
        let v = *m2.lock();
        *m2.lock() = v + 1;
    });
    let _ = t.join();
    let v = *m.lock();
    *m.lock() = v + 1;
    racebook_check::invariant("both increments land", 2, *m.lock());
}

#[test]
fn a_schedule_replayed_on_changed_code_says_it_belongs_to_an_older_version() {
    let ex = exercise(lost_update);
    let found = search::search(
        ex.shape,
        &ex.variants[0].scenario(),
        &ex.budgets,
        &[EngineKind::Shuttle],
    )
    .shown
    .unwrap()
    .found;
    assert!(matches!(found.schedule, SchedulePayload::Shuttle(_)));
    let edited = exercise(lost_update_edited);
    let err = tracebuild::record_trace(
        ex.slug,
        edited.variants[0].name,
        &edited.variants[0].scenario(),
        &found,
        None,
        &ex.budgets,
    )
    .unwrap_err();
    assert!(
        matches!(err, ReplayProblem::Stale | ReplayProblem::Different(_)),
        "{err:?}"
    );
    assert!(
        err.explain()
            .starts_with("this schedule belongs to an older version of the code"),
        "{}",
        err.explain()
    );
}

#[test]
fn the_same_schedule_gives_byte_identical_traces() {
    let ex = exercise(lost_update);
    let found = search::search(
        ex.shape,
        &ex.variants[0].scenario(),
        &ex.budgets,
        &[EngineKind::Shuttle],
    )
    .shown
    .unwrap()
    .found;
    let once = tracebuild::record_trace(
        ex.slug,
        ex.variants[0].name,
        &ex.variants[0].scenario(),
        &found,
        None,
        &ex.budgets,
    )
    .unwrap();
    let again = tracebuild::record_trace(
        ex.slug,
        ex.variants[0].name,
        &ex.variants[0].scenario(),
        &found,
        None,
        &ex.budgets,
    )
    .unwrap();
    assert_eq!(once.to_json_pretty(), again.to_json_pretty());
    assert!(once.steps.len() > 10);
}

#[test]
fn the_same_seed_finds_the_same_schedule() {
    let ex = exercise(lost_update);
    let a = search::pct(&(Arc::new(lost_update) as Body), &ex.budgets)
        .found
        .unwrap();
    let b = search::pct(&(Arc::new(lost_update) as Body), &ex.budgets)
        .found
        .unwrap();
    assert_eq!(a.schedule, b.schedule);
    assert_eq!(a.first_failure_at, b.first_failure_at);
}

static OUTSIDE: std::sync::OnceLock<Mutex<u32>> = std::sync::OnceLock::new();

fn uses_state_built_outside() {
    *OUTSIDE
        .get_or_init(|| Mutex::named("built-outside", 0))
        .lock() += 1;
}

#[test]
fn shared_state_built_outside_the_scenario_fails_loudly() {
    let _ = OUTSIDE.set(Mutex::named("built-outside", 0));
    let s = search_one(uses_state_built_outside, EngineKind::Shuttle);
    let f = s.shown.expect("misuse is reported").found.failure;
    assert_eq!(f.kind, FailureKind::Panic);
    assert!(
        f.message
            .contains("was created on real threads but is used on shuttle"),
        "{}",
        f.message
    );
    assert!(f.message.contains("inside the scenario"), "{}", f.message);
}

#[test]
fn a_failing_report_is_short_plain_and_has_one_replay_command() {
    let ex = exercise(lost_update);
    let style = racebook_check::report::Style {
        color: false,
        verbose: false,
    };
    let (outcome, text) =
        racebook_workbook::learner::check_variant(&ex, &ex.variants[0], &ex.budgets, style);
    assert_eq!(outcome.status, racebook_workbook::outcome::Status::Red);
    assert!(
        text.lines().count() <= 42,
        "{} lines:\n{text}",
        text.lines().count()
    );
    assert!(!text.contains('\x1b'), "no ANSI codes when not a terminal");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("replay ")).count(),
        1,
        "{text}"
    );
    assert_eq!(
        text.matches(&format!(
            "--example {} -- replay",
            racebook_workbook::exercise::tool_example(ex.slug)
        ))
        .count(),
        1,
        "{text}"
    );
    let order = [
        "✗ test-faults",
        "both increments land: expected 2, observed 1",
        "found ",
        "depth ",
        "step ",
        "why ",
        "replay ",
        "trace ",
    ];
    let mut at = 0;
    for part in order {
        let pos = text[at..]
            .find(part)
            .unwrap_or_else(|| panic!("`{part}` missing or out of order in\n{text}"));
        at += pos;
    }
    assert!(
        !text.contains("shuttle::") && !text.contains("loom::") && !text.contains("backtrace"),
        "{text}"
    );
}
