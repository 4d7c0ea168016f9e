//! A found failure's shallowest interleaving: the fewest preemptions of any schedule that
//! breaks the same invariant, searched bound by bound on the engine that found it.

use super::{Depth, loom, same_invariant, with_wall_clock};
use crate::budget::Budgets;
use crate::engines::FoundFailure;
use crate::engines::shuttle::{self as shuttle_engine, Limits, ShuttleStrategy};
use crate::memory_model;
use crate::scenario::Body;
use std::time::Duration;

/// The shallowest schedule that breaks the same invariant as `found`: bounded DFS with bound 0,
/// 1, ... below `found`'s preemptions. The first bound that fails is the bug's depth.
pub(super) fn minimize_shuttle(
    body: &Body,
    found: FoundFailure,
    b: &Budgets,
) -> (FoundFailure, Depth) {
    // The search with bound k covers every schedule with at most k preemptions: what it
    // searched is what "fewer" means for a failure found at bound k + 1.
    let mut fewer = Depth::Fewest { searched: 0 };
    for bound in 0..found.preemptions as usize {
        let limits = Limits {
            schedules: 20_000,
            time: Duration::from_secs(5),
            max_steps: b.max_steps,
            stop_at_first_failure: true,
        };
        let strategy = ShuttleStrategy::BoundedDfs { preemptions: bound };
        let want = same_invariant(&found.failure);
        let (body, spurious) = (body.clone(), found.spurious);
        let Some(e) = with_wall_clock(b.wall, move || {
            memory_model::with_spurious_failure(spurious, || {
                shuttle_engine::explore_for(&body, strategy, limits, Box::new(want))
            })
        }) else {
            return (found, Depth::FewestFound { searched: 0 });
        };
        if let Some(mut f) = e.found {
            f.spurious = spurious;
            return (discovered_as(f, &found), fewer);
        }
        fewer = match fewer {
            Depth::Fewest { .. } if e.exhaustive => Depth::Fewest {
                searched: e.schedules,
            },
            _ => Depth::FewestFound {
                searched: e.schedules,
            },
        };
    }
    (found, fewer)
}

/// The shallower failure `shallow`, still dated by the search that discovered the bug: the
/// found line names that search, so its schedule number and time must be that search's.
fn discovered_as(mut shallow: FoundFailure, discovered: &FoundFailure) -> FoundFailure {
    shallow.first_failure_at = discovered.first_failure_at;
    shallow.first_failure_after = discovered.first_failure_after;
    shallow
}

/// Find loom's shallowest failing execution of the same invariant by raising the preemption
/// bound from 0: the first bound that fails is the bug's depth.
pub(super) fn minimize_loom(
    body: &Body,
    found: FoundFailure,
    b: &Budgets,
) -> (FoundFailure, Depth) {
    let top = b.loom_preemption_bound.unwrap_or(3);
    let want = same_invariant(&found.failure);
    let mut fewer = 0;
    for bound in 0..top {
        let e = loom(body, b, Some(bound));
        match e.found {
            Some(mut f) if want(&f.failure) => {
                f.preemptions = bound as u32;
                return (discovered_as(f, &found), Depth::Fewest { searched: fewer });
            }
            // loom stops at the first failing execution: another failure hides this one.
            Some(_) => break,
            None if !e.exhaustive => break,
            None => fewer = e.schedules,
        }
    }
    (found, Depth::AsRun)
}
