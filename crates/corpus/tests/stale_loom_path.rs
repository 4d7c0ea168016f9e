//! A weak-memory checker's stored path, replayed on code it no longer fits, ends at once as a
//! schedule of an older version. The fixture is exercise 09's path from before its scenario
//! changed: replayed on the `check_head_twice` wrong fix, upstream loom 0.7.3 scheduled a thread
//! that had already finished and spun for ever (vendor/loom/PATCHED.md). The wall budget turns
//! such a spin into a failed test instead of a hang.

use racebook_engine::engines::FoundFailure;
use racebook_engine::record::workspace_root;
use racebook_engine::run::CapturedFailure;
use racebook_engine::schedule_file::ScheduleFile;
use racebook_engine::tracebuild::{ReplayProblem, record_trace};
use std::time::{Duration, Instant};

#[test]
fn an_older_loom_path_on_a_wrong_fix_is_stale_within_seconds() {
    let file = workspace_root().join("crates/corpus/tests/fixtures/ex09-broken-older.loom.json");
    let stored = ScheduleFile::read(&file).unwrap();
    let found = FoundFailure {
        schedule: stored.payload().unwrap(),
        preemptions: stored.preemptions,
        first_failure_at: 1,
        first_failure_after: Duration::ZERO,
        failure: CapturedFailure {
            kind: stored.failure.kind,
            invariant: stored.failure.invariant.clone(),
            expected: stored.failure.expected.clone(),
            observed: stored.failure.observed.clone(),
            message: String::new(),
            location: None,
        },
        spurious: stored.spurious,
    };
    let mut ex = ex09_aba_stack::exercise();
    ex.budgets.wall = Duration::from_secs(10);
    let v = ex.variant("check_head_twice").unwrap();
    let start = Instant::now();
    let result = record_trace(ex.slug, v.name, &v.scenario(), &found, None, &ex.budgets);
    let took = start.elapsed();
    assert!(
        matches!(result, Err(ReplayProblem::Stale)),
        "expected a stale schedule, got {:?} after {took:?}",
        result.map(|t| t.steps.len())
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
}
