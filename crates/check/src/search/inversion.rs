//! A lock-order inversion across schedules that each ran clean: the cycle, and a schedule
//! that shows it with the fewest preemptions, to show and to replay.

use super::{Depth, Search, Shown, with_wall_clock};
use crate::budget::Budgets;
use crate::engines::shuttle::{self as shuttle_engine, Limits, ShuttleStrategy};
use crate::scenario::Body;
use racebook_trace::FailureKind;
use std::time::Duration;

/// No schedule failed: look at the lock orders every exploration saw. A cycle is a failure
/// (code with an inversion is never green); a schedule whose own run shows both orders is found
/// with the fewest preemptions, to show and to replay.
pub(super) fn lock_order(s: &mut Search, body: &Body, b: &Budgets) {
    let mut order = crate::lockorder::LockOrder::default();
    for e in &s.explorations {
        order.merge(&e.lock_order);
    }
    let Some(inversion) = crate::lockorder::find(&order) else {
        return;
    };
    s.inversion = Some(inversion);
    // Schedules with fewer preemptions searched before the bound that found it, and whether
    // each of those searches was complete.
    let (mut below, mut complete_below) = (0u64, true);
    for bound in 0..3 {
        let limits = Limits {
            schedules: 20_000,
            time: Duration::from_secs(5),
            max_steps: b.max_steps,
            stop_at_first_failure: true,
        };
        let strategy = ShuttleStrategy::BoundedDfs { preemptions: bound };
        let body = body.clone();
        let Some(mut e) = with_wall_clock(b.wall, move || {
            crate::lockorder::check_each_run(|| shuttle_engine::explore(&body, strategy, limits))
        }) else {
            return;
        };
        e.strategy = "lock-order check of each run, DFS".into();
        if let Some(found) = e.found.clone()
            && found.failure.kind == FailureKind::LockOrder
        {
            s.explorations.push(e);
            let depth = if complete_below {
                Depth::Fewest { searched: below }
            } else {
                Depth::FewestFound { searched: below }
            };
            s.shown = Some(Shown {
                found,
                discovered_by: s.explorations.len() - 1,
                depth,
            });
            return;
        }
        below += e.schedules;
        complete_below &= e.exhaustive;
    }
}
