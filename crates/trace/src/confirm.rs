//! The independent check of a claim: does the trace show what the claim says? Written from
//! the meaning of each claim (see `claims::Claim`), not from the diagnosis that finds it, and
//! with its own happens-before (reachability over the trace's synchronization edges, where
//! `hb` uses vector clocks). The report puts a claim into words only after this passes, and
//! the mutant corpus runs it on the raw diagnosis of every failing mutant.

use crate::claims::Claim;
use crate::model::{Access, ObjectId, ObjectKind, Step, StepId, Trace};

mod aba;
mod data;
mod dropped;
mod futurelock;
mod handshake;
mod mistakes;
pub(crate) mod order;
mod stuck;

pub use stuck::{confirm_lock_cycle, confirm_lost_wakeup};

/// `Ok` when the trace shows the claim; otherwise the first condition that does not hold.
pub fn confirm(trace: &Trace, claim: &Claim) -> Result<(), String> {
    // A run that waits for ever failed where a thread blocked, and the others ran on after it:
    // all of it is the run up to the failure.
    let stuck = trace.failure.as_ref().is_some_and(|f| f.kind.is_stuck());
    let last = if stuck {
        trace.steps.len()
    } else {
        trace.until_failure().len()
    };
    if let Some(&bad) = claim.steps().iter().find(|&&s| s as usize >= last) {
        return Err(format!("step {bad} is not in the run up to the failure"));
    }
    if claim.objects().iter().any(|&o| trace.object(o).is_none())
        || claim
            .threads()
            .iter()
            .any(|&t| t as usize >= trace.threads.len())
    {
        return Err("it names a thread or object the trace does not have".into());
    }
    let t = Facts { trace };
    t.check(claim)
}

pub(crate) fn need(ok: bool, what: &str) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what.to_string()) }
}

struct Facts<'t> {
    trace: &'t Trace,
}

impl<'t> Facts<'t> {
    fn s(&self, i: StepId) -> &'t Step {
        &self.trace.steps[i as usize]
    }
    fn reads(&self, i: StepId) -> bool {
        matches!(self.s(i).access, Some(Access::Read | Access::ReadWrite))
    }
    fn writes(&self, i: StepId) -> bool {
        matches!(self.s(i).access, Some(Access::Write | Access::ReadWrite))
    }
    fn only_reads(&self, i: StepId) -> bool {
        self.s(i).access == Some(Access::Read)
    }
    fn only_writes(&self, i: StepId) -> bool {
        self.s(i).access == Some(Access::Write)
    }
    fn obj(&self, i: StepId) -> Option<ObjectId> {
        self.s(i).object.filter(|_| self.s(i).access.is_some())
    }
    fn kind(&self, o: Option<ObjectId>) -> Option<ObjectKind> {
        o.and_then(|o| self.trace.object(o)).map(|o| o.kind)
    }
    fn same_object(&self, steps: &[StepId]) -> bool {
        let o = self.obj(steps[0]);
        o.is_some() && steps.iter().all(|&s| self.obj(s) == o)
    }
    /// Steps strictly between `a` and `b` that access `o`.
    fn between(&self, a: StepId, b: StepId, o: Option<ObjectId>) -> impl Iterator<Item = &'t Step> {
        let trace = self.trace;
        trace.steps[(a as usize + 1).min(b as usize)..b as usize]
            .iter()
            .filter(move |s| s.access.is_some() && s.object == o)
    }
    /// The value `o` held just before step `i`.
    fn held_before(&self, o: ObjectId, i: StepId) -> Option<&'t str> {
        let last = self.trace.steps[..i as usize].iter().rev().find(|s| {
            s.object == Some(o) && matches!(s.access, Some(Access::Write | Access::ReadWrite))
        });
        match last {
            Some(w) => w.value.as_deref(),
            None => self.trace.object(o).and_then(|x| x.initial.as_deref()),
        }
    }
    /// The latest write to `o` before step `i`.
    fn last_write_before(&self, o: ObjectId, i: StepId) -> Option<&'t Step> {
        self.trace.steps[..i as usize].iter().rev().find(|s| {
            s.object == Some(o) && matches!(s.access, Some(Access::Write | Access::ReadWrite))
        })
    }
    fn increasing(&self, steps: &[StepId]) -> bool {
        steps.windows(2).all(|w| w[0] < w[1])
    }
    fn thread(&self, i: StepId) -> u32 {
        self.s(i).thread
    }

    fn check(&self, claim: &Claim) -> Result<(), String> {
        self.data(claim)
    }
}
