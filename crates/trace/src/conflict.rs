//! Finding the pair of steps a failure comes from, and saying why in one sentence.
//!
//! The patterns are tried from the most specific to the most general, and each looks only at
//! steps up to the failure: a data race on a checked cell (no happens-before), a stale read
//! written back (the classic lost update), a thread's own write replaced before it read it back,
//! a check that another thread invalidated before the act, a blind overwrite of a write nobody
//! had read, and finally the last conflicting pair. A deadlock is explained by its locks instead
//! (`diagnosis::self_deadlock`), or not at all.

use crate::hb::HappensBefore;
use crate::model::{
    Access, Conflict, ConflictKind, FailureKind, ObjectKind, Op, Step, StepId, Trace,
};
use crate::text::shorten;

/// The conflicting pair of a trace, if it has shared accesses from two threads.
pub fn find_conflict(trace: &Trace) -> Option<Conflict> {
    // A deadlock comes from the order of lock acquisitions, not from a pair of data accesses:
    // only its own pattern explains it, and a data pattern would point at the wrong steps.
    if trace
        .failure
        .as_ref()
        .is_some_and(|f| f.kind == FailureKind::Deadlock)
    {
        return crate::diagnosis::self_deadlock(trace);
    }
    let hb = HappensBefore::of(trace);
    let end = trace
        .failure
        .as_ref()
        .and_then(|f| f.step)
        .map_or(trace.steps.len(), |s| s as usize + 1);
    let steps: Vec<&Step> = trace.steps[..end.min(trace.steps.len())]
        .iter()
        .filter(|s| s.access.is_some() && s.object.is_some())
        .collect();
    data_race(trace, &hb, &steps)
        .or_else(|| stale_read(trace, &steps))
        .or_else(|| overwritten_before_read_back(trace, &steps))
        .or_else(|| check_then_act(trace, &steps))
        .or_else(|| lost_write(trace, &steps))
        .or_else(|| last_pair(trace, &hb, &steps))
        .map(|c| crate::diagnosis::diagnose(trace, c))
}

fn access(s: &Step) -> Access {
    s.access.expect("filtered on access")
}

fn same_object(a: &Step, b: &Step) -> bool {
    a.object == b.object
}

fn value(s: &Step) -> String {
    shorten(s.value.as_deref().unwrap_or("?"), 40)
}

fn is_lock(trace: &Trace, s: &Step) -> bool {
    s.object
        .and_then(|o| trace.object(o))
        .is_some_and(|o| o.kind.is_lock())
}

fn conflict(
    kind: ConflictKind,
    first: &Step,
    second: &Step,
    completes: Option<StepId>,
    hb: bool,
    why: String,
) -> Option<Conflict> {
    Some(Conflict {
        kind,
        first: first.index,
        second: second.index,
        completes,
        ordered: hb,
        why,
    })
}

/// Two accesses to a checked cell, at least one a write, with no happens-before either way.
fn data_race(trace: &Trace, hb: &HappensBefore, steps: &[&Step]) -> Option<Conflict> {
    let cells = |s: &&&Step| {
        s.object
            .and_then(|o| trace.object(o))
            .is_some_and(|o| o.kind == ObjectKind::Cell)
    };
    for (j, b) in steps.iter().enumerate().rev().filter(|(_, s)| cells(s)) {
        for a in steps[..j].iter().rev().filter(cells) {
            let writes = access(a).writes() || access(b).writes();
            if a.thread != b.thread
                && same_object(a, b)
                && writes
                && !hb.either_way(a.index, b.index)
            {
                let name = trace.object_name(a.object.unwrap_or_default());
                let why = format!(
                    "{} and {} touched {name} with no happens-before edge between them (no lock both took, \
                     no join, no Release store read by an Acquire load), so the two accesses race \
                     and the result depends on timing.",
                    trace.thread_name(a.thread),
                    trace.thread_name(b.thread),
                );
                return conflict(ConflictKind::DataRace, a, b, None, false, why);
            }
        }
    }
    None
}

/// Thread T reads O, another thread writes O, then T writes O from what it read.
fn stale_read(trace: &Trace, steps: &[&Step]) -> Option<Conflict> {
    for (k, w) in steps.iter().enumerate().rev() {
        if !access(w).writes() {
            continue;
        }
        // The foreign write closest before T's write-back, and T's read before that.
        for (j, u) in steps[..k].iter().enumerate().rev() {
            if u.thread == w.thread || !same_object(u, w) || !access(u).writes() {
                continue;
            }
            let read = steps[..j]
                .iter()
                .rev()
                .find(|r| r.thread == w.thread && same_object(r, w) && access(r).reads());
            let Some(r) = read else { continue };
            // T's own write between its read and the foreign write means the read was not stale.
            let wrote_between = steps[..k].iter().any(|s| {
                s.index > r.index && s.thread == w.thread && same_object(s, w) && access(s).writes()
            });
            if wrote_between {
                continue;
            }
            let t = trace.thread_name(w.thread);
            let u_name = trace.thread_name(u.thread);
            let o = trace.object_name(w.object.unwrap_or_default());
            let why = if is_lock(trace, w) {
                format!(
                    "{t} read {o} ({}) under one lock acquisition and wrote it ({}) under another; \
                     {u_name}'s write in between ({}) was overwritten and lost.",
                    value(r),
                    value(w),
                    value(u)
                )
            } else {
                format!(
                    "{t} read {o} ({}) and later wrote back a value computed from it ({}); \
                     {u_name}'s write in between ({}) was overwritten and lost.",
                    value(r),
                    value(w),
                    value(u)
                )
            };
            return conflict(ConflictKind::StaleRead, r, u, Some(w.index), true, why);
        }
    }
    None
}

