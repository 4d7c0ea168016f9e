//! Learner faults get a clear report on every engine, within a budget, and never hang or abort
//! the test binary: deadlock, panic, a loop that never ends, a state space too large to exhaust,
//! a stale schedule, and shared state built outside the scenario.

mod deadlocks;
mod replays;

use racebook_check::sync::atomic::{AtomicBool, Ordering};
use racebook_check::sync::{Arc, Mutex, RwLock};
use racebook_check::{Budgets, thread};
use racebook_engine::engines::SchedulePayload;
use racebook_engine::scenario::Body;
use racebook_engine::tracebuild::{self, ReplayProblem};
use racebook_engine::{EngineKind, search};
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

fn search_one(body: fn(), engine: EngineKind) -> search::Search {
    let ex = exercise(body);
    search::search(ex.shape, &ex.variants[0].scenario(), &ex.budgets, &[engine])
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
    let text = racebook_engine::report::passing(
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
    let ex = exercise(replays::lost_update);
    let style = racebook_engine::report::Style {
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
