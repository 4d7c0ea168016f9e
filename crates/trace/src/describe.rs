//! One step in words, as the terminal table and the visualizer both show it.

use crate::model::{Access, ObjectKind, Op, Step, Trace};
use crate::text::shorten;

/// How long a value may get inside a one-line description.
pub const VALUE_WIDTH: usize = 32;

/// How long a deadlock's words may get: a cycle of a few threads and locks.
pub const DEADLOCK_WIDTH: usize = 160;

/// The start of a wait, by what it waits on.
fn blocked(trace: &Trace, step: &Step, obj: &str, other: &str) -> String {
    let kind = step.object.and_then(|o| trace.object(o)).map(|o| o.kind);
    match kind {
        Some(ObjectKind::Channel) if step.value.as_deref() == Some("send") => {
            format!("wait for room on {obj}")
        }
        Some(ObjectKind::Channel) => format!("wait for a message on {obj}"),
        Some(ObjectKind::Barrier) => format!("wait at {obj}"),
        Some(k) if k.is_lock() => format!("wait for {obj}"),
        Some(_) => format!("wait on {obj}"),
        None if step.other_thread.is_some() => format!("wait for {other} to finish"),
        None => "park".to_string(),
    }
}

/// The end of a wait, by how it ended (the facade writes the reason in `value`).
fn woken(step: &Step, obj: &str, other: &str) -> String {
    let how = step.value.as_deref().unwrap_or("");
    let by = if step.other_thread.is_some() {
        format!(" by {other}")
    } else {
        String::new()
    };
    match (step.object.is_some(), how) {
        (true, "spurious") => format!("woke on {obj} with no notify (spurious)"),
        (true, "timed out") => format!("timed out waiting on {obj}"),
        (true, "released") => format!("released from {obj}{by}"),
        (true, _) => format!("woken on {obj}{by}"),
        (false, "spurious") => "park returned with no unpark (spurious)".to_string(),
        (false, "timed out") => "park timed out".to_string(),
        (false, "token") => format!("park returned at once: {other} had unparked it"),
        (false, _) => format!("unparked{by}"),
    }
}

/// A short description of what the step did, with its values: `lock counts = {"a": 0}`.
pub fn describe(trace: &Trace, step: &Step) -> String {
    let obj = step.object.map(|o| trace.object_name(o)).unwrap_or("");
    let val = step
        .value
        .as_deref()
        .map(|v| shorten(v, VALUE_WIDTH))
        .unwrap_or_default();
    let other = step
        .other_thread
        .map(|t| trace.thread_name(t))
        .unwrap_or("?");
    let order = step
        .ordering
        .map(|o| format!(" ({})", o.label()))
        .unwrap_or_default();
    match step.op {
        Op::Spawn => format!("spawn {other}"),
        Op::Start => "start".to_string(),
        Op::Join => format!("join {other}"),
        Op::Finish => "finish".to_string(),
        Op::Lock => format!("lock {obj} = {val}"),
        Op::ReadLock => format!("read-lock {obj} = {val}"),
        Op::Unlock if step.access == Some(Access::Write) => format!("unlock {obj}, wrote {val}"),
        Op::Unlock => format!("unlock {obj}"),
        Op::ReadUnlock => format!("read-unlock {obj}"),
        Op::Block => blocked(trace, step, obj, other),
        Op::Wait => woken(step, obj, other),
        Op::Notify if val.is_empty() => format!("notify {obj}"),
        Op::Notify => format!("notify {obj}, {val}"),
        Op::NotifyAll if val.is_empty() => format!("notify_all {obj}"),
        Op::NotifyAll => format!("notify_all {obj}, {val}"),
        Op::Unpark if val.is_empty() => format!("unpark {other}"),
        Op::Unpark => format!("unpark {other}, {val}"),
        Op::TryLockFailed => format!("try_lock {obj} failed: taken"),
        Op::Load => format!("load {obj} = {val}{order}"),
        Op::Store => format!("store {obj} := {val}{order}"),
        Op::Rmw => {
            let before = step
                .previous
                .as_deref()
                .map(|v| shorten(v, VALUE_WIDTH))
                .unwrap_or_default();
            format!("update {obj} {before} -> {val}{order}")
        }
        Op::CasFailed => format!("compare-exchange {obj} failed, saw {val}{order}"),
        Op::Fence => format!("fence{order}"),
        // A racing access that the checker stopped has no value.
        Op::Read if step.value.is_none() => format!("read {obj}"),
        Op::Write if step.value.is_none() => format!("write {obj}"),
        Op::Read => format!("read {obj} = {val}"),
        Op::Write => format!("write {obj} := {val}"),
        Op::Send => format!("send {obj}: {val}"),
        Op::Recv => format!("recv {obj}: {val}"),
        Op::Yield => "yield".to_string(),
        Op::Sleep => "sleep (orders nothing)".to_string(),
        Op::Mark => val,
        // The harness stopped a thread that was about to close a deadlock cycle. The words
        // name threads and locks, never values, so they are kept whole up to a generous width.
        Op::Panic if val.starts_with("deadlock: ") => {
            shorten(step.value.as_deref().unwrap_or_default(), DEADLOCK_WIDTH)
        }
        Op::Panic => format!("panic: {val}"),
        Op::Fire => format!("timer fires: {val}"),
        Op::Select => format!("select! chose {val}"),
        Op::Cancel => format!("dropped unfinished: {val}"),
        Op::Abort => format!("abort {other}"),
    }
}
