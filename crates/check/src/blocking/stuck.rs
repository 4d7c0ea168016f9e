//! A stuck run in words, and how the facade reports it. The words come from the facade's own
//! bookkeeping of waits and wakes, so they hold by construction; while recording they carry
//! the steps of the trace (numbered from 1, as the table shows them).

use super::world::{Early, On, State, Tid, Wait, WakeEvent, World};
use crate::deadlock::Mode;
use crate::record;
use crate::run::CapturedFailure;
use racebook_trace::{EngineKind, FailureKind, ObjectId, StepId, ThreadId};
use std::panic::Location;

/// A blocked thread as the recording lists it.
#[derive(Debug, Clone)]
pub(crate) struct BlockedEntry {
    pub thread: Option<ThreadId>,
    pub object: Option<ObjectId>,
    pub held_by: Option<ThreadId>,
    pub for_thread: Option<ThreadId>,
    pub since: Option<StepId>,
    pub at: &'static Location<'static>,
}

/// A stuck run, found by the facade.
#[derive(Debug, Clone)]
pub(crate) struct Stuck {
    pub kind: FailureKind,
    pub words: String,
    pub blocked: Vec<BlockedEntry>,
}

/// The panic payload that carries a stuck run out of a loom model thread.
#[derive(Debug, Clone)]
pub struct StuckReport {
    pub kind: FailureKind,
    pub words: String,
}

impl StuckReport {
    pub fn invariant(&self) -> &'static str {
        invariant(self.kind)
    }
}

fn invariant(kind: FailureKind) -> &'static str {
    match kind {
        FailureKind::LostWakeup => "no lost wakeup",
        _ => "no deadlock",
    }
}

/// The run's failure from a `StuckReport` payload.
pub(crate) fn payload_failure(payload: &(dyn std::any::Any + Send)) -> Option<CapturedFailure> {
    let r = payload.downcast_ref::<StuckReport>()?;
    Some(failure(r.kind, &r.words))
}

fn failure(kind: FailureKind, words: &str) -> CapturedFailure {
    CapturedFailure {
        kind,
        invariant: invariant(kind).to_string(),
        expected: None,
        observed: None,
        message: words.to_string(),
        location: None,
    }
}

/// `step 7`, while recording.
fn step(s: Option<StepId>) -> Option<String> {
    s.map(|s| format!("step {}", s + 1))
}

fn short(at: &Location<'_>) -> String {
    let file = at.file().rsplit(['/', '\\']).next().unwrap_or(at.file());
    format!("{file}:{}", at.line())
}

/// A lock's holders, as thread ids.
fn holders(lock: usize, mode: Mode, t: Tid) -> Vec<Tid> {
    crate::deadlock::blockers(lock, mode, t)
}

/// What `t` waits on, in words: "waits on `ready` (exercise.rs:31)".
fn what(w: &World, t: Tid, wait: &Wait) -> String {
    let name = w.name(t);
    let at = match step(wait.since_step) {
        Some(s) => format!("since {s}, {}", short(wait.at)),
        None => short(wait.at),
    };
    match wait.on {
        On::Condvar(k) | On::Notify(k) => format!("{name} waits on `{}` ({at})", w.object_name(k)),
        On::Park => format!("{name} is parked ({at})"),
        On::Barrier(k) => format!("{name} waits at `{}` ({at})", w.object_name(k)),
        On::Recv(k) => format!(
            "{name} waits for a message on `{}` ({at})",
            w.object_name(k)
        ),
        On::Send(k) => format!("{name} waits for room on `{}` ({at})", w.object_name(k)),
        On::Permit(k) => format!("{name} waits for a permit of `{}` ({at})", w.object_name(k)),
        On::Join(target) => format!("{name} waits for {} to finish ({at})", w.name(target)),
        On::Lock(k, mode) => {
            let by: Vec<&str> = holders(k, mode, t).iter().map(|&h| w.name(h)).collect();
            let held = if let Some(own) = crate::task::own_future_words(k, t, name) {
                return format!("{name} waits for {} ({at}){own}", w.object_name(k));
            } else if by.is_empty() {
                String::new()
            } else {
                format!(", held by {}", by.join(" and "))
            };
            format!("{name} waits for {}{held} ({at})", w.object_name(k))
        }
    }
}

/// The wake `t` missed, in words, if its wait began after one: a lost wakeup.
fn missed(w: &World, t: Tid, wait: &Wait) -> Option<String> {
    let name = w.name(t);
    let began = match step(wait.since_step) {
        Some(s) => format!("{name} began to wait at {s}"),
        None => format!("{name} began to wait ({})", short(wait.at)),
    };
    match wait.on {
        On::Condvar(k) | On::Notify(k) => {
            let events = w.wakes.get(&k)?;
            let before = events.iter().rev().find(|e| e.seq < wait.since)?;
            let after: Vec<&WakeEvent> = events.iter().filter(|e| e.seq > wait.since).collect();
            let obj = w.object_name(k);
            let at = step(before.by.step)
                .map(|s| format!(" at {s}"))
                .unwrap_or_default();
            let head = format!(
                "{} notified `{obj}`{at}, before {began}",
                w.name(before.by.by)
            );
            Some(if after.is_empty() {
                format!("{head}; nothing notified it afterwards")
            } else {
                let later: Vec<String> = after
                    .iter()
                    .map(|e| {
                        let whom: Vec<&str> = e.woke.iter().map(|&x| w.name(x)).collect();
                        format!("{} woke {}", w.name(e.by.by), whom.join(" and "))
                    })
                    .collect();
                format!(
                    "{head}; every notify after that woke another waiter ({})",
                    later.join(", ")
                )
            })
        }
        On::Park => {
            // The last unpark before this park began, and the earlier park that took it.
            let unparks = w.unparks.get(&t)?;
            let before = unparks.iter().rev().find(|e| e.seq < wait.since)?;
            let (_, park_step, park_at) = w
                .park_used
                .get(&t)?
                .iter()
                .find(|(seq, _, _)| *seq == before.seq)?;
            let unparked = match step(before.by.step) {
                Some(s) => format!("{} unparked {name} at {s}", w.name(before.by.by)),
                None => format!("{} unparked {name}", w.name(before.by.by)),
            };
            let eaten = match step(*park_step) {
                Some(s) => format!(
                    "{name}'s park at {s} ({}) used that unpark up",
                    short(park_at)
                ),
                None => format!("{name}'s park at {} used that unpark up", short(park_at)),
            };
            let later = if unparks.iter().any(|e| e.seq > wait.since) {
                ""
            } else {
                "; nothing unparked it afterwards"
            };
            Some(format!("{unparked}, but {eaten} before {began}{later}"))
        }
        _ => None,
    }
}

