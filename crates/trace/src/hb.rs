//! Happens-before over a recorded trace, with vector clocks. The edges are the ones the Rust
//! memory model gives: program order, spawn, join, unlock-to-lock, send-to-receive, notify-to-wake
//! and a release write to an acquire read that reads from it (through release sequences), with
//! fences: a store after a release fence releases what the fence saw, and an acquire fence
//! acquires what the thread's earlier loads read. A `SeqCst` fence is an `AcqRel` one here:
//! C11 gives SeqCst fences a single order, not happens-before edges of their own.

use crate::model::{ObjectKind, Op, StepId, Trace};
use std::collections::{HashMap, VecDeque};

/// A vector clock: entry `t` counts the steps of thread `t` known to have happened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clock(Vec<u32>);

impl Clock {
    fn tick(&mut self, thread: usize) {
        if self.0.len() <= thread {
            self.0.resize(thread + 1, 0);
        }
        self.0[thread] += 1;
    }

    fn join(&mut self, other: &Clock) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            *mine = (*mine).max(*theirs);
        }
    }

    fn get(&self, thread: usize) -> u32 {
        self.0.get(thread).copied().unwrap_or(0)
    }
}

/// The happens-before relation of one trace.
#[derive(Debug, Clone)]
pub struct HappensBefore {
    /// The clock of each step, just after it.
    clocks: Vec<Clock>,
    threads: Vec<u32>,
    /// The write each read of an atomic or cell took its value from.
    reads_from: Vec<Option<StepId>>,
}

