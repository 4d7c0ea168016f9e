//! loom's search with a shallow pass first: every execution with at most one preemption, and only
//! then the configured search (the whole space by default). loom's own depth-first order can
//! reach a failure late (exercise 12's after 55 executions); most bugs in the book need at most
//! one preemption, and the bounded pass reaches them after a handful. A failure found either way
//! is then minimised as before (`minimize_loom`), so the depth a report states is unchanged.

use super::{loom, loom_run, seqcst, spurious};
use crate::budget::Budgets;
use crate::engines::Exploration;
use crate::engines::loom::LoomLimits;
use crate::scenario::Body;

/// The bound of the shallow pass. Bound 0 alone found neither exercise 08's nor 12's failure,
/// and loom's bound-1 search already runs every bound-0 execution; bound 2 cost 47 executions
/// on a 153-execution proof (exercise 12's `fixed_fences`).
const SHALLOW: usize = 1;

/// Executions the shallow pass may run: past this, the scenario is big and the full search does
/// better on its own.
const SHALLOW_SCHEDULES: usize = 2_000;

/// Search `body` with loom, the shallow pass first (see the module's comment).
pub fn loom_shallow_first(body: &Body, b: &Budgets) -> Exploration {
    let full_bound = b.loom_preemption_bound;
    if full_bound.is_some_and(|full| full <= SHALLOW) {
        return loom(body, b, full_bound);
    }
    let mut e = shallow(body, b);
    if e.found.is_some() {
        seqcst::check_failure(&mut e, body, b);
        // A failure loom's model cannot decide stops no search: the full one says what it
        // says, as it did before the pass.
        if e.found.is_some() {
            return e;
        }
    }
    let spent = e.elapsed;
    let before = if e.exhaustive { e.schedules } else { 0 };
    let mut full = loom(body, b, full_bound);
    // The shallow pass is part of the wait a learner saw, and of the executions run.
    full.elapsed += spent;
    if let Some(found) = &mut full.found {
        found.first_failure_at += before;
        found.first_failure_after += spent;
    }
    full
}

/// Every execution with at most `SHALLOW` preemptions, within the shallow budget.
fn shallow(body: &Body, b: &Budgets) -> Exploration {
    let limits = LoomLimits {
        preemption_bound: Some(SHALLOW),
        schedules: SHALLOW_SCHEDULES.min(b.loom_schedules),
        time: b.loom_time,
        max_branches: b.max_branches,
    };
    spurious::covering(|n| loom_run(body, limits, b.wall, n, false))
}
