//! The checks of the claims about data: who read and wrote what, in which order.

use super::{Facts, need};
use crate::claims::Claim;
use crate::model::{Access, ObjectKind, Op, StepId};

impl Facts<'_> {
    pub(super) fn data(&self, claim: &Claim) -> Result<(), String> {
        match *claim {
            Claim::Unordered { first, second } => {
                need(
                    first < second && self.same_object(&[first, second]),
                    "not two accesses to one object",
                )?;
                need(
                    self.kind(self.obj(first)) == Some(ObjectKind::Cell),
                    "the object is not a checked cell",
                )?;
                need(self.thread(first) != self.thread(second), "one thread")?;
                need(
                    self.writes(first) || self.writes(second),
                    "neither access writes",
                )?;
                let order = super::order::Order::of(self.trace);
                need(
                    !order.before(first, second) && !order.before(second, first),
                    "the accesses are ordered",
                )
            }
            Claim::StaleLoad { store, load } => {
                let o = self.obj(load);
                need(
                    store < load && self.same_object(&[store, load]),
                    "not a store and a load of one object",
                )?;
                need(
                    self.s(load).op == Op::Load && self.kind(o) == Some(ObjectKind::Atomic),
                    "not an atomic load",
                )?;
                need(
                    self.writes(store) && self.thread(store) != self.thread(load),
                    "not another thread's store",
                )?;
                need(
                    self.between(store, load, o)
                        .all(|s| !matches!(s.access, Some(Access::Write | Access::ReadWrite))),
                    "a later store came before the load",
                )?;
                need(
                    self.s(load).value != self.s(store).value,
                    "the load returned the store's value",
                )?;
                let older = self.trace.steps[..store as usize]
                    .iter()
                    .filter(|s| {
                        s.object == o && matches!(s.access, Some(Access::Write | Access::ReadWrite))
                    })
                    .map(|s| s.value.as_deref())
                    .chain([o
                        .and_then(|o| self.trace.object(o))
                        .and_then(|x| x.initial.as_deref())])
                    .any(|v| v == self.s(load).value.as_deref());
                need(older, "the load's value is no older value of the atomic")?;
                let order = super::order::Order::of(self.trace);
                need(
                    !order.before(store, load),
                    "the store happens-before the load",
                )
            }
            Claim::OverwrittenAndLost {
                read,
                foreign_write,
                write_back,
            } => {
                self.update_shape(read, foreign_write, write_back)?;
                let o = self.obj(read);
                let t = self.thread(read);
                need(
                    self.between(foreign_write, write_back, o)
                        .all(|s| s.thread != t),
                    "the thread read it again",
                )?;
                let u = self.thread(foreign_write);
                need(
                    self.between(foreign_write, write_back, o)
                        .all(|s| s.thread == u || s.access == Some(Access::Write)),
                    "another thread read the value before it was replaced",
                )
            }
            Claim::TwoUpdatesCountOnce {
                read,
                foreign_write,
                write_back,
            } => {
                self.update_shape(read, foreign_write, write_back)?;
                let o = self.obj(read);
                let t = self.thread(read);
                need(
                    self.between(foreign_write, write_back, o)
                        .any(|s| s.thread == t),
                    "the thread did not read it again",
                )?;
                need(
                    self.s(write_back).value == self.s(foreign_write).value,
                    "the write-back left another value",
                )?;
                need(
                    self.s(read).value != self.s(foreign_write).value,
                    "the other write did not change the value",
                )
            }
            Claim::SplitByForeignWrite {
                own_write,
                foreign_write,
                read_back,
            } => {
                self.sandwich(own_write, foreign_write, read_back)?;
                let (t, o) = (self.thread(own_write), self.obj(own_write));
                need(
                    self.writes(own_write)
                        && self.writes(foreign_write)
                        && self.only_reads(read_back),
                    "accesses do not match",
                )?;
                need(
                    self.between(own_write, read_back, o).all(|s| s.thread != t),
                    "the thread came back earlier",
                )?;
                let first = self
                    .between(own_write, read_back, o)
                    .find(|s| matches!(s.access, Some(Access::Write | Access::ReadWrite)));
                need(
                    first.map(|s| s.index) == Some(foreign_write),
                    "not the first write in between",
                )?;
                need(
                    self.s(read_back).value != self.s(own_write).value,
                    "it read back its own value",
                )
            }
            Claim::CheckThenAct { check, change, act } => {
                self.sandwich(check, change, act)?;
                let (t, o) = (self.thread(check), self.obj(check));
                need(
                    self.only_reads(check) && self.writes(change),
                    "accesses do not match",
                )?;
                need(
                    self.between(check, act, o).all(|s| s.thread != t),
                    "the act is not the thread's next step on it",
                )?;
                let found = if self.s(act).op == Op::Rmw {
                    self.s(act).previous.as_deref()
                } else if self.reads(act) {
                    self.s(act).value.as_deref()
                } else {
                    o.and_then(|o| self.held_before(o, act))
                };
                need(
                    found != self.s(check).value.as_deref(),
                    "the act found what the check saw",
                )
            }
            Claim::OverwrittenUnread { replaced, write } => {
                need(
                    replaced < write && self.same_object(&[replaced, write]),
                    "not two steps on one object",
                )?;
                need(self.thread(replaced) != self.thread(write), "one thread")?;
                need(
                    self.writes(replaced) && self.only_writes(write),
                    "accesses do not match",
                )?;
                need(
                    self.between(replaced, write, self.obj(write))
                        .next()
                        .is_none(),
                    "something touched it in between",
                )
            }
            Claim::General { first, second } => {
                need(
                    first < second && self.same_object(&[first, second]),
                    "not two accesses to one object",
                )?;
                need(self.thread(first) != self.thread(second), "one thread")?;
                need(self.writes(first) || self.writes(second), "neither writes")
            }
            _ => self.mistake(claim),
        }
    }

    /// Three steps on one object, in order: two of one thread around one of another.
    fn sandwich(&self, a: StepId, b: StepId, c: StepId) -> Result<(), String> {
        need(
            self.increasing(&[a, b, c]) && self.same_object(&[a, b, c]),
            "not three steps on one object in order",
        )?;
        let t = self.thread(a);
        need(
            self.thread(c) == t && self.thread(b) != t,
            "threads do not match",
        )
    }

    /// T read O, U wrote O as the only write until T's plain write; T did not write before.
    fn update_shape(&self, read: StepId, foreign: StepId, back: StepId) -> Result<(), String> {
        self.sandwich(read, foreign, back)?;
        need(
            self.only_reads(read) && self.only_writes(back) && self.writes(foreign),
            "accesses do not match",
        )?;
        let writers: Vec<StepId> = self
            .between(read, back, self.obj(read))
            .filter(|s| matches!(s.access, Some(Access::Write | Access::ReadWrite)))
            .map(|s| s.index)
            .collect();
        need(writers == [foreign], "other writes in between")
    }
}
