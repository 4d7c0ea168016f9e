//! Exhaustive searches over spurious failures of weak compare-exchanges, as
//! `crate::memory_model` explains: a first run with none, then one run for each n up to the
//! most weak compare-exchanges one execution of the first run made, with the n-th failing
//! spuriously. An execution with one spurious failure at call n made its first n calls without
//! one, so it is among the executions of run n: together the runs cover every execution with
//! at most one spurious failure.

use crate::engines::Exploration;

/// The bound the report states when weak compare-exchanges ran.
pub const BOUND: &str = "at most one spurious weak compare-exchange failure per execution";

/// Run `run(n)` for every injection the first run calls for, and merge what they did into one
/// exploration. Stops at the first failure, or at the first run that is not exhaustive.
pub fn covering(run: impl Fn(Option<u32>) -> Exploration) -> Exploration {
    let mut total = run(None);
    let calls = total.usage.weak_cas;
    if total.found.is_some() || !total.exhaustive || calls == 0 {
        return total;
    }
    for n in 1..=calls {
        let e = run(Some(n));
        let before = total.schedules;
        total.schedules += e.schedules;
        total.failing += e.failing;
        total.elapsed += e.elapsed;
        total.exhaustive &= e.exhaustive;
        total.out_of_budget |= e.out_of_budget;
        total.usage = total.usage.join(e.usage);
        if let Some(mut found) = e.found {
            found.first_failure_at += before;
            found.first_failure_after += total.elapsed - e.elapsed;
            found.spurious = Some(n);
            total.found = Some(found);
            break;
        }
        if !e.exhaustive {
            break;
        }
    }
    total.bound = Some(match total.bound.take() {
        Some(b) => format!("{b}; {BOUND}"),
        None => BOUND.to_string(),
    });
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::{FoundFailure, SchedulePayload};
    use crate::memory_model::Usage;
    use crate::run::CapturedFailure;
    use racebook_trace::{EngineKind, FailureKind};
    use std::cell::RefCell;
    use std::time::Duration;

    fn exploration(weak_cas: u32, fails: bool) -> Exploration {
        Exploration {
            engine: EngineKind::Loom,
            strategy: "exhaustive".into(),
            seed: None,
            schedules: 10,
            failing: u64::from(fails),
            elapsed: Duration::from_millis(1),
            exhaustive: !fails,
            bound: None,
            out_of_budget: false,
            repeats: None,
            lock_order: Default::default(),
            found: fails.then(|| FoundFailure {
                schedule: SchedulePayload::Loom(String::new()),
                preemptions: 0,
                first_failure_at: 4,
                first_failure_after: Duration::from_millis(1),
                failure: CapturedFailure {
                    kind: FailureKind::Invariant,
                    invariant: "x".into(),
                    expected: None,
                    observed: None,
                    message: String::new(),
                    location: None,
                },
                spurious: None,
            }),
            usage: Usage {
                weak_cas,
                ..Usage::default()
            },
            undecided: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn code_without_weak_compare_exchanges_runs_once() {
        let runs = RefCell::new(Vec::new());
        let e = covering(|n| {
            runs.borrow_mut().push(n);
            exploration(0, false)
        });
        assert_eq!(*runs.borrow(), [None]);
        assert_eq!(e.bound, None);
    }

    #[test]
    fn each_call_is_made_to_fail_once_until_a_run_fails() {
        let runs = RefCell::new(Vec::new());
        let e = covering(|n| {
            runs.borrow_mut().push(n);
            exploration(3, n == Some(2))
        });
        assert_eq!(*runs.borrow(), [None, Some(1), Some(2)]);
        let found = e.found.expect("run 2 failed");
        assert_eq!(found.spurious, Some(2));
        assert_eq!(found.first_failure_at, 24, "numbered across the runs");
        assert_eq!(e.schedules, 30);
        assert_eq!(e.bound.as_deref(), Some(BOUND));
    }
}
