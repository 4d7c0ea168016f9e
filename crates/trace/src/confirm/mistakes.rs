//! The checks of the claims that name a known mistake: publications, flags, locks, split
//! atomics, retries, repeated checks, and a lock asked for twice.

use super::{Facts, need};
use crate::claims::Claim;
use crate::model::{Access, FailureKind, ObjectId, ObjectKind, Op, Step, StepId};

impl Facts<'_> {
    pub(super) fn mistake(&self, claim: &Claim) -> Result<(), String> {
        match *claim {
            Claim::PublishedBefore {
                publish,
                flag_read,
                read,
                write,
            } => {
                need(
                    self.increasing(&[publish, flag_read, read, write]),
                    "steps out of order",
                )?;
                let (w, r) = (self.thread(publish), self.thread(read));
                need(
                    self.thread(write) == w && self.thread(flag_read) == r && w != r,
                    "threads do not match",
                )?;
                let (p, b) = (self.obj(publish), self.obj(read));
                need(
                    p.is_some()
                        && b.is_some()
                        && p != b
                        && self.obj(flag_read) == p
                        && self.obj(write) == b,
                    "objects do not match",
                )?;
                need(
                    self.writes(publish)
                        && self.reads(flag_read)
                        && self.reads(read)
                        && self.writes(write),
                    "accesses do not match",
                )?;
                let p = p.expect("checked");
                need(
                    self.last_write_before(p, flag_read).map(|s| s.index) == Some(publish),
                    "the flag read saw a later write",
                )?;
                need(
                    self.s(flag_read).value == self.s(publish).value,
                    "the flag read another value",
                )?;
                need(
                    self.held_before(p, publish) != self.s(publish).value.as_deref(),
                    "the published value is not new",
                )
            }
            Claim::ReadBeforeFlag {
                read,
                write,
                publish,
                flag_read,
            } => {
                need(
                    self.increasing(&[read, write, publish, flag_read]),
                    "steps out of order",
                )?;
                let (r, w) = (self.thread(read), self.thread(write));
                need(
                    r != w && self.thread(flag_read) == r && self.thread(publish) == w,
                    "threads do not match",
                )?;
                let (b, p) = (self.obj(read), self.obj(publish));
                need(b.is_some() && p.is_some() && b != p, "not two objects")?;
                need(
                    self.obj(write) == b && self.obj(flag_read) == p,
                    "objects do not match",
                )?;
                need(
                    self.reads(read)
                        && self.writes(write)
                        && self.writes(publish)
                        && self.reads(flag_read),
                    "accesses do not match",
                )?;
                need(
                    self.s(read).value != self.s(write).value,
                    "the first read already saw the write",
                )?;
                let p = p.expect("checked");
                need(
                    self.last_write_before(p, flag_read).map(|s| s.index) == Some(publish),
                    "the flag read saw a later write",
                )?;
                need(
                    self.s(flag_read).value == self.s(publish).value,
                    "the flag read another value",
                )?;
                need(
                    self.held_before(p, publish) != self.s(publish).value.as_deref(),
                    "the published value is not new",
                )
            }
            Claim::UnsyncedFlag {
                data_store,
                flag_store,
                flag_load,
                data_load,
            } => {
                need(
                    data_store < flag_store && flag_load < data_load && flag_store < flag_load,
                    "steps out of order",
                )?;
                let (w, r) = (self.thread(data_store), self.thread(data_load));
                need(
                    self.thread(flag_store) == w && self.thread(flag_load) == r && w != r,
                    "threads do not match",
                )?;
                let (d, f) = (self.obj(data_store), self.obj(flag_store));
                need(
                    d.is_some()
                        && f.is_some()
                        && d != f
                        && self.obj(data_load) == d
                        && self.obj(flag_load) == f,
                    "objects do not match",
                )?;
                need(
                    self.kind(f) == Some(ObjectKind::Atomic)
                        && self.s(flag_load).op == Op::Load
                        && self.writes(flag_store),
                    "not an atomic flag",
                )?;
                let f = f.expect("checked");
                need(
                    self.last_write_before(f, flag_load).map(|s| s.index) == Some(flag_store),
                    "the flag load saw another store",
                )?;
                need(
                    self.s(flag_load).value == self.s(flag_store).value,
                    "the flag load read another value",
                )?;
                need(
                    self.held_before(f, flag_store) != self.s(flag_store).value.as_deref(),
                    "the flag's value is not new",
                )?;
                need(
                    self.last_write_before(d.expect("checked"), data_load)
                        .map(|s| s.index)
                        == Some(data_store),
                    "the data store is not the latest before the load",
                )?;
                need(
                    self.s(data_load).value != self.s(data_store).value,
                    "the data load saw the store",
                )?;
                let rel = self.s(flag_store).ordering.is_some_and(|m| m.releases());
                let acq = self.s(flag_load).ordering.is_some_and(|m| m.acquires());
                need(
                    !(rel && acq),
                    "the flag is stored Release and loaded Acquire",
                )
            }
            Claim::OnlyTakenBy {
                lock,
                thread,
                outsider,
            } => {
                let takes: Vec<&Step> = self
                    .trace
                    .steps
                    .iter()
                    .filter(|s| s.object == Some(lock) && matches!(s.op, Op::Lock | Op::ReadLock))
                    .collect();
                need(
                    !takes.is_empty() && takes.iter().all(|s| s.thread == thread),
                    "another thread takes the lock",
                )?;
                let o = self.obj(outsider);
                need(
                    o.is_some()
                        && self.thread(outsider) != thread
                        && !self.s(outsider).locks_held.contains(&lock),
                    "the outsider holds the lock",
                )?;
                need(
                    self.trace.steps.iter().any(|s| {
                        s.thread == thread
                            && s.object == o
                            && s.access.is_some()
                            && s.locks_held.contains(&lock)
                    }),
                    "the lock never guards that data",
                )
            }
            Claim::EachCallMakesItsOwn { ref locks } => self.each_call(locks),
            Claim::SplitAtomic { load, store } => {
                need(
                    load < store
                        && self.same_object(&[load, store])
                        && self.thread(load) == self.thread(store),
                    "not one thread's steps on one object",
                )?;
                need(
                    self.kind(self.obj(load)) == Some(ObjectKind::Atomic)
                        && self.s(load).op == Op::Load
                        && self.s(store).op == Op::Store,
                    "not an atomic load and store",
                )?;
                let t = self.thread(load);
                need(
                    self.between(load, store, self.obj(load)).any(|s| {
                        s.thread != t && matches!(s.access, Some(Access::Write | Access::ReadWrite))
                    }),
                    "no other write in between",
                )
            }
            Claim::RetriedWrite {
                first_try,
                found_replaced,
                retry,
            } => {
                need(
                    self.increasing(&[first_try, found_replaced, retry])
                        && self.same_object(&[first_try, found_replaced, retry]),
                    "not three steps on one object in order",
                )?;
                let t = self.thread(first_try);
                need(
                    self.thread(found_replaced) == t && self.thread(retry) == t,
                    "not one thread",
                )?;
                need(
                    self.writes(first_try)
                        && self.writes(retry)
                        && self.s(first_try).value == self.s(retry).value,
                    "not the same write twice",
                )?;
                need(
                    self.reads(found_replaced)
                        && self.s(found_replaced).value != self.s(first_try).value,
                    "it found its own value",
                )?;
                need(
                    self.between(first_try, found_replaced, self.obj(retry))
                        .any(|s| {
                            s.thread != t
                                && matches!(s.access, Some(Access::Write | Access::ReadWrite))
                        }),
                    "nobody replaced it",
                )
            }
            Claim::RepeatedCheck { first_check, check } => {
                need(
                    first_check < check
                        && self.same_object(&[first_check, check])
                        && self.thread(first_check) == self.thread(check),
                    "not one thread's steps on one object",
                )?;
                need(
                    self.reads(first_check)
                        && self.reads(check)
                        && self.s(first_check).op == self.s(check).op
                        && self.s(first_check).value == self.s(check).value,
                    "not the same check",
                )?;
                let t = self.thread(check);
                need(
                    self.between(first_check, check, self.obj(check))
                        .all(|s| s.thread != t || s.access == Some(Access::Read)),
                    "the thread wrote in between",
                )
            }
            Claim::SelfDeadlock { take, thread, lock } => self.self_deadlock(take, thread, lock),
            Claim::Futurelock {
                take,
                choice,
                thread,
                lock,
            } => super::futurelock::confirm(self.trace, take, choice, thread, lock),
            Claim::DroppedInSelect { recv, choice } => {
                super::dropped::confirm(self.trace, recv, choice)
            }
            Claim::MissingHalf { .. } => self.missing_half(claim),
            Claim::Aba { .. } => self.aba(claim),
            _ => Err("not a claim about a mistake".into()),
        }
    }

    fn each_call(&self, locks: &[ObjectId]) -> Result<(), String> {
        need(locks.len() >= 2, "fewer than two locks")?;
        let infos: Vec<_> = locks.iter().filter_map(|&l| self.trace.object(l)).collect();
        need(
            infos.len() == locks.len() && infos.iter().all(|o| o.kind.is_lock()),
            "not locks",
        )?;
        let at = infos[0].created_at.as_ref();
        need(
            at.is_some() && infos.iter().all(|o| o.created_at.as_ref() == at),
            "not made at one place",
        )?;
        need(
            infos.iter().all(|o| o.given_name == infos[0].given_name),
            "different names",
        )?;
        let mut owners = Vec::new();
        for o in &infos {
            let takers: std::collections::BTreeSet<u32> = self
                .trace
                .steps
                .iter()
                .filter(|s| s.object == Some(o.id) && matches!(s.op, Op::Lock | Op::ReadLock))
                .map(|s| s.thread)
                .collect();
            need(
                takers.len() == 1,
                "a lock taken by more or fewer than one thread",
            )?;
            let owner = *takers.iter().next().expect("one");
            need(
                o.created_by == Some(owner),
                "a lock not made by the thread that takes it",
            )?;
            need(!owners.contains(&owner), "one thread takes two of them")?;
            owners.push(owner);
        }
        Ok(())
    }

    fn self_deadlock(&self, take: StepId, thread: u32, lock: ObjectId) -> Result<(), String> {
        let f = self.trace.failure.as_ref();
        need(
            f.is_some_and(|f| f.kind == FailureKind::Deadlock),
            "not a deadlock",
        )?;
        let waits = f
            .expect("checked")
            .blocked
            .iter()
            .any(|b| b.thread == thread && b.waiting_for == Some(lock));
        need(waits, "the thread does not wait for that lock")?;
        let s = self.s(take);
        need(
            s.thread == thread && s.object == Some(lock) && matches!(s.op, Op::Lock | Op::ReadLock),
            "not the thread taking the lock",
        )?;
        let later: Vec<&Step> = self.trace.steps[take as usize + 1..]
            .iter()
            .filter(|s| s.thread == thread)
            .collect();
        for (i, r) in later.iter().enumerate() {
            let releases = r.object == Some(lock) && matches!(r.op, Op::Unlock | Op::ReadUnlock);
            let unwinding = later[i..]
                .iter()
                .find(|s| !matches!(s.op, Op::Unlock | Op::ReadUnlock))
                .is_some_and(|s| s.op == Op::Panic);
            need(!releases || unwinding, "the thread released the lock")?;
        }
        Ok(())
    }
}
