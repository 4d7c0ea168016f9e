//! A trace written step by step, for tests that build the exact runs they need.

#![allow(dead_code)]

use racebook_trace::{
    Access, EngineKind, Failure, FailureKind, MemOrder, ObjectInfo, ObjectKind, Op, ScheduleRef,
    SelectBranch, SourceLoc, Step, ThreadInfo, Trace, UnitKind,
};

pub fn loc(line: u32) -> SourceLoc {
    SourceLoc {
        file: "exercises/test/src/attempt.rs".into(),
        line,
        column: 9,
        text: None,
    }
}

/// Branch `index` (running `future`) of the `select!` at line 30.
pub fn branch(index: u32, future: &str) -> Option<SelectBranch> {
    Some(SelectBranch {
        select: loc(30),
        index,
        future: future.into(),
    })
}

/// Step `index` of `thread`, doing `op` at line `index + 20`, with no object, value or relation:
/// tests fill in what their run needs with struct-update syntax.
pub fn bare_step(index: u32, thread: u32, op: Op) -> Step {
    Step {
        index,
        thread,
        op,
        object: None,
        value: None,
        previous: None,
        access: None,
        ordering: None,
        at: loc(index + 20),
        locks_held: Vec::new(),
        reads_from: None,
        reads_from_guess: false,
        reads_initial: false,
        other_thread: None,
        woken_by: None,
        branch: None,
    }
}

/// A trace written step by step: threads by name, objects with their kind and first value.
pub struct Build {
    pub trace: Trace,
    pub held: Vec<Vec<u32>>,
}

impl Build {
    pub fn new(threads: &[&str], objects: &[(&str, ObjectKind, &str)]) -> Build {
        let threads = threads
            .iter()
            .enumerate()
            .map(|(i, name)| ThreadInfo {
                id: i as u32,
                name: name.to_string(),
                spawned_at: None,
                parent: (i > 0).then_some(0),
                kind: UnitKind::Thread,
                given_name: None,
            })
            .collect::<Vec<_>>();
        let objects = objects
            .iter()
            .enumerate()
            .map(|(i, (name, kind, initial))| ObjectInfo {
                id: i as u32,
                name: name.to_string(),
                kind: *kind,
                created_at: Some(loc(100 + i as u32)),
                initial: Some(initial.to_string()),
                given_name: None,
                created_by: Some(0),
            })
            .collect();
        Build {
            held: vec![Vec::new(); threads.len()],
            trace: Trace {
                format: racebook_trace::TRACE_FORMAT.into(),
                version: racebook_trace::TRACE_VERSION,
                exercise: "test".into(),
                variant: "attempt".into(),
                found: None,
                schedule: ScheduleRef {
                    engine: EngineKind::Shuttle,
                    encoded: String::new(),
                    preemptions: 1,
                    spurious_failure: None,
                },
                threads,
                objects,
                steps: Vec::new(),
                failure: None,
                conflict: None,
            },
        }
    }

    pub fn step(&mut self, t: u32, op: Op, o: u32, value: &str, access: Option<Access>) -> u32 {
        let index = self.trace.steps.len() as u32;
        if op == Op::Unlock {
            self.held[t as usize].retain(|&x| x != o);
        }
        self.trace.steps.push(Step {
            object: Some(o),
            value: Some(value.into()),
            access,
            at: loc(index + 1),
            locks_held: self.held[t as usize].clone(),
            ..bare_step(index, t, op)
        });
        if op == Op::Lock {
            self.held[t as usize].push(o);
            self.trace.steps[index as usize].locks_held = self.held[t as usize].clone();
        }
        index
    }
    pub fn lock(&mut self, t: u32, o: u32, v: &str) -> u32 {
        self.step(t, Op::Lock, o, v, Some(Access::Read))
    }
    pub fn unlock(&mut self, t: u32, o: u32, v: &str) -> u32 {
        self.step(t, Op::Unlock, o, v, None)
    }
    pub fn unlock_wrote(&mut self, t: u32, o: u32, v: &str) -> u32 {
        self.step(t, Op::Unlock, o, v, Some(Access::Write))
    }
    pub fn atomic(&mut self, t: u32, op: Op, o: u32, v: &str, order: MemOrder) -> u32 {
        let access = match op {
            Op::Load => Access::Read,
            Op::Store => Access::Write,
            _ => Access::ReadWrite,
        };
        let i = self.step(t, op, o, v, Some(access));
        self.trace.steps[i as usize].ordering = Some(order);
        i
    }
    pub fn failed(mut self, observed: &str) -> Trace {
        self.trace.failure = Some(Failure {
            kind: FailureKind::Invariant,
            invariant: "the invariant".into(),
            expected: Some("something else".into()),
            observed: Some(observed.into()),
            step: Some(self.trace.steps.len() as u32 - 1),
            message: String::new(),
            blocked: Vec::new(),
        });
        self.trace
    }
}
