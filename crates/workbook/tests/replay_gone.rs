//! Replaying a stored schedule: red when its failure comes back, green words (and a passing
//! result) when the code was fixed, and an error for a schedule of another exercise.

use racebook_check::report::Style;
use racebook_check::sync::{Arc, Mutex};
use racebook_check::{Budgets, EngineKind, invariant, search, thread};
use racebook_workbook::learner::{check_variant, out_path, replay_stored};
use racebook_workbook::{Exercise, Shape, Variant};

fn bump(counts: &Mutex<u32>, under_one_lock: bool) {
    if under_one_lock {
        *counts.lock() += 1;
    } else {
        let seen = *counts.lock();
        *counts.lock() = seen + 1;
    }
}

fn two_bumps(under_one_lock: bool) {
    let counts = Arc::new(Mutex::new(0));
    let other = Arc::clone(&counts);
    let worker = thread::spawn(move || bump(&other, under_one_lock));
    bump(&counts, under_one_lock);
    worker.join().unwrap();
    invariant("both bumps count", 2, *counts.lock());
}

fn exercise(slug: &'static str) -> Exercise {
    Exercise {
        slug,
        title: "replays",
        invariant: "both bumps count",
        shape: Shape::Threads,
        concurrency: None,
        variants: vec![
            Variant::broken("broken", || two_bumps(false), &[EngineKind::Shuttle]),
            Variant::fix("fixed", || two_bumps(true)),
        ],
        budgets: Budgets {
            pct_schedules: 100,
            ..Budgets::default()
        },
    }
}

fn style() -> Style {
    Style {
        color: false,
        verbose: false,
    }
}

#[test]
fn a_stored_failure_comes_back_on_the_broken_code_and_is_gone_on_the_fix() {
    let ex = exercise("test-replay-gone");
    let broken = &ex.variants[0];
    let (outcome, _) = check_variant(&ex, broken, &ex.budgets, style());
    assert!(outcome.trace.is_some(), "the broken version fails");
    let schedule = out_path(&ex, "broken", "schedule.json");
    assert!(schedule.is_file());

    let (gone, again) = replay_stored(&ex, broken, &schedule, &ex.budgets, style());
    assert!(!gone, "{again}");
    assert!(
        again.contains("both bumps count: expected 2, observed 1"),
        "{again}"
    );

    let (gone, text) = replay_stored(&ex, &ex.variants[1], &schedule, &ex.budgets, style());
    assert!(gone, "{text}");
    assert!(
        text.starts_with("✓ test-replay-gone · fixed.rs · the stored failure is gone"),
        "{text}"
    );
    assert!(text.contains("One schedule proves little"), "{text}");
}

#[test]
fn a_schedule_of_another_exercise_is_refused_by_name() {
    let ex = exercise("test-replay-other");
    let found = search::search(
        ex.shape,
        &ex.variants[0].scenario(),
        &ex.budgets,
        &[EngineKind::Shuttle],
    )
    .shown
    .expect("the broken version fails")
    .found;
    let file = racebook_check::schedule_file::ScheduleFile::new(
        "some-other-exercise",
        "broken",
        &found.schedule,
        found.preemptions,
        found.spurious,
        &found.failure,
    );
    let path = out_path(&ex, "foreign", "schedule.json");
    file.write(&path).unwrap();
    let (gone, text) = replay_stored(&ex, &ex.variants[1], &path, &ex.budgets, style());
    assert!(!gone);
    assert!(
        text.contains("it is a schedule of some-other-exercise, not of test-replay-other"),
        "{text}"
    );
}
