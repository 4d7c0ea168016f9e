//! ABA: a compare-and-swap that succeeded because the value it compared had come back, though
//! the object had changed in between. Thread T read atomic O = V; other threads changed O away
//! from V and back to V; T's next access to O, a compare-and-swap expecting V, succeeded. When T
//! also read another atomic L in between and another thread changed L before the swap, the
//! value T installed came from a read that was no longer true. This finds the first such swap
//! as a `Claim::Aba`; `confirm` checks it and `claims` words it.

use crate::claims::Claim;
use crate::model::{ObjectKind, Op, Step, Trace};

/// The first compare-and-swap of the run, up to the failure, that an ABA fooled.
pub fn aba(trace: &Trace) -> Option<Claim> {
    let steps = trace.until_failure();
    let atomic = |s: &Step| {
        s.object
            .and_then(|o| trace.object(o))
            .is_some_and(|o| o.kind == ObjectKind::Atomic)
    };
    steps
        .iter()
        // An update that changed the value (a swap of one link for another, say).
        .filter(|c| c.op == Op::Rmw && atomic(c) && c.previous.is_some() && c.previous != c.value)
        .find_map(|cas| {
            // T's accesses to O before the swap, latest first: reads that saw the value the swap
            // found (a look again just before it), back to the first of them, or one update.
            let mine = steps[..cas.index as usize]
                .iter()
                .rev()
                .filter(|s| s.thread == cas.thread && s.object == cas.object && s.access.is_some());
            let mut read = None;
            for s in mine {
                let looked = matches!(s.op, Op::Load | Op::CasFailed);
                let updated = s.op == Op::Rmw && read.is_none();
                if !(looked || updated) || s.value.is_none() || s.value != cas.previous {
                    break;
                }
                read = Some(s);
                if updated {
                    break;
                }
            }
            let read = read?;
            let seen = &read.value;
            let between = &steps[read.index as usize + 1..cas.index as usize];
            let writes = |s: &&Step| {
                s.object == cas.object
                    && s.thread != cas.thread
                    && s.access.is_some_and(|a| a.writes())
            };
            let away = between.iter().filter(writes).find(|w| w.value != *seen)?;
            let back = between.iter().rfind(writes)?;
            if back.index <= away.index || back.value != *seen {
                return None;
            }
            Some(Claim::Aba {
                read: read.index,
                away: away.index,
                back: back.index,
                cas: cas.index,
                stale: stale_link(steps, read, cas),
            })
        })
}

/// T's read of another atomic between `read` and `cas` whose value another thread changed
/// before `cas`: the read and the write that made it untrue.
fn stale_link(steps: &[Step], read: &Step, cas: &Step) -> Option<(u32, u32)> {
    let between = &steps[read.index as usize + 1..cas.index as usize];
    between
        .iter()
        .filter(|l| l.thread == cas.thread && l.op == Op::Load && l.object != cas.object)
        .find_map(|l| {
            let later = &steps[l.index as usize + 1..cas.index as usize];
            let w = later
                .iter()
                .rfind(|w| w.object == l.object && w.access.is_some_and(|a| a.writes()))?;
            (w.thread != cas.thread && w.value != l.value).then_some((l.index, w.index))
        })
}
