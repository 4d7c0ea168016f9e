//! loom's search by iterative deepening: every execution with no preemption, then with at most
//! one, and only then the whole space. Most bugs need zero or one preemption, so the
//! first failure comes after a handful of executions instead of after loom's own order reaches
//! it; and a failure found at bound k is already the shallowest (the smaller bounds were
//! searched to the end), so it needs no minimising search afterwards.

use super::{Depth, loom, loom_run, seqcst, spurious};
use crate::budget::Budgets;
use crate::engines::Exploration;
use crate::engines::loom::LoomLimits;
use crate::scenario::Body;

/// The bounds tried before the full search.
const SHALLOW: [usize; 2] = [0, 1];

/// Executions a shallow search may run: past this, the scenario is big and the full search
/// does better on its own.
const SHALLOW_SCHEDULES: usize = 2_000;

/// The result of the deepening search: what to show, and how deep its failure is known to be.
pub struct Deepened {
    pub exploration: Exploration,
    /// Set when a shallow bound found the failure: smaller bounds searched without one.
    pub depth: Option<Depth>,
}

/// Search `body` with loom, shallow bounds first (see the module's comment).
pub fn loom_deepening(body: &Body, b: &Budgets) -> Deepened {
    let full_bound = b.loom_preemption_bound;
    let mut spent = std::time::Duration::ZERO;
    let mut below = 0u64;
    let mut before = 0u64;
    for bound in SHALLOW {
        if full_bound.is_some_and(|full| bound >= full) {
            break;
        }
        let mut e = shallow(body, b, bound);
        spent += e.elapsed;
        if let Some(found) = &mut e.found {
            found.preemptions = bound as u32;
            found.first_failure_at += before;
            found.first_failure_after = spent - e.elapsed + found.first_failure_after;
            e.schedules += before;
            e.elapsed = spent;
            seqcst::check_failure(&mut e, body, b);
            // A failure the model cannot decide is reported as such, with no depth.
            let depth = e
                .found
                .is_some()
                .then_some(Depth::Fewest { searched: below });
            return Deepened {
                exploration: e,
                depth,
            };
        }
        if !e.exhaustive {
            break;
        }
        below = e.schedules;
        before += e.schedules;
    }
    let mut e = loom(body, b, full_bound);
    // The time the shallow searches took is part of the wait a learner saw.
    e.elapsed += spent;
    if let Some(found) = &mut e.found {
        found.first_failure_at += before;
        found.first_failure_after += spent;
    }
    Deepened {
        exploration: e,
        depth: None,
    }
}

/// Every execution with at most `bound` preemptions, within the shallow budget.
fn shallow(body: &Body, b: &Budgets, bound: usize) -> Exploration {
    let limits = LoomLimits {
        preemption_bound: Some(bound),
        schedules: SHALLOW_SCHEDULES.min(b.loom_schedules),
        time: b.loom_time,
        max_branches: b.max_branches,
    };
    spurious::covering(|n| loom_run(body, limits, b.wall, n, false))
}
