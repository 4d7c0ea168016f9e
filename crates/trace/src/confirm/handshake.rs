//! The check of `Claim::MissingHalf`, from its meaning: the two threads, the write and the read
//! of one atomic that carried news from one to the other (followed through the trace's own
//! reads-from, not `hb`'s), the fences named and the ones not named, and a half that is absent.

use super::{Facts, need};
use crate::claims::Claim;
use crate::model::{MemOrder, ObjectKind, Op, Step, StepId};

impl<'t> Facts<'t> {
    /// The write step `r` read from: the recorded source, or else the latest write to its
    /// object before it, when that write left the value `r` saw. `None` for the initial value.
    fn source(&self, r: StepId) -> Option<&'t Step> {
        let s = self.s(r);
        if s.reads_initial {
            return None;
        }
        if let Some(w) = s.reads_from {
            return self.trace.steps.get(w as usize);
        }
        let w = self.last_write_before(s.object?, r)?;
        let seen = if s.op == Op::Rmw {
            &s.previous
        } else {
            &s.value
        };
        (seen.is_some() && *seen == w.value).then_some(w)
    }

    /// The fences of `thread` strictly between `a` and `b` with an ordering `want` accepts.
    fn fences(&self, thread: u32, a: StepId, b: StepId, want: fn(MemOrder) -> bool) -> Vec<StepId> {
        self.trace.steps[a as usize + 1..b as usize]
            .iter()
            .filter(|f| f.thread == thread && f.op == Op::Fence && f.ordering.is_some_and(want))
            .map(|f| f.index)
            .collect()
    }

    pub(super) fn missing_half(&self, claim: &Claim) -> Result<(), String> {
        let Claim::MissingHalf {
            before,
            write,
            read,
            after,
            release_fence,
            acquire_fence,
            early_fence,
        } = *claim
        else {
            return Err("not a handshake claim".into());
        };
        need(
            self.increasing(&[before, write]),
            "the write is not after the first step",
        )?;
        need(
            self.increasing(&[read, after]),
            "the read is not before the second step",
        )?;
        let (t1, t2) = (self.thread(before), self.thread(after));
        need(t1 != t2, "one thread")?;
        need(
            self.thread(write) == t1 && self.thread(read) == t2,
            "threads do not match",
        )?;
        let f = self.obj(write);
        need(
            f.is_some() && self.obj(read) == f && self.kind(f) == Some(ObjectKind::Atomic),
            "not one atomic written and read",
        )?;
        need(
            self.obj(after) != f,
            "the second step is on the flag itself",
        )?;
        need(
            self.writes(write) && matches!(self.s(read).op, Op::Load | Op::Rmw | Op::CasFailed),
            "not a write and an atomic read",
        )?;
        // Follow what the read saw back to T1, through other threads' updates only.
        let mut w = self.source(read).ok_or("the read's source is unknown")?;
        while w.thread != t1 {
            need(
                w.op == Op::Rmw,
                "the chain from the read ends at another thread's store",
            )?;
            w = self
                .source(w.index)
                .ok_or("the chain's source is unknown")?;
        }
        need(
            w.index == write,
            "the read heard from another write of that thread",
        )?;
        let rel = self.fences(t1, before, write, MemOrder::releases);
        let acq = self.fences(t2, read, after, MemOrder::acquires);
        need(
            release_fence == rel.first().copied(),
            "the release fence is not as named",
        )?;
        need(
            acquire_fence == acq.first().copied(),
            "the acquire fence is not as named",
        )?;
        if let Some(e) = early_fence {
            let s = self.s(e);
            need(
                e < read
                    && s.thread == t2
                    && s.op == Op::Fence
                    && s.ordering.is_some_and(MemOrder::acquires),
                "the early fence is not an acquire fence of the reader before the read",
            )?;
        }
        let released = self.s(write).ordering.is_some_and(MemOrder::releases) || !rel.is_empty();
        let acquired = self.s(read).ordering.is_some_and(MemOrder::acquires) || !acq.is_empty();
        need(!(released && acquired), "both halves are there")
    }
}