/// Thread T writes O, another thread writes O, then T reads O back and gets the other thread's
/// value instead of its own: shared state used as a thread's private scratch space.
fn overwritten_before_read_back(trace: &Trace, steps: &[&Step]) -> Option<Conflict> {
    for (k, back) in steps.iter().enumerate().rev() {
        if !access(back).reads() {
            continue;
        }
        // T's last access to O before the read-back must be its own write.
        let Some((i, own)) = steps[..k]
            .iter()
            .enumerate()
            .rev()
            .find(|(_, s)| s.thread == back.thread && same_object(s, back))
        else {
            continue;
        };
        if !access(own).writes() || own.value == back.value {
            continue;
        }
        let foreign = steps[i + 1..k]
            .iter()
            .rev()
            .find(|u| u.thread != back.thread && same_object(u, back) && access(u).writes());
        let Some(u) = foreign else { continue };
        let t = trace.thread_name(back.thread);
        let o = trace.object_name(back.object.unwrap_or_default());
        let how = if is_lock(trace, back) {
            "under a second lock acquisition"
        } else {
            "later"
        };
        let u_name = trace.thread_name(u.thread);
        let why = format!(
            "{t} wrote {o} ({}) and came back to it {how}, but {u_name} wrote it in between \
             ({}), so {t} carried on from {u_name}'s value instead of its own.",
            value(own),
            value(u),
        );
        return conflict(ConflictKind::LostWrite, own, u, Some(back.index), true, why);
    }
    None
}

/// Thread T reads O, another thread writes O, T reads O again and sees something else.
fn check_then_act(trace: &Trace, steps: &[&Step]) -> Option<Conflict> {
    for (k, r2) in steps.iter().enumerate().rev() {
        if !access(r2).reads() {
            continue;
        }
        for (j, u) in steps[..k].iter().enumerate().rev() {
            if u.thread == r2.thread || !same_object(u, r2) || !access(u).writes() {
                continue;
            }
            let first = steps[..j]
                .iter()
                .rev()
                .find(|r| r.thread == r2.thread && same_object(r, r2) && access(r).reads());
            let Some(r1) = first else { break };
            if r1.value == r2.value {
                break;
            }
            let why = format!(
                "{} checked {} ({}) and then acted on that check, but {} changed it in between ({}), \
                 so the act ran on a state the check never saw.",
                trace.thread_name(r1.thread),
                trace.object_name(r1.object.unwrap_or_default()),
                value(r1),
                trace.thread_name(u.thread),
                value(u),
            );
            return conflict(ConflictKind::CheckThenAct, r1, u, Some(r2.index), true, why);
        }
    }
    None
}

/// A write that replaced another thread's write before anybody read it.
fn lost_write(trace: &Trace, steps: &[&Step]) -> Option<Conflict> {
    for (k, w) in steps.iter().enumerate().rev() {
        if access(w) != Access::Write {
            continue;
        }
        let earlier = steps[..k].iter().rev().find(|s| same_object(s, w));
        if let Some(u) = earlier.filter(|u| u.thread != w.thread && access(u).writes()) {
            let why = format!(
                "{}'s write to {} ({}) replaced {}'s write ({}) before anything read it, so that update was lost.",
                trace.thread_name(w.thread),
                trace.object_name(w.object.unwrap_or_default()),
                value(w),
                trace.thread_name(u.thread),
                value(u),
            );
            return conflict(ConflictKind::LostWrite, u, w, None, true, why);
        }
    }
    None
}

/// The last two accesses to one object from different threads, at least one a write.
fn last_pair(trace: &Trace, hb: &HappensBefore, steps: &[&Step]) -> Option<Conflict> {
    for (j, b) in steps.iter().enumerate().rev() {
        let a = steps[..j].iter().rev().find(|a| {
            a.thread != b.thread && same_object(a, b) && (access(a).writes() || access(b).writes())
        });
        if let Some(a) = a {
            let ordered = hb.ordered(a.index, b.index);
            let why = format!(
                "{}'s {} of {} came before {}'s {}, an order the code does not handle.",
                trace.thread_name(a.thread),
                verb(a),
                trace.object_name(a.object.unwrap_or_default()),
                trace.thread_name(b.thread),
                verb(b),
            );
            return conflict(ConflictKind::Order, a, b, None, ordered, why);
        }
    }
    None
}

fn verb(s: &Step) -> &'static str {
    match (s.op, access(s)) {
        (Op::Unlock, _) => "write",
        (Op::Lock | Op::ReadLock, _) => "read",
        (_, Access::Read) => "read",
        (_, Access::Write) => "write",
        (_, Access::ReadWrite) => "update",
    }
}
