//! Claims that name a known mistake around the failure's pair: an atomic update split into a
//! load and a store, a write retried after it was found replaced, a check repeated before the
//! act, a value published before what it leads to was ready (or read before its flag), a flag
//! whose Release or Acquire side is missing, locks that exclude nobody (made on every call, or
//! taken by one thread only).

use crate::claims::Claim;
use crate::model::{MemOrder, ObjectId, ObjectKind, Op, Step, StepId, Trace};
use std::collections::BTreeSet;

/// The known-mistake claims that go with `main`.
pub fn notes(trace: &Trace, main: &Claim) -> Vec<Claim> {
    let mut out = Vec::new();
    out.extend(split_atomic(trace, main));
    out.extend(retried_write(trace, main));
    out.extend(repeated_check(trace, main));
    out.extend(published_too_early(trace, main));
    out.extend(read_before_flag(trace, main));
    // The plain flag (a store, then a load of it) has its own claim; the handshake claim
    // covers the rest: data races, fences, updates and chains of them.
    match unsynced_flag(trace, main) {
        Some(flag) => out.push(flag),
        None => out.extend(crate::handshake::missing_half(trace, main)),
    }
    let unsynced = out
        .iter()
        .any(|c| matches!(c, Claim::UnsyncedFlag { .. } | Claim::MissingHalf { .. }));
    out.extend(lock_that_excludes_nobody(trace, main, unsynced));
    out
}

fn step(trace: &Trace, i: StepId) -> &Step {
    &trace.steps[i as usize]
}

fn writes(s: &Step) -> bool {
    s.access.is_some_and(|a| a.writes())
}

fn reads(s: &Step) -> bool {
    s.access.is_some_and(|a| a.reads())
}

fn atomic(trace: &Trace, o: Option<ObjectId>) -> bool {
    o.and_then(|o| trace.object(o))
        .is_some_and(|o| o.kind == ObjectKind::Atomic)
}

/// The value `o` held just before step `i`: the latest write's, or the value it was made with.
fn value_before(trace: &Trace, o: ObjectId, i: StepId) -> Option<&str> {
    trace.steps[..i as usize]
        .iter()
        .rev()
        .find(|s| s.object == Some(o) && writes(s))
        .map(|s| s.value.as_deref())
        .unwrap_or_else(|| trace.object(o).and_then(|x| x.initial.as_deref()))
}

/// A read-modify-write done as an atomic load and a separate atomic store.
fn split_atomic(trace: &Trace, main: &Claim) -> Option<Claim> {
    let (Claim::OverwrittenAndLost {
        read, write_back, ..
    }
    | Claim::TwoUpdatesCountOnce {
        read, write_back, ..
    }) = *main
    else {
        return None;
    };
    let (r, w) = (step(trace, read), step(trace, write_back));
    (atomic(trace, r.object) && r.op == Op::Load && w.op == Op::Store).then_some(
        Claim::SplitAtomic {
            load: read,
            store: write_back,
        },
    )
}

/// A thread that wrote a value, read back something else, and wrote the same value again.
fn retried_write(trace: &Trace, main: &Claim) -> Option<Claim> {
    let Claim::SplitByForeignWrite { own_write, .. } = *main else {
        return None;
    };
    let own = step(trace, own_write);
    let mine = |s: &&Step| s.thread == own.thread && s.object == own.object;
    let before = &trace.steps[..own_write as usize];
    let found = before
        .iter()
        .rev()
        .filter(mine)
        .find(|s| reads(s) && s.value != own.value)?;
    let first = before[..found.index as usize]
        .iter()
        .rev()
        .filter(mine)
        .find(|s| writes(s))?;
    (first.value == own.value).then_some(Claim::RetriedWrite {
        first_try: first.index,
        found_replaced: found.index,
        retry: own_write,
    })
}

