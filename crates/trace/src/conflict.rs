//! Finding the pair of steps a failure comes from, as a typed claim, and the conflict the
//! report and the visualizer show.
//!
//! The patterns are tried from the most specific to the most general, and each looks only at
//! steps up to the failure: a data race on a checked cell (no happens-before), a load that
//! missed a store (weak memory), a write that replaced another thread's update unseen, a
//! thread's own write replaced before it came back to it, a check another thread invalidated
//! before the act, a write nobody read, and finally the last pair of accesses. A stuck run is
//! explained by the wake it missed (`wakeup::lost_wakeup`), by its locks, or not at all; a
//! lock-order inversion by its two orders (`lock_order`). `diagnosis` adds the claims that name a known
//! mistake. Every claim then passes the independent check in `confirm` before it is put into
//! words (`gate`); one that fails is dropped, and a failing first claim becomes the general
//! description of its pair.

use crate::claims::{Claim, sentence};
use crate::confirm::confirm;
use crate::hb::HappensBefore;
use crate::model::{Access, Conflict, FailureKind, ObjectKind, Op, Step, Trace};

/// The conflict of a trace, with only confirmed claims, if it has shared accesses from two
/// threads (or a deadlock its locks explain).
pub fn find_conflict(trace: &Trace) -> Option<Conflict> {
    let kind = trace.failure.as_ref().map(|f| f.kind);
    if kind == Some(FailureKind::LockOrder) {
        return crate::lock_order::inversion(trace);
    }
    if kind.is_some_and(FailureKind::is_stuck) {
        // A lost wakeup is printed only when the independent check upholds it.
        return crate::wakeup::lost_wakeup(trace)
            .filter(|c| {
                c.kind != crate::model::ConflictKind::LostWakeup
                    || crate::confirm::confirm_lost_wakeup(trace, c).is_ok()
            })
            .or_else(|| gate(trace, diagnose(trace)))
            .or_else(|| {
                crate::lock_order::lock_cycle(trace)
                    .filter(|c| crate::confirm::confirm_lock_cycle(trace, c).is_ok())
            })
            .or_else(|| gate(trace, stale_load_before_wait(trace)));
    }
    crate::wakeup::spurious_then_failed(trace).or_else(|| gate(trace, diagnose(trace)))
}

/// The claims the diagnosis makes, before any check: the first explains the failure, the
/// others name known mistakes around it.
pub fn diagnose(trace: &Trace) -> Vec<Claim> {
    let deadlock = trace.failure.as_ref().is_some_and(|f| f.kind.is_stuck());
    // A deadlock comes from the order of lock acquisitions, not from a pair of data accesses:
    // only its own pattern explains it, and a data pattern would point at the wrong steps.
    if deadlock {
        return crate::shapes::futurelock(trace)
            .or_else(|| crate::shapes::self_deadlock(trace))
            .into_iter()
            .collect();
    }
    let hb = HappensBefore::of(trace);
    let steps = accesses(trace);
    let main = data_race(trace, &hb, &steps)
        .or_else(|| crate::shapes::stale_load(trace, &hb))
        .or_else(|| crate::aba::aba(trace))
        .or_else(|| crate::shapes::dropped_in_select(trace))
        .or_else(|| lost_update(&steps))
        .or_else(|| split_by_foreign_write(&steps))
        .or_else(|| check_then_act(&steps))
        .or_else(|| overwritten_unread(&steps))
        .or_else(|| last_pair(&steps));
    main.map(|main| with_notes(trace, main)).unwrap_or_default()
}

/// `main`, then the notes on known mistakes around it.
fn with_notes(trace: &Trace, main: Claim) -> Vec<Claim> {
    let notes = crate::diagnosis::notes(trace, &main);
    std::iter::once(main).chain(notes).collect()
}

/// For a run where threads wait for ever: the load closest to the end that returned an older
/// value than another thread's store (the store buffering that lets both sides of a handshake
/// skip the wakeup: one side's stale load is why it decided not to wake, or to wait). Tried
/// last, after the waits' own patterns; the claim states only the load and the store.
fn stale_load_before_wait(trace: &Trace) -> Vec<Claim> {
    let hb = HappensBefore::of(trace);
    crate::shapes::stale_load_in(trace, &hb, &trace.steps)
        .map(|claim| with_notes(trace, claim))
        .unwrap_or_default()
}

/// Keep the claims that `confirm` upholds, and build the conflict from them.
pub fn gate(trace: &Trace, claims: Vec<Claim>) -> Option<Conflict> {
    let mut claims = claims.into_iter();
    let first = claims.next()?;
    let main = if confirm(trace, &first).is_ok() {
        first
    } else {
        let (_, a, b, _) = first.pair()?;
        let general = Claim::General {
            first: a.min(b),
            second: a.max(b),
        };
        confirm(trace, &general).ok()?;
        general
    };
    let (kind, first, second, completes) = main.pair()?;
    let mut kept = vec![main];
    kept.extend(claims.filter(|c| confirm(trace, c).is_ok()));
    let why = kept
        .iter()
        .map(|c| sentence(trace, c))
        .collect::<Vec<_>>()
        .join(" ");
    Some(Conflict {
        kind,
        first,
        second,
        completes,
        ordered: HappensBefore::of(trace).ordered(first, second),
        why,
        claims: kept,
    })
}

/// Shared accesses up to the failure, in the order the run made them.
fn accesses(trace: &Trace) -> Vec<&Step> {
    trace
        .until_failure()
        .iter()
        .filter(|s| s.access.is_some() && s.object.is_some())
        .collect()
}

