//! The arrows the player can draw between steps of different threads: synchronizes-with
//! (unlock to the next lock, spawn to the child's first step, finish to join, send to receive,
//! notify to wake, a release write to the acquire read that reads from it) and reads-from;
//! and, for a read that returned an older value of an atomic or cell than the newest write that
//! ran before it, an arrow from that newer write it did not see.

use racebook_trace::{HappensBefore, ObjectKind, Op, StepId, Trace};
use serde::Serialize;
use std::collections::{HashMap, VecDeque};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    SynchronizesWith,
    ReadsFrom,
    /// From the newest earlier write a read did not see to that read.
    NotSeen,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Arrow {
    pub from: StepId,
    pub to: StepId,
    pub kind: EdgeKind,
    /// E.g. "unlock → lock".
    pub label: &'static str,
}

/// Every cross-thread arrow of the trace, ordered by target step.
pub fn arrows(trace: &Trace) -> Vec<Arrow> {
    let mut out = Vec::new();
    let mut spawned_by: HashMap<u32, StepId> = HashMap::new();
    let mut finished_at: HashMap<u32, StepId> = HashMap::new();
    let mut released: HashMap<u32, StepId> = HashMap::new();
    let mut notified: HashMap<u32, StepId> = HashMap::new();
    let mut in_flight: HashMap<u32, VecDeque<StepId>> = HashMap::new();
    let mut started: Vec<bool> = vec![false; trace.threads.len()];
    let hb = HappensBefore::of(trace);
    let thread_of = |s: StepId| trace.steps.get(s as usize).map(|s| s.thread);
    let mut last_write: HashMap<u32, StepId> = HashMap::new();

    for step in &trace.steps {
        let t = step.thread;
        let mut push = |from: StepId, kind: EdgeKind, label: &'static str| {
            if thread_of(from).is_some_and(|f| f != t) {
                out.push(Arrow {
                    from,
                    to: step.index,
                    kind,
                    label,
                });
            }
        };
        if let Some(first) = started.get_mut(t as usize).filter(|s| !**s) {
            *first = true;
            if let Some(&from) = spawned_by.get(&t) {
                push(from, EdgeKind::SynchronizesWith, "spawn → start");
            }
        }
        let kind = step.object.and_then(|o| trace.object(o)).map(|o| o.kind);
        match (step.op, step.object) {
            (Op::Spawn, _) => {
                if let Some(child) = step.other_thread {
                    spawned_by.insert(child, step.index);
                }
            }
            (Op::Finish, _) => {
                finished_at.insert(t, step.index);
            }
            (Op::Join, _) => {
                if let Some(&from) = step.other_thread.and_then(|c| finished_at.get(&c)) {
                    push(from, EdgeKind::SynchronizesWith, "finish → join");
                }
            }
            (Op::Unlock | Op::ReadUnlock, Some(o)) => {
                released.insert(o, step.index);
            }
            (Op::Lock | Op::ReadLock, Some(o)) => {
                if let Some(from) = released.remove(&o) {
                    push(from, EdgeKind::SynchronizesWith, "unlock → lock");
                }
            }
            (Op::Notify | Op::NotifyAll, Some(o)) => {
                notified.insert(o, step.index);
            }
            // The facade names the wake that ended a wait; none for a spurious one.
            (Op::Wait, _) if step.woken_by.is_some() => {
                if let Some(from) = step.woken_by {
                    let label = match trace.steps.get(from as usize).map(|s| s.op) {
                        Some(Op::Unpark) => "unpark → wake",
                        _ => "notify → wake",
                    };
                    push(from, EdgeKind::SynchronizesWith, label);
                }
            }
            (Op::Wait, _) if matches!(step.value.as_deref(), Some("spurious" | "timed out")) => {}
            (Op::Wait, Some(o)) => {
                if let Some(from) = notified.remove(&o) {
                    push(from, EdgeKind::SynchronizesWith, "notify → wake");
                }
            }
            (Op::Send, Some(o)) => in_flight.entry(o).or_default().push_back(step.index),
            (Op::Recv, Some(o)) => {
                if let Some(from) = in_flight.get_mut(&o).and_then(VecDeque::pop_front) {
                    push(from, EdgeKind::SynchronizesWith, "send → receive");
                }
            }
            (Op::Load | Op::Rmw | Op::CasFailed | Op::Read, Some(o)) => {
                let source = (!step.reads_initial)
                    .then(|| hb.reads_from(step.index))
                    .flatten();
                let newest = last_write.get(&o).copied();
                if step.reads_from_guess {
                    // Only a read whose source the engine reported can be said to skip one.
                } else if let Some(newer) = newest.filter(|&w| source.is_none_or(|s| s < w)) {
                    push(newer, EdgeKind::NotSeen, "a newer store it did not see");
                }
                if let Some(from) = source {
                    let writer = trace.steps.get(from as usize);
                    let releases = writer
                        .and_then(|w| w.ordering)
                        .is_some_and(|m| m.releases());
                    let acquires = step.ordering.is_some_and(|m| m.acquires());
                    if kind == Some(ObjectKind::Atomic) && releases && acquires {
                        push(from, EdgeKind::SynchronizesWith, "release → acquire");
                    } else {
                        push(from, EdgeKind::ReadsFrom, "reads from");
                    }
                }
            }
            _ => {}
        }
        if matches!(step.op, Op::Store | Op::Rmw | Op::Write)
            && let Some(o) = step.object
        {
            last_write.insert(o, step.index);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::demo_trace;

    #[test]
    fn lost_update_arrows_follow_spawns_locks_and_joins() {
        let trace = demo_trace("broken");
        let got: Vec<(StepId, StepId, &str)> = arrows(&trace)
            .iter()
            .map(|a| (a.from, a.to, a.label))
            .collect();
        let want: Vec<(StepId, StepId, &str)> = vec![
            (0, 2, "spawn → start"),
            (1, 5, "spawn → start"),
            (4, 6, "unlock → lock"),
            (9, 11, "unlock → lock"),
            (13, 14, "finish → join"),
            (10, 15, "finish → join"),
            (12, 16, "unlock → lock"),
        ];
        assert_eq!(got, want);
    }

    /// Store buffering as loom can run it: each thread stores its flag, then reads the other's
    /// first value although the other's store already ran.
    fn store_buffering() -> Trace {
        let at = r#""at":{"file":"t.rs","line":1,"column":1}"#;
        let step = |i: u32, t: u32, op: &str, o: u32, v: &str, extra: &str| {
            format!(
                r#"{{"index":{i},"thread":{t},"op":"{op}","object":{o},"value":"{v}","ordering":"release",{at}{extra}}}"#
            )
        };
        let steps = [
            step(0, 0, "store", 0, "true", ""),
            step(1, 1, "store", 1, "true", ""),
            step(2, 0, "load", 1, "false", r#","reads_initial":true"#),
            step(3, 1, "load", 0, "false", r#","reads_initial":true"#),
        ]
        .join(",")
        .replace(
            r#""ordering":"release",{at},"reads"#,
            r#""ordering":"acquire",{at},"reads"#,
        );
        let text = format!(
            r#"{{"format":"racebook-trace","version":1,"exercise":"t","variant":"v",
            "schedule":{{"engine":"loom","encoded":"","preemptions":0}},
            "threads":[{{"id":0,"name":"main"}},{{"id":1,"name":"b"}}],
            "objects":[{{"id":0,"name":"a_raised","kind":"atomic","initial":"false"}},
                       {{"id":1,"name":"b_raised","kind":"atomic","initial":"false"}}],
            "steps":[{steps}]}}"#
        );
        Trace::from_json(&text).expect("test trace parses")
    }

    #[test]
    fn a_read_of_an_older_value_gets_an_arrow_from_the_store_it_did_not_see() {
        let got: Vec<(StepId, StepId, EdgeKind)> = arrows(&store_buffering())
            .iter()
            .map(|a| (a.from, a.to, a.kind))
            .collect();
        assert_eq!(got, [(1, 2, EdgeKind::NotSeen), (0, 3, EdgeKind::NotSeen)]);
    }
}