/// The same check made twice before the act.
fn repeated_check(trace: &Trace, main: &Claim) -> Option<Claim> {
    let Claim::CheckThenAct { check, .. } = *main else {
        return None;
    };
    let c = step(trace, check);
    let mine = |s: &&Step| s.thread == c.thread && s.object == c.object;
    let earlier = trace.steps[..check as usize]
        .iter()
        .rev()
        .filter(mine)
        .take_while(|s| !writes(s))
        .find(|s| s.op == c.op && s.value == c.value && reads(s))?;
    Some(Claim::RepeatedCheck {
        first_check: earlier.index,
        check,
    })
}

/// W writes P, then B; R reads P's new value, then B, before W's write to B.
fn published_too_early(trace: &Trace, main: &Claim) -> Option<Claim> {
    let Claim::General { first, second } = *main else {
        return None;
    };
    let (read, write) = (step(trace, first), step(trace, second));
    if read.thread == write.thread || !reads(read) || !writes(write) {
        return None;
    }
    trace.steps[..read.index as usize]
        .iter()
        .rev()
        .filter(|q| q.thread == read.thread && reads(q) && q.object.is_some())
        .filter(|q| q.object != read.object)
        .find_map(|q| {
            let p = q.object?;
            let publish = trace.steps[..q.index as usize]
                .iter()
                .rev()
                .find(|s| s.object == Some(p) && writes(s))?;
            let new = value_before(trace, p, publish.index) != publish.value.as_deref();
            (publish.thread == write.thread
                && publish.index < write.index
                && publish.value == q.value
                && new)
                .then_some(Claim::PublishedBefore {
                    publish: publish.index,
                    flag_read: q.index,
                    read: first,
                    write: second,
                })
        })
}

/// R reads B, then W writes B and publishes P, then R reads P's new value: the pair is about P,
/// and the reads came in the wrong order.
fn read_before_flag(trace: &Trace, main: &Claim) -> Option<Claim> {
    let Claim::General { first, second } = *main else {
        return None;
    };
    let (publish, flag_read) = (step(trace, first), step(trace, second));
    let p = publish.object?;
    let new = value_before(trace, p, first) != publish.value.as_deref();
    let latest = trace.steps[..second as usize]
        .iter()
        .rev()
        .find(|s| s.object == Some(p) && writes(s))
        .map(|s| s.index);
    if publish.thread == flag_read.thread
        || !writes(publish)
        || !reads(flag_read)
        || publish.value != flag_read.value
        || latest != Some(first)
        || !new
    {
        return None;
    }
    trace.steps[..first as usize]
        .iter()
        .rev()
        .filter(|w| {
            w.thread == publish.thread && writes(w) && w.object.is_some() && w.object != Some(p)
        })
        .find_map(|w| {
            let read = trace.steps[..w.index as usize]
                .iter()
                .rev()
                .find(|r| r.thread == flag_read.thread && r.object == w.object && reads(r))?;
            (read.value != w.value).then_some(Claim::ReadBeforeFlag {
                read: read.index,
                write: w.index,
                publish: first,
                flag_read: second,
            })
        })
}

/// For a load that missed a store: R had loaded W's later store to a flag first, but the
/// flag's store is not Release or its load not Acquire.
fn unsynced_flag(trace: &Trace, main: &Claim) -> Option<Claim> {
    let Claim::StaleLoad { store, load } = *main else {
        return None;
    };
    let (data_store, data_load) = (step(trace, store), step(trace, load));
    trace.steps[..load as usize]
        .iter()
        .rev()
        .filter(|q| q.thread == data_load.thread && q.op == Op::Load)
        .filter(|q| q.object != data_load.object && atomic(trace, q.object))
        .find_map(|q| {
            let f = q.object?;
            let p = trace.steps[..q.index as usize]
                .iter()
                .rev()
                .find(|s| s.object == Some(f) && writes(s))?;
            let new = value_before(trace, f, p.index) != p.value.as_deref();
            let paired = p.ordering.is_some_and(MemOrder::releases)
                && q.ordering.is_some_and(MemOrder::acquires);
            (p.thread == data_store.thread
                && p.index > data_store.index
                && p.op == Op::Store
                && p.value == q.value
                && new
                && !paired)
                .then_some(Claim::UnsyncedFlag {
                    data_store: store,
                    flag_store: p.index,
                    flag_load: q.index,
                    data_load: load,
                })
        })
}

