//! One step in words, as the terminal table and the visualizer both show it.

use crate::model::{Access, Op, Step, Trace};
use crate::text::shorten;

/// How long a value may get inside a one-line description.
pub const VALUE_WIDTH: usize = 32;

/// How long a deadlock's words may get: a cycle of a few threads and locks.
pub const DEADLOCK_WIDTH: usize = 160;

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
        Op::Wait => format!("woken on {obj}"),
        Op::Notify => format!("notify {obj}"),
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