fn reads(s: &Step) -> bool {
    s.access.is_some_and(Access::reads)
}

fn writes(s: &Step) -> bool {
    s.access.is_some_and(Access::writes)
}

fn pure_read(s: &Step) -> bool {
    s.access == Some(Access::Read)
}

fn pure_write(s: &Step) -> bool {
    s.access == Some(Access::Write)
}

/// Two accesses to a checked cell, at least one a write, with no happens-before either way.
fn data_race(trace: &Trace, hb: &HappensBefore, steps: &[&Step]) -> Option<Claim> {
    let cell = |s: &&Step| {
        s.object
            .and_then(|o| trace.object(o))
            .is_some_and(|o| o.kind == ObjectKind::Cell)
    };
    for (j, b) in steps.iter().enumerate().rev().filter(|(_, s)| cell(s)) {
        for a in steps[..j].iter().rev().filter(|s| cell(s)) {
            if a.thread != b.thread
                && a.object == b.object
                && (writes(a) || writes(b))
                && !hb.either_way(a.index, b.index)
            {
                return Some(Claim::Unordered {
                    first: a.index,
                    second: b.index,
                });
            }
        }
    }
    None
}

/// T reads O; U writes O, the only write until T's plain write replaces it: U's update is
/// lost if T never read O in between, or if T's write left exactly U's value.
fn lost_update(steps: &[&Step]) -> Option<Claim> {
    for (k, w) in steps
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, s)| pure_write(s))
    {
        let same = |s: &&&Step| s.object == w.object;
        let Some((j, u)) = steps[..k]
            .iter()
            .enumerate()
            .rev()
            .find(|(_, s)| same(s) && writes(s))
        else {
            continue;
        };
        if u.thread == w.thread {
            continue;
        }
        let Some((i, r)) = steps[..j]
            .iter()
            .enumerate()
            .rev()
            .find(|(_, s)| same(s) && s.thread == w.thread)
        else {
            continue;
        };
        if !pure_read(r) || steps[i + 1..j].iter().any(|s| same(&s) && writes(s)) {
            continue;
        }
        let between = &steps[j + 1..k];
        let seen = between.iter().any(|s| same(&s) && s.thread == w.thread);
        let read_by_others = between
            .iter()
            .any(|s| same(&s) && s.thread != u.thread && reads(s));
        let (read, foreign_write, write_back) = (r.index, u.index, w.index);
        if !seen && !read_by_others {
            return Some(Claim::OverwrittenAndLost {
                read,
                foreign_write,
                write_back,
            });
        }
        if seen && w.value == u.value && r.value != u.value {
            return Some(Claim::TwoUpdatesCountOnce {
                read,
                foreign_write,
                write_back,
            });
        }
    }
    None
}

/// T writes O; another thread writes O; T's next access to O reads it and does not get its
/// own value back.
fn split_by_foreign_write(steps: &[&Step]) -> Option<Claim> {
    for (k, back) in steps.iter().enumerate().rev().filter(|(_, s)| pure_read(s)) {
        let Some((i, own)) = steps[..k]
            .iter()
            .enumerate()
            .rev()
            .find(|(_, s)| s.thread == back.thread && s.object == back.object)
        else {
            continue;
        };
        if !writes(own) || own.value == back.value {
            continue;
        }
        let foreign = steps[i + 1..k]
            .iter()
            .find(|u| u.object == back.object && writes(u));
        if let Some(u) = foreign {
            return Some(Claim::SplitByForeignWrite {
                own_write: own.index,
                foreign_write: u.index,
                read_back: back.index,
            });
        }
    }
    None
}

/// T reads O; another thread writes O; T's next access to O finds something else there.
fn check_then_act(steps: &[&Step]) -> Option<Claim> {
    for (k, act) in steps.iter().enumerate().rev() {
        let Some((i, check)) = steps[..k]
            .iter()
            .enumerate()
            .rev()
            .find(|(_, s)| s.thread == act.thread && s.object == act.object)
        else {
            continue;
        };
        if !pure_read(check) {
            continue;
        }
        let Some(change) = steps[i + 1..k]
            .iter()
            .rev()
            .find(|u| u.object == act.object && writes(u))
        else {
            continue;
        };
        let found = if act.op == Op::Rmw {
            act.previous.as_ref()
        } else if reads(act) {
            act.value.as_ref()
        } else {
            change.value.as_ref()
        };
        if found != check.value.as_ref() {
            return Some(Claim::CheckThenAct {
                check: check.index,
                change: change.index,
                act: act.index,
            });
        }
    }
    None
}

/// A plain write that replaced another thread's write before anything read it.
fn overwritten_unread(steps: &[&Step]) -> Option<Claim> {
    for (k, w) in steps
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, s)| pure_write(s))
    {
        let earlier = steps[..k].iter().rev().find(|s| s.object == w.object);
        if let Some(u) = earlier.filter(|u| u.thread != w.thread && writes(u)) {
            return Some(Claim::OverwrittenUnread {
                replaced: u.index,
                write: w.index,
            });
        }
    }
    None
}

/// The last two accesses to one object from different threads, at least one a write.
fn last_pair(steps: &[&Step]) -> Option<Claim> {
    for (j, b) in steps.iter().enumerate().rev() {
        let a = steps[..j]
            .iter()
            .rev()
            .find(|a| a.thread != b.thread && a.object == b.object && (writes(a) || writes(b)));
        if let Some(a) = a {
            return Some(Claim::General {
                first: a.index,
                second: b.index,
            });
        }
    }
    None
}