impl HappensBefore {
    pub fn of(trace: &Trace) -> HappensBefore {
        let mut thread_clock: HashMap<u32, Clock> = HashMap::new();
        let mut lock_clock: HashMap<u32, Clock> = HashMap::new();
        let mut notify_clock: HashMap<u32, Clock> = HashMap::new();
        let mut spawn_clock: HashMap<u32, Clock> = HashMap::new();
        let mut finish_clock: HashMap<u32, Clock> = HashMap::new();
        let mut in_flight: HashMap<u32, VecDeque<Clock>> = HashMap::new();
        // For each write to an atomic: the clock a reader that acquires it joins (release sequence).
        let mut release_clock: HashMap<StepId, Clock> = HashMap::new();
        let mut last_write: HashMap<u32, StepId> = HashMap::new();
        // Each thread's clock at its last release fence, and what its loads read that an
        // acquire fence would take in.
        let mut fence_released: HashMap<u32, Clock> = HashMap::new();
        let mut to_acquire: HashMap<u32, Clock> = HashMap::new();

        let mut clocks = Vec::with_capacity(trace.steps.len());
        let mut reads_from = Vec::with_capacity(trace.steps.len());
        for step in &trace.steps {
            let t = step.thread;
            let mut clock = thread_clock.remove(&t).unwrap_or_default();
            if clock.get(t as usize) == 0 {
                if let Some(parent) = spawn_clock.get(&t) {
                    clock.join(parent);
                }
            }
            clock.tick(t as usize);
            let kind = step.object.and_then(|o| trace.object(o)).map(|o| o.kind);
            let mut rf = None;
            match (step.op, step.object) {
                (Op::Spawn, _) => {
                    if let Some(child) = step.other_thread {
                        spawn_clock.insert(child, clock.clone());
                    }
                }
                (Op::Finish, _) => {
                    finish_clock.insert(t, clock.clone());
                }
                (Op::Join, _) => {
                    if let Some(c) = step.other_thread.and_then(|c| finish_clock.get(&c)) {
                        clock.join(c);
                    }
                }
                (Op::Lock | Op::ReadLock, Some(o)) => {
                    if let Some(c) = lock_clock.get(&o) {
                        clock.join(c);
                    }
                }
                (Op::Unlock | Op::ReadUnlock, Some(o)) => {
                    lock_clock.entry(o).or_default().join(&clock);
                }
                (Op::Notify | Op::NotifyAll, Some(o)) => {
                    notify_clock.entry(o).or_default().join(&clock);
                }
                // The wake it names synchronizes with it; a wait that ended with no wake (a
                // spurious wakeup, a timeout) synchronizes with nothing.
                (Op::Wait | Op::Recv, _) if step.woken_by.is_some() => {
                    if let Some(c) = step.woken_by.and_then(|w| clocks.get(w as usize)) {
                        let c: &Clock = c;
                        clock.join(&c.clone());
                    }
                    if step.op == Op::Recv
                        && let Some(q) = step.object.and_then(|o| in_flight.get_mut(&o))
                    {
                        q.pop_front();
                    }
                }
                (Op::Wait, _)
                    if matches!(step.value.as_deref(), Some("spurious" | "timed out")) => {}
                (Op::Wait, Some(o)) => {
                    if let Some(c) = notify_clock.get(&o) {
                        clock.join(c);
                    }
                }
                (Op::Fence, _) => {
                    let order = step.ordering;
                    if order.is_some_and(|m| m.acquires()) {
                        if let Some(c) = to_acquire.get(&t) {
                            clock.join(c);
                        }
                    }
                    if order.is_some_and(|m| m.releases()) {
                        fence_released.insert(t, clock.clone());
                    }
                }
                (Op::Send, Some(o)) => {
                    in_flight.entry(o).or_default().push_back(clock.clone());
                }
                (Op::Recv, Some(o)) => {
                    if let Some(c) = in_flight.get_mut(&o).and_then(VecDeque::pop_front) {
                        clock.join(&c);
                    }
                }
                (
                    op @ (Op::Load | Op::Store | Op::Rmw | Op::CasFailed | Op::Read | Op::Write),
                    Some(o),
                ) => {
                    let reads = matches!(op, Op::Load | Op::Rmw | Op::CasFailed | Op::Read);
                    let writes = matches!(op, Op::Store | Op::Rmw | Op::Write);
                    if reads && !step.reads_initial {
                        // Without a recorded source, the latest write, unless the read returned
                        // another value: then it read an older one (or the initial value), and
                        // the latest write gives it no edge.
                        let seen = if op == Op::Rmw {
                            &step.previous
                        } else {
                            &step.value
                        };
                        rf = step.reads_from.or_else(|| {
                            let w = last_write.get(&o).copied()?;
                            let wrote = &trace.steps[w as usize].value;
                            (seen.is_none() || seen == wrote).then_some(w)
                        });
                    }
                    let atomic = kind == Some(ObjectKind::Atomic);
                    if let Some(c) = rf.and_then(|w| release_clock.get(&w)).filter(|_| atomic) {
                        if step.ordering.is_some_and(|m| m.acquires()) {
                            clock.join(c);
                        } else {
                            // A later acquire fence of this thread takes it in.
                            to_acquire.entry(t).or_default().join(c);
                        }
                    }
                    if writes {
                        if atomic {
                            let mut released = Clock::default();
                            if step.ordering.is_some_and(|m| m.releases()) {
                                released.join(&clock);
                            } else if let Some(c) = fence_released.get(&t) {
                                // After a release fence, any store releases what it saw.
                                released.join(c);
                            }
                            // A read-modify-write continues the release sequence it read from.
                            if op == Op::Rmw {
                                if let Some(c) = rf.and_then(|w| release_clock.get(&w)) {
                                    released.join(&c.clone());
                                }
                            }
                            release_clock.insert(step.index, released);
                        }
                        last_write.insert(o, step.index);
                    }
                }
                _ => {}
            }
            clocks.push(clock.clone());
            reads_from.push(rf);
            thread_clock.insert(t, clock);
        }
        HappensBefore {
            clocks,
            threads: trace.steps.iter().map(|s| s.thread).collect(),
            reads_from,
        }
    }

    /// Whether step `a` happens before step `b`.
    pub fn ordered(&self, a: StepId, b: StepId) -> bool {
        let (a, b) = (a as usize, b as usize);
        if a >= self.clocks.len() || b >= self.clocks.len() || a == b {
            return false;
        }
        let ta = self.threads[a] as usize;
        self.clocks[a].get(ta) <= self.clocks[b].get(ta)
    }

    /// Whether one of the two steps happens before the other.
    pub fn either_way(&self, a: StepId, b: StepId) -> bool {
        self.ordered(a, b) || self.ordered(b, a)
    }

    /// The write a read step took its value from: recorded, or else the latest earlier write.
    pub fn reads_from(&self, step: StepId) -> Option<StepId> {
        self.reads_from.get(step as usize).copied().flatten()
    }
}
