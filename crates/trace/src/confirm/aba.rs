//! The check of `Claim::Aba`, from its meaning: one thread's read of an atomic and its next
//! access to it, a compare-and-swap that found the value read; other threads' writes between
//! that changed it away and, last, back; and, when named, a read of another atomic that a
//! foreign write made untrue before the swap.

use super::{Facts, need};
use crate::claims::Claim;
use crate::model::{ObjectKind, Op};

impl<'t> Facts<'t> {
    pub(super) fn aba(&self, claim: &Claim) -> Result<(), String> {
        let Claim::Aba {
            read,
            away,
            back,
            cas,
            stale,
        } = *claim
        else {
            return Err("not an ABA claim".into());
        };
        need(
            self.increasing(&[read, away, back, cas]),
            "the steps are out of order",
        )?;
        need(self.same_object(&[read, away, back, cas]), "not one object")?;
        let o = self.obj(cas);
        need(self.kind(o) == Some(ObjectKind::Atomic), "not an atomic")?;
        let t = self.thread(read);
        need(
            self.thread(cas) == t,
            "the read and the swap are not one thread's",
        )?;
        need(
            self.thread(away) != t && self.thread(back) != t,
            "a change is the thread's own",
        )?;
        let (r, c) = (self.s(read), self.s(cas));
        need(
            matches!(r.op, Op::Load | Op::CasFailed | Op::Rmw) && r.value.is_some(),
            "the first step saw no value",
        )?;
        need(c.op == Op::Rmw, "the last step is not a successful swap")?;
        need(
            c.previous == r.value,
            "the swap did not find the value read",
        )?;
        need(
            self.between(read, cas, o).all(|s| {
                s.thread != t || (matches!(s.op, Op::Load | Op::CasFailed) && s.value == r.value)
            }),
            "the thread did more to the object between its read and its swap than look again \
             and see the same value",
        )?;
        need(
            self.writes(away) && self.writes(back) && self.s(away).value != r.value,
            "the change away left the same value",
        )?;
        let last = self.last_write_before(o.unwrap_or_default(), cas);
        need(
            last.is_some_and(|w| w.index == back) && self.s(back).value == r.value,
            "the change back is not the last write before the swap, or left another value",
        )?;
        if let Some((link, write)) = stale {
            need(
                self.increasing(&[read, link, write, cas]),
                "the link steps are out of order",
            )?;
            need(
                self.same_object(&[link, write]),
                "the link steps are not one object",
            )?;
            let l = self.obj(link);
            need(
                l != o && self.kind(l) == Some(ObjectKind::Atomic),
                "not another atomic",
            )?;
            need(
                self.thread(link) == t && self.s(link).op == Op::Load,
                "the link read is not the thread's load",
            )?;
            need(
                self.thread(write) != t,
                "the link write is the thread's own",
            )?;
            let last = self.last_write_before(l.unwrap_or_default(), cas);
            need(
                last.is_some_and(|w| w.index == write) && self.s(write).value != self.s(link).value,
                "the link still held the value read, or its write is not the last",
            )?;
        }
        Ok(())
    }
}
