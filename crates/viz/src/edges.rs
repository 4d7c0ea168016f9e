//! The arrows the player can draw between steps of different threads: synchronizes-with
//! (unlock to the next lock, spawn to the child's first step, finish to join, send to receive,
//! notify to wake, a release write to the acquire read that reads from it) and reads-from.

use racebook_trace::{HappensBefore, ObjectKind, Op, StepId, Trace};
use serde::Serialize;
use std::collections::{HashMap, VecDeque};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    SynchronizesWith,
    ReadsFrom,
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
            (Op::Load | Op::Rmw | Op::CasFailed | Op::Read, Some(_)) => {
                if let Some(from) = hb.reads_from(step.index) {
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
}