/// Why nothing can end `t`'s wait, when no wake was missed.
fn never(w: &World, wait: &Wait) -> Option<&'static str> {
    let live = (0..w.threads.len())
        .any(|t| w.threads[t].state == State::Running && w.waiting(t).is_none());
    match wait.on {
        On::Condvar(_) | On::Notify(_) if !live => Some("no thread is left to notify it"),
        On::Park if !live => Some("no thread is left to unpark it"),
        On::Recv(_) if !live => Some("no thread is left to send on it"),
        On::Send(_) if !live => Some("no thread is left to receive from it"),
        _ => None,
    }
}

/// The stuck run the world is in, in words.
pub(crate) fn describe(w: &World) -> Stuck {
    let blocked = w.blocked();
    let mut lost = Vec::new();
    let mut waits = Vec::new();
    for (t, wait) in &blocked {
        let mut line = what(w, *t, wait);
        match missed(w, *t, wait) {
            Some(m) => lost.push(m),
            None => {
                if let Some(why) = never(w, wait) {
                    line.push_str(&format!(", and {why}"));
                }
            }
        }
        // A task that waits for its own future is the cause; the others wait behind it.
        let own = matches!(wait.on, On::Lock(k, _)
            if crate::task::own_future_words(k, *t, w.name(*t)).is_some());
        if own {
            waits.insert(0, line);
        } else {
            waits.push(line);
        }
    }
    let kind = if lost.is_empty() {
        FailureKind::Deadlock
    } else {
        FailureKind::LostWakeup
    };
    let mut words = lost.join("; ");
    if !words.is_empty() {
        words.push_str(". ");
    }
    words.push_str(&waits.join("; "));
    Stuck {
        kind,
        words,
        blocked: entries(w, &blocked),
    }
}

/// The blocked threads as the recording lists them.
pub(crate) fn entries(w: &World, blocked: &[(Tid, Wait)]) -> Vec<BlockedEntry> {
    blocked
        .iter()
        .map(|(t, wait)| {
            let recorded = |x: Tid| w.threads.get(x).and_then(|e| e.recorded);
            let (object, held_by, for_thread) = match wait.on {
                On::Lock(k, mode) => (
                    w.objects.get(&k).and_then(|o| o.recorded),
                    holders(k, mode, *t).first().and_then(|&h| recorded(h)),
                    None,
                ),
                On::Join(target) => (None, None, recorded(target)),
                _ => (wait.object, None, None),
            };
            BlockedEntry {
                thread: recorded(*t),
                object,
                held_by,
                for_thread,
                since: wait.since_step,
                at: wait.at,
            }
        })
        .collect()
}

/// Report the stuck run and stop it: this never returns to the code that was about to block.
pub(crate) fn report(stuck: Stuck) -> ! {
    record::set_blocked(
        stuck
            .blocked
            .iter()
            .filter_map(|b| {
                Some(record::BlockedAt {
                    thread: b.thread?,
                    object: b.object,
                    held_by: b.held_by,
                    for_thread: b.for_thread,
                    since: b.since,
                    at: b.at,
                })
            })
            .collect(),
    );
    // The trace ends here, as the program would: nothing after it happens in a real run.
    record::freeze();
    let payload = StuckReport {
        kind: stuck.kind,
        words: stuck.words,
    };
    if crate::engine::current() == EngineKind::Shuttle {
        if let Some(ctx) = crate::run::context() {
            ctx.fail(failure(payload.kind, &payload.words));
        }
        super::with(|w| w.stop = true);
        // Stays runnable, so shuttle asks the scheduler, which stops the execution here.
        super::parker::switch_shuttle();
    }
    std::panic::panic_any(payload)
}

/// Every thread waiting now, as recorded threads with their wait in words.
pub(crate) fn waiting_words(w: &World) -> Vec<(ThreadId, String)> {
    w.blocked()
        .iter()
        .filter_map(|(t, wait)| {
            let recorded = w.threads.get(*t)?.recorded?;
            let name = w.name(*t);
            let text = what(w, *t, wait);
            let text = text.strip_prefix(name).unwrap_or(&text).trim_start();
            // Without the source location: the game shows where in its own panel.
            let text = text.rsplit_once(" (").map_or(text, |(head, _)| head);
            Some((recorded, text.to_string()))
        })
        .collect()
}

/// Whether a wait of this kind may end early, for `Early`'s users.
#[allow(dead_code)]
pub(crate) fn ends_early(e: Early) -> bool {
    e != Early::Never
}