/// Who takes a lock in the run.
fn takers(trace: &Trace, lock: ObjectId) -> BTreeSet<u32> {
    trace
        .steps
        .iter()
        .filter(|s| s.object == Some(lock) && s.op.is_acquire())
        .map(|s| s.thread)
        .collect()
}

/// A lock held around the pair that keeps nobody out: one of several made at the same place,
/// each by the one thread that takes it ("each call makes its own"), or one lock that only
/// one thread ever takes while another uses the same data without it.
fn lock_that_excludes_nobody(trace: &Trace, main: &Claim, unsynced: bool) -> Option<Claim> {
    let pair: Vec<&Step> = main.steps().into_iter().map(|i| step(trace, i)).collect();
    let data = pair.first()?.object?;
    let held: BTreeSet<ObjectId> = pair
        .iter()
        .flat_map(|s| s.locks_held.iter().copied())
        .collect();
    for &lock in &held {
        let made = trace.object(lock)?;
        let siblings: Vec<ObjectId> = trace
            .objects
            .iter()
            .filter(|o| {
                o.kind.is_lock() && o.created_at.is_some() && o.created_at == made.created_at
            })
            .map(|o| o.id)
            .collect();
        let owners: Vec<Option<u32>> = siblings
            .iter()
            .map(|&l| {
                let t = takers(trace, l);
                let owner = t.iter().next().copied().filter(|_| t.len() == 1);
                owner.filter(|&o| trace.object(l).and_then(|x| x.created_by) == Some(o))
            })
            .collect();
        let distinct: BTreeSet<u32> = owners.iter().flatten().copied().collect();
        if siblings.len() >= 2
            && owners.iter().all(Option::is_some)
            && distinct.len() == siblings.len()
        {
            return Some(Claim::EachCallMakesItsOwn { locks: siblings });
        }
    }
    // One thread taking the lock is the design of double-checked initialisation, and a load
    // that missed a store is about orderings: a lock-only-one-thread-takes claim would mislead.
    if unsynced || matches!(main, Claim::StaleLoad { .. }) {
        return None;
    }
    held.iter().find_map(|&lock| {
        let only = takers(trace, lock);
        let owner = *only.iter().next()?;
        if only.len() != 1 || double_checked(trace, owner, lock) {
            return None;
        }
        let owner_writes = trace.steps.iter().any(|s| {
            s.thread == owner && s.object == Some(data) && writes(s) && s.locks_held.contains(&lock)
        });
        let outsider = trace.until_failure().iter().find(|s| {
            s.thread != owner
                && s.object == Some(data)
                && s.access.is_some()
                && !s.locks_held.contains(&lock)
                && (writes(s) || owner_writes)
        })?;
        Some(Claim::OnlyTakenBy {
            lock,
            thread: owner,
            outsider: outsider.index,
        })
    })
}

/// The shape of double-checked initialisation: `thread` read some object without `lock` and
/// then read it again while holding it.
fn double_checked(trace: &Trace, thread: u32, lock: ObjectId) -> bool {
    let mine: Vec<&Step> = trace
        .steps
        .iter()
        .filter(|s| s.thread == thread && reads(s))
        .collect();
    mine.iter().enumerate().any(|(i, outside)| {
        !outside.locks_held.contains(&lock)
            && mine[i + 1..]
                .iter()
                .any(|inside| inside.object == outside.object && inside.locks_held.contains(&lock))
    })
}
